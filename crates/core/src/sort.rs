//! Sorting through one compiled sort, so the widget's WebAssembly stays small.
//!
//! The standard library compiles its sort anew for every element type and
//! comparison: about 4.5 KB of WebAssembly each, 170 KB (56 KB gzipped) for
//! the forty sorts the widget runs. In wasm32 these functions sort the
//! elements' positions instead, with the comparison behind `dyn`, so the
//! sort itself is compiled once and each caller adds only a few hundred
//! bytes; natively they are the standard library's sorts, as fast as before.
//! Every one of them is stable, so both targets give the same order (the
//! relay recomputes each submission natively and compares the files byte
//! for byte with the browser's).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `v` by `compare`, keeping equal elements in their order.
pub fn by<T>(v: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(target_arch = "wasm32")]
    by_positions(v, &mut compare);
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_by(&mut compare);
}

/// Sorts `v` by `key`, keeping elements with equal keys in their order.
pub fn by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` by `key`, computing each element's key once (for keys that
/// are costly to compute), keeping elements with equal keys in their order.
pub fn by_cached_key<T, K: Ord>(v: &mut [T], key: impl FnMut(&T) -> K) {
    let keys: Vec<K> = v.iter().map(key).collect();
    let order = positions_in_order(v.len(), &mut |a, b| keys[a].cmp(&keys[b]));
    permute(v, order);
}

/// Sorts values whose equal elements are indistinguishable (numbers,
/// strings, tuples of them), so a stable and an unstable sort agree.
pub fn values<T: Ord>(v: &mut [T]) {
    #[cfg(target_arch = "wasm32")]
    by_positions(v, &mut T::cmp);
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_unstable();
}

/// The map of `pairs`, a key's last value kept (as `collect` keeps it),
/// built by inserting: `collect` into a `BTreeMap` sorts the pairs first,
/// one more sort compiled per key and value type.
pub fn map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(pairs);
    map
}

/// The set of `items`, built by inserting (see [`map`]).
pub fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// The stable sort by positions: what [`by`] does in wasm32.
#[cfg(any(test, target_arch = "wasm32"))]
fn by_positions<T>(v: &mut [T], compare: &mut impl FnMut(&T, &T) -> Ordering) {
    let order = positions_in_order(v.len(), &mut |a, b| compare(&v[a], &v[b]));
    permute(v, order);
}

/// The positions `0..len` in the order `compare` puts them, equal ones in
/// their order: the one place a sort is compiled.
fn positions_in_order(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Rearranges `v` so that its element `i` is the one that was at
/// `order[i]` (`order` a permutation of `0..v.len()`), one cycle at a time.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..v.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so the cases are the
    /// same on every run.
    fn numbers(seed: u64, len: usize, modulo: u64) -> Vec<u64> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % modulo
            })
            .collect()
    }

    #[test]
    fn sorting_by_positions_is_the_standard_stable_sort() {
        for seed in 0..300u64 {
            let len = (seed % 40) as usize;
            // Few distinct keys, so ties are common and stability shows.
            let keys = numbers(seed, len, 1 + seed % 7);
            let mut tagged: Vec<(u64, usize)> = keys.into_iter().zip(0..).collect();
            let mut expected = tagged.clone();
            expected.sort_by_key(|t| t.0);
            let mut by_cached = tagged.clone();
            by_positions(&mut tagged, &mut |a, b| a.0.cmp(&b.0));
            assert_eq!(tagged, expected, "seed {seed}");
            by_cached_key(&mut by_cached, |t| t.0);
            assert_eq!(by_cached, expected, "seed {seed}, cached keys");
        }
    }

    #[test]
    fn each_function_orders_as_the_standard_library_does() {
        let words = ["delta", "alpha", "charlie", "alpha", "bravo", "echo"];
        let mut v = words.to_vec();
        values(&mut v);
        assert_eq!(v, ["alpha", "alpha", "bravo", "charlie", "delta", "echo"]);
        let mut v = words.to_vec();
        by_key(&mut v, |w| w.len());
        assert_eq!(v, ["echo", "delta", "alpha", "alpha", "bravo", "charlie"]);
        let mut v = words.to_vec();
        by(&mut v, |a, b| b.cmp(a));
        assert_eq!(v, ["echo", "delta", "charlie", "bravo", "alpha", "alpha"]);
    }

    #[test]
    fn maps_keep_a_keys_last_value_as_collect_does() {
        let pairs = [(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd')];
        assert_eq!(map(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(set([3, 1, 3, 2]), [3, 1, 3, 2].into_iter().collect::<BTreeSet<_>>());
    }

    #[test]
    fn permuting_follows_every_cycle() {
        let mut v = vec!['a', 'b', 'c', 'd', 'e'];
        permute(&mut v, vec![2, 0, 1, 4, 3]);
        assert_eq!(v, ['c', 'a', 'b', 'e', 'd']);
        let mut empty: Vec<char> = Vec::new();
        permute(&mut empty, Vec::new());
        assert!(empty.is_empty());
    }
}
