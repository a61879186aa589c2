//! The labelled generator's pseudo-random numbers (SplitMix64): tiny, fast,
//! the same on every platform.

/// A SplitMix64 generator.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator for `seed` and a named stream.
    pub fn new(seed: u64, stream: &str) -> Rng {
        let h = crate::demo::rng::fnv1a(stream.bytes());
        Rng(seed ^ h.rotate_left(17))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// True `p` times in 1000.
    pub fn per_mille(&mut self, p: u32) -> bool {
        self.below(1000) < p as usize
    }

    /// True `p` times in 100.
    pub fn percent(&mut self, p: u32) -> bool {
        self.below(100) < p as usize
    }

    /// One of `items` (`None` if empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// Zipf-weighted draws of a rank: rank `r` has weight `1 / (r + 10)` (the
/// most common of 70 first names is about 5% of them, as in US name data).
#[derive(Debug, Clone)]
pub(crate) struct Zipf {
    cumulative: Vec<u64>,
}

impl Zipf {
    /// Ranks `0..n`.
    pub fn new(n: usize) -> Zipf {
        let mut total = 0u64;
        let cumulative = (0..n)
            .map(|r| {
                total += 1_000_000 / (r as u64 + 10);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    /// A rank (0 when there are none).
    pub fn draw(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0);
        let x = rng.below(total as usize) as u64;
        self.cumulative.partition_point(|&c| c <= x).min(self.cumulative.len().saturating_sub(1))
    }
}
