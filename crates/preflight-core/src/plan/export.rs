//! The plan in other tools' formats: a Supabase CLI migrations folder (as a
//! zip), and the step graph as Graphviz DOT and Mermaid.
use std::fmt::Write as _;
use std::io::Write as _;

use petgraph::dot::Dot;
use petgraph::graph::DiGraph;
use serde::Serialize;
use time::{Date, Month, PrimitiveDateTime, Time};

use super::{Plan, Step};

/// One file of `supabase/migrations/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Migration {
    /// `<YYYYMMDDHHMMSS>_<name>.sql`
    pub name: String,
    pub sql: String,
}

/// Reads a Supabase migration timestamp, `YYYYMMDDHHMMSS`.
pub fn parse_timestamp(text: &str) -> Option<PrimitiveDateTime> {
    if text.len() != 14 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u16>().ok();
    let month = Month::try_from(number(4..6)? as u8).ok()?;
    let date = Date::from_calendar_date(number(0..4)?.into(), month, number(6..8)? as u8).ok()?;
    let time = Time::from_hms(
        number(8..10)? as u8,
        number(10..12)? as u8,
        number(12..14)? as u8,
    )
    .ok()?;
    Some(PrimitiveDateTime::new(date, time))
}

fn timestamp(at: PrimitiveDateTime) -> String {
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// The words of a step's title as a file name: the file's own number or
/// timestamp and extension dropped (the new timestamp replaces them).
fn slug(title: &str) -> String {
    let words: Vec<String> = title
        .rsplit('/')
        .next()
        .unwrap_or(title)
        .replace(".sql", "")
        .replace(".md", "")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let first_word = words
        .iter()
        .position(|word| !word.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or(words.len());
    match words[first_word..].join("_") {
        name if name.is_empty() => "step".into(),
        name => name,
    }
}

impl Plan {
    /// One migration per step, in planned order, one second apart from
    /// `start`, so `supabase db push` applies them in that order. Each file
    /// opens with the step's source, reasons and risks as comments.
    pub fn supabase_migrations(&self, start: PrimitiveDateTime) -> Vec<Migration> {
        self.steps
            .iter()
            .zip(0i64..)
            .map(|(step, offset)| {
                let at = start.saturating_add(time::Duration::seconds(offset));
                let mut sql = step.header_comment(&step.risks);
                sql.push('\n');
                sql.push_str(&step.sql);
                Migration {
                    name: format!("{}_{}.sql", timestamp(at), slug(&step.title)),
                    sql,
                }
            })
            .collect()
    }

    /// The migrations of [`Plan::supabase_migrations`] as a zip holding
    /// `supabase/migrations/`, ready to unpack into a project.
    pub fn to_supabase_zip(&self, start: PrimitiveDateTime) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let modified = zip::DateTime::from_date_and_time(
            u16::try_from(start.year()).unwrap_or(1980),
            start.month().into(),
            start.day(),
            start.hour(),
            start.minute(),
            start.second(),
        )
        .unwrap_or_default();
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(modified);
        for migration in self.supabase_migrations(start) {
            let path = format!("supabase/migrations/{}", migration.name);
            // Writing to memory only fails when the archive outgrows it.
            zip.start_file(path, options).expect("zip in memory");
            zip.write_all(migration.sql.as_bytes())
                .expect("zip in memory");
        }
        zip.finish().expect("zip in memory").into_inner()
    }

    /// The steps and what each needs, for Graphviz (`dot -Tsvg`). Steps
    /// that cannot be undone are red; steps outside a transaction dashed.
    pub fn to_dot(&self) -> String {
        let graph = self.step_graph();
        let no_edge_attributes = |_, _| String::new();
        let node_style =
            |_, (index, _): (petgraph::graph::NodeIndex, _)| style(&self.steps[index.index()]);
        let dot = Dot::with_attr_getters(&graph, &[], &no_edge_attributes, &node_style);
        dot.to_string()
    }

    /// The same graph as Mermaid, which GitHub and many editors draw.
    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("flowchart TD\n");
        for step in &self.steps {
            let label = format!("{}. {}", step.number, step.title).replace('"', "#quot;");
            let _ = writeln!(out, "  s{}[\"{label}\"]", step.number);
        }
        for step in &self.steps {
            for needed in &step.depends_on {
                let _ = writeln!(out, "  s{needed} --> s{}", step.number);
            }
        }
        for step in self.steps.iter().filter(|s| s.rollback_sql.is_none()) {
            let _ = writeln!(
                out,
                "  style s{} stroke:#b22222,stroke-width:2px",
                step.number
            );
        }
        out
    }

    /// Steps as nodes; an edge from each step to the steps that need it,
    /// labelled with the first reason.
    fn step_graph(&self) -> DiGraph<String, String> {
        let mut graph = DiGraph::new();
        let nodes: Vec<_> = self
            .steps
            .iter()
            .map(|step| graph.add_node(format!("{}. {}", step.number, step.title)))
            .collect();
        for step in &self.steps {
            for (needed, reason) in step.depends_on.iter().zip(&step.reasons) {
                let why = reason
                    .split_once(": ")
                    .map_or(reason.as_str(), |(_, why)| why);
                graph.add_edge(nodes[needed - 1], nodes[step.number - 1], why.to_string());
            }
        }
        graph
    }
}

