//! The graph over contributions: merging and removal, resolution across documents, queries,
//! exports and communities.

use plasma_graph::{
    BuiltinExtractor, Contribution, EntityKind, ExtractedEntity, ExtractedRelation, Extraction,
    Graph,
};
use quick_xml::Reader;
use quick_xml::events::Event;

/// A contribution from texts, one chunk each, through the built-in extractor.
fn document(id: &str, texts: &[&str]) -> Contribution {
    let extractor = BuiltinExtractor::new();
    let extractions: Vec<(String, Extraction)> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| (format!("{id}#{i}"), extractor.extract_text(text)))
        .collect();
    Contribution::from_extractions(id, format!("Document {id}"), &extractions)
}

fn entity(name: &str, kind: EntityKind, aliases: &[&str]) -> ExtractedEntity {
    ExtractedEntity {
        name: name.to_string(),
        kind,
        description: String::new(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
    }
}

fn relation(source: &str, target: &str, description: &str, weight: f64) -> ExtractedRelation {
    ExtractedRelation {
        source: source.to_string(),
        target: target.to_string(),
        description: description.to_string(),
        weight,
    }
}

/// A contribution of one chunk with the given entities and relations.
fn handmade(
    id: &str,
    entities: Vec<ExtractedEntity>,
    relations: Vec<ExtractedRelation>,
) -> Contribution {
    let extraction = Extraction {
        entities,
        relations,
    };
    Contribution::from_extractions(id, "", &[(format!("{id}#0"), extraction)])
}

fn names(graph: &Graph) -> Vec<&str> {
    let mut names: Vec<&str> = graph.entities().iter().map(|e| e.name.as_str()).collect();
    names.sort_unstable();
    names
}

#[test]
fn contributions_aggregate_chunks_compactly_and_round_trip() {
    let doc = document(
        "d1",
        &[
            "Acme Corp acquired Beta Labs in 2020. Beta Labs is headquartered in Oslo.",
            "Acme Corp later moved Beta Labs to Bergen.",
        ],
    );
    let acme = doc
        .entities
        .iter()
        .find(|e| e.name == "Acme Corp")
        .expect("Acme Corp");
    assert_eq!((acme.count, acme.chunks.clone()), (2, vec![0, 1]));
    let acquired = doc
        .relations
        .iter()
        .find(|r| {
            doc.entities[r.source as usize].name == "Acme Corp"
                && doc.entities[r.target as usize].name == "Beta Labs"
        })
        .expect("Acme Corp – Beta Labs");
    assert_eq!(acquired.weight, 2.0);
    assert_eq!(acquired.chunks, [0, 1]);
    assert_eq!(acquired.descriptions, ["acquired", "later moved"]);
    let json = serde_json::to_string(&doc).expect("serializes");
    assert!(json.len() < 700, "{} bytes: {json}", json.len());
    let back: Contribution = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(back, doc);
}

#[test]
fn merging_two_documents_and_dropping_one() {
    let first = document(
        "d1",
        &["Acme Corp acquired Beta Labs in 2020. Beta Labs is headquartered in Oslo."],
    );
    let second = document(
        "d2",
        &["The Acme Corporation's chief, Dr. Jane Smith, visited Oslo."],
    );
    let both = Graph::build(&[first.clone(), second.clone()]);
    assert_eq!(
        names(&both),
        ["Acme Corporation", "Beta Labs", "Jane Smith", "Oslo"]
    );
    let acme = both.resolve("ACME corp.").expect("Acme resolves");
    assert_eq!(acme.id, "acme");
    assert_eq!(acme.document_ids, ["d1", "d2"]);
    assert_eq!(acme.chunk_ids, ["d1#0", "d2#0"]);
    assert_eq!(acme.mention_count, 2);
    assert_eq!(acme.aliases, ["Acme Corp"]);
    let oslo = both.resolve("Oslo").expect("Oslo");
    assert_eq!(oslo.document_ids, ["d1", "d2"]);
    assert_eq!(oslo.kind, EntityKind::Location);

    let only_first = Graph::build(&[first]);
    assert_eq!(names(&only_first), ["Acme Corp", "Beta Labs", "Oslo"]);
    assert_eq!(
        only_first.resolve("Oslo").expect("Oslo").document_ids,
        ["d1"]
    );
    assert!(only_first.resolve("Jane Smith").is_none());
    assert_eq!(only_first.relations().len(), 2);
}

#[test]
fn relations_sum_weights_across_documents() {
    let a = handmade(
        "a",
        vec![
            entity("Acme", EntityKind::Organization, &[]),
            entity("Oslo", EntityKind::Location, &[]),
        ],
        vec![relation("Acme", "Oslo", "is based in", 2.0)],
    );
    let b = handmade(
        "b",
        vec![
            entity("acme", EntityKind::Other, &[]),
            entity("OSLO", EntityKind::Location, &[]),
        ],
        vec![relation("OSLO", "acme", "hosts", 3.0)],
    );
    let graph = Graph::build(&[a, b]);
    assert_eq!(graph.relations().len(), 1);
    let r = &graph.relations()[0];
    assert_eq!((r.source.as_str(), r.target.as_str()), ("acme", "oslo"));
    assert_eq!(r.weight, 5.0);
    assert_eq!(r.descriptions, ["is based in", "hosts"]);
    assert_eq!(r.document_ids, ["a", "b"]);
    assert_eq!(r.chunk_ids, ["a#0", "b#0"]);
    assert_eq!(
        graph.resolve("acme").expect("acme").kind,
        EntityKind::Organization
    );
}

#[test]
fn acronyms_join_the_one_name_they_spell_and_aliases_merge() {
    let long = handmade(
        "a",
        vec![entity(
            "International Business Machines",
            EntityKind::Organization,
            &[],
        )],
        vec![],
    );
    let short = handmade("b", vec![entity("IBM", EntityKind::Other, &[])], vec![]);
    let graph = Graph::build(&[long.clone(), short.clone()]);
    assert_eq!(graph.entities().len(), 1);
    let ibm = graph.resolve("ibm").expect("IBM");
    assert_eq!(ibm.name, "International Business Machines");
    assert_eq!(ibm.aliases, ["IBM"]);
    assert_eq!(ibm.document_ids, ["a", "b"]);

    // Two names with the same initials: the acronym stays apart rather than guess.
    let rival = handmade(
        "c",
        vec![entity("Innovative Bio Materials", EntityKind::Other, &[])],
        vec![],
    );
    let graph = Graph::build(&[long, short, rival]);
    assert_eq!(graph.entities().len(), 3);

    // An alias given by the text links names that share no key or initials.
    let aliased = handmade(
        "d",
        vec![entity(
            "Alphabet",
            EntityKind::Organization,
            &["Google's parent"],
        )],
        vec![],
    );
    let parent = handmade(
        "e",
        vec![entity("Google parent", EntityKind::Other, &[])],
        vec![],
    );
    let graph = Graph::build(&[aliased, parent]);
    assert_eq!(graph.entities().len(), 1);
    let merged = graph.resolve("Alphabet").expect("Alphabet");
    assert_eq!(
        graph.resolve("google parent").expect("its alias").id,
        merged.id
    );
}

#[test]
fn parenthetical_acronym_in_text_resolves_later_mentions() {
    let graph = Graph::build(&[
        document(
            "a",
            &["International Business Machines (IBM) opened a lab in Zurich."],
        ),
        document("b", &["Analysts said IBM hired engineers from ETH Zurich."]),
    ]);
    let ibm = graph.resolve("IBM").expect("IBM");
    assert_eq!(ibm.name, "International Business Machines");
    assert_eq!(ibm.document_ids, ["a", "b"]);
}

/// A chain a – b – c – d – e, with a heavier side branch b – x.
fn chain() -> Graph {
    let pairs = [
        ("Alpha", "Bravo", 1.0),
        ("Bravo", "Charlie", 1.0),
        ("Charlie", "Delta", 1.0),
        ("Delta", "Echo", 1.0),
        ("Bravo", "Xray", 5.0),
    ];
    let contributions: Vec<Contribution> = pairs
        .iter()
        .enumerate()
        .map(|(i, (a, b, w))| {
            handmade(
                &format!("doc{i}"),
                vec![
                    entity(a, EntityKind::Other, &[]),
                    entity(b, EntityKind::Other, &[]),
                ],
                vec![relation(a, b, "links", *w)],
            )
        })
        .collect();
    Graph::build(&contributions)
}

#[test]
fn neighbourhood_respects_depth_and_limit() {
    let graph = chain();
    let ids = |depth, limit| -> Vec<String> {
        let sub = graph
            .neighbourhood("alpha", depth, limit)
            .expect("alpha is known");
        sub.entities.iter().map(|e| e.id.clone()).collect()
    };
    assert_eq!(ids(1, 10), ["alpha", "bravo"]);
    assert_eq!(ids(2, 10), ["alpha", "bravo", "xray", "charlie"]);
    assert_eq!(ids(3, 10), ["alpha", "bravo", "xray", "charlie", "delta"]);
    assert_eq!(ids(9, 10), ids(3, 10), "depth is capped at 3");
    assert_eq!(
        ids(2, 3),
        ["alpha", "bravo", "xray"],
        "the strongest relation first"
    );
    let sub = graph.neighbourhood("bravo", 1, 10).expect("bravo");
    assert_eq!(sub.relations.len(), 3);
    assert_eq!(sub.relations[0].weight, 5.0);
    assert!(graph.neighbourhood("zulu", 1, 10).is_none());
}

#[test]
fn shortest_path_crosses_documents() {
    let graph = chain();
    let path = graph.shortest_path("alpha", "echo").expect("connected");
    let steps: Vec<&str> = path.entities.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(steps, ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]);
    assert_eq!(path.relations.len(), 4);
    assert_eq!(path.relations[2].document_ids, ["doc2"]);
    let same = graph.shortest_path("delta", "delta").expect("trivial");
    assert_eq!((same.entities.len(), same.relations.len()), (1, 0));
    let island = handmade("z", vec![entity("Zulu", EntityKind::Other, &[])], vec![]);
    let mut contributions = vec![island];
    contributions.push(handmade(
        "y",
        vec![
            entity("Alpha", EntityKind::Other, &[]),
            entity("Bravo", EntityKind::Other, &[]),
        ],
        vec![relation("Alpha", "Bravo", "", 1.0)],
    ));
    let graph = Graph::build(&contributions);
    assert!(graph.shortest_path("alpha", "zulu").is_none());
}

