//! Verification queries: one row per object, with whether it is in the
//! state the step leaves it in.
use crate::analysis::facts::{Grantable, ObjectKind, ObjectRef, RowSecurity};
use crate::analysis::names::{push_literal, quote_ident, quote_literal, QualifiedName};

/// What a step or plan should leave behind.
#[derive(Debug, Clone)]
pub struct Expectation {
    pub label: String,
    pub condition: String,
}

impl Expectation {
    /// `object` exists (or, with `exists` false, is gone), or `None` for
    /// kinds the catalogs do not name (rows, operator classes).
    pub fn object(object: &ObjectRef, exists: bool, schema: &str) -> Option<Self> {
        let condition = condition(object, schema)?;
        let (condition, state) = if exists {
            (condition, "exists")
        } else {
            (format!("NOT ({condition})"), "is gone")
        };
        Some(Self {
            label: format!("{object} {state}"),
            condition,
        })
    }

    /// Row level security on or off, or forced on the owner or not.
    pub fn row_level_security(table: &QualifiedName, setting: RowSecurity) -> Self {
        let (what, column, on) = match setting {
            RowSecurity::Enable => ("row level security", "relrowsecurity", true),
            RowSecurity::Disable => ("row level security", "relrowsecurity", false),
            RowSecurity::Force => ("forced row level security", "relforcerowsecurity", true),
            RowSecurity::NoForce => ("forced row level security", "relforcerowsecurity", false),
        };
        Self {
            label: format!("{what} on {table} is {}", if on { "on" } else { "off" }),
            condition: format!(
                "(SELECT {column} FROM pg_catalog.pg_class WHERE oid = to_regclass({})) IS {}",
                quote_literal(&table.to_string()),
                if on { "TRUE" } else { "FALSE" }
            ),
        }
    }

    pub fn in_publication(publication: &str, table: &QualifiedName, schema: &str) -> Self {
        Self {
            label: format!("{table} is in publication {publication}"),
            condition: format!(
                "EXISTS (SELECT 1 FROM pg_catalog.pg_publication_tables WHERE pubname = {} AND schemaname = {} AND tablename = {})",
                quote_literal(publication),
                quote_literal(table.schema.as_deref().unwrap_or(schema)),
                quote_literal(&table.name)
            ),
        }
    }
}

impl Expectation {
    /// `role` holds `privilege` (`None`: every privilege the object's kind
    /// has) on the object, or, when revoked, holds it no more; with
    /// `grant_option`, may (or may no longer) grant it on. Read from the
    /// object's access list, so a privilege the REVOKE could not take
    /// (granted by another role) shows as a failure.
    pub fn privilege(
        on: &Grantable,
        role: &str,
        privilege: Option<&str>,
        (granted, grant_option): (bool, bool),
        schema: &str,
    ) -> Self {
        let regclass = |table: &QualifiedName| regclass(table, schema);
        // (catalog, which row, access list, owner, kind for acldefault)
        let (catalog, row, acl, owner, kind, what) = match on {
            Grantable::Relation { name } => (
                "pg_class",
                format!("o.oid = {}", regclass(name)),
                "relacl",
                "o.relowner",
                "(CASE o.relkind WHEN 'S' THEN 's' ELSE 'r' END)::\"char\"",
                name.clone().in_schema(schema).to_string(),
            ),
            Grantable::Column { table, column } => (
                "pg_attribute",
                format!(
                    "o.attrelid = {} AND o.attname = {}",
                    regclass(table),
                    quote_literal(column)
                ),
                "attacl",
                "0",
                "'c'",
                format!(
                    "column {}.{}",
                    table.clone().in_schema(schema),
                    quote_ident(column)
                ),
            ),
            Grantable::Schema { name } => (
                "pg_namespace",
                format!("o.nspname = {}", quote_literal(name)),
                "nspacl",
                "o.nspowner",
                "'n'",
                format!("schema {}", quote_ident(name)),
            ),
            Grantable::Function { name, arguments } => {
                let (lookup, signature) = match arguments {
                    Some(arguments) => (
                        "to_regprocedure",
                        format!("{name}({})", arguments.join(", ")),
                    ),
                    None => ("to_regproc", name.to_string()),
                };
                (
                    "pg_proc",
                    format!("o.oid = {lookup}({})", quote_literal(&signature)),
                    "proacl",
                    "o.proowner",
                    "'f'",
                    format!("function {signature}"),
                )
            }
        };
        let grantee = match role {
            "public" => "0".to_string(),
            role => format!(
                "(SELECT oid FROM pg_catalog.pg_roles WHERE rolname = {})",
                quote_literal(role)
            ),
        };
        let entries = format!(
            "pg_catalog.aclexplode(coalesce(o.{acl}, pg_catalog.acldefault({kind}, {owner}))) a"
        );
        let grantable = match grant_option {
            true => " AND a.is_grantable",
            false => "",
        };
        let held = |privilege: &str| {
            format!(
                "EXISTS (SELECT 1 FROM pg_catalog.{catalog} o, {entries} WHERE {row} AND a.grantee = {grantee}{privilege}{grantable})"
            )
        };
        let named = privilege.map(|p| format!(" AND a.privilege_type = {}", quote_literal(p)));
        let condition = match (named, granted) {
            (Some(named), true) => held(&named),
            (Some(named), false) => format!("NOT {}", held(&named)),
            (None, false) => format!("NOT {}", held("")),
            // Every privilege the owner holds by default is granted.
            (None, true) => format!(
                "EXISTS (SELECT 1 FROM pg_catalog.{catalog} o WHERE {row} AND NOT EXISTS (SELECT d.privilege_type FROM pg_catalog.aclexplode(pg_catalog.acldefault({kind}, {owner})) d EXCEPT SELECT a.privilege_type FROM {entries} WHERE a.grantee = {grantee}{grantable}))"
            ),
        };
        let privilege = privilege.unwrap_or("ALL");
        let label = match (granted, grant_option) {
            (true, false) => format!("{role} has {privilege} on {what}"),
            (false, false) => format!("{role} has no {privilege} on {what}"),
            (true, true) => format!("{role} may grant {privilege} on {what}"),
            (false, true) => format!("{role} may not grant {privilege} on {what}"),
        };
        Self { label, condition }
    }

