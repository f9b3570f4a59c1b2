//! Retrieval quality on the Cranfield collection, computed as trec_eval does: nDCG@10 with
//! linear gains, a log2 discount and the ideal ranking from every judged gain of the query;
//! MRR@10 and Recall@100 counting documents with gain ≥ 1; each the mean over all queries,
//! a query with no results scoring 0. Any ranking function can be scored, so the same
//! numbers compare BM25, vector and hybrid search or another engine.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: String,
    pub title: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub id: String,
    pub text: String,
}

/// Documents, queries and relevance judgements (query id → document id → gain).
#[derive(Debug, Clone, Default)]
pub struct Collection {
    pub documents: Vec<Document>,
    pub queries: Vec<Query>,
    pub qrels: HashMap<String, HashMap<String, u32>>,
}

impl Collection {
    /// Reads `cran.all.1400`, `queries-dev.tsv` and `qrels-dev.txt` from `dir`.
    pub fn load(dir: &Path) -> std::io::Result<Self> {
        let read = |name: &str| std::fs::read_to_string(dir.join(name));
        Ok(Collection {
            documents: parse_smart(&read("cran.all.1400")?),
            queries: parse_queries(&read("queries-dev.tsv")?),
            qrels: parse_qrels(&read("qrels-dev.txt")?),
        })
    }
}

/// SMART format: `.I id` starts a document; `.T` (title) and `.W` (text) are kept, the
/// authors (`.A`) and bibliography (`.B`) are not.
pub fn parse_smart(source: &str) -> Vec<Document> {
    #[derive(PartialEq)]
    enum Section {
        Title,
        Text,
        Other,
    }
    let mut documents: Vec<Document> = Vec::new();
    let mut section = Section::Other;
    for line in source.lines() {
        if let Some(id) = line.strip_prefix(".I") {
            documents.push(Document {
                id: id.trim().to_owned(),
                title: String::new(),
                text: String::new(),
            });
            section = Section::Other;
            continue;
        }
        match line.trim_end() {
            ".T" => section = Section::Title,
            ".W" => section = Section::Text,
            ".A" | ".B" => section = Section::Other,
            content => {
                let Some(doc) = documents.last_mut() else {
                    continue;
                };
                let field = match section {
                    Section::Title => &mut doc.title,
                    Section::Text => &mut doc.text,
                    Section::Other => continue,
                };
                if !field.is_empty() {
                    field.push(' ');
                }
                field.push_str(content.trim());
            }
        }
    }
    documents
}

/// `qid<TAB>text` lines.
pub fn parse_queries(source: &str) -> Vec<Query> {
    source
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .map(|(id, text)| Query {
            id: id.trim().to_owned(),
            text: text.trim().to_owned(),
        })
        .collect()
}

/// TREC qrels: `qid iteration docid gain`.
pub fn parse_qrels(source: &str) -> HashMap<String, HashMap<String, u32>> {
    let mut qrels: HashMap<String, HashMap<String, u32>> = HashMap::new();
    for line in source.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if let [qid, _, docid, gain] = cols[..]
            && let Ok(gain) = gain.parse::<u32>()
        {
            qrels
                .entry(qid.to_owned())
                .or_default()
                .insert(docid.to_owned(), gain);
        }
    }
    qrels
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Metrics {
    pub ndcg10: f64,
    pub mrr10: f64,
    pub recall100: f64,
}

