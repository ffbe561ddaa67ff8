//! kramdown's own syntax, which Jekyll's default Markdown renderer reads and pulldown-cmark does not.
//!
//! Themes and posts use it for classes and tables of contents: attribute lists (`{: .notice}`, `{:toc}`, a span's
//! `*text*{:.red}`), attribute list definitions (`{:name: .class}`), extensions (`{::comment}…{:/comment}`,
//! `{::nomarkdown}…{:/}`, `{::options … /}`) and HTML blocks whose content is Markdown (`<div markdown="1">`);
//! posts also use abbreviation definitions (`*[HTML]: Hyper Text Markup Language`, which only add a tooltip) and the
//! end-of-block marker (a line holding only `^`, which ends a list or paragraph as a blank line would).
//! kramdown shows none of the markup, nor a comment's content, nor the list a `{:toc}` marks (its placeholder
//! text, replaced by the headings); left in, they would be searchable words and show in excerpts. Code is left alone: fenced blocks and code spans keep `{:` as written (a Ruby hash, say).

use std::borrow::Cow;

use crate::scan::NextMatch;

/// `markdown` with kramdown's markup removed (and `markdown="1"` blocks opened for Markdown); unchanged when it
/// has none.
pub fn strip(markdown: &str) -> Cow<'_, str> {
    let block_markup = markdown.contains("*[") || markdown.contains('^');
    if !markdown.contains("{:") && !markdown.contains("markdown=") && !block_markup {
        return Cow::Borrowed(markdown);
    }
    let mut out = String::with_capacity(markdown.len());
    let mut fence: Option<(char, usize)> = None;
    // Inside a `{::comment}` that did not end on its line.
    let mut in_comment = false;
    // Open `markdown="1"` elements: their name and how many of that name are open inside.
    let mut markdown_blocks: Vec<(String, usize)> = Vec::new();
    // Whether the line before was blank (or gone), so that this one starts a block.
    let mut after_blank = true;
    // Where in `out` the current block starts, and whether it is a list: `* 目录` followed by `{:toc}` is the
    // placeholder kramdown replaces with the table of contents (the headings again), so it goes.
    let mut block: (usize, bool) = (0, false);
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim_start();
        // Inside a blockquote kramdown reads the lines without their `>` as blocks of their own.
        let (quote, content) = line.split_at(quote_prefix_len(line));
        let block_start = std::mem::replace(&mut after_blank, content.trim().is_empty());
        if block_start {
            block = (out.len(), is_list_item(content));
        }
        if fence.is_none() && !in_comment && block.1 && content.trim() == "{:toc}" {
            out.truncate(block.0);
            after_blank = true;
            continue;
        }
        if let Some((marker, length)) = fence {
            out.push_str(line);
            if closes_fence(trimmed, (marker, length)) {
                fence = None;
            }
            continue;
        }
        if !in_comment {
            if let Some(opened) = fence_of(trimmed) {
                fence = Some(opened);
                out.push_str(line);
                continue;
            }
            if is_end_of_block(content) {
                out.push_str(quote.trim_end());
                out.push('\n');
                after_blank = true;
                continue;
            }
            if block_start && is_abbreviation_definition(content) {
                if !quote.is_empty() {
                    out.push_str(quote.trim_end());
                    out.push('\n');
                }
                after_blank = true;
                continue;
            }
        }
        let mut rest = line;
        if in_comment {
            match comment_end(rest) {
                Some((at, len)) => rest = &rest[at + len..],
                None => continue,
            }
        }
        let start = out.len();
        in_comment = strip_line(rest, &mut out);
        open_markdown_blocks(start, &mut markdown_blocks, &mut out);
    }
    Cow::Owned(out)
}

/// Whether a line (without its indentation) closes the code fence `opened`: its character alone, as many or more.
pub(crate) fn closes_fence(trimmed: &str, opened: (char, usize)) -> bool {
    let (marker, length) = opened;
    fence_of(trimmed).is_some_and(|(m, l)| m == marker && l >= length)
        && trimmed.trim_end().chars().all(|c| c == marker)
}

/// A fence's character and length, if the line (without its indentation) opens or closes one.
pub(crate) fn fence_of(trimmed: &str) -> Option<(char, usize)> {
    let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = trimmed.chars().take_while(|c| *c == marker).count();
    (length >= 3).then_some((marker, length))
}

/// The length of a line's blockquote markers (`> `, `> > `, each after at most three spaces).
fn quote_prefix_len(line: &str) -> usize {
    let mut at = 0;
    loop {
        let rest = &line[at..];
        let indent = rest.len() - rest.trim_start_matches(' ').len();
        match rest[indent..].strip_prefix('>') {
            Some(after) if indent <= 3 => at += indent + 1 + usize::from(after.starts_with(' ')),
            _ => return at,
        }
    }
}

