//! How people mistype and re-spell what they write, one set for both
//! generators: a key struck for its neighbour on the keyboard (the demo's
//! typos), a letter dropped, added, doubled or swapped with the next (the
//! labelled district's, with the neighbour key among them), a given name
//! spelled another common way, a mistyped email provider or mailbox, and a
//! phone number's digit wrong or two of them swapped. A slip never touches
//! the first letter: people rarely get that one wrong.

use crate::names::{ascii_key, SPELLINGS};
use crate::rng::Rng;

/// One letter of `s` (not the first) replaced by its neighbour on the
/// keyboard; `None` if `s` has no such letter.
pub(crate) fn keyboard_slip(rng: &mut Rng, s: &str) -> Option<String> {
    let mut chars: Vec<char> = s.chars().collect();
    let candidates: Vec<usize> = (1..chars.len()).filter(|&i| chars[i].is_ascii_lowercase()).collect();
    if candidates.is_empty() {
        return None;
    }
    let i = *rng.pick(&candidates);
    const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    let c = chars[i] as u8;
    let row = ROWS.iter().find(|r| r.contains(&c))?;
    let at = row.iter().position(|&b| b == c)?;
    let next = if at == 0 || (at + 1 < row.len() && rng.percent(50)) { at + 1 } else { at - 1 };
    chars[i] = row[next] as char;
    Some(chars.into_iter().collect())
}

/// A slip of one letter at a position: what [`typo`] and [`provider_typo`]
/// choose from.
#[derive(Debug, Clone, Copy)]
enum Slip {
    /// The letter left out.
    Drop,
    /// Another letter typed before it.
    Extra,
    /// The letter typed twice.
    Double,
    /// The letter and the next one swapped (the one before, at the end).
    Swap,
}

impl Slip {
    /// Applies the slip at `i` (`0 < i < chars.len()`).
    fn apply(self, rng: &mut Rng, chars: &mut Vec<char>, i: usize) {
        match self {
            Slip::Drop => {
                chars.remove(i);
            }
            Slip::Extra => chars.insert(i, (b'a' + rng.below(26) as u8) as char),
            Slip::Double => chars.insert(i, chars[i]),
            Slip::Swap if i + 1 < chars.len() => chars.swap(i, i + 1),
            Slip::Swap => chars.swap(i - 1, i),
        }
    }
}

/// A one-letter typo of a word of at least four letters (not in the first
/// letter): a key struck for its neighbour, a letter dropped, another
/// added, or two neighbours swapped; `None` when there is none to make.
pub(crate) fn typo(rng: &mut Rng, s: &str) -> Option<String> {
    let mut chars: Vec<char> = s.chars().collect();
    if chars.len() < 4 {
        return None;
    }
    let slip = match rng.below(4) {
        0 => return keyboard_slip(rng, s),
        1 => Slip::Drop,
        2 => Slip::Extra,
        _ => Slip::Swap,
    };
    let i = 1 + rng.below(chars.len() - 1);
    slip.apply(rng, &mut chars, i);
    let t: String = chars.into_iter().collect();
    (t != s).then_some(t)
}

/// Another common spelling of a given name, at least two edits away
/// (accents aside; one edit is a typo), or `None` if the name has none in
/// [`SPELLINGS`].
pub(crate) fn spelling_variant(rng: &mut Rng, name: &str) -> Option<String> {
    let folded = ascii_key(name);
    let group = SPELLINGS.iter().find(|g| g.iter().any(|n| ascii_key(n) == folded))?;
    let others: Vec<&str> =
        group.iter().copied().filter(|n| strsim::levenshtein(&ascii_key(n), &folded) >= 2).collect();
    (!others.is_empty()).then(|| rng.pick(&others).to_string())
}

/// `ana.diaz@gmail.com` -> `ana.diaz@gmial.com`: in the provider's name, a
/// letter swapped with the next, dropped or doubled.
pub(crate) fn provider_typo(rng: &mut Rng, email: &str) -> String {
    let Some((local, domain)) = email.split_once('@') else { return email.to_string() };
    let (name, tld) = domain.split_once('.').unwrap_or((domain, "com"));
    let mut chars: Vec<char> = name.chars().collect();
    if chars.len() < 3 {
        return email.to_string();
    }
    let i = 1 + rng.below(chars.len() - 1);
    let slip = [Slip::Swap, Slip::Drop, Slip::Double][rng.below(3)];
    slip.apply(rng, &mut chars, i);
    format!("{local}@{}.{tld}", chars.into_iter().collect::<String>())
}

/// A [`typo`] in the mailbox name of an email address.
pub(crate) fn mailbox_typo(rng: &mut Rng, email: &str) -> String {
    let Some((local, domain)) = email.split_once('@') else { return email.to_string() };
    match typo(rng, local) {
        Some(t) => format!("{t}@{domain}"),
        None => email.to_string(),
    }
}

/// Two neighbouring, different digits swapped (not in the area code's
/// first digit).
pub(crate) fn swapped_digits(rng: &mut Rng, digits: &str) -> String {
    let mut b: Vec<u8> = digits.bytes().collect();
    for _ in 0..8 {
        let i = 1 + rng.below(b.len() - 2);
        if b[i] != b[i + 1] {
            b.swap(i, i + 1);
            break;
        }
    }
    String::from_utf8(b).unwrap_or_else(|_| digits.to_string())
}

/// One of the last seven digits wrong.
pub(crate) fn wrong_digit(rng: &mut Rng, digits: &str) -> String {
    let mut b: Vec<u8> = digits.bytes().collect();
    let i = b.len().saturating_sub(1 + rng.below(7));
    if let Some(d) = b.get_mut(i) {
        if d.is_ascii_digit() {
            *d = b'0' + ((*d - b'0' + 1 + rng.below(8) as u8) % 10);
        }
    }
    String::from_utf8(b).unwrap_or_else(|_| digits.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keyboard_slip_changes_exactly_one_letter() {
        let mut rng = Rng::new(9);
        for name in ["Delgado-Pritchett", "Smith", "Nguyễn", "O'Brien"] {
            let t = keyboard_slip(&mut rng, name).unwrap();
            let diff = name.chars().zip(t.chars()).filter(|(a, b)| a != b).count();
            assert_eq!((diff, t.chars().count()), (1, name.chars().count()), "{name} -> {t}");
        }
        assert_eq!(keyboard_slip(&mut rng, "Lê"), None);
    }

    #[test]
    fn a_typo_is_one_edit_after_the_first_letter() {
        let mut rng = Rng::new(4);
        for _ in 0..500 {
            let word = "Hernandez";
            let Some(t) = typo(&mut rng, word) else { continue };
            assert!(t.starts_with('H') && strsim::damerau_levenshtein(word, &t) == 1, "{word} -> {t}");
        }
        assert_eq!(typo(&mut rng, "Lee"), None);
        let typed = provider_typo(&mut rng, "ana.diaz@gmail.com");
        assert!(typed.starts_with("ana.diaz@g") && typed.ends_with(".com") && typed != "ana.diaz@gmail.com");
        assert_eq!(swapped_digits(&mut rng, "6515550147").len(), 10);
    }
}
