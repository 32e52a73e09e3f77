//! A plain-text SQL editor that marks syntax errors in place: a transparent
//! textarea over a backdrop that repeats the text with the error marked.
use std::rc::Rc;

use preflight_core::intake::looks_like_markdown;
use preflight_core::report::ErrorReport;
use wasm_bindgen::JsCast;
use web_sys::{ClipboardEvent, HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The file's name: an empty `.sql` file that gets a Markdown runbook
    /// pasted becomes `.md`.
    pub name: String,
    pub text: Rc<str>,
    pub errors: Vec<ErrorReport>,
    pub on_edit: Callback<String>,
    /// Renames the file (after a Markdown runbook is pasted into it).
    pub on_paste_runbook: Callback<String>,
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let backdrop = use_node_ref();
    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |event: InputEvent| {
            on_edit.emit(event.target_unchecked_into::<HtmlTextAreaElement>().value());
        })
    };
    // Keep the marks under the text they belong to.
    let onscroll = {
        let backdrop = backdrop.clone();
        Callback::from(move |event: Event| {
            let area = event.target_unchecked_into::<HtmlTextAreaElement>();
            if let Some(backdrop) = backdrop.cast::<HtmlElement>() {
                backdrop.set_scroll_top(area.scroll_top());
                backdrop.set_scroll_left(area.scroll_left());
            }
        })
    };
    let onpaste = {
        let (name, empty) = (props.name.clone(), props.text.trim().is_empty());
        let on_paste_runbook = props.on_paste_runbook.clone();
        Callback::from(move |event: Event| {
            let pasted = event
                .dyn_ref::<ClipboardEvent>()
                .and_then(ClipboardEvent::clipboard_data)
                .and_then(|data| data.get_data("text/plain").ok())
                .unwrap_or_default();
            if let Some(stem) = name.strip_suffix(".sql") {
                if empty && looks_like_markdown(&pasted) {
                    on_paste_runbook.emit(format!("{stem}.md"));
                }
            }
        })
    };
    html! {
        <div class="editor">
            <pre class="backdrop" ref={backdrop} aria-hidden="true">
                { marked_text(&props.text, &props.errors) }
            </pre>
            <textarea
                data-testid="sql-editor"
                aria-label="SQL"
                spellcheck="false"
                value={props.text.to_string()}
                {oninput}
                {onpaste}
                {onscroll}
            />
        </div>
    }
}

/// The text with each error's token wrapped in a `<mark>`.
fn marked_text(text: &str, errors: &[ErrorReport]) -> Html {
    let mut pieces = Vec::new();
    let mut at = 0;
    let mut offsets: Vec<usize> = errors.iter().map(|error| error.offset).collect();
    offsets.sort_unstable();
    for offset in offsets {
        if offset < at || offset > text.len() || !text.is_char_boundary(offset) {
            continue;
        }
        let end = token_end(text, offset);
        pieces.push(html! { { &text[at..offset] } });
        pieces.push(html! {
            <mark class="syntax-error" data-testid="error-mark">{ marked_token(&text[offset..end]) }</mark>
        });
        at = end;
    }
    pieces.push(html! { { &text[at..] } });
    // A trailing newline needs a character after it to take up a line.
    html! { <>{ for pieces }{ "\u{200b}" }</> }
}

/// An error at the very end of the text still gets a visible mark.
fn marked_token(token: &str) -> &str {
    if token.is_empty() {
        " "
    } else {
        token
    }
}

/// The end of the word (or single character) starting at `offset`.
fn token_end(text: &str, offset: usize) -> usize {
    let rest = &text[offset..];
    let word = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let len = if word > 0 {
        word
    } else {
        rest.chars().next().map_or(0, char::len_utf8)
    };
    offset + len
}
