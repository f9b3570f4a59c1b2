//! Evaluation maths for the benchmark and the quality test: Pearson correlation and the
//! support-weighted three-class F1 used in the VADER paper.

use crate::Label;

pub fn pearson(xs: &[f64], ys: &[f64]) -> f64 {
    let n = xs.len().min(ys.len()) as f64;
    let mean = |v: &[f64]| v.iter().sum::<f64>() / n;
    let (mx, my) = (mean(xs), mean(ys));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    sxy / (sxx * syy).sqrt()
}

/// The human class from a mean rating: its sign, exactly zero being neutral.
pub fn label_of_rating(rating: f64) -> Label {
    if rating > 0.0 {
        Label::Positive
    } else if rating < 0.0 {
        Label::Negative
    } else {
        Label::Neutral
    }
}

#[derive(Clone, Copy, Debug)]
pub struct ClassScores {
    pub label: Label,
    pub support: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Per-class precision, recall and F1, and their F1 average weighted by support.
pub fn weighted_f1(truth: &[Label], predicted: &[Label]) -> (f64, Vec<ClassScores>) {
    let classes = [Label::Positive, Label::Negative, Label::Neutral];
    let pairs = || truth.iter().zip(predicted);
    let per_class: Vec<ClassScores> = classes
        .iter()
        .map(|&label| {
            let tp = pairs().filter(|&(t, p)| *t == label && *p == label).count() as f64;
            let support = truth.iter().filter(|&&t| t == label).count();
            let predicted_n = predicted.iter().filter(|&&p| p == label).count() as f64;
            let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
            let precision = ratio(tp, predicted_n);
            let recall = ratio(tp, support as f64);
            let f1 = ratio(2.0 * precision * recall, precision + recall);
            ClassScores {
                label,
                support,
                precision,
                recall,
                f1,
            }
        })
        .collect();
    let total: usize = per_class.iter().map(|c| c.support).sum();
    let weighted = per_class
        .iter()
        .map(|c| c.f1 * c.support as f64)
        .sum::<f64>()
        / total.max(1) as f64;
    (weighted, per_class)
}

/// Reads the VADER ground-truth format: `id<TAB>mean rating<TAB>text` per line.
pub fn parse_rated(data: &str) -> Vec<(f64, &str)> {
    data.lines()
        .filter_map(|line| {
            let mut fields = line.trim_end_matches('\r').splitn(3, '\t');
            let _id = fields.next()?;
            let rating = fields.next()?.trim().parse().ok()?;
            Some((rating, fields.next()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pearson_of_linear_data_is_one() {
        let xs = [1.0, 2.0, 3.0, 4.0];
        assert!((pearson(&xs, &[2.0, 4.0, 6.0, 8.0]) - 1.0).abs() < 1e-12);
        assert!((pearson(&xs, &[8.0, 6.0, 4.0, 2.0]) + 1.0).abs() < 1e-12);
    }

    #[test]
    fn weighted_f1_weights_by_support() {
        use Label::*;
        let truth = [Positive, Positive, Positive, Negative];
        let predicted = [Positive, Positive, Negative, Negative];
        let (f1, per_class) = weighted_f1(&truth, &predicted);
        // Positive: P 1, R 2/3, F1 0.8; negative: P 0.5, R 1, F1 2/3; neutral absent.
        assert!((per_class[0].f1 - 0.8).abs() < 1e-12);
        assert!((per_class[1].f1 - 2.0 / 3.0).abs() < 1e-12);
        assert!((f1 - (3.0 * 0.8 + 2.0 / 3.0) / 4.0).abs() < 1e-12);
    }

    #[test]
    fn parses_crlf_rated_lines() {
        let rows = parse_rated("1\t2.5\tgood day\r\n2\t-0.5\tmeh\r\nbroken line\r\n");
        assert_eq!(rows, vec![(2.5, "good day"), (-0.5, "meh")]);
        assert_eq!(label_of_rating(0.0), Label::Neutral);
    }
}
