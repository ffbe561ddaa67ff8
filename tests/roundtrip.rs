//! Posts → bundle → search, natively: the engine's behaviour end to end.

use jiansuo::build::{BuildOptions, Document, FolderSink, IndexBuilder};
use jiansuo::local::LocalIndex;
use jiansuo::{SearchOptions, SortOrder};

fn doc(url: &str, day: i64, title: &str, text: &str, categories: &[&str], tags: &[&str]) -> Document {
    Document {
        url: url.into(),
        title: title.into(),
        date: format!("day {day}"),
        timestamp: day * 86_400,
        categories: categories.iter().map(|s| s.to_string()).collect(),
        tags: tags.iter().map(|s| s.to_string()).collect(),
        text: text.into(),
        words: Vec::new(),
    }
}

fn corpus() -> Vec<Document> {
    vec![
        doc(
            "/a",
            100,
            "长春打造人工智能创新策源地",
            "科大讯飞吉林公司助力长春。人工智能产业。",
            &["本地"],
            &["长春日报"],
        ),
        doc("/b", 101, "黄金价格再创新高", "国际金价上涨，黄金价格突破每盎司4495.29美元。", &["财经"], &["黄金"]),
        doc(
            "/c",
            102,
            "苹果发布iPhone15",
            "iPhone 15 Pro 搭载新芯片；ambiphone 不是手机。5G网络覆盖。",
            &["科技"],
            &[],
        ),
        doc(
            "/d",
            103,
            "生物医药产业",
            "生物医药企业研发新药。2.5G 不是 5G。PM2.5 超标。推进“两新”工作。",
            &["财经"],
            &[],
        ),
        doc("/e", 104, "雨", "今天有雨。AI芯片出货量增长3.72%。Open Source 软件。", &["社会"], &["天气", "新闻"]),
        doc("/f", 99, "智能手机", "智能手机销量。两新补贴。见第3.章", &["科技"], &[]),
    ]
}

fn build(docs: Vec<Document>) -> (tempdir::TempDir, LocalIndex) {
    let mut builder = IndexBuilder::new(BuildOptions::default());
    for d in docs {
        builder.add(d);
    }
    let dir = tempdir::TempDir::new();
    builder.write_into(&FolderSink::new(dir.path())).expect("write the bundle");
    let index = LocalIndex::open(dir.path()).expect("open");
    (dir, index)
}

fn urls(index: &mut LocalIndex, query: &str) -> Vec<String> {
    let options = SearchOptions { limit: 100, ..Default::default() };
    let mut urls: Vec<String> =
        index.search(query, &options).expect(query).results.into_iter().map(|r| r.url).collect();
    urls.sort();
    urls
}

#[test]
fn substrings_match_regardless_of_segmentation() {
    let (_dir, mut index) = build(corpus());
    assert_eq!(urls(&mut index, "智能"), ["/a", "/f"]);
    assert_eq!(urls(&mut index, "人工智能"), ["/a"]);
    assert_eq!(urls(&mut index, "金价"), ["/b"]);
    assert_eq!(urls(&mut index, "黄金价格"), ["/b"]);
    assert_eq!(urls(&mut index, "药"), ["/d"]);
    assert_eq!(urls(&mut index, "雨"), ["/e"]);
    assert_eq!(urls(&mut index, "长春"), ["/a"]);
    assert_eq!(urls(&mut index, "創新策源地"), ["/a"]);
    assert!(urls(&mut index, "金格").is_empty());
    assert!(urls(&mut index, "人工智能手机").is_empty());
}