    /// The column is NOT NULL (or, with `not_null` false, may hold NULL).
    pub fn not_null(table: &QualifiedName, column: &str, not_null: bool, schema: &str) -> Self {
        Self {
            label: format!(
                "column {table}.{column} is {}",
                if not_null { "NOT NULL" } else { "nullable" }
            ),
            condition: format!(
                "(SELECT attnotnull FROM pg_catalog.pg_attribute WHERE {}) IS {}",
                attribute("", table, column, schema),
                if not_null { "TRUE" } else { "FALSE" }
            ),
        }
    }

    /// The column has a default (or, with `has` false, exists without one).
    pub fn column_default(table: &QualifiedName, column: &str, has: bool, schema: &str) -> Self {
        let default = format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE {})",
            attribute("a.", table, column, schema)
        );
        let (label, condition) = match has {
            true => ("has a default", default),
            false => (
                "has no default",
                format!(
                    "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE {}) AND NOT {default}",
                    attribute("", table, column, schema)
                ),
            ),
        };
        Self {
            label: format!("column {table}.{column} {label}"),
            condition,
        }
    }

    /// The relation has the storage parameter set to `value` (or, with
    /// `None`, not set).
    pub fn relation_option(table: &QualifiedName, name: &str, value: Option<&str>) -> Self {
        let options = format!(
            "coalesce((SELECT reloptions FROM pg_catalog.pg_class WHERE oid = to_regclass({})), '{{}}')",
            quote_literal(&table.to_string())
        );
        let (label, condition) = match value {
            Some(value) => (
                format!("{table} has {name} = {value}"),
                format!(
                    "{} = ANY ({options})",
                    quote_literal(&format!("{name}={value}"))
                ),
            ),
            None => (
                format!("{table} has no {name} set"),
                format!(
                    "NOT EXISTS (SELECT 1 FROM unnest({options}) o WHERE o LIKE {})",
                    quote_literal(&format!("{name}=%"))
                ),
            ),
        };
        Self { label, condition }
    }

    /// The enum type has the value.
    pub fn enum_value(type_name: &QualifiedName, value: &str, schema: &str) -> Self {
        Self {
            label: format!("type {type_name} has the value {}", quote_literal(value)),
            condition: format!(
                "EXISTS (SELECT 1 FROM pg_catalog.pg_enum e JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = {} AND t.typname = {} AND e.enumlabel = {})",
                quote_literal(type_name.schema.as_deref().unwrap_or(schema)),
                quote_literal(&type_name.name),
                quote_literal(value)
            ),
        }
    }
}

