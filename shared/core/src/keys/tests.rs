use super::*;

/// A part of a template, as the overlap checks see it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Part<'a> {
    Literal(&'a str),
    /// One id: any non-empty text without `#` or `/`.
    Id,
    /// Free text ending the key: one or more parts.
    Tail,
}

fn parts(template: &str) -> Vec<Part<'_>> {
    template
        .split(SEPARATOR)
        .map(
            |part| match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Some(name) if name.ends_with('*') => Part::Tail,
                Some(_) => Part::Id,
                None => Part::Literal(part),
            },
        )
        .collect()
}

fn compatible(a: Part, b: Part) -> bool {
    match (a, b) {
        (Part::Literal(x), Part::Literal(y)) => x == y,
        (Part::Literal(x), _) | (_, Part::Literal(x)) => check_segment("literal", x).is_ok(),
        _ => true,
    }
}

/// Whether some key is built by both templates.
fn overlap(a: &[Part], b: &[Part]) -> bool {
    match (a.split_first(), b.split_first()) {
        (None, None) => true,
        (Some((Part::Tail, _)), Some(_)) | (Some(_), Some((Part::Tail, _))) => true,
        (Some((x, a)), Some((y, b))) => compatible(*x, *y) && overlap(a, b),
        _ => false,
    }
}

/// Whether `begins_with` on `a`'s query prefix (its parts before the last placeholder,
/// followed by the separator) can select a key built by `b`. A layout without a literal
/// head is never queried by prefix: its keys are the whole partition's.
fn prefix_reads(a: &[Part], b: &[Part]) -> bool {
    let Some(last) = a.iter().rposition(|p| !matches!(p, Part::Literal(_))) else {
        return false;
    };
    let head = &a[..last];
    if !head.iter().any(|p| matches!(p, Part::Literal(_))) {
        return false;
    }
    let mut b = b.iter();
    for part in head {
        match b.next() {
            Some(Part::Tail) => return true,
            Some(other) if compatible(*part, *other) => {}
            _ => return false,
        }
    }
    // The prefix ends with the separator: `b` needs a part after the head.
    b.next().is_some()
}

#[test]
fn no_layout_can_build_or_select_another_layouts_keys() {
    let mut clashes = Vec::new();
    for (i, x) in REGISTRY.iter().enumerate() {
        for y in REGISTRY.iter().skip(i + 1) {
            if x.space != y.space {
                continue;
            }
            let (a, b) = (parts(x.template), parts(y.template));
            if overlap(&a, &b) {
                clashes.push(format!("{} and {} can build the same key", x.name, y.name));
            }
            // Partition keys are matched exactly; only sort keys are selected by prefix.
            if matches!(x.space, Space::SortIn(_)) {
                for (q, r, other) in [(&a, &b, y), (&b, &a, x)] {
                    if prefix_reads(q, r) {
                        let reader = if std::ptr::eq(other, y) { x } else { y };
                        clashes.push(format!(
                            "a prefix query of {} reads {}'s keys",
                            reader.name, other.name
                        ));
                    }
                }
            }
        }
    }
    assert!(clashes.is_empty(), "{clashes:#?}");
}

#[test]
fn the_overlap_checks_catch_clashing_layouts() {
    let p = |t| parts(t);
    // Same shape, or an id where the other has a literal.
    assert!(overlap(&p("T#{tenant}#MONITOR"), &p("T#{t}#MONITOR")));
    assert!(overlap(
        &p("T#{tenant}#MON#{m}"),
        &p("T#{tenant}#MON#ALERT")
    ));
    assert!(overlap(
        &p("T#{tenant}#AUDIT#{actor*}"),
        &p("T#{tenant}#AUDIT#X#Y")
    ));
    assert!(!overlap(&p("T#{tenant}#MONITOR"), &p("T#{tenant}#MON")));
    assert!(!overlap(
        &p("T#{tenant}#ALERT"),
        &p("T#{tenant}#ALERT#{rule}")
    ));
    // `MON#{m}#` reads a rule kept one level deeper; `WEBHOOK#` does not read `APIKEY#`.
    assert!(prefix_reads(
        &p("MON#{m}#{rule}"),
        &p("MON#{m}#RULE#{rule}")
    ));
    assert!(prefix_reads(&p("P#{subject*}"), &p("P#{a}#{b}")));
    assert!(!prefix_reads(&p("WEBHOOK#{id}"), &p("APIKEY#{id}")));
    assert!(!prefix_reads(&p("MON#{m}#RULE#{rule}"), &p("MONITOR#{m}")));
    assert!(!prefix_reads(&p("{scan}#{source}"), &p("{scan}")));
}

