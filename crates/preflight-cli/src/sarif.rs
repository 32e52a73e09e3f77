//! `preflight check --format sarif`: SARIF 2.1.0, which GitHub code
//! scanning shows on pull requests.
use preflight_core::diagnostics::{Diagnostic, Severity};
use preflight_core::lint::RULES;
use serde_json::{json, Value};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// One run of Preflight: every rule it has, and every finding.
pub fn report(diagnostics: &[Diagnostic]) -> Value {
    let rules: Vec<Value> = (RULES.iter())
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": format!("Flags {}.", rule.flags) },
                "fullDescription": { "text": rule.why },
                "help": { "text": rule.docs() },
                "defaultConfiguration": { "level": level(rule.severity) },
                "properties": { "tags": [rule.group.words()] },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics.iter().map(result).collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "Preflight",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

fn result(diagnostic: &Diagnostic) -> Value {
    let location = |file: &str, line: u32, column: u32| {
        json!({ "physicalLocation": {
            "artifactLocation": { "uri": file },
            "region": { "startLine": line.max(1), "startColumn": column.max(1) },
        }})
    };
    let related: Vec<Value> = (diagnostic.related.iter().enumerate())
        .map(|(id, related)| {
            let mut place = location(&related.file, related.line, related.column);
            place["id"] = json!(id);
            place["message"] = json!({ "text": related.note });
            place
        })
        .collect();
    let mut result = json!({
        "ruleId": diagnostic.code,
        "level": level(diagnostic.severity),
        "message": { "text": format!("{}\nhelp: {}", diagnostic.message, diagnostic.help) },
        "locations": [location(&diagnostic.file, diagnostic.line, diagnostic.column)],
    });
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    if let Some(fix) = &diagnostic.fix {
        let changes: Vec<Value> = (fix.edits.iter())
            .map(|edit| {
                json!({
                    "artifactLocation": { "uri": edit.file },
                    "replacements": [{
                        "deletedRegion": { "byteOffset": edit.start, "byteLength": edit.end - edit.start },
                        "insertedContent": { "text": edit.replacement },
                    }],
                })
            })
            .collect();
        result["fixes"] =
            json!([{ "description": { "text": fix.title }, "artifactChanges": changes }]);
    }
    result
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}
