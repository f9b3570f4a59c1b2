//! The result type and VADER's aggregation of per-word valences into it.

use serde::{Deserialize, Serialize};

/// Threshold on `compound` between neutral and polar (Hutto & Gilbert's ±0.05).
const POLAR: f64 = 0.05;
/// Normalisation constant: `x / sqrt(x² + α)` maps the valence sum into (−1, 1).
const ALPHA: f64 = 15.0;
const BANG_BOOST: f64 = 0.292;
const MAX_BANGS: u32 = 4;
const QMARK_BOOST: f64 = 0.18;
const MAX_QMARK_BOOST: f64 = 0.96;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Positive,
    Negative,
    Neutral,
}

impl Label {
    /// The label of a compound score, whichever analyser produced it.
    pub fn of(compound: f64) -> Label {
        if compound >= POLAR {
            Label::Positive
        } else if compound <= -POLAR {
            Label::Negative
        } else {
            Label::Neutral
        }
    }
}

/// `compound` in [−1, 1] is the overall sentiment; `positive`, `negative` and `neutral`
/// are the shares of the text's weight in each direction (they sum to 1, or all are 0
/// for a text with no words).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub compound: f64,
    pub positive: f64,
    pub negative: f64,
    pub neutral: f64,
}

impl Score {
    pub fn label(&self) -> Label {
        Label::of(self.compound)
    }

    /// Combines word valences with the text's "!" and "?" counts.
    pub(crate) fn from_valences(valences: &[f64], bangs: u32, qmarks: u32) -> Score {
        if valences.is_empty() {
            return Score::default();
        }
        let emphasis = punctuation_emphasis(bangs, qmarks);
        let mut sum: f64 = valences.iter().sum();
        if sum > 0.0 {
            sum += emphasis;
        } else if sum < 0.0 {
            sum -= emphasis;
        }
        let compound = (sum / (sum * sum + ALPHA).sqrt()).clamp(-1.0, 1.0);

        // Each polar word counts its valence plus one; neutral words count one each.
        let (mut pos, mut neg, mut neutral) = (0.0, 0.0, 0.0);
        for &v in valences {
            if v > 0.0 {
                pos += v + 1.0;
            } else if v < 0.0 {
                neg += 1.0 - v;
            } else {
                neutral += 1.0;
            }
        }
        if pos > neg {
            pos += emphasis;
        } else if neg > pos {
            neg += emphasis;
        }
        let total = pos + neg + neutral;
        Score {
            compound,
            positive: pos / total,
            negative: neg / total,
            neutral: neutral / total,
        }
    }
}

/// Exclamation marks (up to four) and repeated question marks intensify what is said.
fn punctuation_emphasis(bangs: u32, qmarks: u32) -> f64 {
    let bang = f64::from(bangs.min(MAX_BANGS)) * BANG_BOOST;
    let qmark = match qmarks {
        0 | 1 => 0.0,
        2 | 3 => f64::from(qmarks) * QMARK_BOOST,
        _ => MAX_QMARK_BOOST,
    };
    bang + qmark
}
