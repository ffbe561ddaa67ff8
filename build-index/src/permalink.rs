//! Post URLs, computed exactly as Jekyll 4 computes them.
//!
//! Mirrors `Jekyll::URL` (placeholder substitution, `escape_path`, `sanitize_url`),
//! `Jekyll::Drops::UrlDrop` (the placeholders), `Utils.slugify` and the built-in permalink styles
//! of `Configuration#style_to_permalink`. A search result that links anywhere else is a 404, so
//! the quirks are reproduced on purpose: values are percent-escaped but the template's own text is
//! not, `..` becomes `/`, `./` disappears and runs of `/` collapse.

use chrono::{DateTime, Datelike};
use chrono_tz::Tz;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Every placeholder Jekyll 4's `UrlDrop` answers to.
pub const PLACEHOLDERS: &[&str] = &[
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "i_day",
    "i_month",
    "short_month",
    "long_month",
    "short_year",
    "w_year",
    "week",
    "w_day",
    "short_day",
    "long_day",
    "y_day",
    "title",
    "slug",
    "name",
    "categories",
    "slugified_categories",
    "collection",
    "path",
    "output_ext",
];

/// Jekyll's permalink style names.
pub const STYLES: &[&str] = &["date", "pretty", "ordinal", "weekdate", "none"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PermalinkError {
    #[error("the permalink template has no `:{0}` placeholder (known: :{known})", known = PLACEHOLDERS.join(", :"))]
    UnknownPlaceholder(String),
    #[error(
        "{0:?} is neither a permalink style ({styles}) nor a template with placeholders such as :title; every post \
         would get that one URL",
        styles = STYLES.join(", ")
    )]
    NoPlaceholder(String),
    #[error(
        "the URL would be more than {MAX_URL_BYTES} bytes long: no file system takes a path that long, and Jekyll \
         stops writing the post"
    )]
    TooLong,
}

/// The longest URL made. Linux takes paths of up to 4,096 bytes; past this, a template that repeats `:categories`
/// for a post of thousands of categories makes hundreds of megabytes.
pub const MAX_URL_BYTES: usize = 64 * 1024;

/// A post's permalink template: a Jekyll style name (`date`, `pretty`, `ordinal`, `weekdate`,
/// `none`) resolved to its template, or a template as given.
pub fn template_for_style(style: &str) -> String {
    match style {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        template => template,
    }
    .to_string()
}

/// The site's permalink template for a style or template (the config's `permalink`, or `--permalink`), checked:
/// a template without any placeholder gives every post one URL, which is a mistyped style, not a site.
pub fn site_template(style: &str) -> Result<String, PermalinkError> {
    let template = template_for_style(style);
    match placeholders(&template)? {
        0 => Err(PermalinkError::NoPlaceholder(style.to_string())),
        _ => Ok(template),
    }
}

/// Checks that every `:placeholder` in `template` is one Jekyll knows (Jekyll aborts otherwise).
pub fn validate(template: &str) -> Result<(), PermalinkError> {
    placeholders(template).map(|_| ())
}

/// How many placeholders `template` has, each checked to be one Jekyll knows.
fn placeholders(template: &str) -> Result<usize, PermalinkError> {
    let mut count = 0;
    for_each_placeholder(template, |_, name| {
        if !name.is_empty() {
            resolve_key(name)?;
            count += 1;
        }
        Ok(())
    })?;
    Ok(count)
}

/// What the placeholders of one post are made from.
#[derive(Debug, Clone)]
pub struct Post<'a> {
    /// The date in the site's time zone.
    pub date: DateTime<Tz>,
    /// Front matter `slug`, else the file name's slug (after the date, without the extension).
    pub slug: &'a str,
    /// The file name without its extension (for `:name`).
    pub basename_without_ext: &'a str,
    /// Categories as Jekyll merged them (path categories first, then front matter).
    pub categories: &'a [String],
    /// The path below `_posts` without extension, with a leading `/` (for `:path`).
    pub path_in_collection: &'a str,
    /// `.html` for Markdown and HTML posts.
    pub output_ext: &'a str,
}

