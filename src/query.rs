//! Parses what a reader types into keywords.
//!
//! Syntax: keywords separated by white space must all occur; `"…"` makes one keyword that contains spaces;
//! `-word` excludes posts containing it; `a OR b` (upper case, between two keywords, neither an exclusion) matches
//! either. Every input is a valid query: an unbalanced quote runs to the end, a lone `-` or `OR` is an ordinary
//! keyword, and keywords that fold to nothing (only invisible characters) are dropped before `OR` is read.

use crate::normalize::normalize;

/// Upper bounds that keep any input cheap; beyond them a query is rejected with a clear error.
pub const MAX_QUERY_CHARS: usize = 1_000;
pub const MAX_KEYWORDS: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Keyword {
    /// The folded keyword.
    pub text: String,
}

/// One `AND`ed part of the query: any of its alternatives must occur (or none, when `negated`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub alternatives: Vec<Keyword>,
    pub negated: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub clauses: Vec<Clause>,
}

impl Query {
    /// Keywords that select posts (not excluded ones): these are highlighted and ranked.
    pub fn positive_keywords(&self) -> impl Iterator<Item = &Keyword> {
        self.clauses.iter().filter(|c| !c.negated).flat_map(|c| c.alternatives.iter())
    }

    pub fn has_positive(&self) -> bool {
        self.clauses.iter().any(|c| !c.negated)
    }
}

/// The query written back in the syntax it was parsed from (folded keywords).
impl std::fmt::Display for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, clause) in self.clauses.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            if clause.negated {
                f.write_str("-")?;
            }
            for (j, keyword) in clause.alternatives.iter().enumerate() {
                if j > 0 {
                    f.write_str(" OR ")?;
                }
                // Quoted when it would otherwise read back as something else: several words, an exclusion.
                if keyword.text.contains(' ') || keyword.text.starts_with(['-', '"', '＂']) {
                    write!(f, "\"{}\"", keyword.text)?;
                } else {
                    f.write_str(&keyword.text)?;
                }
            }
        }
        Ok(())
    }
}

#[derive(Debug, PartialEq)]
struct Lexeme {
    text: String,
    negated: bool,
    quoted: bool,
}

fn lex(input: &str) -> Vec<Lexeme> {
    let mut lexemes = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&first) = chars.peek() else { break };
        let mut negated = false;
        if first == '-' {
            chars.next();
            match chars.peek() {
                Some(c) if !c.is_whitespace() => negated = true,
                _ => {
                    lexemes.push(Lexeme { text: "-".into(), negated: false, quoted: false });
                    continue;
                }
            }
        }
        if chars.peek().is_some_and(|&c| is_quote(c)) {
            chars.next();
            let text: String = chars.by_ref().take_while(|&c| !is_quote(c)).collect();
            lexemes.push(Lexeme { text, negated, quoted: true });
            continue;
        }
        let mut text = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            text.push(c);
            chars.next();
        }
        lexemes.push(Lexeme { text, negated, quoted: false });
    }
    lexemes
}

/// The straight double quote (and its full-width form) groups words; curly quotes “…” are punctuation that posts
/// contain and readers search for (“十五五”规划), so they are ordinary characters.
fn is_quote(c: char) -> bool {
    matches!(c, '"' | '＂')
}

