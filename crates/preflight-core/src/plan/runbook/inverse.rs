//! The statements that undo one statement, or why none can.

use pg_query::protobuf::{AlterTableType, GrantStmt};
use pg_query::{DeparseOptions, NodeEnum};

use super::history::History;
use crate::analysis::facts::{Action, ObjectKind, ObjectRef};
use crate::analysis::names::{quote_ident, quote_literal};
use crate::analysis::parse::Statement;
use crate::plan::load::Unit;
use crate::HashSet;

/// The SQL that undoes `unit` (empty when it changed nothing that needs
/// undoing), or why it cannot be undone.
pub fn inverse(unit: &Unit, history: &History) -> Result<String, String> {
    let facts = &unit.facts;
    match &unit.statement.node {
        NodeEnum::SelectStmt(_) | NodeEnum::VariableSetStmt(_) | NodeEnum::TransactionStmt(_) => {
            return Ok(String::new())
        }
        NodeEnum::GrantStmt(grant) => {
            return match swapped_grant(&unit.statement, grant) {
                Some(sql) => Ok(terminated(&sql)),
                None => {
                    let mut inverse = grant.clone();
                    inverse.is_grant = !grant.is_grant;
                    deparse(NodeEnum::GrantStmt(inverse))
                }
            };
        }
        NodeEnum::AlterTableStmt(s) => {
            if let Some(sql) = row_security_inverse(s) {
                return Ok(sql);
            }
            if let Some(changes) = column_changes(&unit.statement.node) {
                return column_inverse(unit, s, &changes, history);
            }
        }
        NodeEnum::DoStmt(_) => {
            return Err("what a DO block does is not undone automatically".into())
        }
        NodeEnum::CommentStmt(comment) => return comment_inverse(unit, comment, history),
        NodeEnum::AlterPublicationStmt(s) => return publication_inverse(s),
        _ => {}
    }
    if facts.kind.changes_data() {
        return data_inverse(unit, history);
    }
    let renamed: Vec<&ObjectRef> = facts
        .facts
        .iter()
        .filter(|f| f.action == Action::Renames)
        .map(|f| &f.object)
        .collect();
    if let Some(old) = renamed.first() {
        let new = facts
            .facts
            .iter()
            .find(|f| f.action == Action::Creates && f.object.kind == old.kind)
            .map(|f| &f.object);
        return new.map_or_else(
            || Err(format!("the rename of {old} is not undone automatically")),
            |new| rename_back(old, new),
        );
    }
    let creates_extension = facts.creates(ObjectKind::Extension);
    let created_tables: HashSet<&crate::analysis::names::QualifiedName> = facts
        .facts
        .iter()
        .filter(|f| f.action == Action::Creates && f.object.kind.is_relation())
        .map(|f| &f.object.name)
        .collect();
    let adds_column = facts.creates(ObjectKind::Column);
    // Tables that get a new column, constraint, policy or trigger here: the
    // drop of that part undoes the change to the table.
    let extended: HashSet<&crate::analysis::names::QualifiedName> = facts
        .facts
        .iter()
        .filter(|f| f.action == Action::Creates)
        .filter_map(|f| f.object.on.as_ref())
        .collect();
    let mut undo = Vec::new();
    for fact in facts.facts.iter().rev() {
        let object = &fact.object;
        if object.kind == ObjectKind::Rows || !fact.action.writes() {
            continue;
        }
        // What goes with something else made here: a table's columns and
        // constraints, a serial column's sequence, an extension's contents,
        // the key a unique index or constraint makes.
        let implied = object.kind == ObjectKind::Key
            || object
                .on
                .as_ref()
                .is_some_and(|t| created_tables.contains(t))
            || (object.kind == ObjectKind::Sequence && adds_column)
            || (creates_extension && object.kind != ObjectKind::Extension);
        if implied {
            continue;
        }
        let identity = object.identity();
        let previous = history.definition(&identity);
        match fact.action {
            Action::Creates if history.existing().contains_key(&identity) => {
                if facts.tolerance.if_not_exists && !facts.tolerance.or_replace {
                    continue;
                }
                match previous {
                    Some(definition) => undo.push(definition.to_string()),
                    None => {
                        return Err(format!(
                            "it replaces {object}, and its previous definition is not in the input as it could run now"
                        ))
                    }
                }
            }
            Action::Creates => undo.push(drop_sql(object).ok_or_else(|| {
                format!("dropping {object} again is not generated automatically")
            })?),
            Action::Drops if !history.existing().contains_key(&identity) => {}
            Action::Drops => match (object.kind, previous) {
                (ObjectKind::Table | ObjectKind::Column | ObjectKind::Relation, _) => {
                    return Err(format!("it drops {object} and its data for good"))
                }
                (_, Some(definition)) => undo.push(definition.to_string()),
                (_, None) => {
                    return Err(format!(
                    "it drops {object}, and its definition is not in the input as it could run now"
                ))
                }
            },
            Action::Alters if object.kind.is_relation() && extended.contains(&object.name) => {}
            _ => {
                return Err(format!(
                    "it changes {object} in a way that is not undone automatically"
                ))
            }
        }
    }
    Ok(undo.iter().map(|sql| terminated(sql)).collect())
}