#[test]
fn latin_runs_match_at_their_start() {
    let (_dir, mut index) = build(corpus());
    assert_eq!(urls(&mut index, "iphone"), ["/c"]);
    assert_eq!(urls(&mut index, "IPHONE15"), ["/c"]);
    assert!(urls(&mut index, "phone").is_empty());
    assert_eq!(urls(&mut index, "5g"), ["/c", "/d"]);
    assert_eq!(urls(&mut index, "５Ｇ网络"), ["/c"]);
    assert_eq!(urls(&mut index, "2.5g"), ["/d"]);
    assert_eq!(urls(&mut index, "pm2.5"), ["/d"]);
    assert_eq!(urls(&mut index, "ai芯片"), ["/e"]);
    assert_eq!(urls(&mut index, "3.72%"), ["/e"]);
    assert_eq!(urls(&mut index, "4495.29美元"), ["/b"]);
    assert_eq!(urls(&mut index, "\"open source\""), ["/e"]);
    assert_eq!(urls(&mut index, "“两新”"), ["/d"], "curly quotes are characters to find");
    assert_eq!(urls(&mut index, "两新"), ["/d", "/f"]);
    assert!(urls(&mut index, "\"open sourcery\"").is_empty());
    assert_eq!(urls(&mut index, "芯片出"), ["/e"]);
    // A number's point while typing a decimal: the point as a character (第3.章) or inside a run (3.72).
    let mut sorted = |q: &str| {
        let mut found = urls(&mut index, q);
        found.sort();
        found
    };
    assert_eq!(sorted("3."), ["/e", "/f"]);
    assert_eq!(sorted("增长3."), ["/e"]);
    assert_eq!(sorted("第3."), ["/f"]);
    assert_eq!(sorted("4495."), ["/b"]);
    assert_eq!(sorted("3.章"), ["/f"]);
    assert!(sorted("5.").is_empty(), "2.5g and pm2.5 end with 5, no point follows");
}

#[test]
fn list_markers_stay_apart_from_the_word_after_them() {
    // NFKC reads ① as 1: without a boundary, ①AI would be indexed as the run 1ai, which a search for AI cannot find.
    let (_dir, mut index) = build(vec![
        doc("/m", 100, "要点", "①AI芯片出货增长 ②GPU供不应求", &[], &[]),
        doc("/n", 101, "型号", "1AI 是一个型号", &[], &[]),
    ]);
    assert_eq!(urls(&mut index, "AI芯片"), ["/m"]);
    assert_eq!(urls(&mut index, "ai"), ["/m"]);
    assert_eq!(urls(&mut index, "GPU"), ["/m"]);
    assert_eq!(urls(&mut index, "①AI"), ["/m"]);
    assert_eq!(urls(&mut index, "1ai"), ["/n"]);
    let page = index.search("AI芯片", &SearchOptions::default()).expect("AI芯片");
    assert!(page.results[0].excerpt.contains("①<mark>AI芯片</mark>"), "{}", page.results[0].excerpt);
}

#[test]
fn operators_and_fields() {
    let (_dir, mut index) = build(corpus());
    assert_eq!(urls(&mut index, "长春 人工智能"), ["/a"]);
    assert_eq!(urls(&mut index, "智能 -手机"), ["/a"]);
    assert_eq!(urls(&mut index, "黄金 OR 医药"), ["/b", "/d"]);
    assert_eq!(urls(&mut index, "长春日报"), ["/a"]);
    assert_eq!(urls(&mut index, "天气"), ["/e"]);
    assert_eq!(urls(&mut index, "财经"), ["/b", "/d"]);
    assert!(urls(&mut index, "-黄金").is_empty());
    assert!(urls(&mut index, "").is_empty());
}

#[test]
fn ranking_prefers_titles_and_date_sort_is_newest_first() {
    let (_dir, mut index) = build(corpus());
    let page = index.search("智能", &SearchOptions::default()).unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.results[0].url, "/f", "exact title match first");
    let page = index.search("雨", &SearchOptions::default()).unwrap();
    assert_eq!(page.results[0].excerpt, "今天有<mark>雨</mark>。AI芯片出货量增长3.72%。Open Source 软件。");
    let page = index.search("增长3.", &SearchOptions::default()).unwrap();
    assert_eq!(page.results[0].excerpt, "今天有雨。AI芯片出货量<mark>增长3.</mark>72%。Open Source 软件。");
    let options = SearchOptions { sort: SortOrder::Date, ..Default::default() };
    let dated: Vec<String> = index.search("5g", &options).unwrap().results.into_iter().map(|r| r.url).collect();
    assert_eq!(dated, ["/d", "/c"]);
    let paged = index.search("智能", &SearchOptions { limit: 1, offset: 1, ..Default::default() }).unwrap();
    assert_eq!((paged.total, paged.results.len(), paged.results[0].url.as_str()), (2, 1, "/a"));
}

