//! Ranking: BM25F over title, categories/tags and body, an exact-title bonus and a mild recency prior.
//!
//! Term frequencies are real occurrence counts (for long keywords, verified phrase occurrences), per field. Fields
//! are weighted and length-normalized before saturation (BM25F), so a keyword in a short title counts far more than
//! one more occurrence deep in a long body. News goes stale: the score is multiplied by a factor that decays from
//! `1 + RECENCY_BOOST` for the newest post with the build's half-life (0 turns it off).

use crate::postings::{FieldFreqs, BODY, FIELDS, META, TITLE};

const K1: f32 = 1.2;
const FIELD_WEIGHTS: [f32; FIELDS] = [4.0, 2.0, 1.0];
const FIELD_B: [f32; FIELDS] = [0.5, 0.0, 0.75];
const RECENCY_BOOST: f32 = 0.3;
/// Added when a keyword is the whole title: such posts come first.
pub const EXACT_TITLE_BONUS: f32 = 1_000.0;

/// What ranking knows about a document.
#[derive(Debug, Clone, Copy)]
pub struct DocStats {
    /// None when longer than the stored exact range (see [`crate::store::TITLE_EXACT_MAX`]).
    pub title_length: Option<u32>,
    pub body_length: f32,
    pub day: i32,
}

/// Collection-wide statistics.
#[derive(Debug, Clone, Copy)]
pub struct Collection {
    pub doc_count: u32,
    pub average_lengths: [f32; FIELDS],
    pub newest_day: i32,
    pub recency_half_life_days: f32,
}

impl Collection {
    pub fn idf(&self, doc_freq: usize) -> f32 {
        let n = self.doc_count as f32;
        let df = doc_freq as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The BM25F contribution of one keyword with `freqs` occurrences in a document.
    pub fn keyword_score(&self, idf: f32, freqs: &FieldFreqs, doc: &DocStats) -> f32 {
        let long_title = (crate::store::TITLE_EXACT_MAX + 1) as f32;
        let title_length = doc.title_length.map_or(self.average_lengths[TITLE].max(long_title), |len| len as f32);
        let lengths = [title_length, self.average_lengths[META], doc.body_length];
        let mut weighted = 0.0;
        for field in [TITLE, META, BODY] {
            if freqs[field] == 0 {
                continue;
            }
            let average = self.average_lengths[field].max(1.0);
            let norm = 1.0 - FIELD_B[field] + FIELD_B[field] * lengths[field] / average;
            weighted += FIELD_WEIGHTS[field] * freqs[field] as f32 / norm.max(0.1);
        }
        idf * weighted * (K1 + 1.0) / (weighted + K1)
    }

    pub fn recency_factor(&self, day: i32) -> f32 {
        if self.recency_half_life_days <= 0.0 {
            return 1.0;
        }
        let age = (i64::from(self.newest_day) - i64::from(day)).max(0) as f32;
        1.0 + RECENCY_BOOST * halved(age / self.recency_half_life_days)
    }
}

/// 2^-x for x ≥ 0 (0 beyond 2^-125), within 1e-6 of it relatively: whole halvings go into the exponent, the fraction's
/// 2^-f = e^(-f ln 2) is a Taylor polynomial. Not `f32::exp`: libm's expf is 0.3 kB of the deflated wasm module.
fn halved(x: f32) -> f32 {
    if x.is_nan() || x >= 126.0 {
        return 0.0;
    }
    let whole = x as u32;
    let t = (x - whole as f32) * std::f32::consts::LN_2;
    // e^-t = 1 - t(1 - t/2 (1 - t/3 (… (1 - t/8)))), from the inside out.
    let mut fraction = 1.0;
    for k in (1..=8).rev() {
        fraction = 1.0 - t / k as f32 * fraction;
    }
    fraction * f32::from_bits((127 - whole) << 23)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection() -> Collection {
        Collection {
            doc_count: 1000,
            average_lengths: [12.0, 4.0, 400.0],
            newest_day: 100,
            recency_half_life_days: 30.0,
        }
    }

    #[test]
    fn title_outweighs_body_and_short_beats_long() {
        let c = collection();
        let doc = DocStats { title_length: None, body_length: 400.0, day: 100 };
        let idf = c.idf(10);
        assert!(c.keyword_score(idf, &[1, 0, 0], &doc) > c.keyword_score(idf, &[0, 0, 2], &doc));
        let long = DocStats { body_length: 4000.0, ..doc };
        assert!(c.keyword_score(idf, &[0, 0, 2], &doc) > c.keyword_score(idf, &[0, 0, 2], &long));
        assert!(c.keyword_score(idf, &[0, 0, 3], &doc) > c.keyword_score(idf, &[0, 0, 1], &doc));
        assert!(c.idf(1) > c.idf(500));
    }

    #[test]
    fn recency_is_mild_and_can_be_disabled() {
        let c = collection();
        assert!((c.recency_factor(100) - 1.3).abs() < 1e-6);
        assert!((c.recency_factor(70) - 1.15).abs() < 1e-3);
        assert_eq!(Collection { recency_half_life_days: 0.0, ..c }.recency_factor(0), 1.0);
    }

    #[test]
    fn halving_matches_the_exponential() {
        for i in 0..4000 {
            let x = i as f32 / 100.0;
            let exact = (-f64::from(x) * std::f64::consts::LN_2).exp();
            let ours = f64::from(halved(x));
            assert!((ours - exact).abs() <= 1e-6 * exact, "2^-{x}: {ours} against {exact}");
        }
        assert_eq!((halved(0.0), halved(1.0), halved(3.0)), (1.0, 0.5, 0.125));
        assert_eq!((halved(126.0), halved(f32::INFINITY), halved(f32::NAN)), (0.0, 0.0, 0.0));
    }
}