/// A GRANT as the REVOKE that undoes it, or a REVOKE as the GRANT, in the
/// statement's own words: the verb and `TO`/`FROM` swapped on its tokens,
/// so names, comments and the keywords' case stay as written, and what
/// only one of the two takes left out (`WITH GRANT OPTION`; `CASCADE`,
/// `RESTRICT`). `None` for `REVOKE GRANT OPTION FOR`, which the deparser
/// turns round.
fn swapped_grant(statement: &Statement, grant: &GrantStmt) -> Option<String> {
    use pg_query::protobuf::Token as T;
    if !grant.is_grant && grant.grant_option {
        return None;
    }
    let (text, tokens) = (statement.text(), statement.tokens()?);
    let kind = |at: usize| tokens.get(at).and_then(|t| T::try_from(t.token).ok());
    let (verb, preposition, new_verb, new_preposition) = match grant.is_grant {
        true => (T::Grant, T::To, "REVOKE", "FROM"),
        false => (T::Revoke, T::From, "GRANT", "TO"),
    };
    if kind(0) != Some(verb) {
        return None;
    }
    // (first token, last token, replacement); a token left out takes the
    // space before it along.
    let mut edits = vec![(0, 0, new_verb)];
    let mut depth = 0;
    let mut after_preposition = false;
    for at in 1..tokens.len() {
        match kind(at) {
            Some(T::Ascii40) => depth += 1,
            Some(T::Ascii41) => depth -= 1,
            Some(found) if depth == 0 && found == preposition && !after_preposition => {
                after_preposition = true;
                edits.push((at, at, new_preposition));
            }
            Some(T::With)
                if after_preposition
                    && kind(at + 1) == Some(T::Grant)
                    && kind(at + 2) == Some(T::Option) =>
            {
                edits.push((at, at + 2, ""));
            }
            Some(T::Cascade | T::Restrict) if after_preposition => edits.push((at, at, "")),
            _ => {}
        }
    }
    if !after_preposition {
        return None;
    }
    let mut sql = String::new();
    let mut written = 0;
    for (first, last, words) in edits {
        let replaced = &text[tokens[first].start as usize..tokens[last].end as usize];
        let start = match words.is_empty() {
            true => tokens[first - 1].end as usize,
            false => tokens[first].start as usize,
        };
        sql += &text[written..start];
        // In the case the statement writes its keywords in.
        match replaced.chars().any(char::is_uppercase) {
            true => sql += words,
            false => sql += &words.to_lowercase(),
        }
        written = tokens[last].end as usize;
    }
    sql += &text[written..];
    Some(sql)
}

/// One statement ending in exactly one `;` and a newline.
fn terminated(sql: &str) -> String {
    format!("{};\n", sql.trim_end().trim_end_matches(';'))
}

fn deparse(node: NodeEnum) -> Result<String, String> {
    node.deparse(DeparseOptions::default())
        .map(|sql| terminated(&sql))
        .map_err(|error| format!("its inverse could not be written: {error}"))
}

