//! What function bodies and DO blocks read. PostgreSQL checks a
//! `LANGUAGE sql` body when the function is created, so what it reads must
//! exist first (hard). PL/pgSQL bodies and DO blocks are only looked at when
//! they run; what they read is found by scanning their tokens (soft).
use pg_query::protobuf::{self, KeywordKind, Node, Token};
use pg_query::NodeEnum;

use crate::analysis::facts::{ObjectKind, ObjectRef, Strength};
use crate::analysis::names::{string_value, QualifiedName};
use crate::analysis::reads::{self, Scope};

/// What a function's body does that its creation and its callers depend
/// on.
#[derive(Default)]
pub struct BodyFacts {
    /// What it reads, with how firmly creation needs it.
    pub reads: Vec<(ObjectRef, Strength)>,
    /// The tables it inserts rows into (`INSERT INTO`): a trigger running
    /// it adds rows there too.
    pub inserts: Vec<QualifiedName>,
}

/// What a function's body reads and inserts into; its text is lexed once.
pub fn function_body_facts(s: &protobuf::CreateFunctionStmt, schema: &str) -> BodyFacts {
    let (language, text) = function_body(s);
    let tokens = text.and_then(tokens);
    let inserts = (tokens.as_deref())
        .map(|tokens| inserted_tables(tokens, schema))
        .unwrap_or_default();
    let reads = match (s.sql_body.as_deref(), language, text, tokens.as_deref()) {
        // BEGIN ATOMIC ... END: parsed with the statement, checked at creation.
        (Some(body), ..) => sql_reads(std::iter::once(body), schema),
        (None, "sql", Some(text), _) => match pg_query::parse(text, 0) {
            Ok(parsed) => {
                let statements: Vec<Node> = parsed
                    .protobuf
                    .stmts
                    .into_iter()
                    .filter_map(|raw| raw.stmt.map(|s| *s))
                    .collect();
                sql_reads(statements.iter(), schema)
            }
            Err(_) => Vec::new(),
        },
        (None, "plpgsql", _, Some(tokens)) => {
            // Declared variables' types are looked up when the function is
            // created (PL/pgSQL compiles it then); the rest only when it runs.
            let declared = declared_types(tokens, schema).into_iter();
            let declared = declared.map(|object| (object, Strength::Hard));
            let scanned = scanned_reads(tokens, schema).into_iter();
            declared
                .chain(scanned.map(|object| (object, Strength::Soft)))
                .collect()
        }
        _ => Vec::new(),
    };
    BodyFacts { reads, inserts }
}

/// A function's language and its body as written (`AS '...'`).
fn function_body(s: &protobuf::CreateFunctionStmt) -> (&str, Option<&str>) {
    let mut language = "sql";
    let mut body = None;
    for option in &s.options {
        if let Some(NodeEnum::DefElem(def)) = &option.node {
            match (
                def.defname.as_str(),
                def.arg.as_deref().and_then(|a| a.node.as_ref()),
            ) {
                ("language", Some(NodeEnum::String(name))) => language = &name.sval,
                ("as", Some(NodeEnum::List(list))) if list.items.len() == 1 => {
                    body = string_value(&list.items[0]);
                }
                _ => {}
            }
        }
    }
    (language, body)
}

/// What a DO block's body reads (soft: it may not reach every statement).
pub fn do_block_reads(s: &protobuf::DoStmt, schema: &str) -> Vec<ObjectRef> {
    (do_block_body(s).and_then(tokens))
        .map(|tokens| scanned_reads(&tokens, schema))
        .unwrap_or_default()
}

/// The plain SQL statements of a PL/pgSQL DO block (not dynamic `EXECUTE`
/// strings), parsed, as PL/pgSQL's own parser finds them.
pub fn do_block_statements(s: &protobuf::DoStmt) -> Vec<NodeEnum> {
    let Some(tree) = do_block_body(s).and_then(plpgsql_tree) else {
        return Vec::new();
    };
    let mut queries = Vec::new();
    collect_statement_queries(&tree, &mut queries);
    queries
        .iter()
        .filter_map(|query| pg_query::parse(query, 0).ok())
        .flat_map(|parsed| parsed.protobuf.stmts)
        .filter_map(|raw| raw.stmt.and_then(|node| node.node))
        .collect()
}