#[test]
fn filters_and_facet_counts() {
    let (_dir, mut index) = build(corpus());
    let search = |index: &mut LocalIndex, query: &str, options: SearchOptions| {
        let page = index.search(query, &SearchOptions { limit: 100, ..options }).unwrap();
        let mut urls: Vec<String> = page.results.into_iter().map(|r| r.url).collect();
        urls.sort();
        (page.total, urls, page.facets)
    };
    let facets = SearchOptions { facets: true, ..Default::default() };
    let (total, _, counted) = search(&mut index, "智能", facets.clone());
    assert_eq!(total, 2);
    let counted = counted.expect("facets asked for");
    let pairs: Vec<(String, usize)> = counted.categories.into_iter().map(|c| (c.value, c.count)).collect();
    assert_eq!(pairs, [("本地".to_string(), 1), ("科技".to_string(), 1)]);

    let only_tech = SearchOptions { categories: vec!["科技".into()], facets: true, ..Default::default() };
    let (total, urls, counted) = search(&mut index, "智能", only_tech);
    assert_eq!((total, urls), (1, vec!["/f".to_string()]));
    assert_eq!(counted.unwrap().categories.len(), 2, "category counts ignore the category filter");

    let tagged = SearchOptions { tags: vec!["天气".into()], ..Default::default() };
    assert_eq!(search(&mut index, "", tagged).1, ["/e"], "filters alone browse all posts");
    let finance = SearchOptions { categories: vec!["财经".into()], ..Default::default() };
    assert_eq!(search(&mut index, "", finance.clone()).1, ["/b", "/d"]);
    // A filter with exclusions only: the filter's posts less the excluded ones.
    assert_eq!(search(&mut index, "-黄金", finance).1, ["/d"]);
    assert_eq!(search(&mut index, "-黄金", SearchOptions::default()).0, 0, "exclusions alone find nothing");

    // Days 101..=103 of 1970 are 1970-04-12 ..= 1970-04-14.
    let range = SearchOptions { from: Some("1970-04-12".into()), to: Some("1970-04-14".into()), ..Default::default() };
    assert_eq!(search(&mut index, "", range.clone()).1, ["/b", "/c", "/d"]);
    assert_eq!(search(&mut index, "5g", range).1, ["/c", "/d"]);
    let bad = SearchOptions { from: Some("yesterday".into()), ..Default::default() };
    assert!(index.search("5g", &bad).is_err());
    assert_eq!(search(&mut index, "", SearchOptions::default()).0, 0, "no keyword and no filter finds nothing");
}

#[test]
fn phrases_without_spaces_fall_back_to_vocabulary_words() {
    let mut docs = corpus();
    docs[0].words = ["长春", "打造", "人工智能", "创新", "策源地", "产业"].map(String::from).to_vec();
    docs[1].words = ["黄金", "价格"].map(String::from).to_vec();
    let (_dir, mut index) = build(docs);
    let page = index.search("长春人工智能产业", &SearchOptions::default()).unwrap();
    let rewrite = page.rewrite.expect("rewritten");
    assert_eq!(rewrite.query, "长春 人工智能 产业");
    assert_eq!(rewrite.kind, jiansuo::RewriteKind::Segmented);
    assert_eq!(page.results[0].url, "/a");
    let exact = index.search("人工智能产业", &SearchOptions::default()).unwrap();
    assert!(exact.rewrite.is_none(), "an exact match is never rewritten");
    assert!(index.search("黄金长春", &SearchOptions::default()).unwrap().results.is_empty());
}

#[test]
fn completions_count_the_posts_a_search_finds() {
    let mut docs = corpus();
    // jieba's words of each post, as build-index hands them over: 人工智能 claimed by all six, though only one has it.
    for d in &mut docs {
        d.words = vec!["人工智能".into()];
    }
    docs[5].words.extend(["智能".into(), "智能手机".into()]);
    let (_dir, mut index) = build(docs);
    let completions = index.complete("长春 智", 8).unwrap();
    let texts: Vec<(&str, &str, u32)> =
        completions.iter().map(|c| (c.text.as_str(), c.query.as_str(), c.count)).collect();
    // 智能 is in 人工智能 too: two posts, most first.
    assert_eq!(texts, [("智能", "长春 智能", 2), ("智能手机", "长春 智能手机", 1)]);
    for completion in completions.iter().chain(&index.complete("人工", 8).unwrap()) {
        let total = index.search(&completion.text, &SearchOptions::default()).unwrap().total;
        assert_eq!(completion.count as usize, total, "{}", completion.text);
    }
    let latin: Vec<String> = index.complete("iph", 8).unwrap().into_iter().map(|c| c.query).collect();
    assert_eq!(latin, ["iphone", "iphone15"], "equal counts: dictionary order");
    assert!(index.complete("i", 8).unwrap().is_empty());
    assert!(index.complete("人工 ", 8).unwrap().is_empty());
    // The keyword as typed is no completion of itself.
    let texts: Vec<String> = index.complete("智能", 8).unwrap().into_iter().map(|c| c.text).collect();
    assert_eq!(texts, ["智能手机"]);
}

