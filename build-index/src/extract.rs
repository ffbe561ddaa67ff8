//! Post bodies to plain text: what a reader sees on the page, and so what search should match.
//!
//! Markdown is rendered to HTML with pulldown-cmark (with the extensions kramdown, Jekyll's
//! default renderer, also has), and then every body is HTML: raw HTML inside Markdown is not a
//! special case. The HTML goes through html5ever's tokenizer, so entities, comments, attributes
//! and raw-text elements (`<script>`, `<style>`, `<textarea>`…) are read exactly as a browser reads
//! them. `<script>`, `<style>` and hidden elements are dropped, an image counts as its alt text, block
//! elements become line breaks, and runs of white space become one space.
//!
//! html5ever's tree builder is not used: it rescans the stack of open elements for most tags, so
//! its time grows with the square of the nesting depth (100,000 nested `<div>`s take minutes), and
//! text needs only tokens plus the little tree knowledge kept here: which end tag closes a dropped
//! element, and that a new paragraph or block closes a hidden `<p>` whose end tag was left out.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use pulldown_cmark::{html, Options, Parser};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The text, one line per block, no empty lines, no leading or trailing white space.
    pub text: String,
    /// The text of the first `<h1>`…`<h6>` that has any, for posts without a title.
    pub first_heading: Option<String>,
}

pub fn extract(body: &str, format: Format) -> Extracted {
    match format {
        Format::Markdown => html_to_text(&markdown_to_html(body)),
        Format::Html => html_to_text(body),
    }
}

pub fn markdown_to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST;
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4);
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    out
}

/// Elements whose content is never shown as text.
const DROPPED: &[&str] = &[
    "script", "style", "template", "noscript", "iframe", "object", "embed", "canvas", "svg", "math", "head", "title",
    "select", "textarea", "noembed", "noframes",
];

/// Elements that start on a new line and end one.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
    "xmp",
];

/// Elements without content or end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source", "track",
    "wbr",
];

/// Elements whose end tag may be left out: the next one of the same name ends them.
const OPTIONAL_END: &[&str] = &["p", "li", "dt", "dd", "option", "tr", "td", "th"];

/// Elements whose content keeps its line breaks.
const PREFORMATTED: &[&str] = &["pre", "listing", "xmp", "plaintext"];

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// How the tokenizer must read the content of an element (as a browser's tree builder tells it).
fn raw_kind(name: &str) -> Option<TokenSinkResult<()>> {
    Some(match name {
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => TokenSinkResult::RawData(RawKind::Rawtext),
        "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
        "plaintext" => TokenSinkResult::Plaintext,
        _ => return None,
    })
}

fn is_hidden(tag: &Tag) -> bool {
    tag.attrs.iter().any(|attr| match &*attr.name.local {
        "hidden" => true,
        "style" => {
            let compact: String = attr.value.chars().filter(|c| !c.is_whitespace()).collect();
            compact.to_ascii_lowercase().contains("display:none")
        }
        _ => false,
    })
}

