//! Regression floor on VADER's tweet ground truth (Hutto & Gilbert, ICWSM 2014).
//! The benchmark binary reports the exact figures; this only guards against regressions.

use std::path::PathBuf;

use plasma_sentiment::metrics::{label_of_rating, parse_rated, pearson, weighted_f1};
use plasma_sentiment::{Label, analyse};

#[test]
fn tweets_ground_truth_floor() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/sentiment/tweets_GroundTruth.txt");
    let Ok(data) = std::fs::read_to_string(&path) else {
        eprintln!(
            "SKIPPED: {} is absent; the quality floor was not checked",
            path.display()
        );
        return;
    };
    let rated = parse_rated(&data);
    assert_eq!(rated.len(), 4200);
    let compound: Vec<f64> = rated.iter().map(|(_, t)| analyse(t).compound).collect();
    let ratings: Vec<f64> = rated.iter().map(|(r, _)| *r).collect();
    let truth: Vec<Label> = ratings.iter().map(|&r| label_of_rating(r)).collect();
    let predicted: Vec<Label> = rated.iter().map(|(_, t)| analyse(t).label()).collect();
    let r = pearson(&compound, &ratings);
    let (f1, _) = weighted_f1(&truth, &predicted);
    assert!(r >= 0.85, "pearson r {r:.4} below the 0.85 floor");
    assert!(f1 >= 0.93, "weighted F1 {f1:.4} below the 0.93 floor");
}
