//! Nicknames from the embedded tables (see `NICKNAMES.md`): English
//! (`nicknames.csv`, public) and Spanish hypocorisms (`nicknames_es.csv`):
//! `Bob` = `Robert`, `Bill` = `William` and `Bill` = `Robert`, `Chuy` =
//! `Jesús`, `Chema` = `José María` (a compound name written together). A pair in the table relates both ways; a nickname shared by
//! several names relates to each of them. Relations are not chained (`Bill`
//! is not related to everything `Robert` is).

use std::sync::OnceLock;

/// The tables as shipped: `name1,has_nickname,name2` rows.
const TABLES: [&str; 2] = [include_str!("../nicknames.csv"), include_str!("../nicknames_es.csv")];

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
        TABLE_ONCE.get_or_init(|| Nicknames::parse_all(&TABLES))
    }

    /// The English table alone (the public dataset), for the accuracy
    /// harness: it draws nicknames from a source the Spanish table was not
    /// written against.
    pub fn english() -> &'static Nicknames {
        static ENGLISH_ONCE: OnceLock<Nicknames> = OnceLock::new();
        ENGLISH_ONCE.get_or_init(|| Nicknames::parse(TABLES[0]))
    }

    /// Parses rows of `name1,relation,name2` (a header row and malformed rows
    /// are skipped). Names are expected folded (lower-case ASCII).
    pub fn parse(text: &'static str) -> Nicknames {
        Nicknames::parse_all(&[text])
    }

    /// Parses several tables into one relation.
    pub fn parse_all(texts: &[&'static str]) -> Nicknames {
        let lines = || texts.iter().flat_map(|t| t.lines());
        let rows: Vec<(&str, &str)> = lines()
            .filter_map(|line| {
                let mut f = line.trim().split(',');
                let (a, rel, b) = (f.next()?.trim(), f.next()?.trim(), f.next()?.trim());
                (rel == "has_nickname" && !a.is_empty() && !b.is_empty() && a != b).then_some((a, b))
            })
            .collect();
        let mut names: Vec<&'static str> = Vec::with_capacity(rows.len());
        for line in lines() {
            let mut f = line.trim().split(',');
            if let (Some(a), Some("has_nickname"), Some(b)) = (f.next(), f.next(), f.next()) {
                names.push(a.trim());
                names.push(b.trim());
            }
        }
        names.retain(|n| !n.is_empty());
        crate::sort::values(&mut names);
        names.dedup();
        let id = |n: &str| names.binary_search(&n).ok().map(|i| i as u16);
        let mut pairs = Vec::with_capacity(rows.len() * 2);
        for (a, b) in rows {
            if let (Some(a), Some(b)) = (id(a), id(b)) {
                pairs.push((a, b));
                pairs.push((b, a));
            }
        }
        crate::sort::values(&mut pairs);
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
    fn spanish_hypocorisms_that_share_few_letters_with_the_name() {
        let t = Nicknames::table();
        for (name, nick) in [("jesus", "chuy"), ("francisco", "pancho"), ("guillermo", "memo"), ("josemaria", "chema")]
        {
            assert!(t.related_pair(name, nick), "{name} = {nick}");
        }
        check("chuy", expect!["jesus"]);
        check("lalo", expect!["abelardo eduardo gerardo"]);
        assert!(!t.related_pair("eduardo", "gerardo"), "relations are not chained");
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