fn style(step: &Step) -> String {
    let mut attributes = vec!["shape = box"];
    if step.rollback_sql.is_none() {
        attributes.push("color = firebrick");
    }
    if !step.transactional {
        attributes.push("style = dashed");
    }
    attributes.join(", ")
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::analysis::source::Source;
    use crate::plan::plan;

    fn sample() -> Plan {
        plan(
            &[
                Source::new(
                    "db/20240102_policies.sql",
                    "CREATE POLICY \"Owners \"\"only\"\"\" ON t USING (true);\n",
                ),
                Source::new("db/20240101_tables.sql", "CREATE TABLE t (id int);\n"),
                Source::new(
                    "db/20240103-more stuff.md",
                    "```sql\nCREATE INDEX ON t (id);\n```\n",
                ),
            ],
            &[],
        )
    }

    #[test]
    fn timestamps_are_fourteen_digits_of_a_real_time() {
        let at = parse_timestamp("20241231235959").expect("valid");
        assert_eq!(timestamp(at), "20241231235959");
        for bad in [
            "2024123123595",
            "20241331000000",
            "20240230000000",
            "2024123123595x",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn migration_names_keep_the_words_and_drop_old_numbers() {
        assert_eq!(slug("db/20240101_create_users.sql"), "create_users");
        assert_eq!(
            slug("001-Add Role.sql (part 2 of 3)"),
            "add_role_part_2_of_3"
        );
        assert_eq!(slug("0001.sql"), "step");
    }

    #[test]
    fn migrations_are_renumbered_in_planned_order_across_midnight() {
        let plan = sample();
        let start = parse_timestamp("20241231235959").expect("valid");
        let names: Vec<String> = plan
            .supabase_migrations(start)
            .into_iter()
            .map(|m| m.name)
            .collect();
        assert_eq!(
            names,
            [
                "20241231235959_tables.sql",
                "20250101000000_policies.sql",
                "20250101000001_more_stuff.sql"
            ]
        );
    }

    #[test]
    fn the_zip_holds_a_supabase_migrations_folder() {
        let plan = sample();
        let start = parse_timestamp("20250101120000").expect("valid");
        let bytes = plan.to_supabase_zip(start);
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut names: Vec<String> = archive
            .file_names()
            .map(|name| name.expect("a name").into_owned())
            .collect();
        names.sort();
        assert_eq!(names[0], "supabase/migrations/20250101120000_tables.sql");
        let mut sql = String::new();
        archive
            .by_name(&names[1])
            .expect("stored")
            .read_to_string(&mut sql)
            .expect("UTF-8");
        assert_eq!(sql, plan.supabase_migrations(start)[1].sql);
        assert!(
            sql.starts_with("-- Step 2: db/20240102_policies.sql"),
            "{sql}"
        );
        assert!(sql.ends_with("CREATE POLICY \"Owners \"\"only\"\"\" ON t USING (true);\n"));
    }

    #[test]
    fn graphs_draw_an_edge_for_each_dependency() {
        let plan = sample();
        let mermaid = plan.to_mermaid();
        assert!(
            mermaid.contains("  s1[\"1. db/20240101_tables.sql\"]\n"),
            "{mermaid}"
        );
        assert!(mermaid.contains("  s1 --> s2\n  s1 --> s3\n"), "{mermaid}");
        let dot = plan.to_dot();
        assert!(
            dot.contains("0 -> 1 [ label = \"policy \\\"Owners \\\"\\\"only"),
            "{dot}"
        );
        assert_eq!(dot.matches(" -> ").count(), 2, "{dot}");
    }
}
