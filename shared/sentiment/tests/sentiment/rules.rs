//! One test per rule, through the public API.

use plasma_sentiment::{Analyzer, Label, Score, analyse};

fn compound(text: &str) -> f64 {
    analyse(text).compound
}

#[test]
fn lexicon_words_carry_their_polarity() {
    assert_eq!(analyse("The service was good.").label(), Label::Positive);
    assert_eq!(
        analyse("The service was terrible.").label(),
        Label::Negative
    );
}

#[test]
fn negation_flips_polarity() {
    assert!(compound("The food is good") > 0.3);
    assert!(compound("The food is not good") < -0.3);
    assert!(compound("The food isn't good") < -0.3);
    assert!(compound("The food is not bad") > 0.0);
    // Negation reaches over up to two words.
    assert!(compound("I don't really like it") < 0.0);
}

#[test]
fn negation_does_not_cross_sentences_or_sentiment_words() {
    assert!(
        compound("Not bad. Great!") > 0.5,
        "the negation stays in its sentence"
    );
    assert!(
        compound("don't care don't care") < 0.0,
        "each 'don't' negates only its own word"
    );
}

#[test]
fn boosters_raise_and_dampeners_lower_magnitude() {
    let plain = compound("The movie was good");
    assert!(compound("The movie was very good") > plain);
    assert!(compound("The movie was extremely good") > plain);
    assert!(compound("The movie was kind of good") < plain);
    assert!(compound("The movie was slightly good") < plain);
    assert!(compound("The movie was very bad") < compound("The movie was bad"));
}

#[test]
fn but_shifts_weight_to_the_later_clause() {
    assert!(compound("The food was great but the service was terrible") < 0.0);
    assert!(compound("The service was terrible but the food was great") > 0.0);
    // "not only … but also" is not a contrast.
    let additive = compound("Not only cheap but also great");
    assert!(additive > 0.5, "{additive}");
}

#[test]
fn least_negates_except_at_least() {
    assert!(compound("the least funny show") < 0.0);
    assert!(compound("at least it was funny") > 0.0);
}

#[test]
fn capitals_emphasise_in_mixed_case_text() {
    assert!(compound("The movie was GREAT") > compound("The movie was great"));
    assert!(compound("The movie was AWFUL") < compound("The movie was awful"));
    // All-caps text is shouting throughout, not emphasis of one word.
    assert_eq!(
        compound("THE MOVIE WAS GREAT"),
        compound("the movie was great")
    );
}

#[test]
fn exclamation_marks_emphasise_up_to_four() {
    let plain = compound("This is good");
    let one = compound("This is good!");
    let three = compound("This is good!!!");
    assert!(one > plain && three > one);
    assert_eq!(
        compound("This is good!!!!"),
        compound("This is good!!!!!!!!")
    );
    assert!(compound("This is bad!!!") < compound("This is bad"));
}

#[test]
fn repeated_question_marks_emphasise() {
    assert!(compound("is this good??") > compound("is this good?"));
}

#[test]
fn elongated_words_are_found_and_emphasised() {
    assert!(compound("this is goooood") > compound("this is good"));
    assert!(compound("sooo happy") > compound("happy"));
    assert!(compound("this is baaad") < 0.0);
}

#[test]
fn emoji_and_emoticons_carry_sentiment() {
    assert_eq!(analyse("on my way 😍").label(), Label::Positive);
    assert_eq!(analyse("on my way😭").label(), Label::Negative);
    assert_eq!(analyse("on my way :)").label(), Label::Positive);
    assert_eq!(analyse("on my way :(").label(), Label::Negative);
    assert_eq!(
        analyse("see you &lt;3").label(),
        Label::Positive,
        "HTML-escaped heart"
    );
    assert_eq!(
        analyse("missed it D:").label(),
        Label::Negative,
        "case matters in emoticons"
    );
    assert_eq!(analyse("got it :D").label(), Label::Positive);
    // Glued to a word or punctuation, or with a repeated mouth.
    assert_eq!(analyse("going home:(").label(), Label::Negative);
    assert_eq!(analyse("see you :-).").label(), Label::Positive);
    assert_eq!(analyse("got it :DDD").label(), Label::Positive);
}

