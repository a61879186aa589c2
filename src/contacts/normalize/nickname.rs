//! Nicknames from the embedded public table (`nicknames.csv`, see
//! `NICKNAMES.md`): `Bob` = `Robert`, `Bill` = `William` and `Bill` =
//! `Robert`. A pair in the table relates both ways; a nickname shared by
//! several names relates to each of them. Relations are not chained (`Bill`
//! is not related to everything `Robert` is).

use std::sync::OnceLock;

/// The table as shipped: `name1,has_nickname,name2` rows.
const TABLE: &str = include_str!("../nicknames.csv");

/// The nickname relation, parsed once.
#[derive(Debug)]
pub struct Nicknames {
    /// Distinct names, sorted.
    names: Vec<&'static str>,
    /// Related name pairs (indices into `names`), both directions, sorted.
    pairs: Vec<(u16, u16)>,
}

impl Nicknames {
    /// The embedded table.
    pub fn table() -> &'static Nicknames {
        static TABLE_ONCE: OnceLock<Nicknames> = OnceLock::new();
        TABLE_ONCE.get_or_init(|| Nicknames::parse(TABLE))
    }

    /// Parses rows of `name1,relation,name2` (a header row and malformed rows
    /// are skipped). Names are expected folded (lower-case ASCII).
    pub fn parse(text: &'static str) -> Nicknames {
        let rows: Vec<(&str, &str)> = text
            .lines()
            .filter_map(|line| {
                let mut f = line.trim().split(',');
                let (a, rel, b) = (f.next()?.trim(), f.next()?.trim(), f.next()?.trim());
                (rel == "has_nickname" && !a.is_empty() && !b.is_empty() && a != b).then_some((a, b))
            })
            .collect();
        let mut names: Vec<&'static str> = Vec::with_capacity(rows.len());
        for line in text.lines() {
            let mut f = line.trim().split(',');
            if let (Some(a), Some("has_nickname"), Some(b)) = (f.next(), f.next(), f.next()) {
                names.push(a.trim());
                names.push(b.trim());
            }
        }
        names.retain(|n| !n.is_empty());
        names.sort_unstable();
        names.dedup();
        let id = |n: &str| names.binary_search(&n).ok().map(|i| i as u16);
        let mut pairs = Vec::with_capacity(rows.len() * 2);
        for (a, b) in rows {
            if let (Some(a), Some(b)) = (id(a), id(b)) {
                pairs.push((a, b));
                pairs.push((b, a));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        Nicknames { names, pairs }
    }

    /// The names directly related to `name` (a folded first name), sorted.
    pub fn related(&self, name: &str) -> impl Iterator<Item = &'static str> + '_ {
        let range = match self.names.binary_search(&name) {
            Ok(i) => {
                let i = i as u16;
                let lo = self.pairs.partition_point(|p| p.0 < i);
                let hi = self.pairs.partition_point(|p| p.0 <= i);
                lo..hi
            }
            Err(_) => 0..0,
        };
        self.pairs[range].iter().map(|&(_, b)| self.names[b as usize])
    }

    /// Whether `a` and `b` (folded first names) are a nickname pair.
    pub fn related_pair(&self, a: &str, b: &str) -> bool {
        match (self.names.binary_search(&a), self.names.binary_search(&b)) {
            (Ok(a), Ok(b)) => self.pairs.binary_search(&(a as u16, b as u16)).is_ok(),
            _ => false,
        }
    }

    /// The distinct names of the table, sorted.
    pub fn names(&self) -> &[&'static str] {
        &self.names
    }

    /// How many distinct names the table knows.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(name: &str, expect: Expect) {
        let related: Vec<&str> = Nicknames::table().related(name).collect();
        expect.assert_eq(&related.join(" "));
    }

    #[test]
    fn relates_both_ways() {
        let t = Nicknames::table();
        assert!(t.len() > 1000, "{} names", t.len());
        assert!(t.related_pair("bob", "robert"));
        assert!(t.related_pair("robert", "bob"));
        assert!(!t.related_pair("robert", "maria"));
        check("bob", expect!["bert bobby rob robert"]);
        check("liz", expect!["elizabeth lisa lizzie"]);
    }

    #[test]
    fn a_shared_nickname_counts_for_each_name() {
        let t = Nicknames::table();
        assert!(t.related_pair("bill", "william"));
        assert!(t.related_pair("bill", "robert"));
        check("bill", expect!["billy fred robert will william willie willis"]);
    }

    #[test]
    fn unknown_names_have_none() {
        check("xochitl", expect![[""]]);
        check("", expect![[""]]);
        let t = Nicknames::parse("a,has_nickname,b\nbad row\n,has_nickname,c\nc,is,d\n");
        assert!(t.related_pair("b", "a"));
        assert!(!t.related_pair("c", "d"));
    }
}
