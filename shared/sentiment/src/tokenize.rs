//! Splits text into words, emoticons and emoji, lower-cased into one reused buffer, with
//! what the rules need precomputed per token (lexicon entry, caps, clause breaks).

use crate::lexicon::{Entry, LEXICON};
use crate::normalize::{decode_entities, fold_runs, has_run, laughter};

/// How strongly the text is cut after a token; targeted scoring keeps to its clause.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) enum Break {
    #[default]
    None,
    Comma,
    Sentence,
}

#[derive(Clone, Copy)]
pub(crate) struct Token {
    start: u32,
    end: u32,
    pub(crate) entry: Entry,
    /// Written in capitals (two letters or more, none lower-case): VADER's emphasis cue.
    pub(crate) caps: bool,
    /// Letters repeated for emphasis ("goooood"), folded before the lookup.
    pub(crate) elongated: bool,
    pub(crate) bangs: u16,
    pub(crate) qmarks: u16,
    pub(crate) break_after: Break,
}

/// The reusable buffers; `tokenize` refills them for each text without allocating once warm.
#[derive(Default)]
pub(crate) struct Tokens {
    decoded: String,
    lower: String,
    folded: String,
    pub(crate) items: Vec<Token>,
}

impl Tokens {
    pub(crate) fn text(&self, token: &Token) -> &str {
        &self.lower[token.start as usize..token.end as usize]
    }

    pub(crate) fn text_at(&self, i: usize) -> &str {
        self.items.get(i).map_or("", |t| self.text(t))
    }

    /// VADER only counts capitals as emphasis when the text also has lower-case words.
    pub(crate) fn mixed_caps(&self) -> bool {
        let caps = self.items.iter().filter(|t| t.caps).count();
        caps > 0 && caps < self.items.len()
    }

    pub(crate) fn tokenize(&mut self, text: &str) {
        self.lower.clear();
        self.items.clear();
        let mut decoded = std::mem::take(&mut self.decoded);
        let text = if text.contains('&') {
            decode_entities(text, &mut decoded);
            decoded.as_str()
        } else {
            text
        };
        for chunk in text.split_whitespace() {
            self.chunk(chunk);
        }
        self.decoded = decoded;
    }

    /// A whitespace-delimited chunk; emoji split it ("great👍" is a word and an emoji).
    fn chunk(&mut self, chunk: &str) {
        if chunk.is_ascii() {
            self.piece(chunk);
            return;
        }
        let mut from = 0;
        for (at, c) in chunk.char_indices() {
            let valence = LEXICON.emoji(c);
            let joiner = matches!(c, '\u{fe0f}' | '\u{200d}' | '\u{1f3fb}'..='\u{1f3ff}');
            if valence.is_none() && !joiner {
                continue;
            }
            self.piece(&chunk[from..at]);
            from = at + c.len_utf8();
            if let Some(valence) = valence {
                let start = self.lower.len() as u32;
                self.lower.push(c);
                let entry = Entry {
                    valence,
                    in_lexicon: true,
                    ..Entry::default()
                };
                self.push(start, entry, false, false);
            }
        }
        self.piece(&chunk[from..]);
    }

    fn piece(&mut self, piece: &str) {
        if piece.is_empty() {
            return;
        }
        if !piece.chars().all(char::is_alphanumeric) && self.emoticon(piece) {
            return;
        }
        let start = self.lower.len();
        let (mut upper, mut lower_letters, mut letters) = (false, false, 0);
        for c in piece.chars() {
            if c.is_alphabetic() {
                letters += 1;
                upper |= c.is_uppercase();
                lower_letters |= c.is_lowercase();
            }
            match c {
                'A'..='Z' => self.lower.push(c.to_ascii_lowercase()),
                '\u{2019}' | '\u{2018}' => self.lower.push('\''),
                c if c.is_ascii() => self.lower.push(c),
                c => self.lower.extend(c.to_lowercase()),
            }
        }
        let caps = upper && !lower_letters && letters >= 2;
        let raw = &self.lower[start..];
        let word = raw.trim_matches(is_punctuation);
        let lead = raw.len() - raw.trim_start_matches(is_punctuation).len();
        let (bangs, qmarks, stop) = trailing_marks(&raw[lead + word.len()..]);
        if word.is_empty() {
            // A run of punctuation ("!!!", "-"): it belongs to the token before.
            self.lower.truncate(start);
            if let Some(last) = self.items.last_mut() {
                last.bangs = last.bangs.saturating_add(bangs);
                last.qmarks = last.qmarks.saturating_add(qmarks);
                last.break_after = last.break_after.max(stop);
            }
            return;
        }
        let (word_start, word_end) = (start + lead, start + lead + word.len());
        self.lower.truncate(word_end);
        self.lower.drain(start..word_start);
        // A user handle ("@happygirl", "@Love") is a name, not sentiment.
        let (mut entry, elongated) = if piece.starts_with('@') {
            (Entry::default(), false)
        } else {
            self.lookup(start)
        };
        if self.lower[start..].contains("n't") {
            entry.negation = true;
        }
        self.push(start as u32, entry, caps, elongated);
        let last = self.items.last_mut().expect("just pushed");
        last.bangs = bangs;
        last.qmarks = qmarks;
        last.break_after = stop;
    }

