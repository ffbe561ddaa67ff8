//! A small YAML tree that remembers what Jekyll's reading depends on.
//!
//! Front matter and `_config.yml` are read into this tree rather than into serde values because
//! two facts get lost on the way to serde: the line of every node (skips and warnings point at
//! it) and whether a scalar was quoted (Jekyll's YAML loader turns an unquoted
//! `2021-12-08 10:18:31` into a UTC time, but leaves a quoted one as a string that is later read in
//! the site's time zone; see [`crate::date`]).
//!
//! Scalars stay text: Jekyll mostly calls `to_s` on what it reads, so the text as written is the
//! useful form. Aliases are expanded, with a cap on the total node count so that a
//! "billion laughs" front matter is an error, not an out-of-memory abort.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// The most nodes one YAML text may expand to, aliases included.
const MAX_NODES: usize = 100_000;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Scalar { text: String, quoted: bool },
    List(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// 1-based line in the text that was parsed.
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub message: String,
    /// 1-based line in the text that was parsed.
    pub line: u32,
}

impl Node {
    /// The value under `key` when this node is a mapping (the last one if the key repeats, as in Ruby).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().rev().find(|(k, _)| k.as_text() == Some(key)).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a scalar; `None` for null, lists and mappings.
    pub fn as_text(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        self.value == Value::Null
    }

    /// YAML 1.1 booleans, the ones Ruby's loaders (and so Jekyll) understand.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Scalar { text, quoted: false } => match text.as_str() {
                "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
                "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Parses the first YAML document in `text`. An empty document is [`Value::Null`].
/// `first_line` is the line number `text` starts at in its file, so nodes and errors carry file lines.
pub fn parse(text: &str, first_line: u32) -> Result<Node, YamlError> {
    let mut builder = TreeBuilder {
        line_offset: first_line.saturating_sub(1),
        file_lines: file_lines(text),
        ..TreeBuilder::default()
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(error) = parser.load(&mut builder, false) {
        let mut line = builder.file_line(error.marker());
        // The scanner reports a tab where the scalar it was reading began, often the line before the tab.
        if error.info().contains("found a tab") {
            let from = line.saturating_sub(builder.line_offset).max(1) as usize;
            let indented_by_tab = text
                .lines()
                .enumerate()
                .skip(from - 1)
                .find(|(_, l)| l.chars().take_while(|c| c.is_whitespace()).any(|c| c == '\t'));
            if let Some((index, _)) = indented_by_tab {
                line = u32::try_from(index + 1).unwrap_or(u32::MAX).saturating_add(builder.line_offset);
            }
        }
        return Err(YamlError { message: error.info().to_string(), line });
    }
    if let Some(error) = builder.error {
        return Err(error);
    }
    Ok(builder.root.unwrap_or(Node { value: Value::Null, line: first_line }))
}

/// Per line of the scanner, the file line it is on. The scanner counts a carriage return alone as a line break, as
/// YAML does, which no editor or `grep -n` does; its character index is no way round it, as it drifts by a line's
/// bytes less its characters after a block scalar (`|`, `>`) of Chinese text (yaml-rust2 0.11).
fn file_lines(text: &str) -> Vec<u32> {
    let mut lines = vec![1];
    let mut file_line = 1u32;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => file_line += 1,
            '\r' if chars.peek() == Some(&'\n') => {
                chars.next();
                file_line += 1;
            }
            '\r' => {}
            _ => continue,
        }
        lines.push(file_line);
    }
    lines
}

enum Frame {
    List { line: u32, anchor: usize, items: Vec<Node> },
    Map { line: u32, anchor: usize, entries: Vec<(Node, Node)>, pending_key: Option<Node> },
}

#[derive(Default)]
struct TreeBuilder {
    line_offset: u32,
    /// The file line (of the text, from 1) of each of the scanner's lines: see [`file_lines`].
    file_lines: Vec<u32>,
    stack: Vec<Frame>,
    anchors: Vec<(usize, Node)>,
    root: Option<Node>,
    nodes: usize,
    error: Option<YamlError>,
}

impl TreeBuilder {
    fn file_line(&self, mark: &Marker) -> u32 {
        let scanner_line = mark.line().saturating_sub(1);
        let line = self.file_lines.get(scanner_line).or(self.file_lines.last()).copied().unwrap_or(1);
        line.saturating_add(self.line_offset)
    }

    fn count(&mut self, added: usize, line: u32) -> bool {
        self.nodes = self.nodes.saturating_add(added);
        if self.nodes > MAX_NODES && self.error.is_none() {
            self.error =
                Some(YamlError { message: format!("more than {MAX_NODES} YAML nodes (aliases expanded)"), line });
        }
        self.error.is_none()
    }

    fn finish_node(&mut self, node: Node, anchor: usize) {
        // The copy kept for the anchor counts too: anchors nested a hundred deep around an expanded alias kept a
        // hundred copies of it (550 MB from a front matter of 1 KB).
        if anchor != 0 && self.count(node_count(&node), node.line) {
            self.anchors.push((anchor, node.clone()));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::List { items, .. }) => items.push(node),
            Some(Frame::Map { entries, pending_key, .. }) => match pending_key.take() {
                None => *pending_key = Some(node),
                // An empty value is reported where the next token starts; its key's line is clearer.
                Some(key) if node.value == Value::Null => {
                    let line = key.line;
                    entries.push((key, Node { value: Value::Null, line }));
                }
                Some(key) => entries.push((key, node)),
            },
        }
    }
}

fn node_count(node: &Node) -> usize {
    let mut count = 0;
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        count += 1;
        match &node.value {
            Value::List(items) => stack.extend(items),
            Value::Map(entries) => stack.extend(entries.iter().flat_map(|(k, v)| [k, v])),
            _ => {}
        }
    }
    count
}