/// PL/pgSQL's parse tree of a DO block's body.
fn plpgsql_tree(body: &str) -> Option<serde_json::Value> {
    let mut tag = String::from("$preflight$");
    while body.contains(&tag) {
        tag.insert(1, '_');
    }
    let function =
        format!("CREATE FUNCTION preflight_do() RETURNS void LANGUAGE plpgsql AS {tag}{body}{tag}");
    pg_query::parse_plpgsql(&function).ok()
}

/// The types of a PL/pgSQL body's declared variables (`v app.accounts`,
/// `n app.accounts.id%TYPE`, `r app.accounts%ROWTYPE`), read from the
/// tokens of each DECLARE section (PL/pgSQL's own parser needs a catalog
/// to read them); built-in types are left out.
fn declared_types(tokens: &[Tok], schema: &str) -> Vec<ObjectRef> {
    let tokens: Vec<&Tok> = (tokens.iter())
        .filter(|t| t.token != Token::SqlComment as i32 && t.token != Token::CComment as i32)
        .collect();
    let is = |at: usize, expected: &str| tokens[at].text.eq_ignore_ascii_case(expected);
    let mut found = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        if !is(at, "declare") {
            at += 1;
            continue;
        }
        at += 1;
        while at < tokens.len() && !is(at, "begin") {
            let end = (at..tokens.len())
                .find(|&i| is(i, ";"))
                .unwrap_or(tokens.len());
            let written = declaration_type(&(at..end).map(|i| tokens[i].text).collect::<Vec<_>>());
            found.extend(written.and_then(|written| declared_type(&written, schema)));
            at = end + 1;
        }
    }
    found.sort();
    found.dedup();
    found
}

/// The type of `name [CONSTANT] type [COLLATE ...] [NOT NULL] [:= ...]`,
/// as written; none for aliases and cursors.
fn declaration_type(words: &[&str]) -> Option<String> {
    let mut at = 1;
    if words.get(at)?.eq_ignore_ascii_case("constant") {
        at += 1;
    }
    let first = words.get(at)?.to_ascii_lowercase();
    if matches!(first.as_str(), "alias" | "cursor" | "scroll" | "no") {
        return None;
    }
    let ends = |w: &&&str| {
        let w = w.to_ascii_lowercase();
        matches!(w.as_str(), "default" | ":=" | "=" | "not" | "collate")
    };
    let type_words: Vec<&str> = words[at..]
        .iter()
        .take_while(|w| !ends(w))
        .copied()
        .collect();
    Some(type_words.concat())
}

/// A declared type as written: a column's type (`%TYPE`) needs its table; a
/// row type or a type name needs that type (a table is one too).
fn declared_type(written: &str, schema: &str) -> Option<ObjectRef> {
    let lower = written.to_ascii_lowercase();
    if let Some(column) = lower
        .strip_suffix("%type")
        .map(|_| &written[..written.len() - 5])
    {
        let names = parsed_names(&format!("SELECT {column}"))?;
        let (_, table) = names.split_last()?;
        let table = QualifiedName::from_list(table)?.in_schema(schema);
        return Some(ObjectRef::new(ObjectKind::Relation, table));
    }
    let type_name = lower
        .strip_suffix("%rowtype")
        .map_or(written, |_| &written[..written.len() - 8]);
    let names = parsed_names(&format!("SELECT NULL::{type_name}"))?;
    reads::type_reference(&names, schema)
}

/// The dotted names of the first column reference or type cast in a query.
fn parsed_names(query: &str) -> Option<Vec<Node>> {
    let parsed = pg_query::parse(query, 0).ok()?;
    let statement = parsed.protobuf.stmts.first()?.stmt.as_deref()?;
    let Some(NodeEnum::SelectStmt(select)) = &statement.node else {
        return None;
    };
    let target = select.target_list.first()?;
    let Some(NodeEnum::ResTarget(target)) = &target.node else {
        return None;
    };
    match target.val.as_deref()?.node.as_ref()? {
        NodeEnum::ColumnRef(column) => Some(column.fields.clone()),
        NodeEnum::TypeCast(cast) => Some(cast.type_name.as_ref()?.names.clone()),
        _ => None,
    }
}