#[test]
fn templates_are_well_formed_and_names_unique() {
    let mut names = std::collections::HashSet::new();
    for entry in REGISTRY {
        assert!(names.insert(entry.name), "{} is declared twice", entry.name);
        assert!(!entry.owner.is_empty() && !entry.holds.is_empty());
        let parts: Vec<&str> = entry.template.split(SEPARATOR).collect();
        let mut seen = std::collections::HashSet::new();
        for (i, part) in parts.iter().enumerate() {
            let inner = part.strip_prefix('{').and_then(|p| p.strip_suffix('}'));
            match inner {
                Some(name) => {
                    assert!(seen.insert(name), "{}: {name} twice", entry.name);
                    assert!(
                        !name.ends_with('*') || i + 1 == parts.len(),
                        "{}: a tail must end the template",
                        entry.name
                    );
                }
                None => assert!(
                    check_segment("literal", part).is_ok() && !part.contains(['{', '}']),
                    "{}: {part:?} is neither a literal nor a whole placeholder",
                    entry.name
                ),
            }
        }
        if let Space::SortIn(parent) = entry.space {
            let parent = REGISTRY.iter().find(|e| e.name == parent);
            assert!(
                parent.is_some_and(|p| !matches!(p.space, Space::SortIn(_))),
                "{}: sorts inside an unknown partition",
                entry.name
            );
        }
    }
}