impl MarkedEventReceiver for TreeBuilder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let line = self.file_line(&mark);
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                if !self.count(1, line) {
                    return;
                }
                let quoted = style != TScalarStyle::Plain;
                let is_null = !quoted && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL");
                let value = if is_null { Value::Null } else { Value::Scalar { text, quoted } };
                self.finish_node(Node { value, line }, anchor);
            }
            Event::Alias(anchor) => {
                let target = self.anchors.iter().rev().find(|(id, _)| *id == anchor).map(|(_, n)| n);
                let node = match target {
                    Some(node) => Node { value: node.value.clone(), line },
                    None => Node { value: Value::Null, line },
                };
                if self.count(node_count(&node), line) {
                    self.finish_node(node, 0);
                }
            }
            Event::SequenceStart(anchor, _tag) => {
                if self.count(1, line) {
                    self.stack.push(Frame::List { line, anchor, items: Vec::new() });
                }
            }
            Event::MappingStart(anchor, _tag) => {
                if self.count(1, line) {
                    self.stack.push(Frame::Map { line, anchor, entries: Vec::new(), pending_key: None });
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::List { line, anchor, items }) => (Node { value: Value::List(items), line }, anchor),
                    Some(Frame::Map { line, anchor, entries, .. }) => {
                        (Node { value: Value::Map(entries), line }, anchor)
                    }
                    None => return,
                };
                self.finish_node(node, anchor);
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_lines_and_quoting() {
        let root = parse("---\ntitle: \"标题\"\ndate: 2021-12-08 10:18:31\ntags: [a, b]\n", 1).unwrap();
        let title = root.get("title").unwrap();
        assert_eq!((title.as_text(), title.line), (Some("标题"), 2));
        assert!(matches!(title.value, Value::Scalar { quoted: true, .. }));
        let date = root.get("date").unwrap();
        assert_eq!(date.line, 3);
        assert!(matches!(date.value, Value::Scalar { quoted: false, .. }));
        assert!(matches!(&root.get("tags").unwrap().value, Value::List(items) if items.len() == 2));
    }

    #[test]
    fn empty_values_are_null_and_lines_are_offset() {
        let root = parse("title:\ndate: ~\n", 5).unwrap();
        assert!(root.get("title").unwrap().is_null());
        assert_eq!(root.get("date").unwrap().line, 6);
        assert!(parse("", 1).unwrap().is_null());
    }

    #[test]
    fn errors_carry_the_file_line() {
        let error = parse("title: a\ntags: [unclosed\nx: y\n", 2).unwrap_err();
        assert!(error.line >= 3, "{error:?}");
    }

    #[test]
    fn a_tab_is_reported_on_its_own_line() {
        let error = parse("title: a\ncategories: a\ntags: b\n\tauthor: x\n", 2).unwrap_err();
        assert!(error.message.contains("tab"), "{error:?}");
        assert_eq!(error.line, 5);
    }

    #[test]
    fn a_carriage_return_alone_does_not_count_as_a_line() {
        // Found by the `post` fuzz target: the scanner counted each `\r` as a line, and the skip named line 7 of a
        // front matter of three.
        let error = parse("title: a\r\r\r\r\r\rb\nc: d\n", 1).unwrap_err();
        assert_eq!(error.line, 2, "{error:?}");
        let root = parse("title: a\r\r\r\r\nb: [x]\n", 3).unwrap();
        assert_eq!(root.get("b").unwrap().line, 4);
    }

    #[test]
    fn lines_after_a_block_scalar_of_chinese_text_are_the_file_lines() {
        // Found by review: the scanner's character index drifts after a long block scalar of Chinese text, and an
        // error three lines further down named the end of the document.
        let long = "长春新闻。".repeat(180);
        let text = format!("title: a\ndescription: |\n  {long}\n  {long}\nlayout: post\ndate: a: b\nc: d\n");
        let error = parse(&text, 2).unwrap_err();
        assert_eq!(error.line, 7, "{error:?}");
        let root = parse(&format!("description: >-\n  {long}\n  {long}\npermalink: /x/\n"), 1).unwrap();
        assert_eq!(root.get("permalink").unwrap().line, 4);
        // A carriage return and line feed is one line break, in the file and for the scanner.
        let root = parse("a: |\r\n  长春\r\n  长春\r\nb: x\r\n", 1).unwrap();
        assert_eq!(root.get("b").unwrap().line, 4);
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let error = parse(&text, 1).unwrap_err();
        assert!(error.message.contains("nodes"), "{error:?}");
    }

    #[test]
    fn copies_kept_for_nested_anchors_count() {
        // 78,000 nodes by aliases, then wrapped in 100 anchored lists: each anchor kept its own copy of them.
        let mut text = String::from("b0: &b0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..4 {
            let p = i - 1;
            let aliases = vec![format!("*b{p}"); 10].join(", ");
            text.push_str(&format!("b{i}: &b{i} [{aliases}]\n"));
        }
        let wrappers: String = (0..100).map(|k| format!("&c{k} [")).collect();
        text.push_str(&format!("b4: {wrappers}[*b3, *b3, *b3, *b3, *b3, *b3, *b3]{}\n", "]".repeat(100)));
        let error = parse(&text, 1).unwrap_err();
        assert!(error.message.contains("nodes"), "{error:?}");
        assert_eq!(error.line, 5);
    }

    #[test]
    fn last_duplicate_key_wins_and_booleans_follow_yaml_1_1() {
        let root = parse("published: no\npublished: off\nx: 'no'\n", 1).unwrap();
        assert_eq!(root.get("published").unwrap().as_bool(), Some(false));
        assert_eq!(root.get("x").unwrap().as_bool(), None);
    }
}
