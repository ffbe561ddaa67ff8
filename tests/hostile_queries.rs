//! Whatever a reader (or a script) types into the search box, the engine answers quickly with results or a clear
//! `bad-query` error, and never panics (issue #6). Run against a small real bundle through the native host.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jiansuo::build::{BuildOptions, Document, FolderSink, IndexBuilder};
use jiansuo::local::{LocalError, LocalIndex};
use jiansuo::query::{MAX_KEYWORDS, MAX_QUERY_CHARS};
use jiansuo::{Error, SearchOptions, SortOrder};

/// Tests run unoptimized on a shared machine: generous, yet far below what a quadratic blow-up would take.
const TIME_LIMIT: Duration = Duration::from_secs(2);

/// A bundle written to a folder of its own, removed when dropped.
struct Bundle(PathBuf);

impl Drop for Bundle {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn bundle() -> Bundle {
    let posts = [
        ("长春打造人工智能创新策源地", "科大讯飞助力长春。人工智能产业。", "本地"),
        ("黄金价格再创新高", "国际金价上涨，黄金价格突破每盎司4495.29美元。", "财经"),
        ("苹果发布iPhone15", "iPhone 15 Pro 搭载新芯片；ambiphone 不是手机。5G网络。", "科技"),
        ("長春的人工智慧", "繁體中文的文章。Open Source 軟件。", "本地"),
        ("标点！？。", "「引号」『书名』——破折号……省略号。<script>alert(1)</script>", "社会"),
    ];
    let mut builder = IndexBuilder::new(BuildOptions::default());
    for (i, (title, text, category)) in posts.into_iter().enumerate() {
        builder.add(Document {
            url: format!("/post/{i}.html"),
            title: title.into(),
            date: format!("2024-01-0{}T08:00:00+08:00", i + 1),
            timestamp: 1_704_067_200 + i as i64 * 86_400,
            categories: vec![category.into()],
            tags: vec!["标签".into()],
            text: text.into(),
            words: vec!["人工智能".into(), "长春".into(), "黄金".into()],
        });
    }
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("jiansuo-hostile-queries-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    builder.write_into(&FolderSink::new(&dir)).expect("write the bundle");
    Bundle(dir)
}

/// Every hostile input, named for the failure message.
fn hostile_queries() -> Vec<(&'static str, String)> {
    let cjk = |n: usize| (0..n).map(|i| char::from_u32(0x4E00 + i as u32 * 7).unwrap()).collect::<Vec<char>>();
    vec![
        ("10,000 characters of one Chinese character", "长".repeat(10_000)),
        ("10,000 characters of Latin", "a".repeat(10_000)),
        ("10,000 characters of words and spaces", "人工智能 ".repeat(2_000)),
        ("10,000 distinct characters", (0..10_000).map(|i| char::from_u32(0x4E00 + i).unwrap()).collect()),
        ("the longest query: one keyword of 1,000 characters", "人工智能".repeat(MAX_QUERY_CHARS / 4)),
        ("the longest query: a Latin run of 1,000 letters", "iphone".repeat(MAX_QUERY_CHARS / 6)),
        ("the longest query: 1,000 combining marks", format!("a{}", "\u{301}".repeat(MAX_QUERY_CHARS - 1))),
        ("the most keywords, each long", vec!["人工智能长春黄金价格创新策源地".to_string(); MAX_KEYWORDS].join(" ")),
        (
            "the most distinct keywords",
            cjk(MAX_KEYWORDS).iter().map(|c| format!("{c}人工")).collect::<Vec<_>>().join(" "),
        ),
        ("500 keywords", cjk(500).iter().map(char::to_string).collect::<Vec<_>>().join(" ")),
        ("500 Latin keywords", "a ".repeat(500)),
        ("500 excluded keywords", "-a ".repeat(500)),
        ("500 ORs", vec!["长春"; 500].join(" OR ")),
        ("control characters", "\u{0}\u{1}\u{7}\u{8}\u{1b}[31m人工\u{7f}智能\u{9f}\t\r\n".into()),
        ("only control characters", (0u8..32).map(char::from).collect()),
        ("NUL between characters", "长\u{0}春".into()),
        ("lone surrogates as they arrive from JS", "\u{FFFD}".into()),
        ("replacement characters inside a keyword", "人工\u{FFFD}智能 \u{FFFD}\u{FFFD}".into()),
        ("1,000 replacement characters", "\u{FFFD}".repeat(MAX_QUERY_CHARS)),
        ("only ASCII punctuation", "!@#$%^&*()_+=[]{}|;:',.<>/?`~\\".into()),
        ("only Chinese punctuation", "！？。，、；：“”‘’（）【】《》…—「」『』".into()),
        ("markup", "<script>alert(1)</script> &amp; \"><img src=x onerror=alert(1)>".into()),
        ("unbalanced quote at the start", "\"人工智能".into()),
        ("unbalanced quote inside", "人工\"智能".into()),
        ("a quote alone", "\"".into()),
        ("five quotes", "\"\"\"\"\"".into()),
        ("full-width quotes", "＂人工“智能”".into()),
        ("- alone", "-".into()),
        ("- and spaces", " - - -  ".into()),
        ("-- and ---", "-- ---".into()),
        ("excluded empty phrase", "-\"\"".into()),
        ("only an exclusion", "-人工智能".into()),
        ("OR alone", "OR".into()),
        ("OR chains", "OR OR OR 长春 OR OR".into()),
        ("white space only", " \t\u{3000}\u{a0}\u{2028} ".into()),
        ("invisible characters only", "\u{200B}\u{200D}\u{FEFF}\u{2060}\u{202E}".into()),
        ("bidi overrides around a keyword", "\u{202E}长春\u{202C}".into()),
        ("emoji and ZWJ sequences", "👩‍👩‍👧‍👦🏳️‍🌈 长春".into()),
        ("astral CJK", "𠀀𠀁𪚥".into()),
        ("private use and noncharacters", "\u{E000}\u{F8FF}\u{FFFE}\u{10FFFF}".into()),
        ("traditional characters", "長春 人工智慧".into()),
        ("pinyin-like Latin", "zhangchunrengongzhineng".repeat(40)),
        ("typo-like Latin", "iphnoe ambiphnoe opne sorce".into()),
        ("digits and dots", "4495.29 1.2.3.4.5 .5 5. ..".into()),
    ]
}

#[test]
fn hostile_queries_answer_quickly_without_panicking() {
    let dir = bundle();
    let mut index = LocalIndex::open(&dir.0).expect("open bundle");
    let option_sets = [
        SearchOptions::default(),
        SearchOptions { sort: SortOrder::Date, facets: true, limit: 1_000, ..Default::default() },
        SearchOptions { categories: vec!["本地".into()], from: Some("2024-01-01".into()), ..Default::default() },
    ];
    for (what, query) in hostile_queries() {
        let too_long = query.chars().count() > MAX_QUERY_CHARS;
        for options in &option_sets {
            let started = Instant::now();
            let outcome = index.search(&query, options);
            let elapsed = started.elapsed();
            assert!(elapsed < TIME_LIMIT, "{what}: took {elapsed:?}");
            match outcome {
                Ok(page) => {
                    assert!(!too_long, "{what}: a query beyond {MAX_QUERY_CHARS} characters must be refused");
                    for result in &page.results {
                        assert!(!result.excerpt.contains("<script") && !result.excerpt.contains("<img"), "{what}");
                    }
                }
                Err(LocalError::Index(Error::BadQuery(message))) => assert!(!message.is_empty(), "{what}"),
                Err(other) => panic!("{what}: expected results or bad-query, got {other}"),
            }
            let started = Instant::now();
            let completions = index.complete(&query, 10);
            assert!(started.elapsed() < TIME_LIMIT, "{what}: completions took {:?}", started.elapsed());
            match completions {
                Ok(_) | Err(LocalError::Index(Error::BadQuery(_))) => {}
                Err(other) => panic!("{what}: completions failed with {other}"),
            }
        }
    }
}

#[test]
fn the_limits_are_errors_that_say_so() {
    let dir = bundle();
    let mut index = LocalIndex::open(&dir.0).expect("open bundle");
    let cases = [
        ("长".repeat(MAX_QUERY_CHARS + 1), "longer than"),
        (
            vec!["长春"; MAX_KEYWORDS + 1]
                .iter()
                .enumerate()
                .map(|(i, k)| format!("{k}{i}"))
                .collect::<Vec<_>>()
                .join(" "),
            "keywords",
        ),
    ];
    for (query, says) in cases {
        match index.search(&query, &SearchOptions::default()) {
            Err(LocalError::Index(error @ Error::BadQuery(_))) => {
                assert_eq!(error.code(), "bad-query");
                assert!(error.to_string().starts_with("bad-query: ") && error.to_string().contains(says), "{error}");
            }
            other => panic!("expected bad-query, got {other:?}"),
        }
    }
    // Just under the limits is a query like any other.
    index.search(&"长春".repeat(MAX_QUERY_CHARS / 2), &SearchOptions::default()).expect("1,000 characters");
    let found = index.search("长春 人工智能", &SearchOptions::default()).expect("ordinary query");
    assert!(found.total > 0);
}