fn do_block_body(s: &protobuf::DoStmt) -> Option<&str> {
    let is_plpgsql = s.args.iter().all(|arg| match &arg.node {
        Some(NodeEnum::DefElem(def)) if def.defname == "language" => {
            def.arg.as_deref().and_then(string_value) == Some("plpgsql")
        }
        _ => true,
    });
    s.args
        .iter()
        .filter(|_| is_plpgsql)
        .find_map(|arg| match &arg.node {
            Some(NodeEnum::DefElem(def)) if def.defname == "as" => {
                def.arg.as_deref().and_then(string_value)
            }
            _ => None,
        })
}

/// The `query` of every `PLpgSQL_stmt_execsql` in PL/pgSQL's parse tree.
fn collect_statement_queries(tree: &serde_json::Value, out: &mut Vec<String>) {
    match tree {
        serde_json::Value::Object(map) => {
            if let Some(query) = map
                .get("PLpgSQL_stmt_execsql")
                .and_then(|statement| statement.pointer("/sqlstmt/PLpgSQL_expr/query"))
                .and_then(|query| query.as_str())
            {
                out.push(query.to_string());
            }
            for value in map.values() {
                collect_statement_queries(value, out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                collect_statement_queries(item, out);
            }
        }
        _ => {}
    }
}

/// Relations and functions of SQL statements. Column references are left
/// out: in a function body an unqualified name may be a parameter.
fn sql_reads<'n>(
    statements: impl Iterator<Item = &'n Node>,
    schema: &str,
) -> Vec<(ObjectRef, Strength)> {
    let mut found = Vec::new();
    for statement in statements {
        for object in reads::collect(statement, &Scope::default(), schema)
            .into_iter()
            .map(|read| read.object)
        {
            if object.kind != ObjectKind::Column && !found.iter().any(|(seen, _)| seen == &object) {
                found.push((object, Strength::Hard));
            }
        }
    }
    found
}