/// Stored items are found by these exact strings; a template edit that changes one breaks
/// every existing table.
#[test]
fn layouts_build_the_stored_key_strings() {
    let (t, x, y) = ("acme", "01J0", "9f3a");
    let cases = [
        (GATEWAY.key([t]), "T#acme"),
        (API_KEY.key([x]), "APIKEY#01J0"),
        (API_KEY_BY_HASH.key([y]), "APIKEY#9f3a"),
        (WEBHOOK_ENDPOINT.key([x]), "WEBHOOK#01J0"),
        (WEBHOOK_DELIVERIES.key([t, x]), "T#acme#WEBHOOK#01J0"),
        (WEBHOOK_DELIVERY.key([y]), "DELIVERY#9f3a"),
        (AUDIT.key([t]), "T#acme#AUDIT"),
        (
            AUDIT_BY_ACTOR.key([t, "apikey:#1"]),
            "T#acme#AUDIT#ACTOR#apikey:#1",
        ),
        (
            AUDIT_ENTRY.key(["2026-01-01T00:00:00.000Z", x]),
            "2026-01-01T00:00:00.000Z#01J0",
        ),
        (
            AUDIT_UNAUTHENTICATED.key(["_platform"]),
            "T#_platform#AUDIT#UNAUTHENTICATED",
        ),
        (RATE.key([t]), "T#acme#RATE"),
        (RATE_PRINCIPAL.key(["user_1"]), "P#user_1"),
        (MONITORS.key([t]), "T#acme#MONITOR"),
        (MONITOR_INDEX_SORT.key([t, x]), "acme#01J0"),
        (MENTIONS.key([t, x]), "T#acme#MON#01J0#MENTION"),
        (MENTION.key(["2026", y]), "2026#9f3a"),
        (TENANT_MENTIONS.key([t]), "T#acme#MENTION"),
        (TENANT_MENTION.key(["2026", x, y]), "2026#01J0#9f3a"),
        (MENTION_DEDUP.key([t, x]), "T#acme#MON#01J0#DEDUP"),
        (SOURCE_CURSORS.key([t, x]), "T#acme#MON#01J0#CURSOR"),
        (SCANS.key([t, x]), "T#acme#MON#01J0#SCAN"),
        (SCAN_OUTCOME.key([x, "0003"]), "01J0#0003"),
        (REPORTS.key([t, x]), "T#acme#MON#01J0#REPORT"),
        (BRAND_SETTINGS.key([t]), "T#acme#BRAND"),
        (ALERT_RULES.key([t]), "T#acme#ALERTRULE"),
        (ALERT_RULE.key([x, y]), "MON#01J0#RULE#9f3a"),
        (ALERT_SEEN.key([t, x]), "T#acme#ALERTRULE#01J0#SEEN"),
        (ALERTS.key([t]), "T#acme#ALERT"),
        (MONITOR_ALERTS.key([t, x]), "T#acme#MON#01J0#ALERT"),
        (CAMPAIGNS.key([t]), "CNT#acme#CAMPAIGN"),
        (PROFILES.key([t]), "CNT#acme#PROFILE"),
        (PROFILE_VERSIONS.key([t, x]), "CNT#acme#PROFILE#01J0"),
        (CREDENTIALS.key([t]), "CNT#acme#CRED"),
        (CONTENT_ITEMS.key([t]), "CNT#acme#ITEM"),
        (ITEM_VERSIONS.key([t, x]), "CNT#acme#ITEM#01J0#V"),
        (ITEM_ACTIVITY.key([t, x]), "CNT#acme#ITEM#01J0#A"),
        (
            ITEM_ACTIVITY_ENTRY.key(["20260101T000000.000000Z", y]),
            "20260101T000000.000000Z#9f3a",
        ),
        (PUBLISHED.key(["2026-01-01"]), "CNT#PUBLISHED#2026-01-01"),
        (PUBLISHED_POST.key(["2026", t, x]), "2026#acme#01J0"),
        (DOCUMENTS.key([t]), "RES#acme#DOC"),
        (DOCUMENT_HASHES.key([t]), "RES#acme#HASH"),
        (DOCUMENT_SOURCES.key([t]), "RES#acme#SRC"),
        (ORIGINALS.key([t]), "RES#acme#ORIGINAL"),
        (CHUNKS.key([t, x]), "RES#acme#CHUNK#01J0"),
        (JOBS.key([t]), "RES#acme#JOB"),
        (JOB_ANSWERS.key([t, x]), "RES#acme#JOB#01J0"),
        (GRAPH.key([t]), "RES#acme#GRAPH"),
        (RESEARCH_META.key([t]), "RES#acme#META"),
        (WORKFLOWS.key([t]), "AGT#acme#WFS"),
        (WORKFLOW_VERSIONS.key([t, x]), "AGT#acme#WF#01J0"),
        (WORKFLOW_VERSION.key(["000003"]), "V#000003"),
        (WORKFLOW_NAMES.key([t]), "AGT#acme#WFNAME"),
        (EXECUTIONS.key([t]), "AGT#acme#EX"),
        (CHECKPOINTS.key([t, x]), "AGT#acme#CP#01J0"),
        (IDEMPOTENCY.key([t, x]), "AGT#acme#IDEM#01J0"),
        (ACTIVE_EXECUTION.key([t, x]), "acme#01J0"),
        (TOOLS.key([t]), "AGT#acme#TOOLS"),
        (TOOLS_MCP_SERVER.key(["docs"]), "mcp#docs"),
    ];
    for (built, want) in cases {
        assert_eq!(built.unwrap(), want);
    }
    let literals = [
        (API_KEY_BY_HASH_SORT.literal(), "APIKEY"),
        (RATE_TENANT.literal(), "TENANT"),
        (MONITOR_INDEX.literal(), "MONITORS"),
        (BRAND_SETTINGS_SORT.literal(), "SETTINGS"),
        (RESEARCH_META_GRAPH.literal(), "graph"),
        (ACTIVE.literal(), "AGT#ACTIVE"),
        (EXECUTION_LOCATIONS.literal(), "AGT#EXECUTIONS"),
        (TOOLS_NOTIFY.literal(), "notify"),
        (SYSTEM.literal(), "SYSTEM"),
        (HOUSEKEEPING.literal(), "HOUSEKEEPING"),
    ];
    for (built, want) in literals {
        assert_eq!(built, want);
    }
}

#[test]
fn prefixes_end_at_the_last_placeholder() {
    assert_eq!(ALERT_RULE.prefix(["m1"]).unwrap(), "MON#m1#RULE#");
    assert_eq!(API_KEY.prefix([]).unwrap(), "APIKEY#");
    assert_eq!(TOOLS_MCP_SERVER.prefix([]).unwrap(), "mcp#");
    assert!(ALERT_RULE.prefix(["a#b"]).is_err());
}

