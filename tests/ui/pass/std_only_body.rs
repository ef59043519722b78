//! A body that uses only std, its own nested items and its own macro.

#![deny(warnings)]

use kfp::prelude::*;

#[component]
fn word_stats(text: &str, top: usize) -> std::collections::BTreeMap<String, i64> {
    use std::collections::HashMap;
    use std::fmt::Write as _;

    macro_rules! lower {
        ($word:expr) => {
            $word.to_lowercase()
        };
    }

    const STOP_WORDS: &[&str] = &["a", "the"];

    #[derive(Debug, Default)]
    struct Counter {
        counts: HashMap<String, i64>,
    }

    impl Counter {
        fn add(&mut self, word: &str) {
            *self.counts.entry(lower!(word)).or_default() += 1;
        }
    }

    enum Kind {
        Stop,
        Word,
    }

    fn kind(word: &str) -> Kind {
        if STOP_WORDS.contains(&word) {
            Kind::Stop
        } else {
            Kind::Word
        }
    }

    mod util {
        pub fn trim(word: &str) -> &str {
            word.trim_matches(|c: char| !c.is_alphanumeric())
        }
    }

    let mut counter = Counter::default();
    for word in text.split_whitespace().map(util::trim) {
        if let Kind::Word = kind(word) {
            counter.add(word);
        }
    }
    let mut log = String::new();
    let _ = write!(log, "{} words, max {}", counter.counts.len(), i64::MAX);
    assert!(!log.is_empty());
    let mut pairs: Vec<(String, i64)> = counter.counts.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    pairs.into_iter().take(top).collect::<std::collections::BTreeMap<_, _>>()
}

#[pipeline]
fn my_pipeline(text: String) {
    word_stats_op(text, 3);
}

fn main() {
    let counts = word_stats("the cat and The dog and a cat", 2);
    assert_eq!(counts.get("cat"), Some(&2));
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
