//! The writer's two ways to learn the vocabulary give the same bundle: words listed in each `Document`, or counted
//! by the caller (as build-index does, on every core) and handed over with `add_vocabulary`.

use jiansuo::build::{BuildOptions, Document, IndexBuilder, Vocabulary};

fn documents() -> Vec<(Document, Vec<&'static str>)> {
    let doc = |url: &str, day: i64, text: &str, words: Vec<&'static str>| {
        let document = Document {
            url: url.into(),
            title: format!("标题 {url}"),
            date: format!("day {day}"),
            timestamp: day * 86_400,
            text: text.into(),
            ..Document::default()
        };
        (document, words)
    };
    vec![
        doc("/a", 3, "长春打造人工智能创新策源地", vec!["长春", "打造", "人工智能", "人工智能", "創新"]),
        doc("/b", 2, "黄金价格上涨", vec!["黄金", "价格", "上涨", "AI"]),
        doc("/c", 1, "人工智能与黄金", vec!["人工智能", "黄金", "与"]),
        doc("/d", 5, "没有词", Vec::new()),
    ]
}

fn build(builder: IndexBuilder) -> Vec<(String, Vec<u8>)> {
    builder.finish().expect("bundle").files.into_iter().map(|file| (file.path, file.bytes)).collect()
}

#[test]
fn counted_words_give_the_same_bundle_as_listed_words() {
    let mut listed = IndexBuilder::new(BuildOptions::default());
    for (mut document, words) in documents() {
        document.words = words.iter().map(|w| w.to_string()).collect();
        listed.add(document);
    }

    let mut counted = IndexBuilder::new(BuildOptions::default());
    let all = documents();
    // Counted in two parts and merged, as parallel counting does.
    let (first, second) = all.split_at(2);
    let mut vocabulary = Vocabulary::default();
    for (_, words) in first {
        vocabulary.add_document(words.iter().copied());
    }
    let rest = Vocabulary::of_documents(second, |(_, words): &(Document, Vec<&'static str>)| words.iter().copied());
    counted.add_vocabulary(vocabulary.merge(rest));
    for (document, _) in all {
        counted.add(document);
    }

    assert!(build(listed) == build(counted), "the bundles differ");
}
