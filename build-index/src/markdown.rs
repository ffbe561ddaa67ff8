//! Markdown to HTML as kramdown, Jekyll's default renderer, would write it, with pulldown-cmark.
//!
//! pulldown-cmark reads CommonMark with the extensions kramdown also has (tables, footnotes, strikethrough, task
//! lists, heading attributes, definition lists); kramdown's own block markup is removed before ([`crate::kramdown`]).
//! Where the two read the same text differently in ways that change what a reader sees, passes before and after
//! pulldown-cmark make it read as kramdown does: a `<!--` that nothing closes is text, not a comment hiding the rest
//! of the post; table rows keep the cells beyond the header's count; `*`, `**` and `***` next to punctuation pair as
//! in kramdown. The HTML then goes to [`crate::extract`], like an HTML post's.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{html, CowStr, Event, LinkType, Options, Parser, Tag as MdTag, TagEnd};

use crate::kramdown;

pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST;
    let widened = widen_tables(markdown);
    let markdown = widened.as_deref().unwrap_or(markdown);
    let marked = mark_unclosed_comments(markdown);
    let markdown = marked.as_ref().map_or(markdown, |(text, _)| text);
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4);
    let events: Vec<_> = Parser::new_ext(markdown, options).into_offset_iter().collect();
    html::push_html(&mut out, kramdown_emphasis(markdown, events).into_iter());
    match marked {
        // In text and code the `<` after a marker is already `&lt;`; in raw HTML it still starts a comment.
        Some((_, marker)) => out.replace(&format!("{marker}<"), "&lt;").replace(marker, ""),
        None => out,
    }
}

/// GFM tables drop the cells of a row beyond the header's count; kramdown shows them (it pads the shorter rows). So
/// a table with a longer row gets empty header cells (and delimiter cells) up to its longest row. Cells are split as
/// GFM splits them, at every `|` that is not escaped. Tables are recognised at the top level only, outside fenced
/// code; `None` when no table needs widening.
fn widen_tables(markdown: &str) -> Option<String> {
    if !markdown.contains('|') {
        return None;
    }
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    // (line of the header, extra cells it needs)
    let mut widen: Vec<(usize, usize)> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut at = 0;
    while at < lines.len() {
        let trimmed = lines[at].trim_start();
        if let Some(opened) = fence {
            if kramdown::closes_fence(trimmed, opened) {
                fence = None;
            }
            at += 1;
            continue;
        }
        if let Some(opened) = kramdown::fence_of(trimmed) {
            fence = Some(opened);
            at += 1;
            continue;
        }
        let indented = lines[at].len() - trimmed.len() > 3;
        let is_table = !indented
            && lines[at].contains('|')
            && lines.get(at + 1).is_some_and(|next| is_delimiter_row(next))
            && cell_count(lines[at]) == lines.get(at + 1).map_or(0, |next| cell_count(next));
        if !is_table {
            at += 1;
            continue;
        }
        let header = at;
        let columns = cell_count(lines[header]);
        at += 2;
        let mut widest = columns;
        while at < lines.len() && !lines[at].trim().is_empty() {
            widest = widest.max(cell_count(lines[at]));
            at += 1;
        }
        if widest > columns {
            widen.push((header, widest - columns));
        }
    }
    if widen.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(markdown.len() + 64);
    // The tables in order, the next one first: looked up in all of them, 4,000 tables took 4,000 steps a line.
    let mut tables = widen.iter().peekable();
    for (index, line) in lines.iter().enumerate() {
        while tables.next_if(|&&(header, _)| header + 1 < index).is_some() {}
        // Empty cells for the header row, `---` cells for the delimiter row after it.
        let cells = tables.peek().and_then(|&&(header, extra)| match index.checked_sub(header) {
            Some(0) => Some((" |", extra)),
            Some(1) => Some((" --- |", extra)),
            _ => None,
        });
        let Some((cell, extra)) = cells else {
            out.push_str(line);
            continue;
        };
        let row = line.trim_end();
        out.push_str(row);
        if !row.ends_with('|') {
            out.push_str(" |");
        }
        out.push_str(&cell.repeat(extra));
        out.push_str(&line[row.len()..]);
    }
    Some(out)
}

