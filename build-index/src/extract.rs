//! Post bodies to plain text: what a reader sees on the page, and so what search should match.
//!
//! Markdown is rendered to HTML first ([`crate::markdown`]), and then every body is HTML: raw HTML
//! inside Markdown is not a special case. The HTML goes through html5ever's tokenizer, so entities,
//! comments, attributes and raw-text elements (`<script>`, `<style>`, `<textarea>`…) are read exactly
//! as a browser reads them. `<script>`, `<style>`, hidden elements and ruby annotations (`<rt>`, so
//! that 汉字 stays one word) are dropped, an image counts as its alt text, block elements become line
//! breaks, and runs of white space become one space.
//!
//! html5ever's tree builder is not used: it rescans the stack of open elements for most tags, so
//! its time grows with the square of the nesting depth (100,000 nested `<div>`s take minutes), and
//! text needs only tokens plus the little tree knowledge kept here, in a stack of open elements
//! whose every entry knows whether it is hidden: an end tag closes whatever was opened after its
//! element (`</p>` ends a hidden `<span>` left open in the paragraph), a stray end tag is ignored,
//! and the end tags HTML lets authors leave out are implied as browsers imply them (a block closes
//! an open `<p>`, a new `<li>`, `<dt>`/`<dd>`, `<td>`/`<th>`/`<tr>`, `<option>`, `<a>`, `<button>`,
//! `<rt>`/`<rp>` or table section the previous one; any heading's end tag ends the open heading).
//! Each entry also remembers the elements those implied end tags would close, so every tag costs
//! constant time whatever the depth. `display: none` counts when it is the style's last valid
//! `display` declaration. Left out, as rarer and harmless here (they show more text, never less):
//! the adoption agency (misnested formatting elements), reopening formatting elements in the next
//! paragraph, and `visibility: hidden`.

use std::cell::RefCell;
use std::collections::HashMap;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use html5ever::LocalName;

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
        Format::Markdown => html_to_text(&crate::markdown::to_html(body)),
        Format::Html => html_to_text(body),
    }
}

/// Elements whose content is never shown as text; and ruby annotations (`<rt>`, `<rp>`), shown above the text
/// they annotate but not part of it: `<ruby>汉<rt>hàn</rt>字<rt>zì</rt></ruby>` is the word 汉字.
const DROPPED: &[&str] = &[
    "script", "style", "template", "noscript", "iframe", "object", "embed", "canvas", "svg", "math", "head", "title",
    "select", "textarea", "noembed", "noframes", "rt", "rp",
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

/// Start tags that end an open `<p>` (one in "button scope": not behind a table, cell, button…).
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
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
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "plaintext",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "ul",
    "xmp",
];

/// Elements a `<p>` inside them is out of reach for a start tag outside: HTML's button scope.
const BUTTON_SCOPE: &[&str] =
    &["applet", "button", "caption", "html", "marquee", "object", "table", "td", "template", "th"];

/// HTML's "special" elements (those that can hold content): a new `<li>` (`<dt>`, `<dd>`) ends an open one only if
/// none of these but `<address>`, `<div>` and `<p>` is open inside it.
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "article",
    "aside",
    "blockquote",
    "body",
    "button",
    "caption",
    "center",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "html",
    "iframe",
    "li",
    "listing",
    "main",
    "marquee",
    "menu",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
    "xmp",
];

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
        "style" => displays_none(&attr.value),
        _ => false,
    })
}

