//! The final contact order: staff's explicit order first, then the rest in
//! the default order (form blocks, then the student's other contacts);
//! expired contacts at the end.

use std::collections::BTreeMap;

use super::types::ContactRef;

/// `items`: the contacts of the student afterwards in default order, each
/// with whether it is expired. `explicit`: staff's order; a person confirmed
/// by a block (`aliases`: person -> block) stands for that block. Returns
/// the order and the explicit references that name no contact.
pub(crate) fn final_order(
    items: &[(ContactRef, bool)],
    explicit: &[ContactRef],
    aliases: &BTreeMap<i64, String>,
) -> (Vec<ContactRef>, Vec<ContactRef>) {
    let mut order: Vec<ContactRef> = Vec::new();
    let mut ignored = Vec::new();
    for r in explicit {
        let r = match r {
            ContactRef::Person(p) => match aliases.get(p) {
                Some(b) => ContactRef::Block(b.clone()),
                None => r.clone(),
            },
            ContactRef::Block(_) => r.clone(),
        };
        if !items.iter().any(|(i, _)| *i == r) {
            ignored.push(r);
        } else if !order.contains(&r) {
            order.push(r);
        }
    }
    for (r, _) in items {
        if !order.contains(r) {
            order.push(r.clone());
        }
    }
    let expired = |r: &ContactRef| items.iter().any(|(i, e)| i == r && *e);
    let (mut active, ended): (Vec<ContactRef>, Vec<ContactRef>) = order.into_iter().partition(|r| !expired(r));
    active.extend(ended);
    (active, ignored)
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    fn check(items: &[(ContactRef, bool)], explicit: &[ContactRef], expect: Expect) {
        let aliases: BTreeMap<i64, String> = [(7, "contact2".to_string())].into_iter().collect();
        let (order, ignored) = final_order(items, explicit, &aliases);
        expect.assert_eq(&format!("{order:?} ignored {ignored:?}"));
    }

    #[test]
    fn orders() {
        use ContactRef::*;
        let items = [(Block("contact1".into()), false), (Block("contact2".into()), false), (Person(9), false)];
        check(&items, &[], expect![[r#"[Block("contact1"), Block("contact2"), Person(9)] ignored []"#]]);
        check(
            &items,
            &[Person(9), Block("contact1".into())],
            expect![[r#"[Person(9), Block("contact1"), Block("contact2")] ignored []"#]],
        );
        // A confirmed person stands for its block; unknown and repeated refs.
        check(
            &items,
            &[Person(7), Person(4), Person(7)],
            expect![[r#"[Block("contact2"), Block("contact1"), Person(9)] ignored [Person(4)]"#]],
        );
        // Expired contacts go to the end, whatever the explicit order.
        let items = [(Block("contact1".into()), true), (Block("contact2".into()), false), (Person(9), false)];
        check(
            &items,
            &[Block("contact1".into())],
            expect![[r#"[Block("contact2"), Person(9), Block("contact1")] ignored []"#]],
        );
    }
}