/// The URL of `post`: the front matter `permalink` when there is one, else the site `template`.
pub fn url(template: &str, front_matter_permalink: Option<&str>, post: &Post) -> Result<String, PermalinkError> {
    let generated = generate(front_matter_permalink.unwrap_or(template), post)?;
    Ok(sanitize_url(&generated))
}

fn placeholder_value(key: &str, post: &Post) -> String {
    let date = &post.date;
    match key {
        "year" => date.format("%Y").to_string(),
        "month" => date.format("%m").to_string(),
        "day" => date.format("%d").to_string(),
        "hour" => date.format("%H").to_string(),
        "minute" => date.format("%M").to_string(),
        "second" => date.format("%S").to_string(),
        "i_day" => date.day().to_string(),
        "i_month" => date.month().to_string(),
        "short_month" => date.format("%b").to_string(),
        "long_month" => date.format("%B").to_string(),
        "short_year" => date.format("%y").to_string(),
        "w_year" => date.format("%G").to_string(),
        "week" => date.format("%V").to_string(),
        "w_day" => date.format("%u").to_string(),
        "short_day" => date.format("%a").to_string(),
        "long_day" => date.format("%A").to_string(),
        "y_day" => date.format("%j").to_string(),
        "title" => slugify(post.slug, SlugMode::Pretty, true),
        "slug" => slugify(post.slug, SlugMode::Default, false),
        "name" => slugify(post.basename_without_ext, SlugMode::Default, false),
        "categories" => unique_joined(post.categories.iter().map(|c| c.to_lowercase())),
        "slugified_categories" => unique_joined(post.categories.iter().map(|c| slugify(c, SlugMode::Default, false))),
        "collection" => "posts".to_string(),
        "path" => post.path_in_collection.to_string(),
        "output_ext" => post.output_ext.to_string(),
        _ => String::new(),
    }
}

fn unique_joined(values: impl Iterator<Item = String>) -> String {
    crate::document::first_of_each(values).join("/")
}

/// Jekyll's key extraction is `:([a-z_]+)`, and a trailing `_` may belong to the text after the
/// key (`/:month_:day`), so `month_` falls back to `month`.
fn resolve_key(name: &str) -> Result<&'static str, PermalinkError> {
    let known = |key: &str| PLACEHOLDERS.iter().copied().find(|k| *k == key);
    known(name)
        .or_else(|| name.strip_suffix('_').and_then(known))
        .ok_or_else(|| PermalinkError::UnknownPlaceholder(name.to_string()))
}

/// Calls `visit(literal_before, name)` for each `:name`; the callback decides what to do with it.
fn for_each_placeholder(
    template: &str,
    mut visit: impl FnMut(&str, &str) -> Result<(), PermalinkError>,
) -> Result<(), PermalinkError> {
    let mut rest = template;
    while let Some(colon) = rest.find(':') {
        let after = &rest[colon + 1..];
        let name_len = after.bytes().take_while(|b| b.is_ascii_lowercase() || *b == b'_').count();
        if name_len == 0 {
            visit(&rest[..=colon], "")?;
            rest = after;
            continue;
        }
        visit(&rest[..colon], &after[..name_len])?;
        rest = &after[name_len..];
    }
    visit(rest, "")
}

/// `URL#generate_url_from_drop`: substitute every placeholder with its escaped value.
fn generate(template: &str, post: &Post) -> Result<String, PermalinkError> {
    let mut out = String::with_capacity(template.len() + 32);
    for_each_placeholder(template, |literal, name| {
        out.push_str(literal);
        if !name.is_empty() {
            let key = resolve_key(name)?;
            out.push_str(&escape_path(&placeholder_value(key, post)));
            // `month_` resolved to `month`: the underscore is literal text.
            out.push_str(&name[key.len()..]);
        }
        if out.len() > MAX_URL_BYTES {
            return Err(PermalinkError::TooLong);
        }
        Ok(())
    })?;
    Ok(out)
}

