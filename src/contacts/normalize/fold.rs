//! Unicode folding of names: one comparable spelling for every way a name is
//! typed (José = Jose = JOSE, Nguyễn = Nguyen, O'Brien = OBrien).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

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
        for c in raw.nfkd() {
            if is_combining_mark(c) {
                continue;
            }
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
