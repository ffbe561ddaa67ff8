//! Liquid, which Jekyll renders in every post before Markdown.
//!
//! build-index cannot evaluate Liquid (it has no site, no includes, no data files), so it removes
//! what Liquid would replace: `{{ output }}` and `{% tag %}` markup disappear, `{% comment %}`
//! blocks disappear with their content, `{% raw %}` blocks keep theirs verbatim, and block tags
//! such as `{% highlight %}` keep their content. Unterminated markup is left as text: Jekyll would
//! stop with a Liquid syntax error there, and guessing would only hide it.

use crate::scan::NextMatch;

/// Removes Liquid markup from `text`; returns it unchanged when there is none.
pub fn strip(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("{{") && !text.contains("{%") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    // What is before `at` is copied or dropped.
    let mut at = 0;
    let (mut outputs, mut tags) = (NextMatch::new(text, "{{"), NextMatch::new(text, "{%"));
    loop {
        let (start, is_tag) = match (outputs.from(at), tags.from(at)) {
            (None, None) => break,
            (Some(o), Some(t)) if t < o => (t, true),
            (Some(o), _) => (o, false),
            (None, Some(t)) => (t, true),
        };
        let closing = if is_tag { "%}" } else { "}}" };
        let Some(length) = text[start + 2..].find(closing) else { break };
        let inner = &text[start + 2..start + 2 + length];
        out.push_str(&text[at..start]);
        at = start + 2 + length + 2;
        if !is_tag {
            continue;
        }
        match tag_name(inner) {
            "raw" => {
                let (content, after) = take_block(&text[at..], "endraw", Naming::ByLastOpening);
                out.push_str(content);
                at = text.len() - after.len();
            }
            "comment" => at = text.len() - take_block(&text[at..], "endcomment", Naming::ByFirstWord).1.len(),
            _ => {}
        }
    }
    out.push_str(&text[at..]);
    std::borrow::Cow::Owned(out)
}

fn tag_name(inner: &str) -> &str {
    let inner = inner.trim_start_matches('-').trim_start();
    let end = inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(inner.len());
    &inner[..end]
}

/// How Liquid names a tag inside a block, which decides the tag that ends it.
#[derive(Clone, Copy)]
enum Naming {
    /// In a raw block: the word after the tag's last `{%` (Liquid's `FullTokenPossiblyInvalid`), what is before that
    /// `{%` being content: `{% raw %}a{% endraw {% x %}` goes on.
    ByLastOpening,
    /// Elsewhere (a comment's body is parsed as any block's): the word after its first `{%`:
    /// `{% comment %}a{% endcomment {% x %}b` ends before `b`.
    ByFirstWord,
}

/// Splits `text` at the `{% end_name %}` that closes a block: (content, text after the end tag).
/// An unclosed block runs to the end, as Liquid would complain and Jekyll stop.
/// As Liquid's tokenizer, a tag runs from `{%` to the first `%}`, named as `naming` says. Each tag is read once:
/// read again from every `{%` in it, a `{% raw %}` followed by 64,000 `{%` and a `%}` took 1.4 s.
fn take_block<'a>(text: &'a str, end_name: &str, naming: Naming) -> (&'a str, &'a str) {
    let mut search_from = 0;
    while let Some(found) = text[search_from..].find("{%") {
        let start = search_from + found;
        let Some(length) = text[start + 2..].find("%}") else { break };
        let end = start + 2 + length;
        let opening = match naming {
            Naming::ByLastOpening => start + text[start..end].rfind("{%").unwrap_or(0),
            Naming::ByFirstWord => start,
        };
        if tag_name(&text[opening + 2..end]) == end_name {
            return (&text[..opening], &text[end + 2..]);
        }
        search_from = end + 2;
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

    #[test]
    fn a_tag_holding_a_tag_is_named_as_in_liquid() {
        // In a raw block by its last {% (checked with Jekyll 4.3.1 and Liquid 5.4)…
        assert_eq!(strip("{% raw %}a{%{% endraw %}b"), "a{%b");
        assert_eq!(strip("{% raw %}a{% endraw {% x %}b{% endraw %}c"), "a{% endraw {% x %}bc");
        // …and in a comment by its first (found by review: the comment ran on, and the rest of the post was lost).
        assert_eq!(strip("D{% comment %}a{% endcomment {% x %}b"), "Db");
    }

    #[test]
    fn many_tags_take_linear_time() {
        // Each was quadratic: 512 KB of `{%` in a raw block took 20 s, 1 MB of tags before a `{{` 34 s (release).
        let started = std::time::Instant::now();
        let raw = format!("{{% raw %}}{}%}}x", "{%".repeat(200_000));
        assert_eq!(strip(&raw).len(), raw.len() - "{% raw %}".len(), "an unclosed raw block keeps the rest");
        let tags = format!("{}{{{{", "{%%}".repeat(200_000));
        assert!(strip(&tags) == "{{");
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    }
}