/// One query's metrics for a ranking of document ids, best first. A document listed twice
/// counts at its first position only.
pub fn judge(judged: &HashMap<String, u32>, ranking: &[String]) -> Metrics {
    let mut seen = HashSet::new();
    let ranking: Vec<&String> = ranking.iter().filter(|id| seen.insert(*id)).collect();
    let gain = |id: &String| judged.get(id).copied().unwrap_or(0);
    let discount = |i: usize| 1.0 / ((i + 2) as f64).log2();
    let dcg: f64 = ranking
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, id)| f64::from(gain(id)) * discount(i))
        .sum();
    let mut ideal: Vec<u32> = judged.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, g)| f64::from(*g) * discount(i))
        .sum();
    let relevant = judged.values().filter(|g| **g >= 1).count();
    let found = ranking.iter().take(100).filter(|id| gain(id) >= 1).count();
    Metrics {
        ndcg10: if idcg > 0.0 { dcg / idcg } else { 0.0 },
        mrr10: ranking
            .iter()
            .take(10)
            .position(|id| gain(id) >= 1)
            .map_or(0.0, |i| 1.0 / (i + 1) as f64),
        recall100: if relevant > 0 {
            found as f64 / relevant as f64
        } else {
            0.0
        },
    }
}

/// The mean metrics of `run` (query text → document ids, best first) over every query.
pub fn score(collection: &Collection, run: impl FnMut(&str) -> Vec<String>) -> Metrics {
    score_timed(collection, run).0
}

/// [`score`] plus the latency of `run` per query.
pub fn score_timed(
    collection: &Collection,
    mut run: impl FnMut(&str) -> Vec<String>,
) -> (Metrics, Latency) {
    let empty = HashMap::new();
    let mut total = Metrics::default();
    let mut samples = Vec::with_capacity(collection.queries.len());
    for query in &collection.queries {
        let started = Instant::now();
        let ranking = run(&query.text);
        samples.push(started.elapsed());
        let m = judge(collection.qrels.get(&query.id).unwrap_or(&empty), &ranking);
        total.ndcg10 += m.ndcg10;
        total.mrr10 += m.mrr10;
        total.recall100 += m.recall100;
    }
    let n = collection.queries.len().max(1) as f64;
    let mean = Metrics {
        ndcg10: total.ndcg10 / n,
        mrr10: total.mrr10 / n,
        recall100: total.recall100 / n,
    };
    (mean, Latency::of(samples))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Latency {
    pub p50: Duration,
    pub p95: Duration,
}

impl Latency {
    /// Nearest-rank percentiles of the samples (zero when there are none).
    pub fn of(mut samples: Vec<Duration>) -> Self {
        samples.sort_unstable();
        let at = |p: f64| {
            let rank = (p * samples.len() as f64).ceil() as usize;
            samples
                .get(rank.saturating_sub(1))
                .copied()
                .unwrap_or_default()
        };
        Latency {
            p50: at(0.50),
            p95: at(0.95),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_smart_documents() {
        let docs = parse_smart(
            ".I 1\n.T\nexperimental\nflow .\n.A\nbrenckman,m.\n.B\nj. ae. 25.\n.W\nsome text\nmore .\n.I 2\n.T\nsecond\n.W\nbody\n",
        );
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].title, "experimental flow .");
        assert_eq!(docs[0].text, "some text more .");
        assert_eq!(docs[1].id, "2");
        assert_eq!(docs[1].text, "body");
    }

    #[test]
    fn metrics_follow_trec_eval() {
        let judged: HashMap<String, u32> = [("a", 4), ("b", 1), ("c", 0), ("d", 2)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let m = judge(&judged, &ids(&["c", "a", "a", "x", "b"]));
        let dcg = 4.0 / 3f64.log2() + 1.0 / 5f64.log2();
        let idcg = 4.0 + 2.0 / 3f64.log2() + 1.0 / 2.0;
        assert!((m.ndcg10 - dcg / idcg).abs() < 1e-12);
        assert_eq!(m.mrr10, 0.5);
        assert!((m.recall100 - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(judge(&judged, &[]), Metrics::default());
    }

    #[test]
    fn latency_percentiles() {
        let samples = (1..=100).map(Duration::from_millis).collect();
        let l = Latency::of(samples);
        assert_eq!(l.p50, Duration::from_millis(50));
        assert_eq!(l.p95, Duration::from_millis(95));
        assert_eq!(Latency::of(Vec::new()), Latency::default());
    }
}