/// The commands of an `ALTER TABLE` that only sets or drops column
/// defaults and NOT NULL, if that is all it does.
pub fn column_changes(node: &NodeEnum) -> Option<Vec<&pg_query::protobuf::AlterTableCmd>> {
    use AlterTableType as T;
    let NodeEnum::AlterTableStmt(s) = node else {
        return None;
    };
    s.cmds
        .iter()
        .map(|command| match &command.node {
            Some(NodeEnum::AlterTableCmd(cmd))
                if matches!(
                    T::try_from(cmd.subtype),
                    Ok(T::AtColumnDefault | T::AtSetNotNull | T::AtDropNotNull)
                ) =>
            {
                Some(cmd.as_ref())
            }
            _ => None,
        })
        .collect()
}

/// Each column's default and NOT NULL as they were before, in reverse.
fn column_inverse(
    unit: &Unit,
    s: &pg_query::protobuf::AlterTableStmt,
    changes: &[&pg_query::protobuf::AlterTableCmd],
    history: &History,
) -> Result<String, String> {
    use AlterTableType as T;
    let table = s
        .relation
        .as_ref()
        .map(|range| crate::analysis::names::QualifiedName::relation(range, unit.schema()))
        .ok_or("the table is not named")?;
    // Supabase's own tables are stand-ins here: their real columns may differ.
    let made_by_input =
        history.created_by_input(&ObjectRef::new(ObjectKind::Relation, table.clone()));
    let mut undo = Vec::new();
    for cmd in changes.iter().rev() {
        let before = made_by_input.then(|| history.column(&table, &cmd.name));
        let before = before.flatten().ok_or_else(|| {
            format!(
                "how column {table}.{} was made is not in the input",
                quote_ident(&cmd.name)
            )
        })?;
        let restore = match (T::try_from(cmd.subtype), before) {
            (Ok(T::AtColumnDefault), before) => match before.default {
                Some(default) => format!("SET DEFAULT {default}"),
                None => "DROP DEFAULT".into(),
            },
            (_, before) if before.not_null => "SET NOT NULL".into(),
            _ => "DROP NOT NULL".into(),
        };
        undo.push(format!(
            "ALTER TABLE {table} ALTER COLUMN {} {restore};\n",
            quote_ident(&cmd.name)
        ));
    }
    Ok(undo.concat())
}

/// ENABLE/DISABLE and FORCE/NO FORCE ROW LEVEL SECURITY, swapped.
fn row_security_inverse(s: &pg_query::protobuf::AlterTableStmt) -> Option<String> {
    use AlterTableType as T;
    let mut inverse = s.clone();
    for command in &mut inverse.cmds {
        let Some(NodeEnum::AlterTableCmd(cmd)) = command.node.as_mut() else {
            return None;
        };
        cmd.subtype = match T::try_from(cmd.subtype).ok()? {
            T::AtEnableRowSecurity => T::AtDisableRowSecurity,
            T::AtDisableRowSecurity => T::AtEnableRowSecurity,
            T::AtForceRowSecurity => T::AtNoForceRowSecurity,
            T::AtNoForceRowSecurity => T::AtForceRowSecurity,
            _ => return None,
        } as i32;
    }
    deparse(NodeEnum::AlterTableStmt(inverse)).ok()
}

/// New storage buckets are removed again; rows written only to tables or
/// columns made earlier in the step go with them when those are dropped;
/// other data changes are not undone.
fn data_inverse(unit: &Unit, history: &History) -> Result<String, String> {
    let buckets: Vec<String> = unit
        .facts
        .facts
        .iter()
        .filter(|f| f.action == Action::Creates && f.object.kind == ObjectKind::Bucket)
        .map(|f| quote_literal(&f.object.name.name))
        .collect();
    if !buckets.is_empty() {
        return Ok(format!(
            "DELETE FROM storage.buckets WHERE id IN ({});\n",
            buckets.join(", ")
        ));
    }
    let written = unit
        .facts
        .facts
        .iter()
        .filter(|f| f.action == Action::Alters && f.object.kind.is_relation());
    let mut written_tables = written.map(|f| &f.object).peekable();
    let updated_columns_are_new = |table: &ObjectRef| match &unit.statement.node {
        NodeEnum::UpdateStmt(update) => update.target_list.iter().all(|target| {
            matches!(&target.node, Some(NodeEnum::ResTarget(target))
                if history.created_in_step(&ObjectRef::column(table.name.clone(), &target.name)))
        }),
        _ => false,
    };
    let undone_with_step = written_tables.peek().is_some()
        && written_tables.all(|table| {
            history.created_in_step(&table.identity()) || updated_columns_are_new(table)
        });
    match undone_with_step {
        true => Ok(String::new()),
        false => Err("it changes data, which only a backup restores".into()),
    }
}