/// Whether an inline style's last valid `display` declaration is `none` (comments removed; `!important` allowed).
fn displays_none(style: &str) -> bool {
    let mut uncommented = String::with_capacity(style.len());
    let mut rest = style;
    while let Some(start) = rest.find("/*") {
        uncommented.push_str(&rest[..start]);
        uncommented.push(' ');
        rest = rest[start + 2..].find("*/").map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    uncommented.push_str(rest);
    let mut display = None;
    for declaration in uncommented.split(';') {
        let Some((property, value)) = declaration.split_once(':') else { continue };
        if property.trim().eq_ignore_ascii_case("display") {
            let value = value.trim();
            let value = value.strip_suffix("!important").map_or(value, str::trim_end).to_ascii_lowercase();
            // An invalid value is dropped by the browser; the declaration before it stands.
            if value.split_whitespace().all(|word| word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')) {
                display = Some(value);
            }
        }
    }
    display.as_deref() == Some("none")
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
    /// The open elements, innermost last.
    open: Vec<Open>,
    /// Where in `open` the elements of each name are, innermost last.
    by_name: HashMap<LocalName, Vec<usize>>,
    heading_start: Option<usize>,
    first_heading: Option<String>,
}

/// An open element, and what follows from its place in the tree (worked out when it opens, since the elements
/// around it stay open as long as it does).
struct Open {
    name: LocalName,
    /// Dropped or hidden, itself or an element around it: its content is left out.
    hidden: bool,
    preformatted: bool,
    /// Inside `<svg>` or `<math>`, where `/>` closes an element.
    foreign: bool,
    /// The `<p>` a block start tag would end (as an index in the stack), and likewise for `<li>`, `<dt>`/`<dd>`,
    /// a table cell and a table row.
    p: Option<usize>,
    li: Option<usize>,
    dt_dd: Option<usize>,
    cell: Option<usize>,
    row: Option<usize>,
}

impl Open {
    fn new(tag: &Tag, index: usize, parent: Option<&Open>) -> Open {
        let name = &*tag.name;
        let inherit = |target: fn(&Open) -> Option<usize>| parent.and_then(target);
        let table_scope = matches!(name, "html" | "table" | "template");
        let ends_list_search = SPECIAL.contains(&name) && !matches!(name, "address" | "div" | "p");
        Open {
            name: tag.name.clone(),
            hidden: parent.is_some_and(|p| p.hidden) || DROPPED.contains(&name) || is_hidden(tag),
            preformatted: parent.is_some_and(|p| p.preformatted) || PREFORMATTED.contains(&name),
            foreign: parent.is_some_and(|p| p.foreign) || matches!(name, "svg" | "math"),
            p: match name {
                "p" => Some(index),
                _ if BUTTON_SCOPE.contains(&name) => None,
                _ => inherit(|p| p.p),
            },
            li: match name {
                "li" => Some(index),
                _ if ends_list_search => None,
                _ => inherit(|p| p.li),
            },
            dt_dd: match name {
                "dt" | "dd" => Some(index),
                _ if ends_list_search => None,
                _ => inherit(|p| p.dt_dd),
            },
            cell: match name {
                "td" | "th" => Some(index),
                _ if table_scope => None,
                _ => inherit(|p| p.cell),
            },
            row: match name {
                "tr" => Some(index),
                _ if table_scope => None,
                _ => inherit(|p| p.row),
            },
        }
    }
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            Token::CharacterTokens(text) => {
                if !state.hidden() {
                    let preformatted = state.open.last().is_some_and(|e| e.preformatted);
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
                    TagKind::EndTag => state.end_tag(&tag.name),
                }
                result
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

impl SinkState {
    fn hidden(&self) -> bool {
        self.open.last().is_some_and(|e| e.hidden)
    }

    fn start_tag(&mut self, tag: &Tag) {
        let name = &*tag.name;
        self.imply_end_tags(name);
        // `/>` closes an element only in SVG and MathML.
        let foreign = self.open.last().is_some_and(|e| e.foreign);
        let opens = !(VOID.contains(&name) || tag.self_closing && (foreign || matches!(name, "svg" | "math")));
        let element = Open::new(tag, self.open.len(), self.open.last());
        if element.hidden {
            if opens {
                self.push(element);
            }
            return;
        }
        self.separate(name);
        // An image's alt text stands for it in the text, as it does for a screen reader (and in Pagefind's index).
        if name == "img" {
            if let Some(alt) = tag.attrs.iter().find(|attribute| &*attribute.name.local == "alt") {
                self.text.push(&alt.value, element.preformatted);
            }
        }
        if is_heading(name) && self.first_heading.is_none() {
            self.heading_start = Some(self.text.len());
        }
        if opens {
            self.push(element);
        }
    }

    /// Ends the elements a start tag `name` ends without their end tags, as HTML's tree construction does.
    fn imply_end_tags(&mut self, name: &str) {
        let Some(current) = self.open.last() else { return };
        let ended = match name {
            "li" => current.li,
            "dt" | "dd" => current.dt_dd,
            "td" | "th" => current.cell,
            "tr" => current.row.or(current.cell).or_else(|| self.last_open(&["caption", "colgroup"], true)),
            "option" | "optgroup" => (&*current.name == "option").then(|| self.open.len() - 1),
            // A link or button inside one of its kind ends it; so does a ruby text its sibling.
            "a" | "button" => self.last_open(&[name], false),
            "rt" | "rp" => self.last_open(&["rt", "rp"], true),
            // A table section or row ends the caption, column group or section before it (in its own table).
            "tbody" | "thead" | "tfoot" => self.last_open(&["tbody", "thead", "tfoot", "caption", "colgroup"], true),
            "body" => self.by_name.get(&LocalName::from("head")).and_then(|at| at.last().copied()),
            _ if is_heading(name) && is_heading(&current.name) => Some(self.open.len() - 1),
            _ => None,
        };
        if let Some(index) = ended {
            self.close_from(index);
        }
        if CLOSES_P.contains(&name) {
            if let Some(index) = self.open.last().and_then(|e| e.p) {
                self.close_from(index);
            }
        }
    }

    fn push(&mut self, element: Open) {
        self.by_name.entry(element.name.clone()).or_default().push(self.open.len());
        self.open.push(element);
    }

    /// Closes the element at `index` in the stack and every element opened after it.
    fn close_from(&mut self, index: usize) {
        while self.open.len() > index {
            let Some(element) = self.open.pop() else { break };
            if let Some(at) = self.by_name.get_mut(&element.name) {
                at.pop();
            }
            if !element.hidden {
                self.element_ended(&element.name);
            }
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

    /// The innermost open element named one of `names` (within the innermost table, if `in_table`).
    fn last_open(&self, names: &[&str], in_table: bool) -> Option<usize> {
        let newest = |name: &str| self.by_name.get(&LocalName::from(name)).and_then(|at| at.last().copied());
        let found = names.iter().filter_map(|name| newest(name)).max()?;
        let table = if in_table { newest("table") } else { None };
        table.is_none_or(|table| found > table).then_some(found)
    }

    fn end_tag(&mut self, name: &LocalName) {
        // Any heading's end tag ends the open heading, whatever its level (`<h3>…</h4>`).
        let open = match is_heading(name) {
            true => self.last_open(&["h1", "h2", "h3", "h4", "h5", "h6"], false),
            false => self.by_name.get(name).and_then(|at| at.last().copied()),
        };
        match open {
            Some(index) => self.close_from(index),
            // A browser reads `</br>` as `<br>`, and a `</p>` without a `<p>` as an empty paragraph.
            None if matches!(&**name, "br" | "p") && !self.hidden() => self.separate(name),
            // A stray end tag: ignored.
            None => {}
        }
    }

    fn element_ended(&mut self, name: &str) {
        self.separate(name);
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
    fn an_end_tag_closes_the_hidden_elements_left_open_inside() {
        let got = html_to_text("<p>zmp 开头 <span hidden>隐藏</p>\n<p>正文zvisspanbody。</p>");
        assert_eq!(got.text, "zmp 开头\n正文zvisspanbody。");
        assert_eq!(html_to_text("<div><p hidden>x</div>zvisa1").text, "zvisa1");
        assert_eq!(html_to_text("<p><span hidden>x</p>zvisc1").text, "zvisc1");
        assert_eq!(html_to_text("<div><p style=\"display:none\">x</div>zvisa2").text, "zvisa2");
        assert_eq!(html_to_text("<p><span style=\"display: none\">x</p>zvisc2").text, "zvisc2");
    }

    #[test]
    fn more_end_tags_left_out_or_mismatched_end_hidden_elements() {
        let text = |html: &str| html_to_text(html).text;
        assert_eq!(text("<p>前文</p><h3 hidden>隐藏</h4>\n<p>甲vqh1甲</p>"), "前文\n甲vqh1甲");
        assert_eq!(text("<a hidden href=x>隐藏<a href=y>链接</a>后文"), "链接后文");
        assert_eq!(text("<button hidden>隐藏<button>按钮</button>后文"), "按钮后文");
        assert_eq!(text("<ruby>汉<rp hidden>(<rt>hàn</rt></ruby>后文"), "汉后文");
        assert_eq!(
            text("<ruby>汉<rp>(</rp><rt>hàn</rt><rp>)</rp>字<rt>zì</ruby>"),
            "汉字",
            "annotations are not the text"
        );
        assert_eq!(text("<table><caption hidden>隐藏<tr><td>格</td></tr></table>"), "格");
        assert_eq!(text("<table><colgroup hidden><tr><td>格</td></tr></table>"), "格");
        assert_eq!(text("<table><tbody hidden><tr><td>隐藏</td><tbody><tr><td>格</td></table>"), "格");
        // A section of an inner table does not end the outer table's.
        assert_eq!(text("<table><tbody hidden><tr><td><table><tbody><tr><td>x</table></td></tr></table>后"), "后");
    }

    #[test]
    fn only_a_display_none_declaration_hides() {
        assert!(displays_none("display:none") && displays_none("color: red; DISPLAY : None !important"));
        assert!(displays_none("display: none; /* display: block */"));
        assert!(!displays_none("display:nonesense") && !displays_none("--x:display:none"));
        assert!(!displays_none("/*display:none*/color:red") && !displays_none("display:none; display:block"));
        assert!(displays_none("display:none; display:bl{ock"), "an invalid value leaves the one before");
        assert_eq!(html_to_text("<div style=\"display:nonesense\">甲vq0088甲</div>").text, "甲vq0088甲");
        assert_eq!(html_to_text("<table><tr><td><b hidden>x</td><td>y</td></tr></table>z").text, "y\nz");
        // A stray end tag closes nothing.
        assert_eq!(html_to_text("<div hidden>a</span></p>b</div>c").text, "c");
    }

    #[test]
    fn end_tags_left_out_are_implied_as_in_browsers() {
        assert_eq!(html_to_text("<ul><li hidden>a<li>b</ul>").text, "b");
        // A nested list's `<li>` does not end the outer one.
        assert_eq!(html_to_text("<ul><li hidden>a<ul><li>藏</ul><li>b</ul>").text, "b");
        assert_eq!(html_to_text("<dl><dt hidden>a<dd>b<dt>c</dl>").text, "b\nc");
        assert_eq!(html_to_text("<table><tr><td hidden>a<td>b<tr><th hidden>c<th>d</table>").text, "b\nd");
        assert_eq!(html_to_text("<p hidden>a<table><tr><td>b</table>").text, "b");
        // A `<p>` outside a button is out of reach of a block inside.
        assert_eq!(html_to_text("<p hidden><button><p>a<div>b</div></button>c</p>d").text, "d");
        assert_eq!(html_to_text("<option hidden>a<option>b").text, "b");
        assert_eq!(html_to_text("<h1 hidden>a<h2>b</h2>").text, "b");
    }

    #[test]
    fn deep_nesting_takes_linear_time() {
        let html = "<div>".repeat(100_000) + "深" + &"</div>".repeat(100_000);
        assert_eq!(html_to_text(&html).text, "深");
        let closing = "<p>".to_string() + &"<span>".repeat(100_000) + &"</b>".repeat(100_000) + "<div>深</div>";
        assert_eq!(html_to_text(&closing).text, "深");
        let lists = "<ul>".to_string() + &"<div>".repeat(100_000) + &"<li>项</li>".repeat(100_000);
        assert_eq!(html_to_text(&lists).text.len(), "项\n".len() * 100_000 - 1);
        let markdown = ">".repeat(50_000) + " 深";
        assert!(extract(&markdown, Format::Markdown).text.contains('深'));
    }
}