#[test]
fn pinyin_finds_the_chinese_word() {
    let mut docs = corpus();
    for d in docs.iter_mut().take(2) {
        d.words = ["长春", "人工智能"].map(String::from).to_vec();
    }
    docs[5].words = vec!["智能".into(), "人工智能".into()];
    // 提醒 is more frequent, but reads cc only through two rare readings (chi, cheng).
    for d in docs.iter_mut().skip(2).take(3) {
        d.words.push("提醒".into());
    }
    let (_dir, mut index) = build(docs);
    for typed in ["changchun", "chang chun", "zhangchun", "rengongzhineng", "ren gong zhi neng", "rgzn"] {
        let page = index.search(typed, &SearchOptions::default()).unwrap();
        let rewrite = page.rewrite.unwrap_or_else(|| panic!("{typed} not read as pinyin"));
        assert_eq!(rewrite.kind, jiansuo::RewriteKind::Pinyin, "{typed}");
        assert!(["长春", "人工智能"].contains(&rewrite.query.as_str()), "{typed} → {}", rewrite.query);
        assert!(page.total > 0, "{typed}");
    }
    let page = index.search("cc", &SearchOptions::default()).unwrap();
    assert_eq!(page.rewrite.map(|r| r.query), Some("长春".to_string()));
    assert!(index.search("zzzz", &SearchOptions::default()).unwrap().rewrite.is_none());
}

#[test]
fn a_pinyin_alternative_counts_the_results_its_search_shows() {
    let mut docs = corpus();
    // The segmenter cut 长春 out of three posts (so says the test); two of them contain it.
    for d in docs.iter_mut().take(3) {
        d.words.push("长春".into());
    }
    docs[1].text.push_str("长春金价。");
    // cc finds three posts of its own, so 长春 is offered beside them rather than searched instead: they are more
    // than 长春's two, but not twice as many.
    for d in docs.iter_mut().skip(3) {
        d.text.push_str("CC 视频。");
    }
    let (_dir, mut index) = build(docs);
    let page = index.search("cc", &SearchOptions::default()).unwrap();
    assert_eq!((page.total, page.rewrite), (3, None));
    let offered: Vec<(&str, u32)> = page.alternatives.iter().map(|a| (a.query.as_str(), a.count)).collect();
    let total = index.search("长春", &SearchOptions::default()).unwrap().total;
    assert_eq!(offered, [("长春", total as u32)]);
    assert_eq!(total, 2);
}

#[test]
fn letters_that_find_posts_are_not_replaced_by_a_word_they_are_the_initials_of() {
    let mut docs = corpus();
    // WTO in two posts; 唯特偶 (initials wto) in three, so it would find more.
    for d in docs.iter_mut().take(3) {
        d.text.push_str("唯特偶公告。");
        d.words.push("唯特偶".into());
    }
    for d in docs.iter_mut().skip(3).take(2) {
        d.text.push_str("WTO 规则。");
    }
    let (_dir, mut index) = build(docs);
    let page = index.search("WTO", &SearchOptions::default()).unwrap();
    assert_eq!((page.total, page.rewrite), (2, None));
    let offered: Vec<(&str, u32)> = page.alternatives.iter().map(|a| (a.query.as_str(), a.count)).collect();
    assert_eq!(offered, [("唯特偶", 3)]);
}