/// `URL.escape_path`: Addressable's encoding of a path, then `#` → `%23`. Keeps RFC 3986 `pchar`,
/// `/` and `?` (Addressable sees what follows `?` as a query, whose class allows it); everything
/// else, `%` included, is percent-encoded as UTF-8 with upper-case hex.
pub fn escape_path(value: &str) -> String {
    let keep = |b: u8| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b);
    if value.bytes().all(keep) {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `URL#sanitize_url`: `"/#{str}".gsub("..", "/").gsub("./", "").squeeze("/")`.
pub fn sanitize_url(generated: &str) -> String {
    let with_slash = format!("/{generated}").replace("..", "/").replace("./", "");
    let mut out = String::with_capacity(with_slash.len());
    for c in with_slash.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugMode {
    /// Every run of characters that are not letters, marks or decimal digits becomes `-`.
    Default,
    /// Like `Default`, but `._~!$&'()+,;=@` are kept too.
    Pretty,
}

/// Ruby's `[[:alnum:]]` on a UTF-8 string: Letter | Mark | Decimal_Number.
fn is_ruby_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match c.general_category_group() {
        GeneralCategoryGroup::Letter | GeneralCategoryGroup::Mark => true,
        GeneralCategoryGroup::Number => c.general_category() == unicode_properties::GeneralCategory::DecimalNumber,
        _ => false,
    }
}

/// `Utils.slugify` for the modes permalinks use.
pub fn slugify(text: &str, mode: SlugMode, cased: bool) -> String {
    let keep = |c: char| is_ruby_alnum(c) || (mode == SlugMode::Pretty && "._~!$&'()+,;=@".contains(c));
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if keep(c) {
            slug.push(c);
        } else if !slug.ends_with('-') || slug.is_empty() {
            slug.push('-');
        }
    }
    // `gsub(/^\-|\-$/, "")`: one hyphen off each end.
    let slug = slug.strip_prefix('-').unwrap_or(&slug);
    let slug = slug.strip_suffix('-').unwrap_or(slug);
    if cased {
        slug.to_string()
    } else {
        slug.to_lowercase()
    }
}

