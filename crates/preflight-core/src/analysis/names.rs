//! Names of database objects as PostgreSQL resolves them: unquoted names are
//! already folded to lower case by the parser; an unqualified relation lives
//! in the default schema.
use std::borrow::Cow;
use std::fmt;

use pg_query::protobuf::{Node, RangeVar};

use pg_query::NodeEnum;
use serde::{Deserialize, Serialize};

pub const DEFAULT_SCHEMA: &str = "public";

/// An identifier. Names are copied wherever objects are keys (facts,
/// catalog, edges): short ones are kept inline and long ones shared, so a
/// copy allocates nothing.
pub type Name = smol_str::SmolStr;

/// A possibly schema-qualified name, e.g. `auth.users` or `now`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct QualifiedName {
    pub schema: Option<Name>,
    pub name: Name,
}

impl QualifiedName {
    pub fn new(schema: Option<&str>, name: &str) -> Self {
        Self {
            schema: schema.filter(|s| !s.is_empty()).map(Name::new),
            name: Name::new(name),
        }
    }

    /// A relation name, placed in `schema` when unqualified.
    pub fn relation(range: &RangeVar, schema: &str) -> Self {
        let schema = match range.schemaname.as_str() {
            "" => schema,
            given => given,
        };
        Self::new(Some(schema), &range.relname)
    }

    /// A name given as a list of identifiers (`schema.name` or `name`).
    pub fn from_list(parts: &[Node]) -> Option<Self> {
        let parts: Vec<&str> = parts.iter().filter_map(string_value).collect();
        match parts.as_slice() {
            [name] => Some(Self::new(None, name)),
            [.., schema, name] => Some(Self::new(Some(schema), name)),
            [] => None,
        }
    }

    /// The same name, placed in `schema` when unqualified.
    pub fn in_schema(mut self, schema: &str) -> Self {
        self.schema.get_or_insert_with(|| Name::new(schema));
        self
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(schema) = &self.schema {
            f.write_str(&quote_ident(schema))?;
            f.write_str(".")?;
        }
        f.write_str(&quote_ident(&self.name))
    }
}

/// The text of a `String` node.
pub fn string_value(node: &Node) -> Option<&str> {
    match node.node.as_ref()? {
        NodeEnum::String(s) => Some(s.sval.as_str()),
        _ => None,
    }
}

/// Where unqualified new objects go: the first schema of the search path.
pub fn first_schema(search_path: &[String]) -> &str {
    search_path.first().map_or(DEFAULT_SCHEMA, String::as_str)
}

/// The texts of a list of `String` nodes (column lists, dotted names).
pub fn strings(nodes: &[Node]) -> Vec<String> {
    nodes
        .iter()
        .filter_map(string_value)
        .map(str::to_string)
        .collect()
}

/// Quotes an identifier exactly as PostgreSQL's `quote_ident` does: unless
/// it is a plain lower-case word that is not a reserved keyword (the real
/// scanner says which words are).
pub fn quote_ident(name: &str) -> Cow<'_, str> {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if plain && !is_keyword(name) {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("\"{}\"", name.replace('"', "\"\"")))
    }
}

/// Whether the word is a keyword `quote_ident` quotes: any but unreserved.
/// Remembered per word: generated SQL names the same objects many times,
/// and each scan is a round trip through the C parser.
fn is_keyword(word: &str) -> bool {
    thread_local! {
        static KEYWORDS: std::cell::RefCell<crate::HashMap<String, bool>> =
            Default::default();
    }
    if let Some(known) = KEYWORDS.with(|cache| cache.borrow().get(word).copied()) {
        return known;
    }
    let keyword = scan_keyword(word);
    KEYWORDS.with(|cache| cache.borrow_mut().insert(word.to_string(), keyword));
    keyword
}

fn scan_keyword(word: &str) -> bool {
    use pg_query::protobuf::KeywordKind;
    crate::analysis::parse::tokens(word).is_some_and(|tokens| {
        tokens.iter().any(|token| {
            !matches!(
                KeywordKind::try_from(token.keyword_kind),
                Ok(KeywordKind::NoKeyword | KeywordKind::UnreservedKeyword)
            )
        })
    })
}

/// A string literal, as `quote_literal` writes it.
pub fn quote_literal(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 3);
    push_literal(&mut quoted, text);
    quoted
}

/// [`quote_literal`], written at the end of `out`.
pub fn push_literal(out: &mut String, text: &str) {
    let special = |byte: &u8| matches!(byte, b'\'' | b'\\');
    if text.contains('\\') {
        out.push('E');
    }
    out.push('\'');
    // Both quotes are ASCII: a byte scan finds them, and every cut falls
    // on a character boundary.
    let mut start = 0;
    for (at, &byte) in text
        .as_bytes()
        .iter()
        .enumerate()
        .filter(|(_, b)| special(b))
    {
        out.push_str(&text[start..=at]);
        out.push(byte as char);
        start = at + 1;
    }
    out.push_str(&text[start..]);
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_names_that_need_it() {
        assert_eq!(quote_ident("user_profiles"), "user_profiles");
        assert_eq!(quote_ident("Users"), "\"Users\"");
        assert_eq!(quote_ident("my table"), "\"my table\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_ident("1abc"), "\"1abc\"");
        assert_eq!(quote_ident("select"), "\"select\"");
        assert_eq!(quote_ident("user"), "\"user\"");
        assert_eq!(quote_ident("name"), "name");
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_literal(r"a\'b\"), r"E'a\\''b\\'");
        assert_eq!(quote_literal("é'"), "'é'''");
    }

    #[test]
    fn displays_schema_qualified_names() {
        let name = QualifiedName::new(Some("auth"), "users");
        assert_eq!(name.to_string(), "auth.users");
        assert_eq!(QualifiedName::new(None, "now").to_string(), "now");
    }
}
