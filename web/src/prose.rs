//! Words from the core, which mark SQL and names as Markdown code spans
//! (`like this`) for the Markdown runbook: drawn here as code, not as
//! backticks.
use yew::prelude::*;

/// `text` with each `code span` drawn as `<code>`.
pub fn with_code(text: &str) -> Html {
    // Every other piece between backticks is code; with an unmatched
    // backtick the whole text is left as written.
    let pieces: Vec<&str> = text.split('`').collect();
    if pieces.len().is_multiple_of(2) {
        return html! { { text } };
    }
    let parts = pieces
        .into_iter()
        .enumerate()
        .map(|(at, piece)| match at % 2 {
            1 => html! { <code>{ piece }</code> },
            _ => html! { { piece } },
        });
    html! { { for parts } }
}
