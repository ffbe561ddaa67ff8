//! What a fixture site turns into, through the library: URLs (with `_config.yml`'s permalink,
//! baseurl and folder categories), dates, text, titles, words; and that the documents do not
//! depend on the number of threads.

use std::path::{Path, PathBuf};

use build_index::config;
use build_index::date::NaiveDates;
use build_index::document::{Post, Site};
use build_index::permalink;
use build_index::pipeline::convert_all;
use build_index::posts::{self, DEFAULT_MARKDOWN_EXTENSIONS};
use build_index::segment::Segmenter;
use indicatif::ProgressBar;

fn site_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site")
}

fn markdown() -> Vec<String> {
    DEFAULT_MARKDOWN_EXTENSIONS.iter().map(|e| e.to_string()).collect()
}

fn site_settings(naive_dates: NaiveDates) -> Site {
    let config = config::load(&site_root().join("_config.yml")).unwrap();
    let permalink = permalink::template_for_style(&config.permalink.unwrap().value);
    Site {
        permalink,
        base_url: config.baseurl.unwrap(),
        timezone: config.timezone.unwrap().value.parse().unwrap(),
        naive_dates,
        ..Site::default()
    }
}

fn convert(naive_dates: NaiveDates, threads: usize) -> Vec<Post> {
    let root = site_root();
    let found = posts::discover(&[root.join("world/_posts")], &markdown(), Some(&root)).unwrap();
    assert!(found.skipped.is_empty());
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    let segmenter = Segmenter::new();
    let (posts, skipped) =
        pool.install(|| convert_all(&found.posts, &site_settings(naive_dates), &segmenter, &ProgressBar::hidden()));
    assert!(skipped.is_empty(), "{skipped:?}");
    posts
}

#[test]
fn the_fixture_site_as_jekyll_would_publish_it() {
    let posts = convert(NaiveDates::Jekyll, 2);
    let urls: Vec<&str> = posts.iter().map(|p| p.document.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "/news/world/changchunribao/2022/01/26/ai-city/",
            "/news/world/weekly/2022/02/01/issue-1/",
            // `date: 2022-02-02 20:00:00` has no offset: Jekyll reads it as UTC, which is the 3rd in Shanghai.
            "/news/world/xinwenlianbo/2022/02/03/evening/",
            "/news/special/own-permalink.html",
        ]
    );

    let city = &posts[0].document;
    assert_eq!(city.title, "科大讯飞吉林公司 助力长春打造人工智能创新策源地");
    assert_eq!(city.date, "2022-01-26T09:29:35+08:00");
    assert_eq!(city.timestamp, 1_643_160_575);
    assert_eq!(city.categories, ["world", "changchunribao"]);
    assert_eq!(city.tags, ["长春日报新闻"]);
    assert_eq!(
        city.text,
        "“学懂弄通市第十四次党代会通过的报告，才能抓住机遇，引领未来。”\n（文章来源：长春日报）\n返回长春日报新闻｜返回首页"
    );
    assert!(posts[0].words.lines().any(|w| w == "人工智能"), "{:?}", posts[0].words);

    let weekly = &posts[1].document;
    assert_eq!(weekly.tags, ["周刊", "开源"]);
    assert_eq!(weekly.text, "封面图\n这里记录每周值得分享的科技内容，周五发布。DeepSeek 和 AI 的新闻。\nfn main() {}");
    assert!(posts[1].words.lines().any(|w| w == "DeepSeek"), "{:?}", posts[1].words);

    assert_eq!(posts[2].document.date, "2022-02-03T04:00:00+08:00");
    assert_eq!(posts[2].document.text, "央视网消息（新闻联播）：晚上八点的新闻。");
    assert_eq!(posts[3].document.date, "2022-02-03T00:00:00+08:00");
    assert!(posts.iter().all(|p| p.warnings.is_empty()));
}

#[test]
fn naive_dates_can_be_read_in_the_site_zone() {
    let posts = convert(NaiveDates::Timezone, 1);
    assert_eq!(posts[2].document.url, "/news/world/xinwenlianbo/2022/02/02/evening/");
    assert_eq!(posts[2].document.date, "2022-02-02T20:00:00+08:00");
}

#[test]
fn documents_do_not_depend_on_the_thread_count() {
    let one =
        format!("{:?}", convert(NaiveDates::Jekyll, 1).iter().map(|p| (&p.document, &p.words)).collect::<Vec<_>>());
    let two =
        format!("{:?}", convert(NaiveDates::Jekyll, 2).iter().map(|p| (&p.document, &p.words)).collect::<Vec<_>>());
    assert_eq!(one, two);
}