#[test]
fn slang_carries_sentiment() {
    assert_eq!(analyse("lol that's me").label(), Label::Positive);
    assert_eq!(analyse("smh at this").label(), Label::Negative);
    assert_eq!(analyse("ugh mondays").label(), Label::Negative);
    assert_eq!(analyse("fml my car broke down").label(), Label::Negative);
    assert_eq!(analyse("yum pizza").label(), Label::Positive);
}

#[test]
fn idioms_override_word_valence() {
    assert!(compound("this song is the shit") > 0.5);
    assert!(compound("yeah right") < 0.0);
    assert!(compound("can't wait for the weekend") > 0.3);
    assert!(compound("kiss of death") < 0.0);
    assert!(
        compound("kiss of death") > compound("death"),
        "the phrase counts once"
    );
}

#[test]
fn laughter_of_any_length_is_positive() {
    assert!(compound("hahahahaha") > 0.3);
    assert!(compound("ahahahah") > 0.3);
    assert!(compound("hehehe") > 0.3);
}

#[test]
fn plain_questions_count_less_than_statements() {
    let statement = compound("Is this a good editor.");
    let question = compound("Is this a good editor?");
    assert!(question > 0.0 && question < statement);
}

#[test]
fn user_handles_are_names() {
    assert_eq!(
        compound("thanks to @anonymous"),
        compound("thanks to @love")
    );
}

#[test]
fn neutral_and_empty_text() {
    assert_eq!(
        analyse("The meeting is at 3pm in room 12.").label(),
        Label::Neutral
    );
    assert_eq!(analyse("The meeting is at 3pm in room 12.").compound, 0.0);
    assert_eq!(analyse(""), Score::default());
    assert_eq!(analyse("   \n\t ").label(), Label::Neutral);
    assert_eq!(analyse("!!! ???").label(), Label::Neutral);
}

#[test]
fn shares_sum_to_one() {
    let s = analyse("Good food, terrible service, fine location.");
    assert!((s.positive + s.negative + s.neutral - 1.0).abs() < 1e-9);
    assert!(s.positive > 0.0 && s.negative > 0.0 && s.neutral > 0.0);
}

#[test]
fn compound_stays_in_range_for_adversarial_input() {
    let bangs = "!".repeat(10_000);
    let love = "LOVE ".repeat(10_000);
    let hate = "hate!!! ".repeat(10_000);
    let elongated = format!("g{}d", "o".repeat(100_000));
    let mixed = "not ".repeat(5_000) + "good";
    let emoji = "😍".repeat(10_000);
    let weird = "\u{0} \u{fe0f}\u{200d} & &amp &#; 🏻 ' n't -- :: ";
    let mut analyzer = Analyzer::new();
    for text in [
        &bangs,
        &love,
        &hate,
        &elongated,
        &mixed,
        &emoji,
        &weird.to_string(),
    ] {
        let s = analyzer.analyse(text);
        assert!((-1.0..=1.0).contains(&s.compound), "{}", s.compound);
        for share in [s.positive, s.negative, s.neutral] {
            assert!((0.0..=1.0).contains(&share) && share.is_finite());
        }
    }
    assert!(analyzer.analyse(&love).compound > 0.99);
    assert!(analyzer.analyse(&hate).compound < -0.99);
}

#[test]
fn analyzer_matches_free_function() {
    let mut analyzer = Analyzer::new();
    for text in ["great!", "not bad", "awful :(", ""] {
        assert_eq!(analyzer.analyse(text), analyse(text));
    }
}

#[test]
fn label_thresholds_and_serde() {
    let at = |compound| {
        Score {
            compound,
            ..Score::default()
        }
        .label()
    };
    assert_eq!(at(0.05), Label::Positive);
    assert_eq!(at(0.0499), Label::Neutral);
    assert_eq!(at(-0.05), Label::Negative);
    assert_eq!(
        serde_json::to_string(&Label::Positive).unwrap(),
        "\"positive\""
    );
    assert_eq!(
        serde_json::from_str::<Label>("\"neutral\"").unwrap(),
        Label::Neutral
    );
}
