//! The audit in plain words, grouped by object.
use super::{Changed, Definition, Difference, SchemaDiff};

impl SchemaDiff {
    /// E.g. `column public.todos.done: type boolean (a.sql:12) vs text
    /// (b.sql:40)`; definitions of several lines are shown as blocks.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for diagnostic in &self.diagnostics {
            out.push_str(&diagnostic.to_text());
        }
        let mut lines: Vec<(&super::ObjectId, String)> = Vec::new();
        for (presences, side) in [(&self.only_in_a, "A"), (&self.only_in_b, "B")] {
            for presence in presences {
                let line = format!("{}: only in {side} ({})\n", presence.object, presence.at);
                lines.push((&presence.object, line));
            }
        }
        for Changed {
            object,
            differences,
        } in &self.changed
        {
            for difference in differences {
                lines.push((object, difference_text(object, difference)));
            }
        }
        // Stable: an object's lines keep their order.
        lines.sort_by(|a, b| a.0.cmp(b.0));
        for (_, line) in lines {
            out.push_str(&line);
        }
        let changed: usize = self.changed.iter().map(|c| c.differences.len()).sum();
        if self.is_empty() {
            out.push_str("The schemas are the same.\n");
        } else {
            out.push_str(&format!(
                "{} only in A, {} only in B, {changed} defined differently.\n",
                self.only_in_a.len(),
                self.only_in_b.len(),
            ));
        }
        out
    }
}

fn difference_text(object: &super::ObjectId, difference: &Difference) -> String {
    let Difference { property, a, b } = difference;
    let shown = |d: &Definition| d.definition.clone().unwrap_or_else(|| "none".into());
    let (a_text, b_text) = (shown(a), shown(b));
    if !a_text.contains('\n') && !b_text.contains('\n') {
        return format!(
            "{object}: {property} {a_text} ({}) vs {b_text} ({})\n",
            a.at, b.at
        );
    }
    let block =
        |text: &str| -> String { text.lines().map(|line| format!("    {line}\n")).collect() };
    format!(
        "{object}: {property} differs\n  A ({}):\n{}  B ({}):\n{}",
        a.at,
        block(&a_text),
        b.at,
        block(&b_text)
    )
}