/// The previous comment again; none when the input made the object and
/// never commented it.
fn comment_inverse(
    unit: &Unit,
    comment: &pg_query::protobuf::CommentStmt,
    history: &History,
) -> Result<String, String> {
    let target = unit
        .facts
        .facts
        .iter()
        .find(|f| f.action == Action::Alters)
        .map(|f| f.object.identity())
        .ok_or("what it comments on is not known")?;
    if let Some(previous) = history.comment(&target) {
        return Ok(terminated(previous));
    }
    if !history.created_by_input(&target) {
        return Err("the previous comment is not known".into());
    }
    let mut cleared = comment.clone();
    cleared.comment.clear();
    deparse(NodeEnum::CommentStmt(Box::new(cleared)))
}

/// ADD TABLE and DROP TABLE, swapped; SET replaces a list the input may
/// not show.
fn publication_inverse(s: &pg_query::protobuf::AlterPublicationStmt) -> Result<String, String> {
    use pg_query::protobuf::AlterPublicationAction as A;
    let mut inverse = s.clone();
    inverse.action = match A::try_from(s.action) {
        Ok(A::ApAddObjects) => A::ApDropObjects,
        Ok(A::ApDropObjects) => A::ApAddObjects,
        _ => {
            return Err(format!(
                "it changes the options or replaces the tables of publication {}",
                quote_ident(&s.pubname)
            ))
        }
    } as i32;
    deparse(NodeEnum::AlterPublicationStmt(inverse))
}

fn rename_back(old: &ObjectRef, new: &ObjectRef) -> Result<String, String> {
    let back = quote_ident(&old.name.name);
    let sql = match (old.kind, &new.on) {
        (kind, None) if old.name.schema != new.name.schema => format!(
            "ALTER {} {} SET SCHEMA {}",
            alter_words(kind)?,
            new.name,
            quote_ident(old.name.schema.as_deref().unwrap_or("public"))
        ),
        (ObjectKind::Column, Some(table)) => format!(
            "ALTER TABLE {table} RENAME COLUMN {} TO {back}",
            quote_ident(&new.name.name)
        ),
        (ObjectKind::Constraint, Some(table)) => format!(
            "ALTER TABLE {table} RENAME CONSTRAINT {} TO {back}",
            quote_ident(&new.name.name)
        ),
        (ObjectKind::Policy, Some(table)) => format!(
            "ALTER POLICY {} ON {table} RENAME TO {back}",
            quote_ident(&new.name.name)
        ),
        (ObjectKind::Trigger, Some(table)) => format!(
            "ALTER TRIGGER {} ON {table} RENAME TO {back}",
            quote_ident(&new.name.name)
        ),
        (kind, None) => format!("ALTER {} {} RENAME TO {back}", alter_words(kind)?, new.name),
        _ => return Err(format!("the rename of {old} is not undone automatically")),
    };
    Ok(format!("{sql};\n"))
}

fn alter_words(kind: ObjectKind) -> Result<&'static str, String> {
    Ok(match kind {
        ObjectKind::Table | ObjectKind::Relation => "TABLE",
        ObjectKind::View => "VIEW",
        ObjectKind::MaterializedView => "MATERIALIZED VIEW",
        ObjectKind::Index => "INDEX",
        ObjectKind::Sequence => "SEQUENCE",
        ObjectKind::Type => "TYPE",
        ObjectKind::Function => "FUNCTION",
        ObjectKind::Schema => "SCHEMA",
        other => {
            return Err(format!(
                "renaming a {} back is not generated",
                other.words()
            ))
        }
    })
}

