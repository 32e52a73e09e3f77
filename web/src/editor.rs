//! A plain-text SQL editor that shows every problem in place: a gutter with
//! line numbers and a marker on each line with a problem, and the problem's
//! token marked in a backdrop under the transparent textarea. A jump puts
//! the caret on a problem's token and scrolls to it.
//!
//! Typing redraws only the textarea: the gutter is drawn again when the
//! number of lines or the problems change, and the backdrop holds the text
//! the last plan read (what its marks are places in), only while there is
//! a syntax error to mark.
use std::collections::HashMap;
use std::fmt::Write;
use std::rc::Rc;

use preflight_core::analysis::markdown::has_sql_fence;
use preflight_core::diagnostics::Severity;
use wasm_bindgen::JsCast;
use web_sys::{ClipboardEvent, HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// A problem at a place in the open file.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    pub message: String,
    /// A syntax error: its token is marked as an error in the text.
    pub syntax: bool,
}

/// Where to put the caret; `serial` makes a jump to the same place again a
/// new jump.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Jump {
    pub line: u32,
    pub column: u32,
    pub serial: u32,
}

/// The problems the last plan found in the open file, with the text it
/// read: their lines and columns are places in that text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Marks {
    pub text: Rc<str>,
    pub markers: Rc<Vec<Marker>>,
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The file's name: an empty `.sql` file that gets a Markdown runbook
    /// pasted becomes `.md`.
    pub name: String,
    pub text: Rc<str>,
    pub marks: Marks,
    pub jump: Option<Jump>,
    pub on_edit: Callback<String>,
    /// Renames the file (after a Markdown runbook is pasted into it).
    pub on_paste_runbook: Callback<String>,
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let backdrop = use_node_ref();
    let gutter = use_node_ref();
    let area = use_node_ref();
    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |event: InputEvent| {
            on_edit.emit(event.target_unchecked_into::<HtmlTextAreaElement>().value());
        })
    };
    // Keep the marks and line numbers beside the text they belong to.
    let onscroll = {
        let (backdrop, gutter) = (backdrop.clone(), gutter.clone());
        Callback::from(move |event: Event| {
            let area = event.target_unchecked_into::<HtmlTextAreaElement>();
            follow_scroll(&area, &backdrop, &gutter);
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
                if empty && has_sql_fence(&pasted) {
                    on_paste_runbook.emit(format!("{stem}.md"));
                }
            }
        })
    };
    {
        let (area, backdrop, gutter, text) = (
            area.clone(),
            backdrop.clone(),
            gutter.clone(),
            props.text.clone(),
        );
        use_effect_with(props.jump, move |jump| {
            if let (Some(jump), Some(area)) = (jump, area.cast::<HtmlTextAreaElement>()) {
                let (start, end) = token_range_utf16(&text, jump.line, jump.column);
                let _ = area.focus();
                let _ = area.set_selection_range(start, end);
                let line_height = area.scroll_height() as f64 / text.lines().count().max(1) as f64;
                let top = (f64::from(jump.line) - 1.0) * line_height
                    - f64::from(area.client_height()) / 3.0;
                area.set_scroll_top(top.max(0.0) as i32);
                follow_scroll(&area, &backdrop, &gutter);
            }
        });
    }
    let lines = props.text.split('\n').count();
    let marks = &props.marks;
    let syntax_marks = marks.markers.iter().any(|marker| marker.syntax);
    html! {
        <div class="editor">
            <Gutter {lines} markers={marks.markers.clone()} node={gutter} />
            <div class="text">
                <pre class="backdrop" ref={backdrop} aria-hidden="true">
                    if syntax_marks {
                        { marked_text(&marks.text, &marks.markers) }
                    }
                </pre>
                <textarea
                    ref={area}
                    data-testid="sql-editor"
                    aria-label={format!("SQL of {}", props.name)}
                    spellcheck="false"
                    value={props.text.to_string()}
                    {oninput}
                    {onpaste}
                    {onscroll}
                />
            </div>
        </div>
    }
}

