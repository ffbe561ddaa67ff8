//! The command line end to end: a real bundle, assets, byte-identical output whatever the thread
//! count or folder order, atomic replacement, and exit codes.

mod common;

use common::{build_index, build_index_with_env, copy_tree, fixtures, path, tree};

fn site_posts() -> std::path::PathBuf {
    fixtures().join("site/world/_posts")
}

fn site_config() -> std::path::PathBuf {
    fixtures().join("site/_config.yml")
}

#[test]
fn builds_a_bundle_with_the_site_config() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("search");
    let run = build_index(&["--config", path(&site_config()), "--no-assets", "--out", path(&out), path(&site_posts())]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(out.join("manifest.bin").is_file());
    assert!(run.stderr.contains("4 posts found: 4 indexed, 0 skipped, 0 with warnings"), "{}", run.stderr);
    for kind in ["t/", "d/", "manifest.bin"] {
        assert!(run.stderr.lines().any(|line| line.trim_start().starts_with(kind)), "no {kind} in:\n{}", run.stderr);
    }
    let files = tree(&out);
    assert!(files.iter().all(|(name, _)| !name.ends_with(".js")), "--no-assets wrote assets");
}

#[test]
fn copies_web_assets_from_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let assets = dir.path().join("dist");
    std::fs::create_dir(&assets).unwrap();
    for name in ["jiansuo.js", "jiansuo_engine.js", "jiansuo_engine_bg.wasm.deflate", "worker.js"] {
        std::fs::write(assets.join(name), name).unwrap();
    }
    let out = dir.path().join("search");
    let run = build_index(&["--assets", path(&assets), "--out", path(&out), path(&site_posts())]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(out.join("worker.js")).unwrap(), "worker.js");
    assert!(run.stderr.contains("the web assets have no widget.js"), "{}", run.stderr);
    assert!(run.stderr.lines().any(|line| line.trim_start().starts_with("assets")), "{}", run.stderr);
}

#[test]
fn embedded_assets_are_written_or_clearly_missing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("search");
    let run = build_index(&["--out", path(&out), path(&site_posts())]);
    if build_index::assets::embedded_available() {
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(out.join("jiansuo.js").is_file());
    } else {
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("--assets <DIR> or --no-assets"), "{}", run.stderr);
        assert!(!out.exists());
    }
}

#[test]
fn output_is_byte_identical_whatever_the_threads_or_folder_order() {
    let dir = tempfile::tempdir().unwrap();
    // Away from the fixture's _config.yml, like the reordered copy below.
    let posts = dir.path().join("posts/_posts");
    copy_tree(&site_posts(), &posts);
    // Enough posts that phrases are found, which are counted on every thread.
    write_site(&posts, &phrase_posts("."));
    let build = |name: &str, args: &[&str], env: &[(&str, &str)]| {
        let out = dir.path().join(name);
        let mut all = vec!["--no-assets", "--out", path(&out)];
        all.extend_from_slice(args);
        let run = build_index_with_env(&all, env);
        assert_eq!(run.code, 0, "{}", run.stderr);
        tree(&out)
    };
    let one = build("one", &["--threads", "1", path(&posts)], &[]);
    let two = build("two", &["--threads", "2", path(&posts)], &[]);
    let rayon_one = build("rayon-one", &[path(&posts)], &[("RAYON_NUM_THREADS", "1")]);
    assert!(!one.is_empty());
    let mut index = jiansuo::local::LocalIndex::open(dir.path().join("one")).unwrap();
    let completions: Vec<String> = index.complete("一带", 8).unwrap().into_iter().map(|c| c.text).collect();
    assert_eq!(completions, ["一带一路"]);
    assert!(one == two, "1 and 2 threads wrote different bundles");
    assert!(one == rayon_one, "RAYON_NUM_THREADS=1 wrote a different bundle");

    // The same posts, created in the opposite order in another folder.
    let reordered = dir.path().join("reordered/_posts");
    std::fs::create_dir_all(&reordered).unwrap();
    let mut names: Vec<_> = std::fs::read_dir(&posts).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    for name in names.iter().rev() {
        std::fs::copy(posts.join(name), reordered.join(name)).unwrap();
    }
    let moved = build("moved", &["--threads", "2", path(&reordered)], &[]);
    assert!(one == moved, "the order or place of the posts changed the bundle");
}