#[test]
fn entities_in_a_question_longest_first_on_word_boundaries() {
    let graph = Graph::build(&[
        document(
            "a",
            &[
                "Bank of America sued Acme Corp in Oslo. The US regulator Acme Corp feared was quiet.",
            ],
        ),
        handmade(
            "b",
            vec![entity("America", EntityKind::Location, &[])],
            vec![],
        ),
    ]);
    let found =
        graph.entities_in("What did bank of america say about ACME, and why oslo? Not osloians.");
    assert_eq!(found, ["bank of america", "acme", "oslo"]);
    assert_eq!(graph.entities_in("tell us about acmes"), ["acme"]);
    assert!(
        graph.entities_in("tell us").is_empty(),
        "lowercase short words are not acronyms"
    );
    assert_eq!(graph.entities_in("and the US?"), ["us"]);
}

#[test]
fn search_ranks_exact_then_prefix_then_words_then_substring() {
    let graph = Graph::build(&[
        handmade("a", vec![entity("Oslo", EntityKind::Location, &[])], vec![]),
        handmade(
            "b",
            vec![entity("Oslo Bourse", EntityKind::Organization, &[])],
            vec![],
        ),
        handmade(
            "c",
            vec![entity(
                "University of Oslo",
                EntityKind::Organization,
                &["UiO"],
            )],
            vec![],
        ),
        handmade(
            "d",
            vec![entity("Osloer Strasse", EntityKind::Location, &[])],
            vec![],
        ),
        handmade(
            "e",
            vec![entity("Bergen", EntityKind::Location, &[])],
            vec![],
        ),
    ]);
    let found: Vec<&str> = graph
        .search_entities("oslo", 10)
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(
        found,
        [
            "Oslo",
            "Oslo Bourse",
            "Osloer Strasse",
            "University of Oslo"
        ]
    );
    assert_eq!(graph.search_entities("oslo", 2).len(), 2);
    assert_eq!(
        graph.search_entities("uio", 5)[0].name,
        "University of Oslo"
    );
    assert!(graph.search_entities("  ", 5).is_empty());
}