/// Parses a query. Fails only for inputs beyond the size limits.
pub fn parse(input: &str) -> Result<Query, crate::Error> {
    if input.chars().count() > MAX_QUERY_CHARS {
        return Err(crate::Error::BadQuery(format!("query longer than {MAX_QUERY_CHARS} characters")));
    }
    // Keywords that fold to nothing are dropped before OR is read: `a OR "" b` is `a OR b`.
    let mut lexemes = lex(input);
    lexemes.retain(|lexeme| !normalize(&lexeme.text).is_empty());
    let mut clauses: Vec<Clause> = Vec::new();
    let mut join_next = false;
    for (i, lexeme) in lexemes.iter().enumerate() {
        let Lexeme { text, negated, quoted } = lexeme;
        // OR joins two keywords; before an exclusion, or after one, it is the keyword `or`.
        let next_is_keyword = lexemes.get(i + 1).is_some_and(|next| !next.negated);
        let is_operator = !quoted && !negated && text == "OR" && next_is_keyword;
        if is_operator && clauses.last().is_some_and(|c| !c.negated) {
            join_next = true;
            continue;
        }
        let keyword = Keyword { text: normalize(text) };
        match clauses.last_mut() {
            Some(last) if join_next => last.alternatives.push(keyword),
            _ => clauses.push(Clause { alternatives: vec![keyword], negated: *negated }),
        }
        join_next = false;
    }
    let keyword_count: usize = clauses.iter().map(|c| c.alternatives.len()).sum();
    if keyword_count > MAX_KEYWORDS {
        return Err(crate::Error::BadQuery(format!("more than {MAX_KEYWORDS} keywords")));
    }
    // The same keyword twice adds nothing. Keywords are few: a scan, and no hash set type in the wasm module for it.
    let mut kept: Vec<Clause> = Vec::with_capacity(clauses.len());
    for clause in clauses {
        if !kept.contains(&clause) {
            kept.push(clause);
        }
    }
    Ok(Query { clauses: kept })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(q: &str) -> Vec<String> {
        parse(q)
            .unwrap()
            .clauses
            .iter()
            .map(|c| {
                let alts: Vec<&str> = c.alternatives.iter().map(|k| k.text.as_str()).collect();
                format!("{}{}", if c.negated { "-" } else { "" }, alts.join("|"))
            })
            .collect()
    }

    #[test]
    fn keywords_quotes_exclusions_and_or() {
        assert_eq!(show("长春  人工智能"), ["长春", "人工智能"]);
        assert_eq!(show("\"Open Source\" 软件"), ["open source", "软件"]);
        assert_eq!(show("新能源 -汽车"), ["新能源", "-汽车"]);
        assert_eq!(show("黄金 OR 白银 价格"), ["黄金|白银", "价格"]);
        assert_eq!(show("a OR b OR c"), ["a|b|c"]);
        assert_eq!(show("ＧＤＰ 長春"), ["gdp", "长春"]);
        assert_eq!(show("“十五五”规划"), ["“十五五”规划"]);
        assert_eq!(show("＂open source＂"), ["open source"]);
    }

    #[test]
    fn displays_back_as_query_syntax() {
        let q = parse("長春 -汽车 \"Open Source\" a OR b").unwrap();
        assert_eq!(q.to_string(), "长春 -汽车 \"open source\" a OR b");
        assert_eq!(parse(&q.to_string()).unwrap(), q);
        let negative_number = parse("\"-0.5%\" -跌").unwrap();
        assert_eq!(negative_number.to_string(), "\"-0.5%\" -跌");
        assert_eq!(parse(&negative_number.to_string()).unwrap(), negative_number);
    }

    #[test]
    fn odd_input_is_still_a_query() {
        assert_eq!(show("\"unbalanced quote"), ["unbalanced quote"]);
        assert_eq!(show("-"), ["-"]);
        assert_eq!(show("OR"), ["or"]);
        assert_eq!(show("x OR"), ["x", "or"]);
        // OR joins two keywords; next to an exclusion it is the keyword `or`, not dropped.
        assert_eq!(show("中国 OR -美国"), ["中国", "or", "-美国"]);
        assert_eq!(show("中国 -美国 OR 日本"), ["中国", "-美国", "or", "日本"]);
        // A keyword that folds to nothing is dropped before OR is read.
        assert_eq!(show("中国 OR \"\" 美国"), ["中国|美国"]);
        assert_eq!(show("\u{200B} \u{FEFF}"), Vec::<String>::new());
        assert_eq!(show("长春 长春"), ["长春"]);
        assert_eq!(show("-\"\""), Vec::<String>::new());
        assert!(parse(&"字".repeat(MAX_QUERY_CHARS + 1)).is_err());
        assert!(parse(&"a ".repeat(MAX_KEYWORDS + 1)).is_err());
    }
}