/// `|---|:--:|`, `--- | ---`: a GFM table's delimiter row.
fn is_delimiter_row(line: &str) -> bool {
    let cells = split_cells(line);
    !cells.is_empty()
        && line.contains(['|', '-'])
        && cells.iter().all(|cell| {
            let cell = cell.trim();
            let dashes = cell.trim_start_matches(':').trim_end_matches(':');
            !dashes.is_empty() && dashes.chars().all(|c| c == '-')
        })
}

fn cell_count(line: &str) -> usize {
    split_cells(line).len()
}

/// A row's cells as GFM splits them: at unescaped `|`, a leading and a trailing `|` opening and closing the row.
fn split_cells(line: &str) -> Vec<&str> {
    let row = line.trim();
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = if row.ends_with('|') && !row.ends_with("\\|") { &row[..row.len() - 1] } else { row };
    let mut cells = Vec::new();
    let (mut start, mut escaped) = (0, false);
    for (at, c) in row.char_indices() {
        match c {
            '\\' => escaped = !escaped,
            '|' if !escaped => {
                cells.push(&row[start..at]);
                start = at + 1;
            }
            _ => escaped = false,
        }
    }
    cells.push(&row[start..]);
    cells
}

/// kramdown reads `<!--` as a comment only when a `-->` follows somewhere; otherwise it is text, and the rest of
/// the post is read as usual. For pulldown-cmark, a line starting with `<!--` starts an HTML block that no `-->`
/// ends, so it runs to the end of the document (of its list or quote); in raw HTML a browser's comment would do
/// the same. So a character that is not in the post (a Unicode noncharacter) goes before every `<!--` that no
/// `-->` follows: pulldown-cmark then sees text, and code keeps it as written. After rendering, a marked `<`
/// that is still raw HTML becomes `&lt;`, and the markers go. Returns the marked text and the marker, or `None`
/// when every `<!--` is closed.
fn mark_unclosed_comments(markdown: &str) -> Option<(String, char)> {
    let last_close = markdown.rfind("-->");
    let unclosed = |at: &usize| last_close.is_none_or(|close| close < at + "<!--".len());
    let first = markdown.match_indices("<!--").map(|(at, _)| at).find(unclosed)?;
    let marker = ('\u{fdd0}'..='\u{fdef}').find(|c| !markdown.contains(*c))?;
    let mut out = String::with_capacity(markdown.len() + 16);
    out.push_str(&markdown[..first]);
    for (i, piece) in markdown[first..].split("<!--").enumerate() {
        if i > 0 {
            out.push(marker);
            out.push_str("<!--");
        }
        out.push_str(piece);
    }
    Some((out, marker))
}