#[test]
fn letters_are_offered_no_word_of_their_initials_that_finds_far_less_than_they_do() {
    let mut docs = corpus();
    // GDP in three posts; 各党派 (initials gdp) in one: a reader typing GDP means GDP.
    for d in docs.iter_mut().take(1) {
        d.text.push_str("各党派人士。");
        d.words.push("各党派".into());
    }
    for d in docs.iter_mut().skip(3) {
        d.text.push_str("GDP 增长。");
    }
    let (_dir, mut index) = build(docs);
    let page = index.search("GDP", &SearchOptions::default()).unwrap();
    assert_eq!((page.total, page.rewrite), (3, None));
    assert!(page.alternatives.is_empty(), "{:?}", page.alternatives);
    assert_eq!(index.search("各党派", &SearchOptions::default()).unwrap().total, 1);
}

#[test]
fn typos_in_latin_words_are_forgiven() {
    let (_dir, mut index) = build(corpus());
    for (typed, meant) in [("iphnoe", "iphone"), ("ipohne", "iphone"), ("souce", "source")] {
        let page = index.search(typed, &SearchOptions::default()).unwrap();
        let rewrite = page.rewrite.unwrap_or_else(|| panic!("{typed} not corrected"));
        assert_eq!((rewrite.kind, rewrite.query.as_str()), (jiansuo::RewriteKind::Typo, meant));
        assert_eq!(page.total, 1);
    }
    assert!(index.search("iphone", &SearchOptions::default()).unwrap().rewrite.is_none());
    let exact = index.search("iphnoe", &SearchOptions { exact: true, ..Default::default() }).unwrap();
    assert_eq!((exact.total, exact.rewrite), (0, None), "exact: what was typed, nothing else");
    assert!(index.search("ambiphone", &SearchOptions::default()).unwrap().rewrite.is_none(), "rare but real");
    assert!(index.search("ambiph", &SearchOptions::default()).unwrap().rewrite.is_none(), "a real word being typed");
    assert!(index.search("ai", &SearchOptions::default()).unwrap().rewrite.is_none(), "short words are not guessed");
}

#[test]
fn a_headline_repeated_at_the_top_of_the_text_is_not_shown_again_in_the_excerpt() {
    let mut docs = corpus();
    let title = "纽约联储调查显示美国消费者更为乐观";
    docs.push(doc(
        "/em",
        120,
        title,
        &format!("【{title}】纽约联储周五公布的一项调查显示，就业前景改善。"),
        &["eastmoney"],
        &[],
    ));
    docs.push(doc("/other", 119, "另一个标题", "【不同的标题】纽约联储的另一项调查。", &["cls"], &[]));
    let (_dir, mut index) = build(docs);
    let page = index.search("纽约联储", &SearchOptions { sort: SortOrder::Date, ..Default::default() }).unwrap();
    let excerpts: Vec<&str> = page.results.iter().map(|r| r.excerpt.as_str()).collect();
    assert_eq!(
        excerpts,
        [
            "<mark>纽约联储</mark>周五公布的一项调查显示，就业前景改善。",
            "【不同的标题】<mark>纽约联储</mark>的另一项调查。"
        ]
    );
    // The headline's words still find the post (the index has the whole text).
    assert_eq!(index.search("消费者更为乐观", &SearchOptions::default()).unwrap().total, 1);
}