    /// Emoticons (":)", "<3", "D:") are lexicon entries made of punctuation. One may be
    /// glued to a word or punctuation ("home:(", ":-)."). Pushes the tokens and returns
    /// true, or leaves everything as it was.
    fn emoticon(&mut self, piece: &str) -> bool {
        if let Some((entry, face)) = Self::face(piece) {
            let start = self.lower.len() as u32;
            self.lower.push_str(face);
            self.push(start, entry, false, false);
            return true;
        }
        let Some(at) = piece.find([':', ';', '=']) else {
            return false;
        };
        let tail = &piece[at..];
        let face = tail.trim_end_matches(['.', ',', '!', '?', '"', '\'']);
        let Some((entry, face)) = Self::face(face) else {
            return false;
        };
        let (bangs, qmarks, stop) = trailing_marks(&tail[face.len()..]);
        self.piece(&piece[..at]);
        let start = self.lower.len() as u32;
        self.lower.push_str(face);
        self.push(start, entry, false, false);
        let last = self.items.last_mut().expect("just pushed");
        (last.bangs, last.qmarks, last.break_after) = (bangs, qmarks, stop);
        true
    }

    /// The lexicon entry of a face as written (case can matter: ":D" laughs, "D:"
    /// despairs), else lower-cased; a repeated mouth (":DDD", "<333") is the same face.
    fn face(face: &str) -> Option<(Entry, &str)> {
        let mouth = face.chars().last()?;
        let once = &face[..face.trim_end_matches(mouth).len() + mouth.len_utf8()];
        [face, once].into_iter().find_map(|f| {
            // Faces are short; lower-case on the stack rather than allocate per token.
            let mut buffer = [0u8; 16];
            let lower = buffer.get_mut(..f.len()).map(|b| {
                b.copy_from_slice(f.as_bytes());
                b.make_ascii_lowercase();
                &*b
            });
            let lower = lower.and_then(|b| std::str::from_utf8(b).ok());
            let entry = LEXICON
                .word(f)
                .or_else(|| lower.and_then(|l| LEXICON.word(l)));
            entry.filter(|e| e.in_lexicon).map(|e| (e, f))
        })
    }

    /// The entry for the word at `start..`: as written, as laughter of any length, or with
    /// emphatic repeats folded ("sooo" -> "soo" -> "so", rewritten in place).
    fn lookup(&mut self, start: usize) -> (Entry, bool) {
        let word = &self.lower[start..];
        let entry = LEXICON.word(word).unwrap_or_default();
        if known(&entry) {
            return (entry, false);
        }
        if let Some(laugh) = laughter(word) {
            return (LEXICON.word(laugh).unwrap_or_default(), false);
        }
        if has_run(word) {
            for keep in [2, 1] {
                fold_runs(&self.lower[start..], keep, &mut self.folded);
                if let Some(found) = LEXICON.word(&self.folded).filter(known) {
                    self.lower.truncate(start);
                    self.lower.push_str(&self.folded);
                    return (found, true);
                }
            }
        }
        (entry, false)
    }

    fn push(&mut self, start: u32, entry: Entry, caps: bool, elongated: bool) {
        self.items.push(Token {
            start,
            end: self.lower.len() as u32,
            entry,
            caps,
            elongated,
            bangs: 0,
            qmarks: 0,
            break_after: Break::None,
        });
    }
}

fn known(entry: &Entry) -> bool {
    entry.in_lexicon || entry.booster != 0.0 || entry.negation
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || matches!(c, '…' | '“' | '”' | '«' | '»' | '–' | '—')
}

fn trailing_marks(tail: &str) -> (u16, u16, Break) {
    let (mut bangs, mut qmarks, mut stop) = (0u16, 0u16, Break::None);
    for c in tail.chars() {
        match c {
            '!' => bangs = bangs.saturating_add(1),
            '?' => qmarks = qmarks.saturating_add(1),
            _ => {}
        }
        let cut = match c {
            '.' | '!' | '?' | ';' | '…' => Break::Sentence,
            ',' | ':' | '-' | '–' | '—' | ')' => Break::Comma,
            _ => Break::None,
        };
        stop = stop.max(cut);
    }
    (bangs, qmarks, stop)
}