/// Pairs the `*` and `**` that pulldown-cmark left as text as kramdown pairs them.
///
/// CommonMark lets a delimiter open emphasis only if it is "left-flanking", which next to punctuation depends on
/// the character on its other side: in `这是**“重点”**内容` the first `**` cannot open (it is followed by `“` and
/// preceded by a letter) and the second cannot close, so both stay as text. kramdown has no such rule: `*` or `**`
/// opens unless followed by white space and closes unless preceded by it, the nearest closer taking it. Chinese puts
/// full-width punctuation next to bold text all the time, so the literal `**` would end up in the index and in
/// excerpts, and split words (`这是**“重点”` finds nothing for `这是“重点”`).
///
/// Rather than a second inline parser, this pass takes pulldown-cmark's result (code spans, escapes, links, HTML are
/// settled) and pairs only the runs of one or two `*` it left as text, among those with the same parent element,
/// with kramdown's rules: each opener takes the nearest closer after it. Where pulldown-cmark paired other
/// delimiters than kramdown would, the text is the same, which is what the index needs; the emphasis may cover
/// different words. `_` is left alone: kramdown does not let it open after a letter (Chinese characters are
/// letters), which agrees with pulldown-cmark in Chinese text.
fn kramdown_emphasis<'a>(markdown: &'a str, events: Vec<(Event<'a>, Range<usize>)>) -> Vec<Event<'a>> {
    /// A `*` left as text: where in the source, in which event (and where in its text), under which parent.
    struct Star {
        at: usize,
        event: usize,
        offset: usize,
        parent: usize,
    }
    let mut stars = Vec::new();
    let mut parents = Vec::new();
    // Code blocks and autolinks (`<http://a.com/**x**>`, whose text is the address) inside which the event is.
    let mut raw = 0usize;
    let is_raw = |tag: &MdTag| match tag {
        MdTag::CodeBlock(_) => true,
        MdTag::Link { link_type, .. } => matches!(link_type, LinkType::Autolink | LinkType::Email),
        _ => false,
    };
    for (index, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(tag) => {
                parents.push(index);
                raw += usize::from(is_raw(tag));
            }
            Event::End(_) => {
                if let Some(start) = parents.pop() {
                    if let (Event::Start(tag), _) = &events[start] {
                        raw -= usize::from(is_raw(tag));
                    }
                }
            }
            // Text that is not the source as written (an entity, say) holds no delimiters.
            Event::Text(text) if raw == 0 && markdown.get(range.clone()) == Some(&**text) => {
                let parent = parents.last().copied().unwrap_or(usize::MAX);
                for (offset, _) in text.match_indices('*') {
                    stars.push(Star { at: range.start + offset, event: index, offset, parent });
                }
            }
            _ => {}
        }
    }
    if stars.is_empty() {
        return events.into_iter().map(|(event, _)| event).collect();
    }

    // Runs of stars as written in the source, all of them left as text.
    struct Run {
        stars: Range<usize>,
        /// 1 (`*`, emphasis), 2 (`**`, strong) or 3 (`***`, both).
        length: usize,
        parent: usize,
        opens: bool,
        closes: bool,
    }
    // Ruby's `\s`, kramdown's test for white space, is ASCII only.
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c');
    let mut runs = Vec::new();
    let mut first = 0;
    while first < stars.len() {
        let mut end = first + 1;
        while end < stars.len() && stars[end].at == stars[end - 1].at + 1 && stars[end].parent == stars[first].parent {
            end += 1;
        }
        let (start, after) = (stars[first].at, stars[end - 1].at + 1);
        let before = markdown[..start].chars().next_back();
        let next = markdown[after..].chars().next();
        // A run partly taken by pulldown-cmark, longer than `***`, or escaped (`\*`) is left as it is.
        if end - first <= 3 && before.is_none_or(|c| c != '*' && c != '\\') && next != Some('*') {
            runs.push(Run {
                stars: first..end,
                length: end - first,
                parent: stars[first].parent,
                opens: next.is_some_and(|c| !is_space(c)),
                closes: before.is_some_and(|c| !is_space(c)),
            });
        }
        first = end;
    }

    // Pairs, as (opener, closer) indices in `runs`: by parent and kind, each opener takes the nearest closer.
    let mut groups: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (index, run) in runs.iter().enumerate() {
        groups.entry((run.parent, run.length)).or_default().push(index);
    }
    let mut partner = vec![None; runs.len()];
    for group in groups.values() {
        let mut i = 0;
        while i < group.len() {
            if runs[group[i]].opens {
                // No closer after this opener means none after any later one either.
                let Some(j) = (i + 1..group.len()).find(|&j| runs[group[j]].closes) else { break };
                partner[group[i]] = Some(group[j]);
                partner[group[j]] = Some(group[i]);
                i = j;
            }
            i += 1;
        }
    }

    // An `*` pair and a `**` pair may cross (`*a **b* c**`): the later of two that cross loses its tags (not its
    // delimiters), so that the HTML stays well nested.
    let mut tagged = vec![false; runs.len()];
    let mut open: Vec<usize> = Vec::new();
    for (index, other) in partner.iter().enumerate() {
        match *other {
            Some(closer) if closer > index => open.push(index),
            Some(opener) => {
                if let Some(at) = open.iter().rposition(|&o| o == opener) {
                    open.truncate(at);
                    tagged[opener] = true;
                    tagged[index] = true;
                }
            }
            None => {}
        }
    }

    // What becomes of each star: removed, or replaced by a tag.
    let mut edits: HashMap<usize, Vec<(usize, Option<Event<'a>>)>> = HashMap::new();
    for (index, run) in runs.iter().enumerate() {
        let Some(other) = partner[index] else { continue };
        // The tags, one per star from the first; `***` opens strong then emphasis and closes them the other way.
        let opens = other > index;
        let tags: Vec<Event<'a>> = match (run.length, opens) {
            (1, true) => vec![Event::Start(MdTag::Emphasis)],
            (1, false) => vec![Event::End(TagEnd::Emphasis)],
            (2, true) => vec![Event::Start(MdTag::Strong)],
            (2, false) => vec![Event::End(TagEnd::Strong)],
            (_, true) => vec![Event::Start(MdTag::Strong), Event::Start(MdTag::Emphasis)],
            (_, false) => vec![Event::End(TagEnd::Emphasis), Event::End(TagEnd::Strong)],
        };
        let mut tags = tags.into_iter().filter(|_| tagged[index]);
        for star in &stars[run.stars.clone()] {
            edits.entry(star.event).or_default().push((star.offset, tags.next()));
        }
    }
    let mut out = Vec::with_capacity(events.len() + edits.len() * 2);
    for (index, (event, range)) in events.into_iter().enumerate() {
        let Some(mut changes) = edits.remove(&index) else {
            out.push(event);
            continue;
        };
        changes.sort_by_key(|(offset, _)| *offset);
        let mut from = 0;
        for (offset, tag) in changes {
            if offset > from {
                out.push(Event::Text(CowStr::Borrowed(&markdown[range.start + from..range.start + offset])));
            }
            out.extend(tag);
            from = offset + 1;
        }
        if range.start + from < range.end {
            out.push(Event::Text(CowStr::Borrowed(&markdown[range.start + from..range.end])));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{extract, Format};

    #[test]
    fn table_cells_beyond_the_header_are_kept_as_kramdown_keeps_them() {
        let text = |markdown: &str| extract(markdown, Format::Markdown).text;
        assert_eq!(
            text("| 名称 | 值 |\n|---|---|\n| 甲 | 1 | 额外单元格zvisextracell |\n"),
            "名称 值\n甲 1 额外单元格zvisextracell"
        );
        assert_eq!(
            text("名称 | 值\n--- | ---\n甲 | 1 | 多 | 更多\n乙 | 2\n\n后文"),
            "名称 值\n甲 1 多 更多\n乙 2\n后文"
        );
        assert_eq!(text("| a | b |\n|---|---|\n| 中\\|间 | `x|y` |\n"), "a b\n中|间 `x y`");
        // Tables that need nothing, and table-like lines in code, are left as written.
        assert_eq!(widen_tables("| a | b |\n|---|---|\n| 1 | 2 |\n"), None);
        assert_eq!(widen_tables("```\n| a |\n|---|\n| 1 | 2 |\n```\n"), None);
        assert_eq!(widen_tables("    | a |\n    |---|\n    | 1 | 2 |\n"), None);
    }

    #[test]
    fn many_tables_are_widened_in_linear_time() {
        // Each line looked for its table among all of them: 64,000 tables took minutes.
        let table = "a|b\n-|-\na|b|c\n\n";
        let widened = widen_tables(table).unwrap();
        assert_eq!(widened, "a|b | |\n-|- | --- |\na|b|c\n\n");
        let started = std::time::Instant::now();
        assert!(widen_tables(&table.repeat(64_000)) == Some(widened.repeat(64_000)));
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    }

    #[test]
    fn an_unclosed_comment_in_markdown_is_text_as_in_kramdown() {
        let body = "第一段zlj正文。\n\n<!-- 编辑备注：待核实\n\n第二段zvisopen2正文，读者可见。";
        assert_eq!(
            extract(body, Format::Markdown).text,
            "第一段zlj正文。\n<!-- 编辑备注：待核实\n第二段zvisopen2正文，读者可见。"
        );
        assert_eq!(
            extract("> <!-- 引用\n\n后 <!-- 行内\n\n- <!--\n\n末", Format::Markdown).text,
            "<!-- 引用\n后 <!-- 行内\n<!--\n末"
        );
        // In raw HTML too, and code keeps it as written.
        assert_eq!(extract("<div>\n<!-- 备注\n</div>\n\n后文", Format::Markdown).text, "<!-- 备注\n后文");
        assert_eq!(extract("```html\n<!-- 开头\n```\n\n`<!--` 后", Format::Markdown).text, "<!-- 开头\n<!-- 后");
        // A comment that ends is still dropped, however long; a `<!--` that no later `-->` ends is text.
        assert_eq!(extract("前\n\n<!-- 藏\n\n也藏 -->\n\n后 <!-- 显", Format::Markdown).text, "前\n后 <!-- 显");
        // An HTML post is read as a browser reads it.
        assert_eq!(extract("<p>前</p><!-- 备注<p>后</p>", Format::Html).text, "前");
    }

    #[test]
    fn emphasis_next_to_punctuation_pairs_as_in_kramdown() {
        let text = |markdown: &str| extract(markdown, Format::Markdown).text;
        assert_eq!(text("zoi **注意：**这是重点。"), "zoi 注意：这是重点。");
        assert_eq!(
            text("这是**“重点”**内容，还有**《书名》**和**100%**增长。"),
            "这是“重点”内容，还有《书名》和100%增长。"
        );
        assert_eq!(to_html("zoi **注意：**这是重点。"), "<p>zoi <strong>注意：</strong>这是重点。</p>\n");
        assert_eq!(to_html("这是***“很重要”***的甲1"), "<p>这是<strong><em>“很重要”</em></strong>的甲1</p>\n");
        // An autolink's text is its address: kramdown prints it as written.
        assert_eq!(
            to_html("链接 <http://a.com/**“x”**> 甲1"),
            "<p>链接 <a href=\"http://a.com/**%E2%80%9Cx%E2%80%9D**\">http://a.com/**“x”**</a> 甲1</p>\n"
        );
        assert_eq!(text("他说*“好”*。\n\n- **注意：**列表\n\n# **标题：**二"), "他说“好”。\n注意：列表\n标题：二");
        // Across a line break, and around emphasis pulldown-cmark did pair.
        assert_eq!(text("**“甲\n乙”**与**丙**。"), "“甲 乙”与丙。");
        // Not before white space, not after it; code, escapes and longer runs keep their stars.
        assert_eq!(text("a ** b** c **d **"), "a ** b** c **d **");
        assert_eq!(text("`**“代码”**` \\**“转义”** ***“三”**"), "**“代码”** **“转义”** *“三”");
        assert_eq!(text("```\n**“块”**\n```"), "**“块”**");
        // Only within one element: a link's text is not paired with what is outside it.
        assert_eq!(text("[**“链接](x)”**"), "**“链接”**");
        // Crossing pairs lose their tags, not their delimiters.
        assert_eq!(to_html("是*“a 是**“b”*的 c”**的"), "<p>是<em>“a 是“b”</em>的 c”的</p>\n");
    }
}