/// `* x`, `- x`, `+ x` or `1. x`: a line that starts a list.
fn is_list_item(line: &str) -> bool {
    let trimmed = line.trim_start();
    let digits = trimmed.len() - trimmed.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker = if digits > 0 {
        trimmed[digits..].strip_prefix('.')
    } else {
        trimmed.get(1..).filter(|_| trimmed.starts_with(['*', '-', '+']))
    };
    marker.is_some_and(|rest| rest.starts_with([' ', '\t']))
}

/// kramdown's end-of-block marker: `^` alone on its line.
fn is_end_of_block(line: &str) -> bool {
    line.strip_prefix('^').is_some_and(|rest| rest.trim().is_empty())
}

/// `*[HTML]: Hyper Text Markup Language`, at the start of a block: kramdown puts the definition in an `<abbr>`
/// title wherever the abbreviation appears, and shows nothing where it is defined.
fn is_abbreviation_definition(line: &str) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let Some(rest) = line[indent..].strip_prefix("*[") else { return false };
    indent <= 3 && rest.find("]:").is_some_and(|at| at > 0)
}

/// The first `{:/comment}` or `{:/}` in `text`: where, and how long. One pass: both start with `{:/`.
fn comment_end(text: &str) -> Option<(usize, usize)> {
    text.match_indices("{:/").find_map(|(at, _)| match &text[at + 3..] {
        rest if rest.starts_with('}') => Some((at, "{:/}".len())),
        rest if rest.starts_with("comment}") => Some((at, "{:/comment}".len())),
        _ => None,
    })
}

/// Copies one line without its attribute lists and extension markers; returns whether a comment starts here and
/// does not end on the line.
fn strip_line(line: &str, out: &mut String) -> bool {
    // What is before `at` is copied or dropped.
    let mut at = 0;
    let (mut ticks, mut braces) = (NextMatch::new(line, "`"), NextMatch::new(line, "{:"));
    loop {
        match (ticks.from(at), braces.from(at)) {
            (Some(tick), brace) if brace.is_none_or(|b| tick < b) => {
                // A code span: copy it whole (an unclosed run of backticks is text).
                let run = line[tick..].chars().take_while(|c| *c == '`').count();
                let after = tick + run;
                let end = line[after..].find(&"`".repeat(run)).map_or(after, |closing| after + closing + run);
                out.push_str(&line[at..end]);
                at = end;
            }
            (_, Some(start)) => {
                out.push_str(&line[at..start]);
                let Some(length) = line[start..].find('}') else {
                    out.push_str(&line[start..]);
                    return false;
                };
                let markup = &line[start..start + length + 1];
                at = start + length + 1;
                if let Some(extension) = markup.strip_prefix("{::") {
                    let name: String = extension.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                    if name == "comment" && !markup.ends_with("/}") {
                        match comment_end(&line[at..]) {
                            Some((found, len)) => at += found + len,
                            None => return true,
                        }
                    }
                } else if markup.starts_with("{:/") {
                    // The end of an extension whose content is kept.
                } else if !is_attribute_list(markup) {
                    out.push_str(markup);
                }
            }
            _ => {
                out.push_str(&line[at..]);
                return false;
            }
        }
    }
}

/// `{: .class #id key="value"}`, `{:toc}`, `{:name: .class}`: kramdown's attribute lists and their definitions.
/// Text that merely starts with `{:` (`{:)}`) is not one.
fn is_attribute_list(markup: &str) -> bool {
    let inner = markup.trim_start_matches("{:").trim_end_matches('}').trim();
    inner.is_empty()
        || inner.chars().next().is_some_and(|c| c == '.' || c == '#' || c.is_ascii_alphabetic())
            && inner.chars().all(|c| c.is_ascii_graphic() || c == ' ')
}

