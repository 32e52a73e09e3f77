//! The names PostgreSQL makes up for what a statement leaves unnamed:
//! `<table>_pkey`, `<table>_<columns>_key`, `<table>_<columns>_fkey`,
//! `<table>_<column>_check` (or `<table>_check` when the expression uses no
//! column or several), `<table>_<columns>_excl`, each part shortened so the
//! whole fits in 63 bytes, as `makeObjectName` shortens them. Later
//! migrations drop and alter constraints by these names.
use pg_query::protobuf::{self, ConstrType, Node};
use pg_query::NodeEnum;

use crate::analysis::names::{string_value, strings};
use crate::analysis::visit::{self, Visit};

/// The longest name PostgreSQL keeps, in bytes (NAMEDATALEN - 1).
const MAX_NAME: usize = 63;

/// `name1_name2_label`, the longer of the two names shortened first until
/// it fits, never inside a character (PostgreSQL's `makeObjectName`).
pub fn object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let overhead = label.len() + 1 + usize::from(name2.is_some());
    let available = MAX_NAME.saturating_sub(overhead);
    let (mut first, mut second) = (name1.len(), name2.map_or(0, str::len));
    while first + second > available {
        if first > second {
            first -= 1;
        } else {
            second -= 1;
        }
    }
    let mut name = clip(name1, first).to_string();
    if let Some(name2) = name2 {
        name.push('_');
        name.push_str(clip(name2, second));
    }
    name.push('_');
    name.push_str(label);
    name
}

/// Column names joined by `_`, stopping once they are long enough to be
/// shortened anyway (`ChooseIndexNameAddition`).
pub fn columns_addition<S: AsRef<str>>(columns: &[S]) -> String {
    let mut addition = String::new();
    for column in columns {
        if !addition.is_empty() {
            addition.push('_');
        }
        addition.push_str(clip(column.as_ref(), MAX_NAME));
        if addition.len() > MAX_NAME {
            break;
        }
    }
    addition
}