#[test]
fn ids_that_could_leave_their_key_are_refused() {
    let long = "x".repeat(MAX_SEGMENT_BYTES + 1);
    for (tenant, monitor) in [
        ("t1#MON#x", "m"),
        ("t1", "a#b"),
        ("", "m"),
        ("t1", ""),
        ("t1", "a/b"),
        ("t1", long.as_str()),
    ] {
        let err = MENTIONS.key([tenant, monitor]).unwrap_err();
        assert!(
            matches!(err, PortError::Invalid(_)),
            "{tenant:?} {monitor:?}"
        );
    }
    let longest = "x".repeat(MAX_SEGMENT_BYTES);
    assert!(MENTIONS.key(["t1", &longest]).is_ok());
    assert!(
        MENTIONS
            .key(["t1", "0190b6a2-7c1e-7d3f-9a4b-123456789abc"])
            .is_ok()
    );
    // A tail takes free text, within its length.
    assert!(RATE_PRINCIPAL.key(["a#b/c"]).is_ok());
    assert!(RATE_PRINCIPAL.key([""]).is_err());
    assert!(
        RATE_PRINCIPAL
            .key([&"x".repeat(MAX_TAIL_BYTES + 1)])
            .is_err()
    );
}

#[test]
fn the_error_names_the_id() {
    let PortError::Invalid(message) = MONITORS.key(["a#b"]).unwrap_err() else {
        panic!("not invalid");
    };
    assert!(message.starts_with("tenant id"), "{message}");
}

#[test]
fn keys_parse_back_into_their_values() {
    let key = MENTIONS.key(["acme", "01J0"]).unwrap();
    assert_eq!(MENTIONS.parse(&key), Some(["acme", "01J0"]));
    assert_eq!(CONTENT_ITEMS.parse("CNT#acme#ITEM"), Some(["acme"]));
    assert_eq!(SCAN_OUTCOME.parse("01J0#0003"), Some(["01J0", "0003"]));
    assert_eq!(
        AUDIT_BY_ACTOR.parse("T#a#AUDIT#ACTOR#x#y"),
        Some(["a", "x#y"])
    );
    for other in [
        "CNT#acme#CAMPAIGN",
        "CNT#acme#ITEM#x#V",
        "CNT#acme",
        "CNT##ITEM",
        "RES#acme#ITEM",
    ] {
        assert_eq!(CONTENT_ITEMS.parse(other), None, "{other}");
    }
    assert_eq!(SCAN_OUTCOME.parse("01J0"), None);
}

/// The literal heads of multi-part layouts (`T#`, `CNT#`, `APIKEY#`, ...) as they would open a
/// hand-written key: `"T#` in a string literal.
fn hand_written_heads() -> Vec<String> {
    let mut heads: Vec<String> = REGISTRY
        .iter()
        .filter(|e| e.template.contains(SEPARATOR))
        .filter_map(|e| match parts(e.template)[0] {
            Part::Literal(head) => Some(format!("\"{head}{SEPARATOR}")),
            _ => None,
        })
        .collect();
    heads.sort();
    heads.dedup();
    heads
}

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Keys are built from the registry only: a capability writing `format!("T#{tenant}#...")`
/// again would bypass the id checks and the overlap proof. Black-box tests outside `src`
/// keep literal keys on purpose, as proof that stored keys did not change.
#[test]
fn no_capability_writes_a_key_by_hand() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let heads = hand_written_heads();
    assert!(heads.contains(&"\"T#".to_string()) && heads.contains(&"\"CNT#".to_string()));
    let mut files = Vec::new();
    for group in ["shared", "functions"] {
        for krate in std::fs::read_dir(root.join(group)).unwrap().flatten() {
            rust_files(&krate.path().join("src"), &mut files);
        }
    }
    assert!(files.len() > 100, "found only {} source files", files.len());
    let mut found = Vec::new();
    for file in files {
        if file.ends_with("core/src/keys.rs") || file.ends_with("core/src/keys/tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if let Some(head) = heads.iter().find(|h| line.contains(h.as_str())) {
                found.push(format!("{}:{}: {head}", file.display(), n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "build these keys with plasma_core::keys: {found:#?}"
    );
}
