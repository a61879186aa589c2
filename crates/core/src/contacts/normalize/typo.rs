//! One-letter typos: an edit distance test (one insertion, deletion,
//! substitution or swap of neighbouring letters) and the one-deletion
//! variants the index uses to find typos without scanning
//! (symmetric-delete: two words are one edit apart only if they share a
//! deletion variant, or one is a deletion variant of the other).

/// The shortest name (in letters) that typo matching considers: shorter
/// names differ in one letter too easily (`Li`/`Le`, `Lor`/`Lo`).
pub const MIN_TYPO_LEN: usize = 4;

/// Whether `a` and `b` differ by exactly one edit (insertion, deletion,
/// substitution or transposition of adjacent letters).
pub fn one_edit_apart(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    if a.is_ascii() && b.is_ascii() {
        one_edit(a.as_bytes(), b.as_bytes())
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        one_edit(&a, &b)
    }
}

fn one_edit<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let i = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        // substitution at i, or the swap of i and i + 1
        short[i + 1..] == long[i + 1..]
            || (i + 1 < short.len()
                && short[i] == long[i + 1]
                && short[i + 1] == long[i]
                && short[i + 2..] == long[i + 2..])
    } else {
        short[i..] == long[i + 1..]
    }
}

/// The hashes of `word`'s one-deletion variants (one per letter), if the
/// word is long enough for typo matching.
pub fn deletion_hashes(word: &str) -> impl Iterator<Item = u32> + '_ {
    let long_enough = word.chars().count() >= MIN_TYPO_LEN;
    word.char_indices().filter(move |_| long_enough).map(move |(i, c)| {
        let (head, tail) = (&word.as_bytes()[..i], &word.as_bytes()[i + c.len_utf8()..]);
        short_hash(crate::lookup::fnv1a(head.iter().chain(tail).copied()))
    })
}

/// The hash of a whole word, comparable with [`deletion_hashes`].
pub fn word_hash(word: &str) -> u32 {
    short_hash(crate::lookup::fnv1a(word.bytes()))
}

fn short_hash(h: u64) -> u32 {
    (h ^ (h >> 32)) as u32
}

/// `word`'s one-deletion variants as text.
pub fn deletions(word: &str) -> impl Iterator<Item = String> + '_ {
    word.char_indices().map(move |(i, c)| format!("{}{}", &word[..i], &word[i + c.len_utf8()..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(pairs: &[(&str, &str)], expect: Expect) {
        let actual: Vec<String> = pairs.iter().map(|(a, b)| format!("{a}/{b}={}", one_edit_apart(a, b))).collect();
        expect.assert_eq(&actual.join(" "));
    }

    #[test]
    fn finds_one_edit() {
        check(
            &[
                ("garcia", "garcai"),
                ("garcia", "garca"),
                ("garcia", "garciaa"),
                ("garcia", "garzia"),
                ("smith", "smyth"),
            ],
            expect!["garcia/garcai=true garcia/garca=true garcia/garciaa=true garcia/garzia=true smith/smyth=true"],
        );
        check(&[("nguyễn", "nguyen"), ("müller", "muller")], expect!["nguyễn/nguyen=true müller/muller=true"]);
    }

    #[test]
    fn refuses_more_or_none() {
        check(
            &[("garcia", "garcia"), ("garcia", "gracai"), ("smith", "jones"), ("", "a"), ("ab", "")],
            expect!["garcia/garcia=false garcia/gracai=false smith/jones=false /a=true ab/=false"],
        );
    }

    #[test]
    fn typos_share_a_deletion_variant() {
        let shared = |a: &str, b: &str| {
            let ha: Vec<u32> = deletion_hashes(a).chain([word_hash(a)]).collect();
            deletion_hashes(b).chain([word_hash(b)]).any(|h| ha.contains(&h))
        };
        assert!(shared("garcia", "garcai"));
        assert!(shared("garcia", "garzia"));
        assert!(shared("garcia", "garciaa"));
        assert!(!shared("garcia", "lopez"));
        assert_eq!(deletion_hashes("lee").count(), 0);
        assert_eq!(deletions("ana").collect::<Vec<_>>(), ["na", "aa", "an"]);
    }
}
