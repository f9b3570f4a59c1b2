//! Quality and speed of the built-in analyser on VADER's tweet ground truth.
//! Usage: sentiment-bench [PATH] (default: ../shared/data/sentiment/tweets_GroundTruth.txt
//! relative to the workspace root).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use plasma_sentiment::metrics::{label_of_rating, parse_rated, pearson, weighted_f1};
use plasma_sentiment::{Analyzer, Label};

fn main() {
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/data/sentiment/tweets_GroundTruth.txt")
        });
    let data = match std::fs::read_to_string(&path) {
        Ok(data) => data,
        Err(e) => {
            eprintln!("cannot read {}: {e}", path.display());
            std::process::exit(1);
        }
    };
    let path = path.canonicalize().unwrap_or(path);
    let rated = parse_rated(&data);
    println!("plasma-sentiment benchmark");
    println!(
        "data: {} (Hutto, C.J. & Gilbert, E.E. (2014). VADER: A Parsimonious Rule-based Model for \
         Sentiment Analysis of Social Media Text. ICWSM-14.)",
        path.display()
    );

    let mut analyzer = Analyzer::new();
    let scores: Vec<_> = rated
        .iter()
        .map(|(_, text)| analyzer.analyse(text))
        .collect();
    let compound: Vec<f64> = scores.iter().map(|s| s.compound).collect();
    let ratings: Vec<f64> = rated.iter().map(|(r, _)| *r).collect();
    let truth: Vec<Label> = ratings.iter().map(|&r| label_of_rating(r)).collect();
    let predicted: Vec<Label> = scores.iter().map(|s| s.label()).collect();
    let (f1, per_class) = weighted_f1(&truth, &predicted);

    println!("items: {}", rated.len());
    println!("pearson r: {:.4}", pearson(&compound, &ratings));
    println!("weighted F1 (3-class): {f1:.4}");
    for c in &per_class {
        println!(
            "  {:<8} support {:>5}  P {:.4}  R {:.4}  F1 {:.4}",
            format!("{:?}", c.label).to_lowercase(),
            c.support,
            c.precision,
            c.recall,
            c.f1
        );
    }

    // Throughput: one thread, whole corpus repeated until at least a second has passed.
    let (mut texts, mut checksum) = (0usize, 0.0);
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(1) {
        for (_, text) in &rated {
            checksum += analyzer.analyse(text).compound;
        }
        texts += rated.len();
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "throughput: {:.0} texts/s on one thread ({texts} texts in {elapsed:.2} s, checksum {checksum:.1})",
        texts as f64 / elapsed
    );
    match peak_rss_kib() {
        Some(kib) => println!("peak memory (VmHWM): {:.1} MiB", kib as f64 / 1024.0),
        None => println!("peak memory: unavailable (no /proc/self/status)"),
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