#[test]
fn one_story_from_several_feeds_is_shown_once() {
    let story = "国家统计局今日发布数据显示，7月份全国规模以上工业增加值同比增长5.7%，环比增长0.38%。1—7月份，规模以上工业增加值同比增长6.3%。";
    let mut docs = corpus();
    docs.push(doc("/cls", 110, "", &format!("财联社8月15日电，{story}"), &["cls"], &["统计"]));
    docs.push(doc(
        "/em",
        109,
        "7月规上工业增加值同比增长5.7%",
        &format!("【7月规上工业增加值同比增长5.7%】{story}"),
        &["eastmoney"],
        &["统计"],
    ));
    docs.push(doc("/ths", 108, "工业增加值", &format!("{story}（同花顺）"), &["ths"], &["统计"]));
    // Feeds carry a story within minutes of each other.
    let feeds = docs.len() - 3;
    for (k, d) in docs[feeds..].iter_mut().enumerate() {
        d.timestamp = 110 * 86_400 - k as i64 * 600;
    }
    docs[feeds].words = vec!["工业增加值".into()];
    let (_dir, mut index) = build(docs);
    let page = index.search("工业增加值", &SearchOptions::default()).unwrap();
    assert_eq!(page.total, 1);
    let completion = &index.complete("工业增加", 8).unwrap()[0];
    assert_eq!((completion.text.as_str(), completion.count), ("工业增加值", 1), "a story counts once, as it is shown");
    assert_eq!(page.results[0].duplicates, 2, "另有 2 个来源");
    let all = index.search("工业增加值", &SearchOptions { show_duplicates: true, ..Default::default() }).unwrap();
    assert_eq!(all.total, 3);
    assert!(all.results.iter().all(|r| r.duplicates == 0));
    let dated = index.search("工业增加值", &SearchOptions { sort: SortOrder::Date, ..Default::default() }).unwrap();
    assert_eq!((dated.total, dated.results[0].url.as_str()), (1, "/cls"), "the newest telling stands for the story");
    // Facet counts are the results a click on the value shows: the story once per value.
    for show_duplicates in [false, true] {
        let options = SearchOptions { facets: true, show_duplicates, ..Default::default() };
        let facets = index.search("工业增加值", &options).unwrap().facets.expect("facets asked for");
        let counted: Vec<(String, usize)> =
            facets.categories.iter().chain(&facets.tags).map(|c| (c.value.clone(), c.count)).collect();
        for (value, count) in counted {
            let tags = if value == "统计" { vec![value.clone()] } else { vec![] };
            let categories = if tags.is_empty() { vec![value.clone()] } else { vec![] };
            let clicked = SearchOptions { categories, tags, show_duplicates, ..Default::default() };
            assert_eq!(count, index.search("工业增加值", &clicked).unwrap().total, "{value}, {show_duplicates}");
        }
    }
}

#[test]
fn a_page_may_hold_every_result() {
    let docs: Vec<Document> =
        (0..2_100).map(|i| doc(&format!("/{i}"), i, &format!("第{i}条"), "雨水", &[], &[])).collect();
    let (_dir, mut index) = build(docs);
    let page = index.search("雨", &SearchOptions { limit: 5_000, ..Default::default() }).unwrap();
    assert_eq!((page.total, page.results.len()), (2_100, 2_100));
}

#[test]
fn output_is_deterministic() {
    let bundle = |docs: Vec<Document>| {
        let mut builder = IndexBuilder::new(BuildOptions::default());
        for d in docs {
            builder.add(d);
        }
        builder.finish().unwrap().files.into_iter().map(|f| (f.path, f.bytes)).collect::<Vec<_>>()
    };
    let mut reversed = corpus();
    reversed.reverse();
    assert_eq!(bundle(corpus()), bundle(reversed));
}

#[test]
fn ranking_data_comes_with_the_first_files() {
    // A relevance search needs the ranking data as soon as anything matches: on a small index the engine asks for
    // all of it with the dictionary chunks, not in a round of its own once the candidates are known.
    use std::io::Read;
    let (dir, _) = build(corpus());
    let read = |name: &str| {
        let mut bytes = Vec::new();
        let stored = std::fs::read(dir.path().join(name)).expect(name);
        flate2::read::DeflateDecoder::new(stored.as_slice()).read_to_end(&mut bytes).expect(name);
        bytes
    };
    let mut index = jiansuo::Index::open(&read("manifest.bin")).unwrap();
    let mut rounds: Vec<Vec<String>> = Vec::new();
    let page = loop {
        match index.search("长春 人工智能", &SearchOptions::default()).unwrap() {
            jiansuo::Step::Done(page) => break page,
            jiansuo::Step::Need(files) => {
                for file in &files {
                    index.add_file(file, &read(file)).unwrap();
                }
                rounds.push(files);
            }
        }
    };
    assert_eq!(page.total, 1);
    let has = |round: &[String], kind: &str| round.iter().any(|f| f.starts_with(kind));
    assert!(has(&rounds[0], "t/") && has(&rounds[0], "m/"), "{rounds:?}");
    assert!(rounds[1..].iter().all(|r| !has(r, "m/")), "{rounds:?}");
    assert!(has(rounds.last().unwrap(), "d/"), "{rounds:?}");
}

mod tempdir {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub struct TempDir(PathBuf);

    impl TempDir {
        pub fn new() -> TempDir {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let path = std::env::temp_dir().join(format!(
                "jiansuo-test-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::SeqCst)
            ));
            std::fs::create_dir_all(&path).unwrap();
            TempDir(path)
        }
        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