pub fn html_to_text(html: &str) -> Extracted {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(TextSink::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let state = tokenizer.sink.state.into_inner();
    Extracted { text: state.text.finish(), first_heading: state.first_heading }
}

#[derive(Default)]
struct TextSink {
    state: RefCell<SinkState>,
}

#[derive(Default)]
struct SinkState {
    text: TextBuilder,
    /// The element whose content is being left out, and how many of that name are open.
    suppressed: Option<(String, usize)>,
    preformatted: usize,
    heading_start: Option<usize>,
    first_heading: Option<String>,
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            Token::CharacterTokens(text) => {
                if state.suppressed.is_none() {
                    let preformatted = state.preformatted > 0;
                    state.text.push(&text, preformatted);
                }
                TokenSinkResult::Continue
            }
            Token::TagToken(tag) => {
                let name = &*tag.name;
                // Browsers ignore `/>` on HTML elements: `<script/>` still starts a script.
                let result = match tag.kind {
                    TagKind::StartTag => raw_kind(name).unwrap_or(TokenSinkResult::Continue),
                    TagKind::EndTag => TokenSinkResult::Continue,
                };
                match tag.kind {
                    TagKind::StartTag => state.start_tag(&tag),
                    TagKind::EndTag => state.end_tag(name),
                }
                result
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

impl SinkState {
    fn start_tag(&mut self, tag: &Tag) {
        let name = &*tag.name;
        // `/>` closes an element only in SVG and MathML.
        let opens = !(VOID.contains(&name) || tag.self_closing && matches!(name, "svg" | "math"));
        if let Some((suppressed, open)) = &mut self.suppressed {
            let implicitly_closed = *open == 1
                && OPTIONAL_END.contains(&suppressed.as_str())
                && (name == suppressed || (suppressed == "p" && BLOCKS.contains(&name)));
            if !implicitly_closed {
                if name == suppressed && opens {
                    *open += 1;
                }
                return;
            }
            self.suppressed = None;
        }
        if DROPPED.contains(&name) || is_hidden(tag) {
            if opens {
                self.suppressed = Some((name.to_string(), 1));
            }
            return;
        }
        self.separate(name);
        // An image's alt text stands for it in the text, as it does for a screen reader (and in Pagefind's index).
        if name == "img" {
            if let Some(alt) = tag.attrs.iter().find(|attribute| &*attribute.name.local == "alt") {
                self.text.push(&alt.value, self.preformatted > 0);
            }
        }
        if PREFORMATTED.contains(&name) && opens {
            self.preformatted += 1;
        }
        if is_heading(name) && self.first_heading.is_none() {
            self.heading_start = Some(self.text.len());
        }
    }

    /// Both tags of a block element break the line; table cells are set apart by a space.
    fn separate(&mut self, name: &str) {
        if BLOCKS.contains(&name) {
            self.text.block_break();
        } else if matches!(name, "td" | "th") {
            self.text.space();
        }
    }

    fn end_tag(&mut self, name: &str) {
        if let Some((suppressed, open)) = &mut self.suppressed {
            if name == suppressed {
                *open -= 1;
                if *open == 0 {
                    self.suppressed = None;
                }
            }
            return;
        }
        self.separate(name);
        if PREFORMATTED.contains(&name) {
            self.preformatted = self.preformatted.saturating_sub(1);
        }
        if is_heading(name) {
            if let Some(start) = self.heading_start.take() {
                let heading = self.text.since(start).trim();
                if !heading.is_empty() {
                    self.first_heading = Some(heading.to_string());
                }
            }
        }
    }
}

/// Accumulates text with HTML's white-space collapsing and block line breaks.
#[derive(Default)]
struct TextBuilder {
    out: String,
    pending_space: bool,
    pending_break: bool,
}

impl TextBuilder {
    fn push(&mut self, text: &str, preformatted: bool) {
        for c in text.chars() {
            if preformatted && c == '\n' {
                self.block_break();
            } else if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                self.pending_space = true;
            } else {
                if !self.out.is_empty() {
                    if self.pending_break {
                        self.out.push('\n');
                    } else if self.pending_space {
                        self.out.push(' ');
                    }
                }
                self.pending_break = false;
                self.pending_space = false;
                self.out.push(c);
            }
        }
    }

    fn block_break(&mut self) {
        self.pending_break = true;
    }

    fn space(&mut self) {
        self.pending_space = true;
    }

    fn len(&self) -> usize {
        self.out.len()
    }

    fn since(&self, start: usize) -> &str {
        self.out.get(start..).unwrap_or("")
    }

    fn finish(mut self) -> String {
        // Tens of thousands of documents wait for the writer; spare capacity would add up.
        self.out.shrink_to_fit();
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_blocks_become_lines_and_entities_are_decoded() {
        let got =
            html_to_text("<p>央视网消息&nbsp;（新闻联播）：<strong>A</strong>&lt;B&gt;</p><p>第二段<br>第三行</p>");
        assert_eq!(got.text, "央视网消息\u{a0}（新闻联播）：A<B>\n第二段\n第三行");
    }

    #[test]
    fn scripts_styles_comments_and_hidden_things_are_dropped() {
        let got = html_to_text(
            "<style>p{}</style><p style=\"display: none;\">隐藏</p><script>var x = '<p>';</script><!-- c --><div hidden>h</div><p>可见</p>",
        );
        assert_eq!(got.text, "可见");
    }

    #[test]
    fn white_space_collapses_except_in_pre() {
        let got = html_to_text("<p>  a \n\t b  </p><pre>x  y\nz</pre>");
        assert_eq!(got.text, "a b\nx y\nz");
    }

    #[test]
    fn markdown_with_inline_html() {
        let got = extract(
            "# 标题\n\n> 摘要 *强调*\n\n<p>原始 <span class=\"keytip\">HTML</span></p>\n\n- 一\n- 二\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[返回首页](../) <http://x.cn/a.html> <>\n",
            Format::Markdown,
        );
        assert_eq!(got.first_heading.as_deref(), Some("标题"));
        assert_eq!(got.text, "标题\n摘要 强调\n原始 HTML\n一\n二\na b\n1 2\n返回首页 http://x.cn/a.html <>");
    }

    #[test]
    fn first_heading_skips_empty_headings() {
        let got = extract("##\n\ntext\n\n## 真标题 {#id}\n", Format::Markdown);
        assert_eq!(got.first_heading.as_deref(), Some("真标题"));
    }

    #[test]
    fn image_alt_text_is_text() {
        let html = "<p>前文<img src=a.png alt=\"图片&amp;说明\">后文<img src=b.png><img alt=\"\" src=c.png></p>";
        assert_eq!(html_to_text(html).text, "前文图片&说明后文");
        let markdown = extract("看图：![长春 夜景](night.jpg \"标题\")。", Format::Markdown);
        assert_eq!(markdown.text, "看图：长春 夜景。");
        assert_eq!(html_to_text("<div hidden><img alt=藏></div>可见").text, "可见");
    }

    #[test]
    fn empty_and_garbage_input() {
        assert_eq!(extract("", Format::Markdown), Extracted::default());
        assert_eq!(html_to_text("<<<>>></p></div>&#0;&bogus;").text, "<<<>>>\n\u{fffd}&bogus;");
        assert_eq!(html_to_text("<script>never closed").text, "");
    }

    #[test]
    fn hidden_elements_end_where_a_browser_ends_them() {
        assert_eq!(html_to_text("<div hidden><div>a</div>b</div>c").text, "c");
        assert_eq!(html_to_text("<p hidden>a<p>b<p style='display:none'>c<div>d</div>").text, "b\nd");
        assert_eq!(html_to_text("<span hidden/>x</span><img hidden>y<br hidden>z<svg/>!").text, "yz!");
        assert_eq!(html_to_text("<div hidden><script>'</div>'</script>a</div>b").text, "b");
    }

    #[test]
    fn deep_nesting_takes_linear_time() {
        let html = "<div>".repeat(100_000) + "深" + &"</div>".repeat(100_000);
        assert_eq!(html_to_text(&html).text, "深");
        let markdown = ">".repeat(50_000) + " 深";
        assert!(extract(&markdown, Format::Markdown).text.contains('深'));
    }
}
