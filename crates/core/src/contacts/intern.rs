//! Interned names: every distinct normalised name once, sorted, in one
//! buffer. A name's id is its rank, so names sharing a prefix (all names
//! starting with `j`) have consecutive ids.

use std::ops::Range;

/// Distinct strings, sorted, stored back to back.
#[derive(Debug, Clone, Default)]
pub(crate) struct NameTable {
    buf: String,
    /// Start of each name in `buf`, and the end of the last one.
    starts: Vec<u32>,
}

impl NameTable {
    /// The table of `names` (sorted and deduplicated here).
    pub fn new(mut names: Vec<String>) -> NameTable {
        crate::sort::values(&mut names);
        names.dedup();
        let mut buf = String::with_capacity(names.iter().map(String::len).sum());
        let mut starts = Vec::with_capacity(names.len() + 1);
        for n in &names {
            starts.push(buf.len() as u32);
            buf.push_str(n);
        }
        starts.push(buf.len() as u32);
        NameTable { buf, starts }
    }

    /// How many names.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// The name with id `id` (empty if there is none).
    pub fn get(&self, id: u32) -> &str {
        let i = id as usize;
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.buf[a as usize..b as usize],
            _ => "",
        }
    }

    /// The id of `name`, if present.
    pub fn find(&self, name: &str) -> Option<u32> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.get(mid as u32).cmp(name) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid as u32),
            }
        }
        None
    }

    /// The ids of the names starting with `prefix`.
    pub fn prefix_range(&self, prefix: &str) -> Range<u32> {
        let n = self.len();
        let lo = partition(n, |i| self.get(i) < prefix);
        let hi = partition(n, |i| {
            let s = self.get(i);
            s < prefix || s.starts_with(prefix)
        });
        lo..hi.max(lo)
    }

    /// Heap bytes held.
    pub fn memory_bytes(&self) -> usize {
        self.buf.capacity() + self.starts.capacity() * 4
    }
}

/// The first index in `0..n` for which `pred` is false (pred must be true
/// then false along the range).
fn partition(n: usize, pred: impl Fn(u32) -> bool) -> u32 {
    let (mut lo, mut hi) = (0usize, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if pred(mid as u32) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names_and_prefixes() {
        let t = NameTable::new(["jose", "ana", "jim", "", "juan", "ana", "bo"].map(String::from).to_vec());
        assert_eq!(t.len(), 6);
        assert_eq!(t.find("ana"), Some(1));
        assert_eq!(t.find(""), Some(0));
        assert_eq!(t.find("zed"), None);
        let r = t.prefix_range("j");
        let names: Vec<&str> = r.map(|i| t.get(i)).collect();
        assert_eq!(names, ["jim", "jose", "juan"]);
        assert_eq!(t.prefix_range("x"), 6..6);
        assert_eq!(t.get(99), "");
    }
}