/// At most `bytes` of `text`, without splitting a character.
fn clip(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// [`object_name`], numbered past the names `taken` (`..._check1`,
/// `..._check2`), as `ChooseConstraintName` numbers them.
fn choose(name1: &str, name2: Option<&str>, label: &str, taken: &dyn Fn(&str) -> bool) -> String {
    (0..)
        .map(|pass| match pass {
            0 => object_name(name1, name2, label),
            n => object_name(name1, name2, &format!("{label}{n}")),
        })
        .find(|name| !taken(name))
        .expect("some number is free")
}

/// A constraint's name: the given one, or the one PostgreSQL makes up,
/// past the names already `taken` (by earlier constraints of the same
/// statement, or of the schema). `column`: the column a column constraint
/// is written on.
pub(crate) fn constraint_name(
    table: &str,
    c: &protobuf::Constraint,
    column: Option<&str>,
    taken: &dyn Fn(&str) -> bool,
) -> Option<String> {
    if !c.conname.is_empty() {
        return Some(c.conname.clone());
    }
    let or_column = |columns: Vec<String>| match columns.is_empty() {
        true => column.map(str::to_string).into_iter().collect(),
        false => columns,
    };
    let keyed = |columns: Vec<String>, label: &str| {
        choose(
            table,
            Some(&columns_addition(&or_column(columns))),
            label,
            taken,
        )
    };
    Some(match ConstrType::try_from(c.contype).ok()? {
        ConstrType::ConstrPrimary => choose(table, None, "pkey", taken),
        ConstrType::ConstrUnique => keyed(strings(&c.keys), "key"),
        ConstrType::ConstrForeign => keyed(strings(&c.fk_attrs), "fkey"),
        ConstrType::ConstrExclusion => keyed(excluded_columns(&c.exclusions), "excl"),
        ConstrType::ConstrCheck => match columns_used(c.raw_expr.as_deref())[..] {
            [ref only] => choose(table, Some(only), "check", taken),
            _ => choose(table, None, "check", taken),
        },
        _ => return None,
    })
}

/// The name CREATE INDEX gives an index it is not given:
/// `<table>_<columns>_idx`, an expression named after its function (or
/// `expr`), a column named twice numbered (`a`, `a1`).
pub fn index_name(table: &str, s: &protobuf::IndexStmt) -> String {
    let mut columns: Vec<String> = Vec::new();
    for param in &s.index_params {
        let Some(NodeEnum::IndexElem(element)) = &param.node else {
            continue;
        };
        let name = match element.name.as_str() {
            "" => expression_name(element.expr.as_deref()),
            name => name.to_string(),
        };
        let unique = (0..)
            .map(|n| match n {
                0 => name.clone(),
                n => format!("{name}{n}"),
            })
            .find(|candidate| !columns.contains(candidate))
            .expect("some number is free");
        columns.push(unique);
    }
    object_name(table, Some(&columns_addition(&columns)), "idx")
}

/// What PostgreSQL calls an index expression's column: a function's name,
/// a column's, what a cast casts; `expr` otherwise.
fn expression_name(expression: Option<&Node>) -> String {
    match expression.and_then(|e| e.node.as_ref()) {
        Some(NodeEnum::FuncCall(call)) => call.funcname.last().and_then(string_value),
        Some(NodeEnum::ColumnRef(column)) => column.fields.last().and_then(string_value),
        Some(NodeEnum::TypeCast(cast)) => return expression_name(cast.arg.as_deref()),
        _ => None,
    }
    .unwrap_or("expr")
    .to_string()
}

/// The columns of an EXCLUDE constraint (`expr` for an expression).
fn excluded_columns(exclusions: &[Node]) -> Vec<String> {
    exclusions
        .iter()
        .filter_map(|pair| match pair.node.as_ref()? {
            NodeEnum::List(list) => match list.items.first()?.node.as_ref()? {
                NodeEnum::IndexElem(element) if !element.name.is_empty() => {
                    Some(element.name.clone())
                }
                _ => Some("expr".to_string()),
            },
            _ => None,
        })
        .collect()
}

/// The distinct columns an expression uses, in the order first used.
fn columns_used(expression: Option<&Node>) -> Vec<String> {
    let mut columns = Columns::default();
    if let Some(expression) = expression {
        visit::walk(expression, &mut columns);
    }
    columns.used
}

/// The last name of each column reference (`t.a` is `a`), once each.
#[derive(Default)]
struct Columns {
    used: Vec<String>,
    /// Inside a column reference: the last name read so far.
    reference: Option<String>,
}

impl Visit for Columns {
    fn enter(&mut self, kind: &'static str) -> bool {
        if kind == "ColumnRef" {
            self.reference = Some(String::new());
        }
        true
    }

    fn leave(&mut self, kind: &'static str) {
        if kind != "ColumnRef" {
            return;
        }
        let name = self.reference.take().filter(|name| !name.is_empty());
        if let Some(name) = name.filter(|name| !self.used.contains(name)) {
            self.used.push(name);
        }
    }

    fn string(&mut self, field: &'static str, value: &str) {
        if let (Some(name), "sval") = (&mut self.reference, field) {
            name.clear();
            name.push_str(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_shortened_like_make_object_name() {
        assert_eq!(
            object_name("orders", Some("total"), "check"),
            "orders_total_check"
        );
        assert_eq!(object_name("orders", None, "pkey"), "orders_pkey");
        let table = "t".repeat(60);
        let name = object_name(&table, Some("amount"), "check");
        assert_eq!(name.len(), 63);
        assert_eq!(name, format!("{}_amount_check", "t".repeat(50)));
        // Never inside a character.
        let name = object_name(&"é".repeat(40), Some("x"), "key");
        assert!(name.len() <= 63 && name.ends_with("_x_key"), "{name}");
    }
}
