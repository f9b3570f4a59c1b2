//! Times the built-in extractor and the graph: `cargo run --release -p plasma-graph
//! --example extract-bench`. Extracts 3,000 generated news-like chunks of about 150 words,
//! groups them two per document into 1,500 contributions, builds the graph and its
//! communities, and prints the time each step took and the size of a 50-chunk contribution.

use std::time::Instant;

use plasma_graph::{BuiltinExtractor, Contribution, Extraction, Graph};

const TEMPLATES: &[&str] = &[
    "{org} acquired {org2} in 2020 for an undisclosed sum.",
    "{org2} is headquartered in {city} and employs 300 engineers.",
    "Dr. {person}, the chief scientist at {org}, said the deal would accelerate research on {concept}.",
    "{org} and the University of {city} announced a partnership on {concept}.",
    "the proposed approach improves {concept} over strong baselines on three benchmarks.",
    "Regulators at the European Commission reviewed the merger of {org} and {org2} for six months.",
    "Shares of {org2} rose 4 percent after the announcement in {city}.",
    "{concept} remains the main focus of the research group led by {person}.",
    "Analysts expect revenue to grow faster next year, according to a note from {org}.",
    "CEO {person} told investors in {city} that {org2} would open a new office there.",
    "the team reported that {concept} reduced costs by a third in the pilot.",
];

const ADJECTIVES: &[&str] = &[
    "Northern", "Blue", "Quantum", "Silver", "Atlas", "Summit", "Vertex", "Harbor", "Crimson",
    "Nova", "Granite", "Polar",
];
const NOUNS: &[&str] = &[
    "Robotics",
    "Dynamics",
    "Analytics",
    "Energy",
    "Logistics",
    "Biotech",
    "Networks",
    "Foods",
    "Media",
    "Materials",
];
const SUFFIXES: &[&str] = &["Corp", "Inc", "Labs", "Group", "Ltd"];
const CITIES: &[&str] = &[
    "Oslo",
    "Berlin",
    "Toronto",
    "Lisbon",
    "Nairobi",
    "Seoul",
    "Austin",
    "Lyon",
    "Bergen",
    "Melbourne",
    "Kyoto",
    "Porto",
    "Denver",
    "Zurich",
    "Dublin",
];
const FIRST: &[&str] = &[
    "Jane", "Omar", "Li", "Maria", "Tom", "Aisha", "Lars", "Priya", "Ken",
];
const LAST: &[&str] = &[
    "Smith", "Haddad", "Wei", "Garcia", "Berg", "Okafor", "Tanaka", "Rossi",
];
const CONCEPTS: &[&str] = &[
    "graph neural networks",
    "battery chemistry",
    "protein folding",
    "supply chain optimization",
    "speech recognition",
    "carbon capture",
    "fraud detection",
    "image segmentation",
];

/// A small deterministic generator, so runs are comparable.
struct Lcg(u64);

impl Lcg {
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        list[(self.0 >> 33) as usize % list.len()]
    }
}

fn chunk(rng: &mut Lcg) -> String {
    let mut text = String::new();
    while text.split_whitespace().count() < 150 {
        let org = |rng: &mut Lcg| {
            format!(
                "{} {} {}",
                rng.pick(ADJECTIVES),
                rng.pick(NOUNS),
                rng.pick(SUFFIXES)
            )
        };
        let sentence = rng
            .pick(TEMPLATES)
            .replace("{org2}", &org(rng))
            .replace("{org}", &org(rng))
            .replace("{city}", rng.pick(CITIES))
            .replace(
                "{person}",
                &format!("{} {}", rng.pick(FIRST), rng.pick(LAST)),
            )
            .replace("{concept}", rng.pick(CONCEPTS));
        text.push_str(&sentence);
        text.push(' ');
    }
    text
}

fn main() {
    let mut rng = Lcg(7);
    let chunks: Vec<String> = (0..3_000).map(|_| chunk(&mut rng)).collect();
    let words: usize = chunks.iter().map(|c| c.split_whitespace().count()).sum();
    let extractor = BuiltinExtractor::new();
    let started = Instant::now();
    let extractions: Vec<(String, Extraction)> = chunks
        .iter()
        .enumerate()
        .map(|(i, text)| {
            (
                format!("doc{}#{}", i / 2, i % 2),
                extractor.extract_text(text),
            )
        })
        .collect();
    let extract_time = started.elapsed();
    let per_chunk = extractions
        .iter()
        .map(|(_, x)| x.entities.len())
        .sum::<usize>()
        / chunks.len();
    println!(
        "extract: {} chunks of {} words, {extract_time:?} ({:.0} chunks/s), {per_chunk} entities per chunk",
        chunks.len(),
        words / chunks.len(),
        chunks.len() as f64 / extract_time.as_secs_f64()
    );

    let started = Instant::now();
    let contributions: Vec<Contribution> = extractions
        .chunks(2)
        .enumerate()
        .map(|(d, part)| Contribution::from_extractions(format!("doc{d}"), "", part))
        .collect();
    let contribution_time = started.elapsed();
    let entities = contributions
        .iter()
        .map(|c| c.entities.len())
        .sum::<usize>()
        / contributions.len();
    let bytes = contributions
        .iter()
        .map(|c| serde_json::to_vec(c).map_or(0, |v| v.len()))
        .sum::<usize>()
        / contributions.len();
    println!(
        "contributions: {} of {entities} entities and {bytes} bytes of JSON on average in {contribution_time:?}",
        contributions.len()
    );
    let long = Contribution::from_extractions("long", "", &extractions[..50]);
    let json = serde_json::to_vec(&long).map_or(0, |v| v.len());
    println!(
        "50-chunk contribution: {} entities, {} relations, {json} bytes of JSON",
        long.entities.len(),
        long.relations.len()
    );

    let started = Instant::now();
    let graph = Graph::build(&contributions);
    let build_time = started.elapsed();
    let started = Instant::now();
    let communities = graph.communities();
    let community_time = started.elapsed();
    println!(
        "graph: {} entities, {} relations in {build_time:?}; {} communities in {community_time:?}",
        graph.entities().len(),
        graph.relations().len(),
        communities.len()
    );
    if std::env::var_os("SHOW").is_some() {
        println!("{:#?}", extractions[0].1);
        for community in communities.iter().take(3) {
            println!("{}\n{}\n", community.title, community.summary);
        }
    }
}
