//! Personal names split into comparable words: titles (Mrs., Dr.) and
//! generational suffixes (Jr., III) removed, family-name particles (de, la,
//! van) told apart from the significant parts of a compound last name.

use super::fold::fold;

/// Titles people put before a name on a form.
const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "fr", "sra", "sr", "srta", "dona"];

/// Generational and academic suffixes after a name.
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv", "v", "2nd", "3rd", "esq", "phd", "md"];

/// Family-name particles: part of the name, but not a significant part of it
/// (`de la Cruz` is a Cruz, `Van der Berg` a Berg).
const PARTICLES: &[&str] = &[
    "de", "del", "della", "la", "las", "los", "le", "les", "da", "das", "do", "dos", "du", "di", "van", "von", "der",
    "den", "ter", "ten", "st", "ste", "bin", "ibn", "al", "el", "y", "e",
];

/// A name as comparable words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameParts {
    /// Folded words, without titles and suffixes.
    pub words: Vec<String>,
    /// The words written together (`de la Cruz` -> `delacruz`): the key under
    /// which two spellings are the same name.
    pub joined: String,
    /// The significant words: for a last name the words that are not
    /// particles; for a first name every word.
    pub parts: Vec<String>,
}

impl NameParts {
    /// A first (or middle) name: `Mrs. Mary Ann` -> words `mary ann`.
    pub fn given(raw: &str) -> NameParts {
        let mut words = words(raw);
        strip_titles(&mut words);
        strip_suffixes(&mut words);
        NameParts::from_words(words, |_| true)
    }

    /// A last name: `de la Cruz Jr.` -> words `de la cruz`, parts `cruz`.
    pub fn family(raw: &str) -> NameParts {
        let mut words = words(raw);
        strip_suffixes(&mut words);
        NameParts::from_words(words, |w| !PARTICLES.contains(&w))
    }

    fn from_words(words: Vec<String>, significant: impl Fn(&str) -> bool) -> NameParts {
        let joined = words.concat();
        let mut parts: Vec<String> = words.iter().filter(|w| significant(w)).cloned().collect();
        if parts.is_empty() {
            parts = words.clone();
        }
        NameParts { words, joined, parts }
    }

    /// The keys a nickname table is looked up with: each part, and for a
    /// compound name the parts written together (`José María` -> `jose`,
    /// `maria`, `josemaria`, which is `Chema`).
    pub fn nickname_keys(&self) -> impl Iterator<Item = &str> {
        let compound = (self.parts.len() > 1).then_some(self.joined.as_str());
        self.parts.iter().map(String::as_str).chain(compound)
    }

    /// Whether nothing is left of the name.
    pub fn is_empty(&self) -> bool {
        self.joined.is_empty()
    }

    /// The first word (`mary` of `Mary Ann`), if any.
    pub fn first_word(&self) -> Option<&str> {
        self.words.first().map(String::as_str)
    }

    /// Whether the name has more than one significant part (`Delgado-Pritchett`,
    /// `García López`).
    pub fn is_compound(&self) -> bool {
        self.parts.len() > 1
    }

    /// The keys a person is found under: the joined form, then each
    /// significant part (last names) or the first word (first names), without
    /// repeats.
    pub fn keys(&self, family: bool) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::with_capacity(1 + self.parts.len());
        if self.is_empty() {
            return keys;
        }
        keys.push(&self.joined);
        let extra: Vec<&str> = if family {
            self.parts.iter().map(String::as_str).collect()
        } else {
            self.first_word().into_iter().collect()
        };
        for k in extra {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        keys
    }
}

fn words(raw: &str) -> Vec<String> {
    fold(raw).split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// Drops leading titles, keeping at least one word.
fn strip_titles(words: &mut Vec<String>) {
    let n = words.iter().take_while(|w| TITLES.contains(&w.as_str())).count();
    let n = n.min(words.len().saturating_sub(1));
    words.drain(..n);
}

/// Drops trailing suffixes, keeping at least one word.
fn strip_suffixes(words: &mut Vec<String>) {
    while words.len() > 1 && words.last().is_some_and(|w| SUFFIXES.contains(&w.as_str())) {
        words.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(family: bool, input: &str, expect: Expect) {
        let n = if family { NameParts::family(input) } else { NameParts::given(input) };
        let actual = format!("words={:?} joined={:?} parts={:?} keys={:?}", n.words, n.joined, n.parts, n.keys(family));
        expect.assert_eq(&actual);
    }

    #[test]
    fn first_names() {
        check(false, "José", expect![[r#"words=["jose"] joined="jose" parts=["jose"] keys=["jose"]"#]]);
        check(
            false,
            "Mrs. Mary Ann",
            expect![[r#"words=["mary", "ann"] joined="maryann" parts=["mary", "ann"] keys=["maryann", "mary"]"#]],
        );
        check(false, "Dr", expect![[r#"words=["dr"] joined="dr" parts=["dr"] keys=["dr"]"#]]);
        check(false, "  ", expect![[r#"words=[] joined="" parts=[] keys=[]"#]]);
    }

    #[test]
    fn last_names() {
        check(
            true,
            "Delgado-Pritchett",
            expect![[
                r#"words=["delgado", "pritchett"] joined="delgadopritchett" parts=["delgado", "pritchett"] keys=["delgadopritchett", "delgado", "pritchett"]"#
            ]],
        );
        check(
            true,
            "de la Cruz",
            expect![[r#"words=["de", "la", "cruz"] joined="delacruz" parts=["cruz"] keys=["delacruz", "cruz"]"#]],
        );
        check(
            true,
            "DeLaCruz",
            expect![[r#"words=["delacruz"] joined="delacruz" parts=["delacruz"] keys=["delacruz"]"#]],
        );
        check(true, "Smith Jr.", expect![[r#"words=["smith"] joined="smith" parts=["smith"] keys=["smith"]"#]]);
        check(true, "Thomas III", expect![[r#"words=["thomas"] joined="thomas" parts=["thomas"] keys=["thomas"]"#]]);
        check(true, "Nguyễn", expect![[r#"words=["nguyen"] joined="nguyen" parts=["nguyen"] keys=["nguyen"]"#]]);
        check(true, "Van", expect![[r#"words=["van"] joined="van" parts=["van"] keys=["van"]"#]]);
        check(true, "O'Brien", expect![[r#"words=["obrien"] joined="obrien" parts=["obrien"] keys=["obrien"]"#]]);
    }
}
