//! Compact read-only lookups built once over a snapshot's tables: sorted
//! key/position pairs and compressed per-row lists. No hash tables, no
//! padding; a lookup is a binary search. The keys of text are FNV-1a
//! hashes (`fnv1a`), the one such hash of the core.

use std::mem::size_of;

/// FNV-1a's offset basis: where a hash of no bytes starts.
pub(crate) const FNV_OFFSET: u64 = 0xCBF2_9CE4_8422_2325;

/// FNV-1a of `bytes`: the one small, fast, platform-independent hash of the
/// core's lookup keys and of the synthetic data's random streams and
/// fingerprints (`writeback-synth`, through `writeback_core::fnv1a`).
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    fnv1a_from(FNV_OFFSET, bytes)
}

/// FNV-1a of `bytes`, continuing from the hash `h` of what came before.
pub(crate) fn fnv1a_from(h: u64, bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(h, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3))
}

/// Compressed rows: the items of position `p` are `items[offsets[p]..offsets[p + 1]]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr<T> {
    offsets: Vec<u32>,
    items: Vec<T>,
}

impl<T: Copy> Csr<T> {
    /// From `(position, item)` pairs (any order; items keep their order within a position).
    pub fn new(n: usize, mut pairs: Vec<(u32, T)>) -> Csr<T> {
        crate::sort::by_key(&mut pairs, |p| p.0);
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
/// A key is an integer or an id type over one (`PersonId`, ...): the same
/// bytes and comparisons.
#[derive(Debug, Clone)]
pub(crate) struct KeyMap<K> {
    keys: Vec<K>,
    values: Vec<u32>,
}

impl<K> Default for KeyMap<K> {
    fn default() -> Self {
        KeyMap { keys: Vec::new(), values: Vec::new() }
    }
}

impl<K: Ord + Copy> KeyMap<K> {
    pub fn new(mut pairs: Vec<(K, u32)>) -> KeyMap<K> {
        crate::sort::values(&mut pairs);
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

/// A one-hash bit filter over `u64` keys, 16 bits a key: `may_contain` is
/// false for about 94% of absent keys without touching the (much larger)
/// sorted keys. For looking up many variants of which few exist.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeyFilter {
    bits: Vec<u64>,
    mask: u64,
}

impl KeyFilter {
    pub fn new(keys: &[u64]) -> KeyFilter {
        let n = (keys.len() * 16).next_power_of_two().max(64);
        let mut f = KeyFilter { bits: vec![0; n / 64], mask: n as u64 - 1 };
        for &k in keys {
            let slot = f.slot(k);
            f.bits[(slot / 64) as usize] |= 1 << (slot % 64);
        }
        f
    }

    fn slot(&self, key: u64) -> u64 {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 17) & self.mask
    }

    /// False if `key` is certainly absent.
    pub fn may_contain(&self, key: u64) -> bool {
        let slot = self.slot(key);
        self.bits.get((slot / 64) as usize).is_some_and(|w| w & (1 << (slot % 64)) != 0)
    }

    pub fn memory_bytes(&self) -> usize {
        self.bits.capacity() * 8
    }
}

#[cfg(test)]
mod filter_tests {
    use super::KeyFilter;

    #[test]
    fn a_key_filter_never_misses_a_key_and_rules_out_most_others() {
        let keys: Vec<u64> = (0..10_000u64).map(|i| i.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 5_552_013_344).collect();
        let f = KeyFilter::new(&keys);
        assert!(keys.iter().all(|&k| f.may_contain(k)));
        let absent = (0..100_000u64).map(|i| 6_510_000_000 + i).filter(|k| f.may_contain(*k)).count();
        assert!(absent < 10_000, "{absent} of 100000 absent keys pass");
    }
}
