//! Compact read-only lookups built once over a snapshot's tables: sorted
//! key/position pairs and compressed per-row lists. No hashing, no
//! padding; a lookup is a binary search.

use std::mem::size_of;

/// Compressed rows: the items of position `p` are `items[offsets[p]..offsets[p + 1]]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr<T> {
    offsets: Vec<u32>,
    items: Vec<T>,
}

impl<T: Copy> Csr<T> {
    /// From `(position, item)` pairs (any order; items keep their order within a position).
    pub fn new(n: usize, mut pairs: Vec<(u32, T)>) -> Csr<T> {
        pairs.sort_by_key(|p| p.0);
        let mut offsets = Vec::with_capacity(n + 1);
        let mut items = Vec::with_capacity(pairs.len());
        let mut it = pairs.into_iter().peekable();
        for p in 0..n as u32 {
            offsets.push(items.len() as u32);
            while let Some((_, item)) = it.next_if(|(q, _)| *q == p) {
                items.push(item);
            }
        }
        offsets.push(items.len() as u32);
        Csr { offsets, items }
    }

    /// The items of position `p` (none if out of range).
    pub fn get(&self, p: u32) -> &[T] {
        let p = p as usize;
        match (self.offsets.get(p), self.offsets.get(p + 1)) {
            (Some(&a), Some(&b)) => &self.items[a as usize..b as usize],
            _ => &[],
        }
    }

    pub fn memory_bytes(&self) -> usize {
        self.offsets.capacity() * 4 + self.items.capacity() * size_of::<T>()
    }
}

/// Sorted `(key, value)` pairs kept as two parallel vectors (no padding).
#[derive(Debug, Clone, Default)]
pub(crate) struct KeyMap<K> {
    keys: Vec<K>,
    values: Vec<u32>,
}

impl<K: Ord + Copy> KeyMap<K> {
    pub fn new(mut pairs: Vec<(K, u32)>) -> KeyMap<K> {
        pairs.sort_unstable();
        let (keys, values) = pairs.into_iter().unzip();
        KeyMap { keys, values }
    }

    /// The values under `key`.
    pub fn get(&self, key: K) -> &[u32] {
        let lo = self.keys.partition_point(|k| *k < key);
        let hi = lo + self.keys[lo..].partition_point(|k| *k <= key);
        &self.values[lo..hi]
    }

    /// The first value under `key`.
    pub fn first(&self, key: K) -> Option<u32> {
        self.get(key).first().copied()
    }

    pub fn memory_bytes(&self) -> usize {
        self.keys.capacity() * size_of::<K>() + self.values.capacity() * 4
    }
}