#[test]
fn graphml_is_well_formed_and_escapes_text() {
    let graph = Graph::build(&[handmade(
        "a",
        vec![
            entity("AT&T <Labs>", EntityKind::Organization, &[]),
            entity("\"Quoted\" Co\u{1}", EntityKind::Other, &[]),
        ],
        vec![relation(
            "AT&T <Labs>",
            "\"Quoted\" Co\u{1}",
            "buys & sells <stuff>",
            2.5,
        )],
    )]);
    let xml = graph.all().to_graphml();
    let mut reader = Reader::from_str(&xml);
    let (mut nodes, mut edges, mut keys) = (0, 0, 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "node" => nodes += 1,
                "edge" => edges += 1,
                "key" => keys += 1,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!((nodes, edges, keys), (2, 1, 6));
    assert!(xml.contains("AT&amp;T &lt;Labs&gt;"), "{xml}");
    assert!(!xml.contains('\u{1}'));
    assert!(xml.contains("<data key=\"weight\">2.5</data>"), "{xml}");

    let json = graph.all().to_json();
    assert_eq!(json["nodes"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["edges"][0]["weight"], 2.5);
    assert_eq!(json["edges"][0]["chunk_ids"][0], "a#0");
}

#[test]
fn communities_separate_two_cliques_joined_by_one_relation() {
    let clique = |doc: &str, members: &[&str]| {
        let mut relations = Vec::new();
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                relations.push(relation(a, b, "works with", 1.0));
            }
        }
        handmade(
            doc,
            members
                .iter()
                .map(|m| entity(m, EntityKind::Person, &[]))
                .collect(),
            relations,
        )
    };
    let bridge = handmade(
        "bridge",
        vec![
            entity("Anna", EntityKind::Person, &[]),
            entity("Frank", EntityKind::Person, &[]),
        ],
        vec![relation("Anna", "Frank", "met", 1.0)],
    );
    let loner = handmade(
        "loner",
        vec![entity("Zed", EntityKind::Person, &[])],
        vec![],
    );
    let graph = Graph::build(&[
        clique("left", &["Anna", "Bert", "Carl", "Dina"]),
        clique("right", &["Frank", "Gina", "Hugo", "Ines"]),
        bridge,
        loner,
    ]);
    let communities = graph.communities();
    assert_eq!(communities.len(), 3);
    let mut groups: Vec<Vec<String>> = communities
        .iter()
        .map(|c| {
            let mut e = c.entities.clone();
            e.sort();
            e
        })
        .collect();
    groups.sort();
    assert_eq!(
        groups,
        [
            vec!["anna", "bert", "carl", "dina"],
            vec!["frank", "gina", "hugo", "ines"],
            vec!["zed"]
        ]
    );
    let top = &communities[0];
    assert_eq!(top.id, 0);
    assert_eq!(top.relation_count, 6);
    assert_eq!(top.rank, 6.0 + 4.0);
    assert!(
        top.title.starts_with("Anna") || top.title.starts_with("Frank"),
        "{}",
        top.title
    );
    assert!(top.summary.contains("works with"), "{}", top.summary);
    assert_eq!(communities[2].entities, ["zed"]);
    assert_eq!(communities[2].chunk_ids, ["loner#0"]);
}
