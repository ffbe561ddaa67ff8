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