/// Relations after FROM / JOIN / UPDATE / INSERT INTO / DELETE FROM, and
/// schema-qualified function calls, found in PL/pgSQL text with the SQL
/// lexer (the two languages share their tokens).
fn scanned_reads(tokens: &[Tok], schema: &str) -> Vec<ObjectRef> {
    let is =
        |at: usize, word: &str| (tokens.get(at)).is_some_and(|t| t.text.eq_ignore_ascii_case(word));
    let mut found = Vec::new();
    // For each open parenthesis: does it hold a query (so FROM names a table)?
    let mut parens: Vec<bool> = Vec::new();
    for (at, tok) in tokens.iter().enumerate() {
        match tok.token {
            t if t == Token::Ascii40 as i32 => {
                parens.push(is(at + 1, "select") || is(at + 1, "with"))
            }
            t if t == Token::Ascii41 as i32 => {
                parens.pop();
            }
            _ => {}
        }
        let follows = |word: &str| at.checked_sub(1).is_some_and(|p| is(p, word));
        let in_query = parens.last().copied().unwrap_or(true);
        // `INSERT INTO t (a, b)`: a column list, where `FROM f(x)` is a call.
        let inserts = is(at, "into");
        let names_table = if is(at, "from") {
            in_query && !follows("distinct")
        } else if is(at, "join") || is(at, "update") {
            in_query
        } else {
            inserts && follows("insert")
        };
        if names_table {
            if let Some((name, after)) = dotted_name(tokens, at + 1) {
                let is_call = tokens
                    .get(after)
                    .is_some_and(|t| t.token == Token::Ascii40 as i32);
                if inserts || !is_call {
                    let name = name.in_schema(schema);
                    found.push(ObjectRef::new(ObjectKind::Relation, name));
                }
            }
        }
        let insert_target = |at: usize| {
            let before = |back: usize| at.checked_sub(back).map(|p| tokens[p].text);
            before(1).is_some_and(|w| w.eq_ignore_ascii_case("into"))
                && before(2).is_some_and(|w| w.eq_ignore_ascii_case("insert"))
        };
        // schema.function( — unqualified calls may be built in or local.
        if (tok.token == Token::Ident as i32 || !tok.keyword) && !insert_target(at) {
            if let Some((name, after)) = dotted_name(tokens, at) {
                let is_call = tokens
                    .get(after)
                    .is_some_and(|t| t.token == Token::Ascii40 as i32);
                let starts_here = at == 0 || tokens[at - 1].token != Token::Ascii46 as i32;
                if is_call && starts_here && name.schema.is_some() {
                    found.push(ObjectRef::new(ObjectKind::Function, name));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// The tables `INSERT INTO` names.
fn inserted_tables(tokens: &[Tok], schema: &str) -> Vec<QualifiedName> {
    let mut found: Vec<QualifiedName> = (0..tokens.len())
        .filter(|&at| {
            tokens[at].text.eq_ignore_ascii_case("insert")
                && tokens
                    .get(at + 1)
                    .is_some_and(|t| t.text.eq_ignore_ascii_case("into"))
        })
        .filter_map(|at| dotted_name(tokens, at + 2))
        .map(|(name, _)| name.in_schema(schema))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// A body's tokens, by the SQL lexer (PL/pgSQL shares its tokens).
fn tokens(body: &str) -> Option<Vec<Tok<'_>>> {
    let scanned = pg_query::scan(body).ok()?;
    let tokens = scanned.tokens.iter().map(|token| Tok {
        text: body
            .get(token.start as usize..token.end as usize)
            .unwrap_or_default(),
        token: token.token,
        keyword: token.keyword_kind != KeywordKind::NoKeyword as i32,
    });
    Some(tokens.collect())
}

struct Tok<'a> {
    text: &'a str,
    token: i32,
    keyword: bool,
}

/// `name` or `schema.name` starting at token `at`, and the index after it.
fn dotted_name(tokens: &[Tok], at: usize) -> Option<(QualifiedName, usize)> {
    let first = identifier(tokens.get(at)?)?;
    let dot = tokens
        .get(at + 1)
        .is_some_and(|t| t.token == Token::Ascii46 as i32);
    if dot {
        let second = identifier(tokens.get(at + 2)?)?;
        return Some((QualifiedName::new(Some(&first), &second), at + 3));
    }
    Some((QualifiedName::new(None, &first), at + 1))
}

/// An identifier token's name: quoted names keep their case, others fold.
fn identifier(tok: &Tok) -> Option<String> {
    if let Some(quoted) = tok.text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        return Some(quoted.replace("\"\"", "\""));
    }
    let plain = tok.token == Token::Ident as i32
        || tok.keyword && tok.text.chars().all(|c| c.is_alphanumeric() || c == '_');
    (plain && !is_reserved_here(tok)).then(|| tok.text.to_lowercase())
}

fn is_reserved_here(tok: &Tok) -> bool {
    const NOT_NAMES: &[&str] = &[
        "select", "where", "set", "only", "lateral", "values", "as", "on", "using",
    ];
    NOT_NAMES
        .iter()
        .any(|word| tok.text.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_insert_target_with_its_column_list_is_a_table_not_a_call() {
        let body = "begin
            insert into app.handle_registry (handle, is_organization) values (new.handle, false);
            perform app.notify(new.id);
            return new;
        end;";
        let tokens = tokens(body).expect("lexes");
        let found: Vec<String> = (scanned_reads(&tokens, "public").iter())
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            ["relation app.handle_registry", "function app.notify()"]
        );
    }

    #[test]
    fn declared_variables_need_their_types_when_the_function_is_created() {
        let body = "declare
            v app.accounts := null;
            n constant app.t.id%TYPE not null default 1;
            r \"App\".u%rowtype;
            i int;
            c cursor for select 1;
            a alias for $1; -- a comment
            /* another */ b text;
        begin
            declare inner_v app.inner_type; begin null; end;
            return;
        end;";
        let tokens = tokens(body).expect("lexes");
        let found: Vec<String> = (declared_types(&tokens, "public").iter())
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "relation app.t",
                "type \"App\".u",
                "type app.accounts",
                "type app.inner_type"
            ]
        );
    }
}
