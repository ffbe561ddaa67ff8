//! Liquid, which Jekyll renders in every post before Markdown.
//!
//! build-index cannot evaluate Liquid (it has no site, no includes, no data files), so it removes
//! what Liquid would replace: `{{ output }}` and `{% tag %}` markup disappear, `{% comment %}`
//! blocks disappear with their content, `{% raw %}` blocks keep theirs verbatim, and block tags
//! such as `{% highlight %}` keep their content. Unterminated markup is left as text: Jekyll would
//! stop with a Liquid syntax error there, and guessing would only hide it.

/// Removes Liquid markup from `text`; returns it unchanged when there is none.
pub fn strip(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("{{") && !text.contains("{%") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next_output = rest.find("{{");
        let next_tag = rest.find("{%");
        let (start, is_tag) = match (next_output, next_tag) {
            (None, None) => break,
            (Some(o), Some(t)) if t < o => (t, true),
            (Some(o), _) => (o, false),
            (None, Some(t)) => (t, true),
        };
        let closing = if is_tag { "%}" } else { "}}" };
        let Some(length) = rest[start + 2..].find(closing) else { break };
        let inner = &rest[start + 2..start + 2 + length];
        out.push_str(&rest[..start]);
        rest = &rest[start + 2 + length + 2..];
        if !is_tag {
            continue;
        }
        match tag_name(inner) {
            "raw" => {
                let (content, after) = take_block(rest, "endraw");
                out.push_str(content);
                rest = after;
            }
            "comment" => rest = take_block(rest, "endcomment").1,
            _ => {}
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn tag_name(inner: &str) -> &str {
    let inner = inner.trim_start_matches('-').trim_start();
    let end = inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(inner.len());
    &inner[..end]
}

/// Splits `text` at the `{% end_name %}` that closes a block: (content, text after the end tag).
/// An unclosed block runs to the end, as Liquid would complain and Jekyll stop.
fn take_block<'a>(text: &'a str, end_name: &str) -> (&'a str, &'a str) {
    let mut search_from = 0;
    while let Some(found) = text[search_from..].find("{%") {
        let start = search_from + found;
        let Some(length) = text[start + 2..].find("%}") else { break };
        if tag_name(&text[start + 2..start + 2 + length]) == end_name {
            return (&text[..start], &text[start + 2 + length + 2..]);
        }
        search_from = start + 2;
    }
    (text, "")
}

#[cfg(test)]
mod tests {
    use super::strip;

    #[test]
    fn removes_outputs_and_tags() {
        assert_eq!(strip("a {{ site.url }} b {%- include x.html -%} c"), "a  b  c");
        assert_eq!(strip("{% highlight ruby %}puts 1{% endhighlight %}"), "puts 1");
    }

    #[test]
    fn raw_keeps_and_comment_drops() {
        assert_eq!(strip("{% raw %}{{ kept }}{% endraw %}!"), "{{ kept }}!");
        assert_eq!(strip("a{% comment %}secret {{ x }}{% endcomment %}b"), "ab");
    }

    #[test]
    fn leaves_plain_and_unterminated_text_alone() {
        assert!(matches!(strip("没有模板"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(strip("price {{ 5"), "price {{ 5");
        assert_eq!(strip("{% raw %}open"), "open");
    }
}
