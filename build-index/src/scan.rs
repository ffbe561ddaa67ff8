//! Looking for the next markup in a text read from front to back. Liquid's `{{`/`{%` and kramdown's `` ` ``/`{:`
//! are each looked for while the reading position moves past the other's finds: looked for afresh at every step,
//! a `{{` after 64,000 tags, or a backtick after 256,000 attribute lists, was searched for through the rest of the
//! text each time (seconds). [`NextMatch`] searches again only once the position has passed its last find.

/// The next place of `pattern` in `text` at or after a position that only moves forward.
pub struct NextMatch<'a> {
    text: &'a str,
    pattern: &'a str,
    found: Option<usize>,
}

impl<'a> NextMatch<'a> {
    pub fn new(text: &'a str, pattern: &'a str) -> Self {
        NextMatch { text, pattern, found: text.find(pattern) }
    }

    /// The first place of the pattern at or after `at` (byte offsets); `at` must not move back between calls.
    pub fn from(&mut self, at: usize) -> Option<usize> {
        if self.found.is_some_and(|found| found < at) {
            self.found = self.text[at..].find(self.pattern).map(|found| at + found);
        }
        self.found
    }
}

#[cfg(test)]
mod tests {
    use super::NextMatch;

    #[test]
    fn finds_each_place_once_passed() {
        let mut next = NextMatch::new("a{{b{{c", "{{");
        assert_eq!(next.from(0), Some(1));
        assert_eq!(next.from(1), Some(1));
        assert_eq!(next.from(2), Some(4));
        assert_eq!(next.from(6), None);
        assert_eq!(next.from(7), None);
    }
}