fn follow_scroll(area: &HtmlTextAreaElement, backdrop: &NodeRef, gutter: &NodeRef) {
    if let Some(backdrop) = backdrop.cast::<HtmlElement>() {
        backdrop.set_scroll_top(area.scroll_top());
        backdrop.set_scroll_left(area.scroll_left());
    }
    if let Some(gutter) = gutter.cast::<HtmlElement>() {
        gutter.set_scroll_top(area.scroll_top());
    }
}

#[derive(Properties, PartialEq)]
struct GutterProps {
    lines: usize,
    markers: Rc<Vec<Marker>>,
    /// The gutter's element, which scrolls with the text.
    node: NodeRef,
}

/// A line number per line, written as runs of text between the lines with
/// problems (a file of thousands of lines is redrawn as a few nodes, not a
/// row each); each line with problems starts with a marker naming them
/// (the worst severity shows).
#[function_component(Gutter)]
fn gutter(props: &GutterProps) -> Html {
    let mut by_line: HashMap<usize, Vec<&Marker>> = HashMap::new();
    for marker in props.markers.iter() {
        by_line
            .entry(marker.line as usize)
            .or_default()
            .push(marker);
    }
    let mut pieces = Vec::new();
    let mut numbers = String::new();
    for line in 1..=props.lines {
        if let Some(here) = by_line.get(&line) {
            pieces.push(html! { { std::mem::take(&mut numbers) } });
            pieces.push(gutter_marker(line, here));
        }
        // Writing to a String cannot fail.
        let _ = writeln!(numbers, "{line}");
    }
    pieces.push(html! { { numbers } });
    html! { <pre class="gutter" ref={props.node.clone()} aria-hidden="true">{ for pieces }</pre> }
}

/// The marker of a line with problems: the worst severity shows, and
/// every problem's message is its title.
fn gutter_marker(line: usize, here: &[&Marker]) -> Html {
    let worst = here.iter().map(|m| m.severity).min();
    let title = here
        .iter()
        .map(|m| m.message.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    html! {
        <span class={classes!("marker", worst.map(Severity::words))} data-testid="gutter-marker" data-line={line.to_string()} {title}>{ "●" }</span>
    }
}

/// The text with each syntax error's token wrapped in a `<mark>`.
fn marked_text(text: &str, markers: &[Marker]) -> Html {
    let mut pieces = Vec::new();
    let mut at = 0;
    let mut offsets: Vec<usize> = markers
        .iter()
        .filter(|marker| marker.syntax)
        .filter_map(|marker| byte_offset(text, marker.line, marker.column))
        .collect();
    offsets.sort_unstable();
    for offset in offsets {
        if offset < at {
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

/// The byte offset of a 1-based line and character column, if the text
/// has that place.
fn byte_offset(text: &str, line: u32, column: u32) -> Option<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)? as usize)
        .map(str::len)
        .sum();
    let rest = text.get(start..)?;
    let within: usize = rest
        .chars()
        .take_while(|&c| c != '\n')
        .take(column.checked_sub(1)? as usize)
        .map(char::len_utf8)
        .sum();
    Some(start + within)
}

/// The token at a place, in the UTF-16 units a textarea selects by.
fn token_range_utf16(text: &str, line: u32, column: u32) -> (u32, u32) {
    let start = byte_offset(text, line, column).unwrap_or(text.len());
    let end = token_end(text, start);
    let units = |bytes: &str| bytes.encode_utf16().count() as u32;
    (units(&text[..start]), units(&text[..end]))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_found_by_line_and_character_and_selected_in_utf16_units() {
        let text = "-- é😀\ncreate tablé x (;\n";
        assert_eq!(byte_offset(text, 1, 1), Some(0));
        assert_eq!(byte_offset(text, 2, 8), Some("-- é😀\ncreate ".len()));
        assert_eq!(byte_offset(text, 2, 99), Some(text.len() - 1));
        assert_eq!(byte_offset(text, 0, 1), None);
        // "-- é😀\n" is 7 UTF-16 units (the emoji takes two).
        assert_eq!(token_range_utf16(text, 2, 8), (14, 19));
        assert_eq!(token_range_utf16(text, 2, 17), (23, 24));
    }
}