#[test]
fn replaces_the_previous_bundle_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("_posts");
    copy_tree(&site_posts(), &posts);
    let out = dir.path().join("site/search");
    let first = build_index(&["--no-assets", "--out", path(&out), path(&posts)]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let before = tree(&out);

    std::fs::copy(fixtures().join("bad-posts/_posts/2021-01-01-good.md"), posts.join("2021-01-01-good.md")).unwrap();
    let second = build_index(&["--no-assets", "--out", path(&out), path(&posts)]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(tree(&out) != before, "the bundle was not replaced");
    let siblings: Vec<_> =
        std::fs::read_dir(dir.path().join("site")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(siblings, ["search"]);
}

#[test]
fn a_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("search");
    let run = build_index(&["--dry-run", "--out", path(&out), path(&site_posts())]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("dry run: nothing written"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("search");
    let posts = site_posts();
    let code = |args: &[&str]| build_index(args).code;

    assert_eq!(code(&["--help"]), 0);
    assert_eq!(code(&["--no-such-flag", path(&posts)]), 2);
    assert_eq!(code(&[path(&posts)]), 2, "--out is required");
    assert_eq!(code(&["--dry-run", "--timezone", "Mars/Olympus", path(&posts)]), 2);
    assert_eq!(code(&["--dry-run", "--permalink", "/:year/:titel/", path(&posts)]), 2);
    let mistyped = build_index(&["--dry-run", "--permalink", "prety", path(&posts)]);
    assert_eq!(mistyped.code, 2, "{}", mistyped.stderr);
    assert!(mistyped.stderr.contains("\"prety\" is neither a permalink style"), "{}", mistyped.stderr);
    assert_eq!(code(&["--dry-run", "--threads", "0", path(&posts)]), 2);
    assert_eq!(code(&["--dry-run", "--recency-half-life", "-1", path(&posts)]), 2);
    assert_eq!(code(&["--dry-run", "/no/such/_posts"]), 2);
    let no_assets = build_index(&["--assets", "/no/such/assets", "--out", path(&out), path(&posts)]);
    assert_eq!(no_assets.code, 2, "{}", no_assets.stderr);
    assert!(no_assets.stderr.contains("--assets /no/such/assets: no such folder"), "{}", no_assets.stderr);

    let precious = dir.path().join("precious");
    std::fs::create_dir(&precious).unwrap();
    std::fs::write(precious.join("notes.txt"), "keep").unwrap();
    let refused = build_index(&["--no-assets", "--out", path(&precious), path(&posts)]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("not a jiansuo bundle"), "{}", refused.stderr);
    assert_eq!(std::fs::read_to_string(precious.join("notes.txt")).unwrap(), "keep");

    // A regular file where the output's parent folder should be: an I/O failure.
    let file = dir.path().join("file");
    std::fs::write(&file, "").unwrap();
    let blocked = build_index(&["--no-assets", "--out", path(&file.join("search")), path(&posts)]);
    assert_eq!(blocked.code, 3, "{}", blocked.stderr);

    // Nothing indexable: every post skipped.
    let empty = dir.path().join("_posts");
    std::fs::create_dir(&empty).unwrap();
    std::fs::copy(fixtures().join("bad-posts/_posts/2021-01-04-no-front-matter.md"), empty.join("2021-01-04-x.md"))
        .unwrap();
    let nothing = build_index(&["--no-assets", "--out", path(&out), path(&empty)]);
    assert_eq!(nothing.code, 1, "{}", nothing.stderr);
    assert!(!out.exists());
    // Why, post by post, before the error.
    let skip_line = format!("{}:1: no front matter", empty.join("2021-01-04-x.md").display());
    assert!(nothing.stderr.contains(&skip_line), "{}", nothing.stderr);
    assert!(nothing.stderr.contains("nothing to index: every post was skipped"), "{}", nothing.stderr);
    let dry = build_index(&["--dry-run", path(&empty)]);
    assert_eq!(dry.code, 1, "{}", dry.stderr);
    assert!(dry.stderr.contains(&skip_line), "{}", dry.stderr);
    // No posts at all.
    let no_posts = dir.path().join("none/_posts");
    std::fs::create_dir_all(&no_posts).unwrap();
    let none = build_index(&["--dry-run", path(&no_posts)]);
    assert_eq!(none.code, 1, "{}", none.stderr);
    assert!(none.stderr.contains("nothing to index: no posts in the folders given"), "{}", none.stderr);
}

#[test]
fn a_config_beside_the_posts_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixtures().join("site"), &site);
    std::fs::rename(site.join("world/_posts"), site.join("_posts")).unwrap();
    let run = build_index(&["--dry-run", path(&site.join("_posts"))]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(&format!("reading {}", site.join("_config.yml").display())), "{}", run.stderr);
}

#[test]
fn the_config_above_a_category_folder_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixtures().join("site"), &site);
    let out = dir.path().join("search");
    let run = build_index(&["--no-assets", "--out", path(&out), path(&site.join("world/_posts"))]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(&format!("reading {}", site.join("_config.yml").display())), "{}", run.stderr);
    // The config's baseurl and permalink, and the folder's category.
    let mut index = jiansuo::local::LocalIndex::open(&out).unwrap();
    let page = index.search("晚间新闻", &jiansuo::search::SearchOptions::default()).unwrap();
    // 20:00 without an offset is UTC to Jekyll: the 3rd in Shanghai.
    assert_eq!(page.results[0].url, "/news/world/xinwenlianbo/2022/02/03/evening/");

    std::fs::create_dir(site.join("_posts")).unwrap();
    std::fs::write(site.join("world/_config.yml"), "").unwrap();
    let two = build_index(&["--dry-run", path(&site.join("world/_posts")), path(&site.join("_posts"))]);
    assert_eq!(two.code, 2, "{}", two.stderr);
    assert!(two.stderr.contains("belong to two sites"), "{}", two.stderr);

    let lonely = dir.path().join("lonely/_posts");
    std::fs::create_dir_all(&lonely).unwrap();
    std::fs::copy(site.join("world/_posts/2022-02-01-weekly.md"), lonely.join("2022-02-01-weekly.md")).unwrap();
    let none = build_index(&["--dry-run", path(&lonely)]);
    assert_eq!(none.code, 0, "{}", none.stderr);
    assert!(none.stderr.contains("no _config.yml above the posts folders"), "{}", none.stderr);
}

