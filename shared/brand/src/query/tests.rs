//! Query-level tests: syntax, errors with positions, matching, and the derived search terms.

use super::*;

fn canonical(query: &str) -> String {
    parse(query)
        .unwrap_or_else(|e| panic!("{query:?}: {e}"))
        .to_string()
}

fn error(query: &str) -> ParseError {
    parse(query).expect_err(query)
}

fn matches(query: &str, text: &str) -> bool {
    Query::parse(query)
        .unwrap_or_else(|e| panic!("{query:?}: {e}"))
        .matches(text)
}

#[test]
fn prints_canonically_and_round_trips() {
    let cases = [
        ("acme", "acme"),
        ("Acme Corp", "acme AND corp"),
        ("a OR b c", "a OR b AND c"),
        ("(a OR b) c", "(a OR b) AND c"),
        ("NOT a b", "NOT a AND b"),
        ("x NOT (a b)", "x AND NOT (a AND b)"),
        ("a -b", "a AND NOT b"),
        ("a -(b OR c)", "a AND NOT (b OR c)"),
        ("x a NEAR/3 b", "x AND a NEAR/3 b"),
        ("NOT a NEAR/3 b OR c", "NOT a NEAR/3 b OR c"),
        (r#"(a OR "B c") NEAR/2 do*"#, r#"(a OR "b c") NEAR/2 do*"#),
        ("coca-cola", r#""coca cola""#),
        ("acme.com", r#""acme com""#),
        (r#""Acme""#, "acme"),
        ("#Acme OR @AcmeHQ", "#acme OR @acmehq"),
        ("a AND (b AND c)", "a AND b AND c"),
        ("a OR (b OR c) OR d", "a OR b OR c OR d"),
        (r#""acme prod*""#, r#""acme prod*""#),
        ("and or not near/3", r#"and AND or AND not AND "near 3""#),
        ("NOT NOT a", "NOT NOT a"),
        ("Café", "café"),
    ];
    for (query, expected) in cases {
        assert_eq!(canonical(query), expected, "{query}");
        assert_eq!(parse(expected), parse(query), "{query} must round-trip");
    }
}

#[test]
fn precedence_is_near_then_not_then_and_then_or() {
    let term = |w: &str| {
        Expr::Term(Term {
            words: vec![WordPattern {
                text: w.into(),
                prefix: false,
            }],
        })
    };
    let not = |e: Expr| Expr::Not(Box::new(e));
    let near = |l: &str, r: &str| match (term(l), term(r)) {
        (Expr::Term(left), Expr::Term(right)) => Expr::Near {
            left: vec![left],
            right: vec![right],
            distance: 2,
        },
        _ => unreachable!(),
    };
    assert_eq!(
        parse("a OR b AND NOT c").unwrap(),
        Expr::Or(vec![term("a"), Expr::And(vec![term("b"), not(term("c"))])])
    );
    assert_eq!(
        parse("NOT a NEAR/2 b c").unwrap(),
        Expr::And(vec![not(near("a", "b")), term("c")])
    );
    assert_eq!(
        parse("x OR a NEAR/2 b").unwrap(),
        Expr::Or(vec![term("x"), near("a", "b")])
    );
    assert_eq!(parse("a b OR c"), parse("(a AND b) OR c"));
    assert_eq!(parse("a -b c"), parse("a AND (NOT b) AND c"));
}

#[test]
fn every_syntax_error_points_at_the_offending_token() {
    let cases = [
        ("", 0, "empty query"),
        ("   ", 0, "empty query"),
        ("acme AND", 5, "AND needs a term after it"),
        ("acme OR", 5, "OR needs a term after it"),
        ("AND acme", 0, "AND needs a term before it"),
        ("acme OR OR b", 8, "expected a term after OR, found OR"),
        ("acme AND )", 9, "expected a term after AND, found ')'"),
        ("(acme", 0, "unclosed '('"),
        ("acme OR (b c", 8, "unclosed '('"),
        ("a (", 2, "unclosed '('"),
        ("a ((", 3, "unclosed '('"),
        ("(OR a)", 1, "OR needs a term before it"),
        ("acme)", 4, "unmatched ')'"),
        ("(a))", 3, "unmatched ')'"),
        ("a ) b", 2, "unmatched ')'"),
        ("()", 0, "empty parentheses"),
        ("NOT", 0, "NOT needs a term after it"),
        ("acme NOT", 5, "NOT needs a term after it"),
        ("acme NOT OR b", 9, "expected a term after NOT, found OR"),
        ("NOT job", 0, "at least one term that is not negated"),
        ("  -job -hiring", 2, "at least one term that is not negated"),
        (
            "a NEAR/x b",
            2,
            "NEAR distance must be a whole number of words",
        ),
        (
            "a NEAR/ b",
            2,
            "NEAR distance must be a whole number of words",
        ),
        (
            "a NEAR/-1 b",
            2,
            "NEAR distance must be a whole number of words",
        ),
        ("a NEAR/0 b", 2, "NEAR distance must be at least 1"),
        ("a NEAR/99999999999 b", 2, "NEAR distance is too large"),
        ("a NEAR b", 2, "NEAR needs a distance"),
        ("a NEAR/3", 2, "NEAR/3 needs a term after it"),
        ("NEAR/3 b", 0, "NEAR/3 needs a term before it"),
        ("a NEAR/3 OR b", 9, "expected a term after NEAR/3, found OR"),
        (
            "a NEAR/3 NOT b",
            9,
            "expected a term after NEAR/3, found NOT",
        ),
        ("a NEAR/3 b NEAR/2 c", 11, "NEAR cannot be chained"),
        ("(a AND b) NEAR/3 c", 0, "NEAR operands must be"),
        ("a NEAR/3 (b OR NOT c)", 9, "NEAR operands must be"),
        ("*", 0, "'*' on its own is not a term"),
        ("acme *", 5, "'*' on its own is not a term"),
        ("a*", 0, "at least 2 letters"),
        ("#a*", 0, "at least 2 letters"),
        ("ac*me", 2, "only allowed once, at the end"),
        ("acme**", 4, "only allowed once, at the end"),
        ("acme-*", 5, "must directly follow a letter or digit"),
        (r#""acme corp"#, 0, "unclosed quote"),
        (r#"a OR "b"#, 5, "unclosed quote"),
        (r#""""#, 0, "empty phrase"),
        (r#"a "  ""#, 2, "empty phrase"),
        (r#""acme a*""#, 6, "at least 2 letters"),
        ("!!!", 0, "'!!!' has no letters or digits"),
        ("a - b", 2, "'-' must be directly followed"),
        ("a -", 2, "'-' must be directly followed"),
        // Positions count characters, not bytes: "Café" is 4 characters, 5 bytes.
        ("Café AND", 5, "AND needs a term after it"),
    ];
    for (query, position, message) in cases {
        let err = error(query);
        assert_eq!(err.position, position, "{query:?}: {err}");
        assert!(
            err.message.contains(message),
            "{query:?}: {:?} lacks {message:?}",
            err.message
        );
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}a{}", "(".repeat(5000), ")".repeat(5000));
    let err = error(&deep);
    assert_eq!(
        (err.position, err.message.as_str()),
        (100, "query is nested too deeply")
    );
    let nots = format!("{}a", "NOT ".repeat(5000));
    assert_eq!(error(&nots).message, "query is nested too deeply");
    let fine = format!("{}a{}", "(".repeat(50), ")".repeat(50));
    assert_eq!(canonical(&fine), "a");
}

#[test]
fn errors_display_for_humans() {
    assert_eq!(
        error("acme AND").to_string(),
        "AND needs a term after it (at character 5)"
    );
    let err = Query::parse_with_exclusions("acme", &["job", "hiring OR"]).unwrap_err();
    assert_eq!(err.part, QueryPart::Exclusion(1));
    assert_eq!(err.error.position, 7);
    assert_eq!(
        err.to_string(),
        "exclusion 2: OR needs a term after it (at character 7)"
    );
    let err = Query::parse_with_exclusions::<&str>("(acme", &[]).unwrap_err();
    assert_eq!(err.to_string(), "query: unclosed '(' (at character 0)");
    assert_eq!(
        serde_json::to_value(&err).unwrap(),
        serde_json::json!({"part": "include", "error": {"position": 0, "message": "unclosed '('"}})
    );
}

#[test]
fn words_are_case_insensitive_and_whole() {
    assert!(matches("ACME", "we love acme"));
    assert!(matches("acme", "We love ACME!"));
    assert!(!matches("acme", "acmeville and acmes"));
    assert!(matches("and", "salt and pepper"));
}

#[test]
fn phrases_match_consecutive_words() {
    assert!(matches(r#""acme corp""#, "Shares of ACME Corp. rose"));
    assert!(!matches(r#""acme corp""#, "acme, the corp"));
    assert!(!matches(r#""acme corp""#, "corp acme"));
    assert!(matches(r#""acme prod*""#, "the acme products line"));
}

#[test]
fn trailing_wildcards_match_prefixes() {
    assert!(matches("launch*", "Launching today"));
    assert!(matches("launch*", "it launches"));
    assert!(matches("launch*", "launch"));
    assert!(!matches("launch*", "relaunch"));
    assert!(matches("üb*", "Über alles"));
}

#[test]
fn near_matches_either_order_within_the_distance() {
    let q = "launch NEAR/3 product";
    assert!(matches(q, "launch product"));
    assert!(matches(q, "launch of a new product"));
    assert!(matches(q, "product we will launch"));
    assert!(matches(q, "product one two three launch"));
    assert!(!matches(q, "launch one two three four product"));
    assert!(!matches(q, "product one two three four launch"));
    assert!(!matches(q, "launch only"));
    assert!(matches(
        r#""acme corp" NEAR/1 launch*"#,
        "launched by Acme Corp"
    ));
    assert!(matches(
        "(acme OR globex) NEAR/2 (ceo OR cfo)",
        "the CFO of Globex said"
    ));
    // Two occurrences are needed: one token doesn't satisfy both sides.
    assert!(!matches("acme NEAR/2 acme*", "acme"));
    assert!(matches("acme NEAR/2 acme*", "acme and acmes"));
    // A far pair elsewhere doesn't hide a near one.
    assert!(matches(q, "launch a b c d e f product launch"));
}

#[test]
fn not_and_minus_exclude() {
    assert!(matches("acme -job", "acme rocks"));
    assert!(!matches("acme -job", "ACME job openings"));
    assert!(matches("acme AND NOT (job OR hiring)", "acme rocks"));
    assert!(!matches("acme AND NOT (job OR hiring)", "acme is hiring"));
    assert!(matches("acme OR NOT x", "anything at all"));
}

#[test]
fn exclusions_reject_matching_mentions() {
    let query = Query::parse_with_exclusions("acme", &["job OR hiring", r#""acme road""#]).unwrap();
    assert!(query.matches("Acme launches a rocket"));
    assert!(!query.matches("Acme is hiring"));
    assert!(!query.matches("Traffic on Acme Road"));
    assert_eq!(query.exclusions().len(), 2);
    assert_eq!(query.include().to_string(), "acme");
}

#[test]
fn hashtags_and_handles() {
    assert!(matches("#acme", "Loving #Acme today"));
    assert!(!matches("#acme", "Loving acme today"));
    assert!(!matches("#acme", "Loving @acme today"));
    assert!(matches("@acmehq", "thanks @AcmeHQ!"));
    assert!(!matches("@acmehq", "mail info@acmehq.com"));
    // Unmarked words find the brand inside hashtags and handles too.
    assert!(matches("acme", "#acme"));
    assert!(matches("acme", "@acme"));
    assert!(matches("#acme*", "#AcmeLaunch"));
    assert!(!matches("#acme*", "acmelaunch"));
}

#[test]
fn punctuation_urls_apostrophes_and_hyphens() {
    assert!(matches("acme", "(acme)"));
    assert!(matches("acme", "Acme's new phone"));
    assert!(matches("acme", "acme-branded"));
    assert!(matches("acme", "visit https://www.acme.com/launch"));
    assert!(matches(
        r#""acme com""#,
        "visit https://www.acme.com/launch"
    ));
    assert!(matches("acme.com", "visit ACME.COM today"));
    assert!(matches("coca-cola", "Coca Cola"));
    assert!(matches("coca-cola", "coca-cola"));
    assert!(matches("don't", "I don’t know"));
}

#[test]
fn unicode_text() {
    assert!(matches("café", "CAFÉ au lait"));
    assert!(matches("Café", "un café"));
    assert!(!matches("café", "a cafe"));
    assert!(matches("straße", "STRASSE straße"));
    assert!(matches("москва", "Привет, МОСКВА!"));
}

const BRAND_QUERY: &str = r#"("acme" OR "acme corp" OR #acme OR @acmehq) AND NOT (job OR hiring OR "acme road") AND (launch NEAR/5 product*)"#;

#[test]
fn realistic_brand_query() {
    let query = Query::parse(BRAND_QUERY).unwrap();
    assert!(query.matches("ACME Corp will launch its new products next week"));
    assert!(query.matches("Big day: @AcmeHQ product launch!"));
    assert!(query.matches("#acme: the product we waited for, at launch"));
    assert!(!query.matches("Acme is hiring for the product launch team"));
    assert!(!query.matches("Launch party on Acme Road for the product"));
    assert!(!query.matches("Acme launch, and after many many more words, a product"));
    assert!(!query.matches("A product launch by someone else"));
    assert_eq!(
        query.include().to_string(),
        r#"(acme OR "acme corp" OR #acme OR @acmehq) AND NOT (job OR hiring OR "acme road") AND launch NEAR/5 product*"#
    );
}

#[test]
fn terms_list_positive_terms_once() {
    let query = Query::parse(&format!("{BRAND_QUERY} OR Acme")).unwrap();
    let terms: Vec<String> = query.terms().iter().map(|t| t.to_string()).collect();
    assert_eq!(
        terms,
        [
            "acme",
            r#""acme corp""#,
            "#acme",
            "@acmehq",
            "launch",
            "product*"
        ]
    );
    let double = Query::parse("NOT (NOT wanted OR unwanted) x").unwrap();
    let terms: Vec<String> = double.terms().iter().map(|t| t.to_string()).collect();
    assert_eq!(terms, ["wanted", "x"]);
}

#[test]
fn search_string_ors_the_positive_terms() {
    let query = Query::parse_with_exclusions(BRAND_QUERY, &["spam"]).unwrap();
    assert_eq!(
        query.to_search_string(),
        r#"acme OR "acme corp" OR #acme OR @acmehq OR launch OR product"#
    );
    assert_eq!(
        Query::parse(r#"launch* OR launch "big co*""#)
            .unwrap()
            .to_search_string(),
        r#"launch OR "big co""#
    );
}

#[test]
fn one_document_many_queries() {
    let document = Document::new("Acme launches #rockets");
    let hits: Vec<bool> = ["acme", "#rockets", "globex", "acme NEAR/1 rocket*"]
        .iter()
        .map(|q| Query::parse(q).unwrap().matches_document(&document))
        .collect();
    assert_eq!(hits, [true, true, false, true]);
    assert_eq!(
        "acme".parse::<Query>().unwrap(),
        Query::parse("acme").unwrap()
    );
}

/// Random inputs built from query-ish pieces never panic; whatever parses also prints back to
/// an equal query, and every error points inside the input (or at its end).
#[test]
fn random_input_never_panics() {
    const PIECES: &[&str] = &[
        "acme", "Café", " ", " ", "  ", "(", ")", "\"", "*", "-", "#", "@", "AND", "OR", "NOT",
        "NEAR/", "NEAR/2", "NEAR/0", "NEAR", "3", "x", "ab*", "é", "\u{301}", ".", "'", "’", "/",
        "\t", "and", "ü", "🚀", "_",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut parsed = 0;
    for _ in 0..20_000 {
        let length = next() % 12;
        let input: String = (0..length)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        match parse(&input) {
            Ok(expr) => {
                parsed += 1;
                let printed = expr.to_string();
                assert_eq!(
                    parse(&printed).as_ref(),
                    Ok(&expr),
                    "{input:?} → {printed:?}"
                );
                let query = Query::new(expr, Vec::new());
                query.matches(&input);
                query.to_search_string();
            }
            Err(err) => assert!(err.position <= input.chars().count(), "{input:?}: {err}"),
        }
    }
    assert!(
        parsed > 100,
        "the generator should produce some valid queries ({parsed})"
    );
}