/// The `pg_attribute` row of a live column, as a WHERE condition on the
/// catalog's columns named with `prefix` (e.g. `a.`).
fn attribute(prefix: &str, table: &QualifiedName, column: &str, schema: &str) -> String {
    let table = table.clone().in_schema(schema);
    format!(
        "{prefix}attrelid = to_regclass({}) AND {prefix}attname = {} AND NOT {prefix}attisdropped",
        quote_literal(&table.to_string()),
        quote_literal(column)
    )
}

/// One query returning `object`, `result` ('pass' or 'fail') per
/// expectation, after a comment line per thing to check by hand; `None`
/// when there is nothing to check.
pub fn query(expectations: &[&Expectation], by_hand: &[String]) -> Option<String> {
    if expectations.is_empty() && by_hand.is_empty() {
        return None;
    }
    // Sized once: the plan's health check holds thousands of rows.
    let row =
        "\n  UNION ALL\n  SELECT  AS object, CASE WHEN  THEN 'pass' ELSE 'fail' END AS result"
            .len();
    let length = (by_hand.iter().map(|what| what.len() + 20)).sum::<usize>()
        + (expectations.iter())
            .map(|expectation| row + 2 * expectation.label.len() + expectation.condition.len())
            .sum::<usize>();
    let mut sql = String::with_capacity(length);
    for what in by_hand {
        sql.push_str("-- Check by hand: ");
        sql.push_str(what);
        sql.push_str(".\n");
    }
    for (at, expectation) in expectations.iter().enumerate() {
        if at > 0 {
            sql.push_str("\n  UNION ALL\n");
        }
        sql.push_str("  SELECT ");
        push_literal(&mut sql, &expectation.label);
        sql.push_str(" AS object, CASE WHEN ");
        sql.push_str(&expectation.condition);
        sql.push_str(" THEN 'pass' ELSE 'fail' END AS result");
    }
    if !expectations.is_empty() {
        sql.push_str(";\n");
    }
    Some(sql)
}

fn condition(object: &ObjectRef, schema: &str) -> Option<String> {
    let name = &object.name;
    let in_schema = || quote_literal(name.schema.as_deref().unwrap_or(schema));
    let plain = || quote_literal(&name.name);
    let regclass = |table: &QualifiedName| regclass(table, schema);
    let on_table = |catalog: &str, relation: &str, column: &str| {
        let table = object.on.as_ref()?;
        Some(format!(
            "EXISTS (SELECT 1 FROM pg_catalog.{catalog} WHERE {relation} = {} AND {column} = {})",
            regclass(table),
            plain()
        ))
    };
    let named = |catalog: &str, column: &str| {
        format!(
            "EXISTS (SELECT 1 FROM pg_catalog.{catalog} WHERE {column} = {})",
            plain()
        )
    };
    let in_namespace = |catalog: &str, oid: &str, column: &str| {
        format!(
            "EXISTS (SELECT 1 FROM pg_catalog.{catalog} x JOIN pg_catalog.pg_namespace n ON n.oid = x.{oid} WHERE n.nspname = {} AND x.{column} = {})",
            in_schema(),
            plain()
        )
    };
    Some(match object.kind {
        kind if kind.is_relation() => format!("{} IS NOT NULL", regclass(name)),
        ObjectKind::Column => format!(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = {} AND attname = {} AND NOT attisdropped)",
            regclass(object.on.as_ref()?),
            plain()
        ),
        ObjectKind::Constraint => on_table("pg_constraint", "conrelid", "conname")?,
        ObjectKind::Policy => on_table("pg_policy", "polrelid", "polname")?,
        ObjectKind::Trigger => on_table("pg_trigger", "tgrelid", "tgname")?,
        ObjectKind::Rule => on_table("pg_rewrite", "ev_class", "rulename")?,
        ObjectKind::Function => in_namespace("pg_proc", "pronamespace", "proname"),
        ObjectKind::Type => in_namespace("pg_type", "typnamespace", "typname"),
        ObjectKind::Schema => named("pg_namespace", "nspname"),
        ObjectKind::Extension => named("pg_extension", "extname"),
        ObjectKind::Publication => named("pg_publication", "pubname"),
        ObjectKind::Role => named("pg_roles", "rolname"),
        ObjectKind::Server => named("pg_foreign_server", "srvname"),
        ObjectKind::Bucket => format!("EXISTS (SELECT 1 FROM storage.buckets WHERE id = {})", plain()),
        _ => return None,
    })
}

/// `to_regclass('schema.table')`, the table placed in `schema` when
/// unqualified.
fn regclass(table: &QualifiedName, schema: &str) -> String {
    let table = table.clone().in_schema(schema);
    format!("to_regclass({})", quote_literal(&table.to_string()))
}