/// After an opening tag with `markdown="1"` (or `block`), a blank line, and one before its end tag, so that
/// pulldown-cmark reads the content as Markdown as kramdown does rather than as raw HTML.
fn open_markdown_blocks(start: usize, open: &mut Vec<(String, usize)>, out: &mut String) {
    let line = out[start..].to_string();
    let trimmed = line.trim();
    if let Some((name, depth)) = open.last_mut() {
        if trimmed.starts_with(&format!("</{name}")) {
            if *depth == 0 {
                out.insert(start, '\n');
                open.pop();
                return;
            }
            *depth -= 1;
            // The end of an HTML block inside: what follows is Markdown again.
            out.push('\n');
        } else if trimmed.starts_with(&format!("<{name}")) {
            *depth += 1;
        }
    }
    let Some(name) = trimmed.strip_prefix('<') else { return };
    let name: String = name.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let marked = ["markdown=\"1\"", "markdown='1'", "markdown=1", "markdown=\"block\""];
    if !name.is_empty() && trimmed.ends_with('>') && marked.iter().any(|m| trimmed.contains(m)) {
        if !line.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
        open.push((name, 0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{extract, Format};

    fn text(markdown: &str) -> String {
        extract(&strip(markdown), Format::Markdown).text
    }

    #[test]
    fn attribute_lists_and_definitions_disappear() {
        // The list before `{:toc}` is the table of contents' placeholder: kramdown shows the headings there instead.
        assert_eq!(text("* 目录\n{:toc}\n\n重要通知\n{: .notice--info}\n"), "重要通知");
        assert_eq!(text("前言\n\n1. TOC\n{:toc}\n## 第一节\n"), "前言\n第一节");
        assert_eq!(text("普通段落\n{:toc}\n"), "普通段落", "not a list: only the attribute list goes");
        assert_eq!(text("这是*红色*{:.red}的字。\n"), "这是红色的字。");
        assert_eq!(text("{:ref: .big #top}\n正文\n"), "正文");
        assert_eq!(text("笑脸 {:)} 留下\n"), "笑脸 {:)} 留下");
    }

    #[test]
    fn extensions_keep_their_content_but_comments() {
        assert_eq!(text("前{::comment}秘密{:/comment}后\n"), "前后");
        assert_eq!(text("前\n{::comment}\n秘密\n多行\n{:/}\n后\n"), "前\n后");
        assert_eq!(text("{::options parse_block_html=\"true\" /}\n正文\n"), "正文");
        assert_eq!(text("{::nomarkdown}<b>粗体</b>{:/nomarkdown}\n"), "粗体");
    }

    #[test]
    fn markdown_inside_marked_html_blocks_is_rendered() {
        assert_eq!(text("<div markdown=\"1\">\n**重点**内容\n</div>\n"), "重点内容");
        assert_eq!(text("<div markdown=\"1\">\n<div>\n里层\n</div>\n*外层*\n</div>\n后文\n"), "里层\n外层\n后文");
    }

    #[test]
    fn abbreviation_definitions_and_end_of_block_markers_disappear() {
        let post = "HTML 和 CSS 的区别。\n\n*[HTML]: Hyper Text Markup Language\n*[CSS]: 层叠样式表\n";
        assert_eq!(text(post), "HTML 和 CSS 的区别。");
        assert_eq!(text("* 甲\n^\n* 乙\n\n段落\n^\n另一段\n"), "甲\n乙\n段落\n另一段");
        // Not a definition inside a paragraph, nor without a name; `^` with words is text.
        assert_eq!(text("正文\n*[X]: 续行\n\n*[]: 空\n\n^ 上标\n"), "正文 *[X]: 续行\n*[]: 空\n^ 上标");
        assert_eq!(text("```\n*[HTML]: 代码\n^\n```\n"), "*[HTML]: 代码\n^");
    }

    #[test]
    fn block_markup_inside_blockquotes_disappears_too() {
        assert_eq!(text("> 引用甲1\n> ^\n> 续甲2\n"), "引用甲1\n续甲2");
        assert_eq!(text("> 引用甲1\n>\n> *[ABC]: 定义乙1\n"), "引用甲1");
        assert_eq!(text("> > ^\n> > 甲\n"), "甲");
        assert_eq!(text("> 引用 *[ABC]: 不是定义\n"), "引用 *[ABC]: 不是定义", "not at a block's start");
    }

    #[test]
    fn code_is_left_alone() {
        assert_eq!(text("```ruby\nh = {:a => 1}\n```\n"), "h = {:a => 1}");
        assert_eq!(text("用 `{:toc}` 生成目录\n"), "用 {:toc} 生成目录");
        assert!(matches!(strip("没有标记\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_long_line_of_markup_takes_linear_time() {
        // Each was quadratic: a backtick after 256,000 attribute lists on one line took 10 s (release), and so did
        // comments that end on the line (`{:/comment}` was looked for to the line's end after each).
        let started = std::time::Instant::now();
        let lists = format!("{}`\n", "{:a}".repeat(256_000));
        assert!(strip(&lists) == "`\n");
        let comments = format!("{}x\n", "{::comment}c{:/}".repeat(64_000));
        assert!(strip(&comments) == "x\n");
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
        assert_eq!(strip("a{::comment}b{:/comment}c{::comment}d{:/}e`{:x}`\n"), "ace`{:x}`\n");
    }
}
