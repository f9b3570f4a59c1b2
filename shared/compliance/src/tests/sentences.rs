use crate::sentences::split;

fn sentences(text: &str) -> Vec<&str> {
    split(text).into_iter().map(|r| &text[r]).collect()
}

#[test]
fn full_stops_question_and_exclamation_marks_end_sentences() {
    assert_eq!(
        sentences("It costs $3.50 today! Is that cheap? Yes.  "),
        ["It costs $3.50 today!", "Is that cheap?", "Yes."]
    );
}

#[test]
fn abbreviations_initials_and_decimals_do_not_split() {
    assert_eq!(
        sentences("Dr. Smith met Mr. Jones at 3.5 p.m. on Monday. They talked."),
        [
            "Dr. Smith met Mr. Jones at 3.5 p.m. on Monday.",
            "They talked."
        ]
    );
    assert_eq!(
        sentences("We ship to the U.S. and the U.K. every week. Orders arrive fast."),
        [
            "We ship to the U.S. and the U.K. every week.",
            "Orders arrive fast."
        ]
    );
    assert_eq!(
        sentences("Use plain words, e.g. Simple ones. Avoid jargon, i.e. insider talk."),
        [
            "Use plain words, e.g. Simple ones.",
            "Avoid jargon, i.e. insider talk."
        ]
    );
    assert_eq!(
        sentences("John F. Kennedy spoke. See Fig. 2 and No. 5 for details."),
        [
            "John F. Kennedy spoke.",
            "See Fig. 2 and No. 5 for details."
        ]
    );
}

#[test]
fn an_ellipsis_before_a_lower_case_word_does_not_split() {
    assert_eq!(
        sentences("Wait... what happened? Nothing."),
        ["Wait... what happened?", "Nothing."]
    );
}

#[test]
fn closing_quotes_and_brackets_stay_with_their_sentence() {
    assert_eq!(
        sentences("She said \"Hello.\" Then she left. (It was late.) Done."),
        [
            "She said \"Hello.\"",
            "Then she left.",
            "(It was late.)",
            "Done."
        ]
    );
}

#[test]
fn list_items_headings_and_paragraphs_are_sentences() {
    assert_eq!(
        sentences("# Launch notes\nKey points:\n- faster sync\n- fewer clicks\n\nMore soon"),
        [
            "# Launch notes",
            "Key points:",
            "- faster sync",
            "- fewer clicks",
            "More soon"
        ]
    );
    assert_eq!(
        sentences("1. First step\n2. Second step"),
        ["1. First step", "2. Second step"]
    );
}

#[test]
fn a_soft_line_wrap_does_not_split() {
    assert_eq!(
        sentences("This line wraps\nonto the next one."),
        ["This line wraps\nonto the next one."]
    );
}

#[test]
fn stretches_without_words_are_not_sentences() {
    assert_eq!(sentences("Hello.\n\n---\n\n!!"), ["Hello."]);
    assert!(sentences("   ").is_empty());
}