/// Prefixes a site's base URL (Jekyll's `baseurl`) to a post URL, as `relative_url` does.
pub fn with_base_url(base_url: &str, url: &str) -> String {
    let base = base_url.trim_end_matches('/');
    if base.is_empty() {
        return url.to_string();
    }
    if base.starts_with('/') || base.contains("://") {
        format!("{base}{url}")
    } else {
        format!("/{base}{url}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn post<'a>(slug: &'a str, categories: &'a [String]) -> Post<'a> {
        Post {
            date: chrono_tz::Asia::Shanghai.with_ymd_and_hms(2021, 12, 8, 9, 5, 7).unwrap(),
            slug,
            basename_without_ext: "2021-12-08-Hello World",
            categories,
            path_in_collection: "/2021-12-08-Hello World",
            output_ext: ".html",
        }
    }

    #[test]
    fn a_url_past_64_kib_is_refused_before_it_is_made() {
        // `:categories` 2,000 times over 10,000 categories made a URL of 140 MB.
        let categories: Vec<String> = (0..10_000).map(|i| format!("c{i}")).collect();
        let template = ":categories/".repeat(2_000);
        assert_eq!(url(&template, None, &post("x", &categories)), Err(PermalinkError::TooLong));
        let long = url(":categories", None, &post("x", &categories[..8_000])).unwrap();
        assert!((MAX_URL_BYTES / 2..=MAX_URL_BYTES).contains(&long.len()), "{}", long.len());
    }

    fn url_of(template: &str, slug: &str, categories: &[&str]) -> String {
        let categories: Vec<String> = categories.iter().map(|c| c.to_string()).collect();
        url(&template_for_style(template), None, &post(slug, &categories)).unwrap()
    }

    #[test]
    fn built_in_styles() {
        assert_eq!(url_of("date", "Hello World", &["News", "Tech"]), "/news/tech/2021/12/08/Hello-World.html");
        assert_eq!(url_of("date", "hello", &[]), "/2021/12/08/hello.html");
        assert_eq!(url_of("pretty", "hello", &[]), "/2021/12/08/hello/");
        assert_eq!(url_of("ordinal", "hello", &[]), "/2021/342/hello.html");
        assert_eq!(url_of("none", "hello", &["a"]), "/a/hello.html");
        assert_eq!(url_of("weekdate", "hello", &[]), "/2021/W49/Wed/hello.html");
    }

    #[test]
    fn every_placeholder() {
        let template = "/:year/:month/:day/:hour/:minute/:second/:i_day/:i_month/:short_month/:long_month/:short_year/:w_year/:week/:w_day/:short_day/:long_day/:y_day/:name/:slug/:collection:path";
        assert_eq!(
            url_of(template, "Hello World", &[]),
            "/2021/12/08/09/05/07/8/12/Dec/December/21/2021/49/3/Wed/Wednesday/342/2021-12-08-hello-world/hello-world/posts/2021-12-08-Hello%20World"
        );
        assert_eq!(url_of("/:year_:month_:day/:title", "x", &[]), "/2021_12_08/x");
    }

    #[test]
    fn chinese_slugs_and_categories_are_escaped() {
        assert_eq!(
            url_of("/:categories/:title:output_ext", "科技 新闻", &["财经"]),
            "/%E8%B4%A2%E7%BB%8F/%E7%A7%91%E6%8A%80-%E6%96%B0%E9%97%BB.html"
        );
        assert_eq!(
            url_of("/:slugified_categories/:title/", "a", &["Work 2 Progress", "work-2-progress"]),
            "/work-2-progress/a/"
        );
        // Template text itself is not escaped.
        assert_eq!(url_of("/新闻/:title/", "a", &[]), "/新闻/a/");
    }

    #[test]
    fn sanitizing_is_jekylls() {
        assert_eq!(sanitize_url("//a//b/"), "/a/b/");
        assert_eq!(sanitize_url("a/../b"), "/a/b");
        assert_eq!(sanitize_url("./a/./b"), "/a/b");
        assert_eq!(sanitize_url(""), "/");
    }

    #[test]
    fn escape_path_matches_addressable() {
        assert_eq!(escape_path("a b#c%d?e[f]"), "a%20b%23c%25d?e%5Bf%5D");
        assert_eq!(escape_path("2021/12:08@x"), "2021/12:08@x");
        assert_eq!(escape_path("é"), "%C3%A9");
    }

    #[test]
    fn slugify_modes() {
        assert_eq!(slugify("The _config.yml file", SlugMode::Default, false), "the-config-yml-file");
        assert_eq!(slugify("The _config.yml file", SlugMode::Pretty, false), "the-_config.yml-file");
        assert_eq!(slugify("The _config.yml file", SlugMode::Pretty, true), "The-_config.yml-file");
        assert_eq!(slugify("--科技①新闻--", SlugMode::Default, false), "科技-新闻");
        assert_eq!(slugify("---", SlugMode::Default, false), "");
    }

    #[test]
    fn front_matter_permalinks_win_and_take_placeholders() {
        let post = post("x", &[]);
        assert_eq!(url(":title", Some("/custom/:year/:title/"), &post).unwrap(), "/custom/2021/x/");
        assert_eq!(url(":title", Some(""), &post).unwrap(), "/");
    }

    #[test]
    fn unknown_placeholders_are_errors() {
        assert_eq!(validate("/:year/:titel/"), Err(PermalinkError::UnknownPlaceholder("titel".into())));
        assert!(validate("/:year_:month/:output_ext").is_ok());
        assert!(validate("http://x/a:1/").is_ok());
    }

    #[test]
    fn a_site_template_needs_a_placeholder() {
        assert_eq!(site_template("pretty").unwrap(), "/:categories/:year/:month/:day/:title/");
        assert_eq!(site_template("/blog/:title").unwrap(), "/blog/:title");
        for mistyped in ["prety", "Pretty", "", "/posts/"] {
            assert_eq!(site_template(mistyped), Err(PermalinkError::NoPlaceholder(mistyped.to_string())));
        }
        assert!(site_template("/:titel/").is_err());
    }

    #[test]
    fn base_urls() {
        assert_eq!(with_base_url("/blog/", "/a.html"), "/blog/a.html");
        assert_eq!(with_base_url("blog", "/a.html"), "/blog/a.html");
        assert_eq!(with_base_url("", "/a.html"), "/a.html");
        assert_eq!(with_base_url("https://x.org/b", "/a.html"), "https://x.org/b/a.html");
    }
}