#[test]
fn a_refused_setting_names_where_it_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("_posts");
    std::fs::create_dir(&posts).unwrap();
    std::fs::write(posts.join("2024-01-01-a.md"), "---\ntitle: 测试\n---\n正文\n").unwrap();
    let config = dir.path().join("_config.yml");
    std::fs::write(&config, "title: x\ntimezone: Asia/Beijing\n").unwrap();
    let run = build_index(&["--dry-run", path(&posts)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let expected = format!("{}:2: timezone: unknown time zone \"Asia/Beijing\"", config.display());
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    let flag = build_index(&["--dry-run", "--timezone", "Mars", path(&posts)]);
    assert!(flag.stderr.contains("--timezone: unknown time zone \"Mars\""), "{}", flag.stderr);
}

#[test]
fn posts_dated_after_the_build_wait_as_in_jekyll() {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("_posts");
    std::fs::create_dir(&posts).unwrap();
    std::fs::write(posts.join("2024-01-01-now.md"), "---\ntitle: 今天\n---\n正文\n").unwrap();
    std::fs::write(posts.join("2099-01-01-later.md"), "---\ntitle: 以后\ndate: 2099-01-01 08:00:00 +0800\n---\n正文\n")
        .unwrap();
    let run = build_index(&["--dry-run", "--strict", path(&posts)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let skip =
        format!("{}:3: dated 2099-01-01T08:00:00+08:00, after the build", posts.join("2099-01-01-later.md").display());
    assert!(run.stderr.contains(&skip), "{}", run.stderr);
    assert!(run.stderr.contains("2 posts found: 1 indexed, 1 skipped (1 unpublished)"), "{}", run.stderr);
    let future = build_index(&["--dry-run", "--future", path(&posts)]);
    assert!(future.stderr.contains("2 posts found: 2 indexed"), "{}", future.stderr);
    std::fs::write(dir.path().join("_config.yml"), "future: true\n").unwrap();
    let configured = build_index(&["--dry-run", path(&posts)]);
    assert!(configured.stderr.contains("2 posts found: 2 indexed"), "{}", configured.stderr);
}

#[test]
fn a_switch_that_is_not_a_boolean_is_on_as_in_ruby_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("_posts");
    std::fs::create_dir(&posts).unwrap();
    std::fs::write(posts.join("2024-01-01-now.md"), "---\ntitle: 今天\n---\n正文\n").unwrap();
    std::fs::write(posts.join("2099-01-01-later.md"), "---\ntitle: 以后\n---\n正文\n").unwrap();
    let config = dir.path().join("_config.yml");
    std::fs::write(&config, "title: x\nfuture: \"false\"\n").unwrap();
    let run = build_index(&["--dry-run", path(&posts)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Jekyll publishes the later post, so it is indexed; the config's line says why.
    assert!(run.stderr.contains("2 posts found: 2 indexed, 0 skipped, 0 with warnings"), "{}", run.stderr);
    let warning = format!("{}:2: `future` is the quoted text \"false\", not true or false", config.display());
    assert!(run.stderr.contains(&warning), "{}", run.stderr);
    let strict = build_index(&["--dry-run", "--strict", path(&posts)]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(strict.stderr.contains(&warning), "{}", strict.stderr);
}

/// Writes `files` (path below `site`, text) and returns the folder.
fn write_site(site: &std::path::Path, files: &[(impl AsRef<str>, impl AsRef<str>)]) {
    for (name, text) in files {
        let (name, text) = (name.as_ref(), text.as_ref());
        let file = site.join(name);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
}

/// The URL, categories and tags of the one post `word` finds in the bundle at `out`.
fn indexed(out: &std::path::Path, word: &str) -> (String, Vec<String>, Vec<String>) {
    let mut index = jiansuo::local::LocalIndex::open(out).unwrap();
    let options = jiansuo::search::SearchOptions { show_duplicates: true, ..Default::default() };
    let page = index.search(word, &options).unwrap();
    assert_eq!(page.results.len(), 1, "{word}: {:?}", page.results);
    let result = &page.results[0];
    (result.url.clone(), result.categories.clone(), result.tags.clone())
}

#[test]
fn front_matter_defaults_give_the_permalink_as_in_jekyll() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    write_site(
        &site,
        &[
            (
                "_config.yml",
                "timezone: America/New_York\npermalink: pretty\ndefaults:\n  - scope: {path: \"\", type: posts}\n    \
                 values: {permalink: \"/news/:year/:title/\"}\n",
            ),
            ("_posts/2024-06-01-def.md", "---\ntitle: 苹果发布会\n---\n正文\n"),
        ],
    );
    let out = dir.path().join("search");
    let run = build_index(&["--no-assets", "--out", path(&out), path(&site.join("_posts"))]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(indexed(&out, "苹果").0, "/news/2024/def/");
}

#[test]
fn front_matter_defaults_by_folder_and_precedence() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let config = "permalink: pretty\n\
                  defaults:\n\
                  \x20 - scope: {path: \"\"}\n\
                  \x20   values: {categories: 默认分类, tags: 默认标签}\n\
                  \x20 - scope: {path: tech, type: posts}\n\
                  \x20   values: {tags: 科技标签}\n\
                  \x20 - scope: {path: tech/_posts/2024-06-03-own.md}\n\
                  \x20   values: {permalink: /own-default/, tags: 文件标签}\n\
                  \x20 - scope: {path: \"\", type: pages}\n\
                  \x20   values: {tags: 页面标签}\n";
    write_site(
        &site,
        &[
            ("_config.yml", config),
            ("_posts/2024-06-01-plain.md", "---\ntitle: 苹果\n---\n正文\n"),
            ("tech/_posts/2024-06-02-gadget.md", "---\ntitle: 香蕉\n---\n正文\n"),
            ("tech/_posts/2024-06-03-own.md", "---\ntitle: 橙子\ntags: [自己的标签]\npermalink: /own/\n---\n正文\n"),
            ("life/_posts/2024-06-04-walk.md", "---\ntitle: 散步\n---\n正文\n"),
        ],
    );
    let out = dir.path().join("search");
    let folders = ["_posts", "tech/_posts", "life/_posts"].map(|folder| site.join(folder));
    let mut args = vec!["--no-assets", "--strict", "--out", path(&out)];
    args.extend(folders.iter().map(|folder| path(folder)));
    let run = build_index(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let default_category = "%E9%BB%98%E8%AE%A4%E5%88%86%E7%B1%BB";
    // The set for every path gives the category (in the URL too) and the tag.
    assert_eq!(
        indexed(&out, "苹果"),
        (format!("/{default_category}/2024/06/01/plain/"), strings(&["默认分类"]), strings(&["默认标签"]))
    );
    // Below `tech` its longer path wins the tag; the category is still the one for every path.
    assert_eq!(
        indexed(&out, "香蕉"),
        (
            format!("/tech/{default_category}/2024/06/02/gadget/"),
            strings(&["tech", "默认分类"]),
            strings(&["科技标签"])
        )
    );
    // The post's own `tags` and `permalink` win over even the set for that very file.
    assert_eq!(indexed(&out, "橙子"), ("/own/".to_string(), strings(&["tech", "默认分类"]), strings(&["自己的标签"])));
    // The `tech` set does not reach another folder; the set for pages reaches no post.
    assert_eq!(
        indexed(&out, "散步"),
        (format!("/life/{default_category}/2024/06/04/walk/"), strings(&["life", "默认分类"]), strings(&["默认标签"]))
    );
}

#[test]
fn a_collections_dir_is_no_category_and_default_scopes_count_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let config = "permalink: pretty\n\
                  collections_dir: my_collections\n\
                  defaults:\n\
                  \x20 - scope: {path: my_collections/tech}\n\
                  \x20   values: {tags: 科技标签}\n\
                  \x20 - scope: {path: \"*/life\"}\n\
                  \x20   values: {tags: 生活标签}\n";
    write_site(
        &site,
        &[
            ("_config.yml", config),
            ("my_collections/_posts/2024-06-01-plain.md", "---\ntitle: 苹果\n---\n正文\n"),
            ("my_collections/tech/_posts/2024-06-02-gadget.md", "---\ntitle: 香蕉\n---\n正文\n"),
            ("my_collections/life/_posts/2024-06-04-walk.md", "---\ntitle: 散步\n---\n正文\n"),
        ],
    );
    let out = dir.path().join("search");
    let folders = ["_posts", "tech/_posts", "life/_posts"].map(|folder| site.join("my_collections").join(folder));
    let mut args = vec!["--no-assets", "--strict", "--out", path(&out)];
    args.extend(folders.iter().map(|folder| path(folder)));
    let run = build_index(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // As in Jekyll: the folders between the collections' folder and `_posts` are the categories, and a scope path
    // starting with the collections' folder is taken from it.
    assert_eq!(indexed(&out, "苹果"), ("/2024/06/01/plain/".to_string(), vec![], vec![]));
    assert_eq!(
        indexed(&out, "香蕉"),
        ("/tech/2024/06/02/gadget/".to_string(), strings(&["tech"]), strings(&["科技标签"]))
    );
    assert_eq!(
        indexed(&out, "散步"),
        ("/life/2024/06/04/walk/".to_string(), strings(&["life"]), strings(&["生活标签"]))
    );
}

#[test]
fn a_malformed_defaults_is_an_error_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("_posts");
    write_site(dir.path(), &[("_posts/2024-06-01-a.md", "---\ntitle: 测试\n---\n正文\n")]);
    let config = dir.path().join("_config.yml");
    for (text, line, message) in [
        ("title: x\ndefaults:\n  scope: {path: \"\"}\n  values: {tags: x}\n", 3, "should be a list"),
        ("defaults:\n  - scope: news\n    values: {tags: x}\n", 2, "`scope` should be a mapping"),
        ("defaults:\n  - scope: {path: news}\n    values:\n      - tags\n", 4, "`values` should be a mapping"),
        ("defaults:\n  - scope: {path: news}\n", 2, "no `values`"),
    ] {
        std::fs::write(&config, text).unwrap();
        let run = build_index(&["--dry-run", path(&posts)]);
        assert_eq!(run.code, 2, "{text}\n{}", run.stderr);
        let expected = format!("{}:{line}: defaults: ", config.display());
        assert!(run.stderr.contains(&expected) && run.stderr.contains(message), "{text}\n{}", run.stderr);
    }
}

#[test]
fn markup_kramdown_hides_is_not_searchable_and_what_it_shows_is() {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("_posts");
    std::fs::create_dir(&posts).unwrap();
    let body = "第一段zlj正文。\n\n<div>开头 <span hidden>隐藏zhidden</div>\n\n正文zvisspanbody。\n\n\
                这是**“重点”**内容，还有**《书名》**和**100%**增长。\n\n*[HTML]: Hyper Text Markup zabbr\n\n\
                <!-- 编辑备注：待核实\n\n第二段zvisopen2正文，读者可见。\n^\n";
    std::fs::write(posts.join("2024-01-01-markup.md"), format!("---\ntitle: 标记\n---\n{body}")).unwrap();
    let out = dir.path().join("search");
    let run = build_index(&["--no-assets", "--out", path(&out), path(&posts)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut index = jiansuo::local::LocalIndex::open(&out).unwrap();
    let mut search = |query: &str| index.search(query, &jiansuo::search::SearchOptions::default()).unwrap().results;
    for visible in ["zvisspanbody", "zvisopen2", "编辑备注"] {
        assert_eq!(search(visible).len(), 1, "{visible}");
    }
    for hidden in ["zhidden", "zabbr"] {
        assert!(search(hidden).is_empty(), "{hidden}");
    }
    let bold = search("书名");
    assert_eq!(bold.len(), 1);
    assert!(bold[0].excerpt.contains("这是“重点”内容"), "{}", bold[0].excerpt);
    assert!(!bold[0].excerpt.contains('*') && !bold[0].excerpt.contains('^'), "{}", bold[0].excerpt);
}

#[test]
fn posts_folders_of_the_site_left_out_or_the_site_folder_given() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    for folder in ["_posts", "news/_posts"] {
        std::fs::create_dir_all(site.join(folder)).unwrap();
    }
    std::fs::write(site.join("_config.yml"), "timezone: Asia/Shanghai\n").unwrap();
    std::fs::write(site.join("_posts/2024-01-01-a.md"), "---\ntitle: 甲\n---\n正文甲\n").unwrap();
    std::fs::write(site.join("news/_posts/2024-01-02-b.md"), "---\ntitle: 乙\n---\n正文乙\n").unwrap();

    // Only `_posts`: the other folder's posts are missed, and the run says so.
    let partial = build_index(&["--dry-run", path(&site.join("_posts"))]);
    assert_eq!(partial.code, 0, "{}", partial.stderr);
    let left_out = format!("{}:1: Jekyll publishes the posts in this folder too", site.join("news/_posts").display());
    assert!(partial.stderr.contains(&left_out), "{}", partial.stderr);
    let strict = build_index(&["--dry-run", "--strict", path(&site.join("_posts"))]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    let whole = build_index(&["--dry-run", path(&site.join("_posts")), path(&site.join("news/_posts"))]);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    assert!(!whole.stderr.contains("Jekyll publishes the posts in this folder too"), "{}", whole.stderr);
    assert!(whole.stderr.contains("2 posts found: 2 indexed"), "{}", whole.stderr);

    // The same config named with --config: the same warning; a config elsewhere says nothing of this site's folders.
    let config = site.join("_config.yml");
    let named = build_index(&["--dry-run", "--config", path(&config), path(&site.join("_posts"))]);
    assert!(named.stderr.contains(&left_out), "{}", named.stderr);
    let elsewhere = dir.path().join("ci/site.yml");
    std::fs::create_dir_all(dir.path().join("ci")).unwrap();
    std::fs::write(&elsewhere, "timezone: Asia/Shanghai\n").unwrap();
    let unrelated = build_index(&["--dry-run", "--config", path(&elsewhere), path(&site.join("_posts"))]);
    assert_eq!(unrelated.code, 0, "{}", unrelated.stderr);
    assert!(!unrelated.stderr.contains("Jekyll publishes the posts in this folder too"), "{}", unrelated.stderr);

    // A folder the site excludes is not published, so leaving it out says nothing, under --strict too.
    std::fs::write(&config, "timezone: Asia/Shanghai\nexclude:\n  - news/\n").unwrap();
    let excluded = build_index(&["--dry-run", "--strict", path(&site.join("_posts"))]);
    assert_eq!(excluded.code, 0, "{}", excluded.stderr);
    std::fs::write(&config, "timezone: Asia/Shanghai\n").unwrap();

    // The site folder instead of its posts folders: an error naming them, before anything is read.
    let site_given = build_index(&["--dry-run", path(&site)]);
    assert_eq!(site_given.code, 2, "{}", site_given.stderr);
    assert!(site_given.stderr.contains("a site folder, not a folder of posts"), "{}", site_given.stderr);
    assert!(site_given.stderr.contains(&site.join("news/_posts").display().to_string()), "{}", site_given.stderr);
    assert!(!site_given.stderr.contains("no _config.yml above"), "{}", site_given.stderr);
}

#[test]
fn a_folder_the_site_includes_is_published_and_left_out_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    write_site(
        &site,
        &[
            ("_posts/2024-01-01-a.md", "---\ntitle: 甲\n---\n正文甲\n"),
            ("_archive/_posts/2020-01-01-old.md", "---\ntitle: 旧\n---\n正文旧\n"),
        ],
    );
    let left_out =
        format!("{}:1: Jekyll publishes the posts in this folder too", site.join("_archive/_posts").display());

    // Jekyll passes over a folder whose name starts with `_`, so leaving it out says nothing, under --strict too.
    std::fs::write(site.join("_config.yml"), "timezone: Asia/Shanghai\n").unwrap();
    let ignored = build_index(&["--dry-run", "--strict", path(&site.join("_posts"))]);
    assert_eq!(ignored.code, 0, "{}", ignored.stderr);
    assert!(!ignored.stderr.contains(&left_out), "{}", ignored.stderr);

    // `include` brings it back, over an `exclude` that names it too.
    std::fs::write(site.join("_config.yml"), "timezone: Asia/Shanghai\nexclude: [_archive]\ninclude: [_archive]\n")
        .unwrap();
    let included = build_index(&["--dry-run", path(&site.join("_posts"))]);
    assert_eq!(included.code, 0, "{}", included.stderr);
    assert!(included.stderr.contains(&left_out), "{}", included.stderr);
}

#[test]
fn a_bundle_folder_that_holds_a_page_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("_site/search");
    let first = build_index(&["--no-assets", "--out", path(&out), path(&site_posts())]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    // Jekyll's page at /search/ (a `search.md` with pretty permalinks) lands in the bundle's folder.
    std::fs::write(out.join("index.html"), "<h1>搜索</h1>").unwrap();
    let again = build_index(&["--no-assets", "--out", path(&out), path(&site_posts())]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("also holds index.html that replacing it would delete"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "<h1>搜索</h1>");
}

/// Six posts where jieba cuts 一带一路 as 一带 + 一路 and 英伟达 as 英 + 伟达, which always come together there,
/// between varied words: (file below `folder`, text) for [`write_site`].
fn phrase_posts(folder: &str) -> Vec<(String, String)> {
    let lines = [
        "长春推进一带一路建设。美国英伟达发布芯片。",
        "西安共建一带一路倡议，据英伟达公司称。",
        "成都参与一带一路合作项目。英伟达股价上涨。",
        "重庆签署一带一路协议，市场关注英伟达财报。",
        "武汉：一带一路框架下的工程；分析师看好英伟达前景。",
        "南京举办一带一路论坛。英伟达与多家企业合作。",
    ];
    let posts = lines.iter().enumerate().map(|(i, line)| {
        let name = format!("{folder}/2024-0{}-1{i}-post{i}.md", i + 1);
        (name, format!("---\ntitle: 第{i}条新闻\n---\n{line}\n"))
    });
    posts.collect()
}

#[test]
fn words_jieba_cuts_apart_that_come_together_are_completed_and_read_as_pinyin() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    write_site(&site, &phrase_posts("_posts"));
    let out = dir.path().join("search");
    let run = build_index(&["--no-assets", "--out", path(&out), path(&site.join("_posts"))]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut index = jiansuo::local::LocalIndex::open(&out).unwrap();
    for (typed, phrase) in [("一带", "一带一路"), ("英伟", "英伟达")] {
        let completions: Vec<String> = index.complete(typed, 8).unwrap().into_iter().map(|c| c.text).collect();
        assert!(completions.contains(&phrase.to_string()), "{typed}: {completions:?}");
    }
    let page = index.search("yidaiyilu", &jiansuo::search::SearchOptions::default()).unwrap();
    assert_eq!(page.rewrite.map(|r| r.query).as_deref(), Some("一带一路"));
    assert_eq!(page.total, 6);
}
