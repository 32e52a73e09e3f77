//! What a statement does to the rows of tables, as facts about `Rows`
//! objects: DML writes the rows of its target and reads the rows of every
//! table its query reads; a query (and CREATE TABLE AS, a materialized
//! view) only reads. The planner orders data the
//! way it orders definitions, so seed data runs after the rows it looks up.
use crate::analysis::facts::{Action, ObjectKind, ObjectRef, StatementFacts, Strength};
use crate::analysis::kind::StatementKind;

pub fn add_row_facts(facts: &mut StatementFacts) {
    // A trigger changes what later writes to its table do.
    let triggers: Vec<ObjectRef> = facts
        .facts
        .iter()
        .filter(|fact| fact.object.kind == ObjectKind::Trigger && fact.action.writes())
        .filter_map(|fact| fact.object.on.clone())
        .map(|table| ObjectRef::new(ObjectKind::Rows, table))
        .collect();
    for object in triggers {
        facts.push(Action::Alters, object, Strength::Hard);
    }
    let writes = facts.kind.changes_data();
    // Queries that run: a materialized view or CREATE TABLE AS copies the
    // rows there are when it is made.
    let queries = matches!(
        facts.kind,
        StatementKind::Select
            | StatementKind::CreateTableAs
            | StatementKind::CreateMaterializedView
    );
    if !writes && !queries {
        return;
    }
    let rows: Vec<(Action, ObjectRef)> = facts
        .facts
        .iter()
        .filter_map(|fact| {
            let action = match (fact.action, fact.object.kind) {
                (Action::Alters, ObjectKind::Table) if writes => Action::Alters,
                (Action::Reads, ObjectKind::Relation | ObjectKind::Table | ObjectKind::View) => {
                    Action::Reads
                }
                _ => return None,
            };
            Some((
                action,
                ObjectRef::new(ObjectKind::Rows, fact.object.name.clone()),
            ))
        })
        .collect();
    for (action, object) in rows {
        facts.push(action, object, Strength::Hard);
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::parse::parse_source;
    use crate::analysis::source::Source;
    use crate::analysis::statements::analyze;

    fn row_facts(sql: &str) -> Vec<String> {
        let parsed = parse_source(&Source::new("t.sql", sql));
        let node = &parsed.statements[0].node;
        analyze(node, &["public".into()])
            .facts
            .iter()
            .filter(|fact| fact.object.kind == super::ObjectKind::Rows)
            .map(|fact| format!("{} {}", fact.action, fact.object))
            .collect()
    }

    #[test]
    fn an_insert_writes_its_table_and_reads_what_its_query_reads() {
        assert_eq!(
            row_facts("insert into app.versions(package_id) values ((select id from app.packages where name = 'x'))"),
            ["alters rows of app.versions", "reads rows of app.packages"]
        );
    }

    #[test]
    fn a_query_only_reads_and_definitions_have_no_row_facts() {
        assert_eq!(
            row_facts("select count(*) from notes"),
            ["reads rows of public.notes"]
        );
        assert!(row_facts("create view v as select * from notes").is_empty());
        assert_eq!(
            row_facts("create materialized view counts as select count(*) from notes"),
            ["reads rows of public.notes"]
        );
    }
}
