//! Unicode folding of names: one comparable spelling for every way a name is
//! typed (José = Jose = JOSE, Nguyễn = Nguyen, O'Brien = OBrien).

mod table {
    include!(concat!(env!("OUT_DIR"), "/fold_table.rs"));
}

/// Folds `raw` to lower-case letters and digits without accents, in words
/// separated by single spaces: apostrophes and periods vanish (`O'Brien` ->
/// `obrien`, `St.` -> `st`), hyphens, commas, slashes and other symbols
/// separate words (`Delgado-Pritchett` -> `delgado pritchett`).
pub fn fold(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    if raw.is_ascii() {
        for b in raw.bytes() {
            push(&mut out, b as char);
        }
    } else {
        for c in raw.chars().flat_map(without_marks) {
            match special(c) {
                Some(s) => s.chars().for_each(|c| push(&mut out, c)),
                None => c.to_lowercase().for_each(|c| push(&mut out, c)),
            }
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The characters of `c`'s compatibility decomposition (NFKD) without its
/// combining marks: `é` -> `e`, `ﬁ` -> `fi`, `①` -> `1`, a mark -> nothing.
/// From a table `build.rs` generates (a few kilobytes in the widget, where
/// the normalization crate's tables are many times that); Hangul syllables
/// by the Unicode formula. A mark never moves a letter in NFKD (every
/// character with a combining class is a mark), so decomposing character
/// by character gives what NFKD of the whole text gives.
pub(crate) fn without_marks(c: char) -> Bases {
    let code = c as u32;
    if code < 0x80 {
        return Bases::One(Some(c));
    }
    if let Some(syllable) = code.checked_sub(HANGUL_FIRST).filter(|s| *s < HANGUL_COUNT) {
        return Bases::hangul(syllable);
    }
    let run = table::DROPPED.partition_point(|r| r.0 <= code);
    if run > 0 && code <= table::DROPPED[run - 1].1 {
        return Bases::One(None);
    }
    let run = table::SHIFTED.partition_point(|r| r.0 <= code);
    if let Some(&(first, len, to)) = run.checked_sub(1).map(|i| &table::SHIFTED[i]) {
        if code < first + len {
            return Bases::One(char::from_u32(to + code - first));
        }
    }
    match table::SPELLED.binary_search_by_key(&code, |e| e.0) {
        Ok(i) => {
            let (_, at, len) = table::SPELLED[i];
            Bases::Spelled(table::SPELLED_POOL[at as usize..(at + len) as usize].chars())
        }
        Err(_) => Bases::One(Some(c)),
    }
}

const HANGUL_FIRST: u32 = 0xAC00;
const HANGUL_COUNT: u32 = 11_172;

/// What [`without_marks`] gives for one character.
pub(crate) enum Bases {
    /// One character, or none.
    One(Option<char>),
    /// Several, from the table's pool.
    Spelled(std::str::Chars<'static>),
    /// A Hangul syllable's jamo, the last ones first (popped from the end).
    Jamo([Option<char>; 3]),
}

impl Bases {
    /// A Hangul syllable (its offset from U+AC00) as its leading consonant,
    /// vowel and, when it has one, trailing consonant.
    fn hangul(syllable: u32) -> Bases {
        let lead = char::from_u32(0x1100 + syllable / 588);
        let vowel = char::from_u32(0x1161 + syllable % 588 / 28);
        let tail = (!syllable.is_multiple_of(28)).then(|| char::from_u32(0x11A7 + syllable % 28)).flatten();
        Bases::Jamo([tail, vowel, lead])
    }
}

impl Iterator for Bases {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        match self {
            Bases::One(c) => c.take(),
            Bases::Spelled(chars) => chars.next(),
            Bases::Jamo(jamo) => {
                let last = jamo.iter().rposition(Option::is_some)?;
                jamo[last].take()
            }
        }
    }
}

/// Appends one character: letters and digits lower-cased, apostrophes and
/// periods dropped, anything else as a single separating space.
fn push(out: &mut String, c: char) {
    if c.is_alphanumeric() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(|l| out.push(l));
        }
    } else if matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`' | '.' | '\u{02BC}') {
        // part of the word: O'Brien, St.
    } else if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// Letters that do not decompose into a base letter and a mark.
fn special(c: char) -> Option<&'static str> {
    Some(match c {
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ø' | 'Ø' => "o",
        'ł' | 'Ł' => "l",
        'ß' | 'ẞ' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::char::{canonical_combining_class, is_combining_mark};
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn the_table_is_nfkd_without_marks_for_every_character() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let nfkd: String = std::iter::once(c).nfkd().filter(|d| !is_combining_mark(*d)).collect();
            let table: String = without_marks(c).collect();
            assert_eq!(table, nfkd, "U+{:04X}", c as u32);
            // What lets the characters be decomposed one at a time: NFKD
            // reorders only characters with a combining class, all marks.
            if canonical_combining_class(c) != 0 {
                assert!(is_combining_mark(c), "U+{:04X} has a combining class but is not a mark", c as u32);
            }
        }
    }

    #[test]
    fn text_folds_as_nfkd_of_the_whole_text() {
        for text in ["Nguyễn", "e\u{301}\u{323}x", "한글 ＡＢＣ ﬁ ①", "Å\u{30A}ström", "\u{1E0B}\u{323}"] {
            let nfkd: String = text.nfkd().filter(|d| !is_combining_mark(*d)).collect();
            let each: String = text.chars().flat_map(without_marks).collect();
            assert_eq!(each, nfkd, "{text}");
        }
    }
    use expect_test::{expect, Expect};

    fn check(input: &str, expect: Expect) {
        expect.assert_eq(&format!("{:?}", fold(input)));
    }

    #[test]
    fn folds_accents_and_case() {
        check("José", expect![[r#""jose""#]]);
        check("Nguyễn", expect![[r#""nguyen""#]]);
        check("ĐẶNG", expect![[r#""dang""#]]);
        check("Muñoz", expect![[r#""munoz""#]]);
        check("Søren Łukasz Straße", expect![[r#""soren lukasz strasse""#]]);
    }

    #[test]
    fn handles_punctuation() {
        check("O'Brien", expect![[r#""obrien""#]]);
        check("O’Brien", expect![[r#""obrien""#]]);
        check("  Delgado-Pritchett ", expect![[r#""delgado pritchett""#]]);
        check("Smith, Jr.", expect![[r#""smith jr""#]]);
        check("de  la Cruz", expect![[r#""de la cruz""#]]);
        check("St. John", expect![[r#""st john""#]]);
    }

    #[test]
    fn keeps_other_scripts_and_empties() {
        check("", expect![[r#""""#]]);
        check(" - . ", expect![[r#""""#]]);
        check("Ἀλέξανδρος", expect![[r#""αλεξανδρος""#]]);
        check("张伟", expect![[r#""张伟""#]]);
    }
}