/// `DROP` for an object a statement created.
fn drop_sql(object: &ObjectRef) -> Option<String> {
    let name = &object.name;
    let on = |what: &str| {
        let table = object.on.as_ref()?;
        Some(format!(
            "DROP {what} IF EXISTS {} ON {table}",
            quote_ident(&name.name)
        ))
    };
    Some(match object.kind {
        ObjectKind::Table | ObjectKind::Relation => format!("DROP TABLE IF EXISTS {name}"),
        ObjectKind::View => format!("DROP VIEW IF EXISTS {name}"),
        ObjectKind::MaterializedView => format!("DROP MATERIALIZED VIEW IF EXISTS {name}"),
        ObjectKind::Index => format!("DROP INDEX IF EXISTS {name}"),
        ObjectKind::Sequence => format!("DROP SEQUENCE IF EXISTS {name}"),
        ObjectKind::Type => format!("DROP TYPE IF EXISTS {name}"),
        ObjectKind::Function => format!("DROP FUNCTION IF EXISTS {name}"),
        ObjectKind::Schema => format!("DROP SCHEMA IF EXISTS {name}"),
        ObjectKind::Extension => format!("DROP EXTENSION IF EXISTS {name}"),
        ObjectKind::Publication => format!("DROP PUBLICATION IF EXISTS {name}"),
        ObjectKind::Role => format!("DROP ROLE IF EXISTS {name}"),
        ObjectKind::Server => format!("DROP SERVER IF EXISTS {name}"),
        ObjectKind::Policy => on("POLICY")?,
        ObjectKind::Trigger => on("TRIGGER")?,
        ObjectKind::Rule => on("RULE")?,
        ObjectKind::Column => format!(
            "ALTER TABLE {} DROP COLUMN IF EXISTS {}",
            object.on.as_ref()?,
            quote_ident(&name.name)
        ),
        ObjectKind::Constraint => format!(
            "ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}",
            object.on.as_ref()?,
            quote_ident(&name.name)
        ),
        ObjectKind::Bucket => format!(
            "DELETE FROM storage.buckets WHERE id = {}",
            quote_literal(&name.name)
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::analysis::source::Source;
    use crate::plan::plan;

    #[test]
    fn column_defaults_and_not_null_go_back_to_what_they_were() {
        let plan = plan(
            &[
                Source::new(
                    "1_t.sql",
                    "CREATE TABLE t (a int DEFAULT 1 + 1, b text NOT NULL, c text);\n",
                ),
                Source::new(
                    "2_alter.sql",
                    "ALTER TABLE t ALTER COLUMN a SET DEFAULT 3, ALTER COLUMN b DROP NOT NULL;\n",
                ),
                Source::new(
                    "3_alter.sql",
                    "ALTER TABLE t ALTER COLUMN a DROP DEFAULT, ALTER COLUMN c SET NOT NULL;\n",
                ),
            ],
            &[],
        );
        let rollbacks: Vec<Option<&str>> = plan
            .steps
            .iter()
            .map(|s| s.rollback_sql.as_deref())
            .collect();
        assert_eq!(
            rollbacks[1..],
            [
                Some(
                    "ALTER TABLE public.t ALTER COLUMN b SET NOT NULL;\n\
                     ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 1 + 1;\n"
                ),
                Some(
                    "ALTER TABLE public.t ALTER COLUMN c DROP NOT NULL;\n\
                     ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 3;\n"
                )
            ]
        );
    }

    #[test]
    fn columns_the_input_never_made_are_not_guessed() {
        let plan = plan(
            &[Source::new(
                "1.sql",
                "ALTER TABLE auth.users ALTER COLUMN email SET NOT NULL;\n",
            )],
            &[],
        );
        assert_eq!(plan.steps[0].rollback_sql, None);
        let note = plan.steps[0].rollback_note.as_deref().unwrap_or_default();
        assert!(
            note.contains("how column auth.users.email was made is not in the input"),
            "{note}"
        );
    }
}
