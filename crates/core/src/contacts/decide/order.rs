//! The final contact order: staff's explicit order first, then the rest in
//! the default order (form blocks, then the student's other contacts);
//! expired contacts at the end.

use std::collections::BTreeMap;

use super::types::ContactRef;
use crate::domain::PersonId;

/// `items`: the contacts of the student afterwards in default order, each
/// with whether it is expired. `explicit`: staff's order; a person confirmed
/// by a block (`aliases`: person -> block) stands for that block. Returns
/// the order and the explicit references that name no contact.
pub(crate) fn final_order(
    items: &[(ContactRef, bool)],
    explicit: &[ContactRef],
    aliases: &BTreeMap<PersonId, String>,
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

/// The contacts that write no rows of their own but whose position
/// PowerSchool would get wrong: they need a row carrying their Contact
/// Priority Order.
///
/// The import applies rows in file order (unlinks first, then positions
/// ascending), and a Contact Priority Order moves the contact there and
/// shifts the others. This applies the written rows to `current` (the
/// student's contacts in PowerSchool's order) and, while the result is not
/// `order`, adds a row for the first kept contact out of place. With every
/// contact written the result is `order` (placing the k-th never moves the
/// first k-1), so it ends. `written`: contacts whose rows carry a
/// position; `removed`: contacts unlinked.
pub(crate) fn positions_to_write(
    current: &[ContactRef],
    removed: &[ContactRef],
    written: &[ContactRef],
    order: &[ContactRef],
) -> Vec<ContactRef> {
    let mut extra: Vec<ContactRef> = Vec::new();
    loop {
        let mut list: Vec<&ContactRef> = current.iter().filter(|r| !removed.contains(r)).collect();
        for (k, target) in order.iter().enumerate() {
            if written.contains(target) || extra.contains(target) {
                list.retain(|r| *r != target);
                list.insert(k.min(list.len()), target);
            }
        }
        let first_wrong = order.iter().enumerate().find(|(k, r)| list.get(*k) != Some(r)).map(|(_, r)| r);
        match first_wrong {
            None => return extra,
            Some(r) if !written.contains(r) && !extra.contains(r) => extra.push(r.clone()),
            // A written contact out of place: cannot happen (see above);
            // write every contact's position to be sure.
            Some(_) => {
                return order.iter().filter(|r| !written.contains(r)).cloned().collect();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    fn check(items: &[(ContactRef, bool)], explicit: &[ContactRef], expect: Expect) {
        let aliases: BTreeMap<PersonId, String> = [(PersonId(7), "contact2".to_string())].into_iter().collect();
        let (order, ignored) = final_order(items, explicit, &aliases);
        expect.assert_eq(&format!("{order:?} ignored {ignored:?}"));
    }

    #[test]
    fn orders() {
        use ContactRef::*;
        let items =
            [(Block("contact1".into()), false), (Block("contact2".into()), false), (Person(PersonId(9)), false)];
        check(&items, &[], expect![[r#"[Block("contact1"), Block("contact2"), Person(9)] ignored []"#]]);
        check(
            &items,
            &[Person(PersonId(9)), Block("contact1".into())],
            expect![[r#"[Person(9), Block("contact1"), Block("contact2")] ignored []"#]],
        );
        // A confirmed person stands for its block; unknown and repeated refs.
        check(
            &items,
            &[Person(PersonId(7)), Person(PersonId(4)), Person(PersonId(7))],
            expect![[r#"[Block("contact2"), Block("contact1"), Person(9)] ignored [Person(4)]"#]],
        );
        // Expired contacts go to the end, whatever the explicit order.
        let items = [(Block("contact1".into()), true), (Block("contact2".into()), false), (Person(PersonId(9)), false)];
        check(
            &items,
            &[Block("contact1".into())],
            expect![[r#"[Block("contact2"), Person(9), Block("contact1")] ignored []"#]],
        );
    }

    fn check_positions(current: &[i64], removed: &[i64], written: &[i64], order: &[i64], expect: Expect) {
        let refs = |ids: &[i64]| ids.iter().map(|p| ContactRef::Person(PersonId(*p))).collect::<Vec<_>>();
        let out = positions_to_write(&refs(current), &refs(removed), &refs(written), &refs(order));
        let ids: Vec<String> = out
            .iter()
            .map(|r| match r {
                ContactRef::Person(p) => p.to_string(),
                ContactRef::Block(b) => b.clone(),
            })
            .collect();
        expect.assert_eq(&ids.join(" "));
    }

    #[test]
    fn kept_contacts_that_need_their_position_written() {
        // Nothing moves: nothing to write.
        check_positions(&[1, 2, 3], &[], &[], &[1, 2, 3], expect![[""]]);
        // A new contact (4) inserted first shifts the others into place.
        check_positions(&[1, 2, 3], &[], &[4], &[4, 1, 2, 3], expect![[""]]);
        // Unlinking 1 shifts 2 and 3 up by themselves.
        check_positions(&[1, 2, 3], &[1], &[], &[2, 3], expect![[""]]);
        // Swapping two kept contacts: writing 2 at 1 moves 1 to 2.
        check_positions(&[1, 2, 3], &[], &[], &[2, 1, 3], expect![["2"]]);
        // Reversing: 3 then 2; 1 ends last by itself.
        check_positions(&[1, 2, 3], &[], &[], &[3, 2, 1], expect![["3 2"]]);
        // A written contact placed at 2 and a kept one moved to the front.
        check_positions(&[1, 2, 3], &[], &[2], &[3, 2, 1], expect![["3"]]);
        // 1 (written) moving to the end lifts the kept 2 and 3 by itself.
        check_positions(&[1, 2, 3], &[], &[1], &[2, 3, 1], expect![[""]]);
        // 1 kept and sent to the end: the others move up once 2 and 3 are placed.
        check_positions(&[1, 2, 3], &[], &[], &[2, 3, 1], expect![["2 3"]]);
        // A new contact first, an unlink, and a kept contact moved behind a written one.
        check_positions(&[1, 2, 3, 4], &[2], &[9, 3], &[9, 3, 4, 1], expect![["4"]]);
    }
}
