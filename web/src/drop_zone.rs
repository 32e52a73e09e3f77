//! The whole page takes drops of files and folders (a drop target shows
//! while dragging) and pastes of SQL or Markdown outside the editor, which
//! become a new file.
use gloo::events::{EventListener, EventListenerOptions};
use preflight_core::analysis::markdown::has_sql_fence;
use wasm_bindgen::JsCast;
use web_sys::{ClipboardEvent, DragEvent, HtmlElement};
use yew::prelude::*;

use crate::browser_files::{dropped_entries, read_dropped};
use crate::intake::Intake;
use crate::workspace::{NewFile, Role};

#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    pub on_intake: Callback<Intake>,
    pub children: Html,
}

#[function_component(DropZone)]
pub fn drop_zone(props: &DropZoneProps) -> Html {
    // Nested elements fire enter/leave in pairs: count them.
    let depth = use_mut_ref(|| 0_i32);
    let dragging = use_state(|| false);
    {
        let dragging = dragging.clone();
        let on_intake = props.on_intake.clone();
        use_effect_with((), move |_| {
            let document = gloo::utils::document();
            let active = EventListenerOptions::enable_prevent_default();
            let enter = {
                let (depth, dragging) = (depth.clone(), dragging.clone());
                EventListener::new_with_options(&document, "dragenter", active, move |event| {
                    if carries_files(event) {
                        event.prevent_default();
                        *depth.borrow_mut() += 1;
                        dragging.set(true);
                    }
                })
            };
            let over = EventListener::new_with_options(&document, "dragover", active, |event| {
                if carries_files(event) {
                    event.prevent_default();
                }
            });
            let leave = {
                let (depth, dragging) = (depth.clone(), dragging.clone());
                EventListener::new(&document, "dragleave", move |event| {
                    if carries_files(event) {
                        let mut depth = depth.borrow_mut();
                        *depth -= 1;
                        if *depth <= 0 {
                            *depth = 0;
                            dragging.set(false);
                        }
                    }
                })
            };
            let on_drop = {
                let on_intake = on_intake.clone();
                EventListener::new_with_options(&document, "drop", active, move |event| {
                    *depth.borrow_mut() = 0;
                    dragging.set(false);
                    let Some(transfer) = event
                        .dyn_ref::<DragEvent>()
                        .and_then(DragEvent::data_transfer)
                    else {
                        return;
                    };
                    event.prevent_default();
                    let entries = dropped_entries(&transfer);
                    let on_intake = on_intake.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        on_intake.emit(read_dropped(entries).await);
                    });
                })
            };
            let paste = EventListener::new(&document, "paste", move |event| {
                if is_editable(event.target()) {
                    return;
                }
                let text = event
                    .dyn_ref::<ClipboardEvent>()
                    .and_then(ClipboardEvent::clipboard_data)
                    .and_then(|data| data.get_data("text/plain").ok())
                    .filter(|text| !text.trim().is_empty());
                if let Some(text) = text {
                    on_intake.emit(pasted(text));
                }
            });
            move || drop((enter, over, leave, on_drop, paste))
        });
    }
    html! {
        <>
            { props.children.clone() }
            if *dragging {
                <div class="drop-overlay" data-testid="drop-overlay">
                    <p>{ "Drop SQL files, Markdown runbooks, folders or a zip to add them" }</p>
                </div>
            }
        </>
    }
}

fn carries_files(event: &web_sys::Event) -> bool {
    event
        .dyn_ref::<DragEvent>()
        .and_then(DragEvent::data_transfer)
        .is_some_and(|transfer| transfer.types().includes(&"Files".into(), 0))
}

fn is_editable(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|target| target.dyn_into::<HtmlElement>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "TEXTAREA" | "INPUT")
                || element.is_content_editable()
        })
}

/// Pasted text as a new file: a Markdown runbook when it has SQL blocks.
fn pasted(text: String) -> Intake {
    let name = if has_sql_fence(&text) {
        "pasted.md"
    } else {
        "pasted.sql"
    };
    Intake {
        files: vec![NewFile {
            name: name.into(),
            text,
            role: Role::Migration,
            note: None,
        }],
        skipped: Vec::new(),
    }
}
