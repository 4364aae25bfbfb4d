//! A tiny seeded PRNG (SplitMix64) for the synthetic datasets.
//!
//! Only IEEE-exact arithmetic (`+ - * /`, `floor`, `sqrt`) is used on the draws, never
//! `ln`/`exp`/`cos`, so the same seed gives bit-identical values natively and in wasm.

/// SplitMix64: fast, seedable, good enough for synthetic data (not for cryptography).
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// An independent stream derived from this seed and a label (e.g. one per table).
    pub fn derive(seed: u64, stream: u64) -> Rng {
        let mut mixer = Rng::new(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        Rng::new(mixer.next_u64())
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[lo, hi)`.
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform integer in `[0, n)` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of `items`, which must not be empty (callers pass constant tables).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An approximately standard normal draw (sum of four uniforms, rescaled).
    pub fn normal(&mut self) -> f64 {
        let sum = self.unit() + self.unit() + self.unit() + self.unit();
        (sum - 2.0) * 3f64.sqrt()
    }

    /// A multiplicative noise factor with mean 1 and spread `sigma`, never below 0.2.
    pub fn noise(&mut self, sigma: f64) -> f64 {
        (1.0 + sigma * self.normal()).max(0.2)
    }

    /// Rounds `x ≥ 0` to an integer count without bias (stochastic rounding).
    pub fn count(&mut self, x: f64) -> f64 {
        (x.max(0.0) + self.unit()).floor()
    }

    /// [`Rng::count`] of `x` times a noise factor of spread `sigma`.
    pub fn count_noisy(&mut self, x: f64, sigma: f64) -> f64 {
        let factor = self.noise(sigma);
        self.count(x * factor)
    }

    /// [`Rng::count`] of `x` times a uniform share in `[lo, hi)`.
    pub fn count_scaled(&mut self, x: f64, lo: f64, hi: f64) -> f64 {
        let share = self.range(lo, hi);
        self.count(x * share)
    }

    /// An index drawn with probability proportional to `weights` (0 if all are zero).
    pub fn weighted(&mut self, weights: impl Iterator<Item = f64> + Clone) -> usize {
        let total: f64 = weights.clone().sum();
        let mut target = self.unit() * total;
        let mut last = 0;
        for (i, w) in weights.enumerate() {
            if w <= 0.0 {
                continue;
            }
            last = i;
            if target < w {
                return i;
            }
            target -= w;
        }
        last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        assert_ne!(Rng::new(7).next_u64(), Rng::new(8).next_u64());
        assert_ne!(Rng::derive(7, 1).next_u64(), Rng::derive(7, 2).next_u64());
    }

    #[test]
    fn draws_stay_in_range() {
        let mut rng = Rng::new(1);
        for _ in 0..10_000 {
            let u = rng.unit();
            assert!((0.0..1.0).contains(&u));
            assert!(rng.below(3) < 3);
            assert!(rng.noise(0.9) >= 0.2);
            assert!(rng.normal().abs() <= 2.0 * 3f64.sqrt());
        }
        assert_eq!(rng.below(0), 0);
    }

    #[test]
    fn weighted_skips_zero_weights() {
        let mut rng = Rng::new(3);
        for _ in 0..1000 {
            let i = rng.weighted([0.0, 1.0, 0.0, 2.0].into_iter());
            assert!(i == 1 || i == 3);
        }
    }
}
