//! The workspace's commands: bring files in (files, a folder, a zip), start
//! a new file, load the example, the database to plan on, share, download,
//! clear; and whether the work is saved.
use preflight_core::environment::Environment;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::Action;
use crate::browser_files::read_file_list;
use crate::draft::use_draft;
use crate::example;
use crate::exports::download;
use crate::notices::Notice;
use crate::share;
use crate::storage::SaveState;
use crate::workspace::{Change, LintChange, NewFile, Role, Workspace};

/// What the file picker offers (a zip is opened like a folder).
const ACCEPT: &str = ".sql,.psql,.pgsql,.txt,.md,.markdown,.zip";

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub workspace: Workspace,
    pub save: SaveState,
    pub dispatch: Callback<Action>,
}

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let files_input = use_node_ref();
    let folder_input = use_node_ref();
    let confirming = use_state(|| false);
    let share_link = use_state(|| None::<String>);
    let dispatch = props.dispatch.clone();

    let on_files = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            if let Some(list) = input.files() {
                let dispatch = dispatch.clone();
                spawn_local(async move {
                    dispatch.emit(Action::Brought(read_file_list(list).await));
                    // The same files may be chosen again.
                    input.set_value("");
                });
            }
        })
    };
    let click = |input: NodeRef| {
        Callback::from(move |_| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_environment = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(environment) = value.parse::<Environment>() {
                dispatch.emit(Action::Change(Change::SetEnvironment(environment)));
            }
        })
    };
    let exposed = use_draft(
        &(props.workspace.lint.exposed_schemas.as_ref())
            .map(|schemas| schemas.join(", "))
            .unwrap_or_default(),
    );
    let on_exposed = {
        let dispatch = dispatch.clone();
        let exposed = exposed.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlInputElement>().value();
            let schemas: Vec<String> = (value.split([',', ' ']))
                .map(str::trim)
                .filter(|schema| !schema.is_empty())
                .map(str::to_string)
                .collect();
            let schemas = (!schemas.is_empty()).then_some(schemas);
            dispatch.emit(Action::Change(Change::Lint(LintChange::ExposedSchemas(
                schemas,
            ))));
            exposed.settle();
        })
    };
    let on_postgres = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            let version = value.parse().ok();
            dispatch.emit(Action::Change(Change::Lint(LintChange::Postgres(version))));
        })
    };
    let postgres = props.workspace.lint.postgres;
    let new_file = {
        let dispatch = dispatch.clone();
        let name = props.workspace.free_name("untitled", "sql");
        Callback::from(move |_| {
            dispatch.emit(Action::Change(Change::Add(vec![NewFile {
                name: name.clone(),
                text: String::new(),
                role: Role::Migration,
                note: None,
            }])));
            focus_editor();
        })
    };
    let load_example = dispatch.reform(|_| Action::Change(Change::Replace(example::workspace())));
    let share = {
        let dispatch = dispatch.clone();
        let workspace = props.workspace.clone();
        let share_link = share_link.clone();
        Callback::from(move |_| {
            let page = gloo::utils::window().location().href().unwrap_or_default();
            match share::link(&page, &workspace) {
                Ok(link) => {
                    copy(link.clone(), dispatch.clone());
                    share_link.set(Some(link));
                }
                Err(why) => {
                    dispatch.emit(Action::Notify(Notice::warning("No share link", vec![why])))
                }
            }
        })
    };
    let download_files = {
        let workspace = props.workspace.clone();
        Callback::from(move |_| {
            download(
                "preflight-files.zip",
                "application/zip",
                &workspace.to_zip(),
            )
        })
    };
    let ask_clear = {
        let confirming = confirming.clone();
        Callback::from(move |_| confirming.set(true))
    };
    let cancel_clear = {
        let confirming = confirming.clone();
        Callback::from(move |_| confirming.set(false))
    };
    let clear = {
        let confirming = confirming.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |_| {
            confirming.set(false);
            dispatch.emit(Action::Clear);
        })
    };
    let has_files = !props.workspace.files.is_empty();
    html! {
        <div class="toolbar">
            <input type="file" multiple=true accept={ACCEPT} hidden=true ref={files_input.clone()}
                data-testid="file-input" onchange={on_files.clone()} />
            <input type="file" multiple=true webkitdirectory=true hidden=true ref={folder_input.clone()}
                data-testid="folder-input" onchange={on_files} />
            <button data-testid="open-files" onclick={click(files_input)}>{ "Open files or zip…" }</button>
            <button data-testid="open-folder" onclick={click(folder_input)}>{ "Open folder…" }</button>
            <button data-testid="new-file" onclick={new_file}>{ "New file" }</button>
            <button data-testid="load-example" onclick={load_example}>{ "Load example" }</button>
            <label class="environment">
                { "Database " }
                <select data-testid="environment" onchange={on_environment}
                    title="What exists before the first migration: a Supabase project (its roles, auth, storage, extensions, supabase_realtime) or a new PostgreSQL database">
                    { for Environment::ALL.iter().map(|environment| html! {
                        <option value={environment.name()} selected={*environment == props.workspace.environment}>{ environment.to_string() }</option>
                    }) }
                </select>
            </label>
            <label class="postgres">
                { "PostgreSQL " }
                <select data-testid="postgres-version" onchange={on_postgres}
                    title="The major version the migrations run on: some rules and fixes depend on it (Supabase runs 15 or 17)">
                    <option value="" selected={postgres.is_none()}>{ "15 (default)" }</option>
                    { for [14, 15, 16, 17].into_iter().map(|version| html! {
                        <option value={version.to_string()} selected={postgres == Some(version)}>{ version }</option>
                    }) }
                </select>
            </label>
            <label class="exposed">
                { "Exposed schemas " }
                <input type="text" size="12" data-testid="exposed-schemas" value={exposed.value.clone()} placeholder="public"
                    oninput={exposed.oninput.clone()} onchange={on_exposed} onblur={exposed.onblur()}
                    title="The schemas your Data API serves (Settings → API in Supabase): the lint rules treat tables there as reachable with the anon key" />
            </label>
            <span class="spacer" />
            <button data-testid="share-link" onclick={share} disabled={!has_files}>{ "Share link" }</button>
            <button data-testid="download-files" onclick={download_files} disabled={!has_files}>{ "Download files (zip)" }</button>
            if *confirming {
                <span class="confirm" role="alertdialog" data-testid="confirm-clear">
                    { match props.workspace.files.len() {
                        1 => "Remove the file from this browser? ".to_string(),
                        n => format!("Remove all {n} files from this browser? "),
                    } }
                    <button class="danger" data-testid="confirm-clear-yes" onclick={clear}>{ "Clear" }</button>
                    <button data-testid="confirm-clear-no" onclick={cancel_clear}>{ "Cancel" }</button>
                </span>
            } else {
                <button data-testid="clear-workspace" onclick={ask_clear} disabled={!has_files}>{ "Clear workspace" }</button>
            }
            <SaveStatus save={props.save.clone()} />
            if let Some(link) = &*share_link {
                <label class="share-url">
                    { format!("Share link ({} characters, holds every file; copied): ", link.len()) }
                    <input readonly=true value={link.clone()} data-testid="share-url"
                        onfocus={Callback::from(|event: FocusEvent| event.target_unchecked_into::<HtmlInputElement>().select())} />
                </label>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SaveStatusProps {
    save: SaveState,
}

#[function_component(SaveStatus)]
fn save_status(props: &SaveStatusProps) -> Html {
    let (class, words) = match &props.save {
        SaveState::Example => (
            "example",
            "The example: your own files are saved in this browser".to_string(),
        ),
        SaveState::Saved => ("saved", "Saved in this browser".to_string()),
        SaveState::Unsaved => ("unsaved", "Saving…".to_string()),
        SaveState::Paused => ("paused", "Shared workspace: not saved".to_string()),
        SaveState::Failed(why) => ("failed", format!("Not saved: {why}")),
    };
    html! { <span class={classes!("save-status", class)} data-testid="save-status" role="status">{ words }</span> }
}

/// Copies the link; says so, or why not.
fn copy(link: String, dispatch: Callback<Action>) {
    let clipboard = gloo::utils::window().navigator().clipboard();
    spawn_local(async move {
        let notice = match JsFuture::from(clipboard.write_text(&link)).await {
            Ok(_) => Notice::info(
                "Share link copied",
                vec!["The files travel inside the link (after #), which browsers never send to a server. Anyone with the link sees them.".into()],
            ),
            Err(_) => Notice::warning(
                "The browser did not allow copying",
                vec!["Copy the link from the box beside the buttons.".into()],
            ),
        };
        dispatch.emit(Action::Notify(notice));
    });
}

fn focus_editor() {
    // After the new file's editor is drawn.
    gloo::timers::callback::Timeout::new(0, || {
        if let Some(editor) = gloo::utils::document()
            .query_selector("[data-testid=sql-editor]")
            .ok()
            .flatten()
            .and_then(|element| {
                wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element).ok()
            })
        {
            let _ = editor.focus();
        }
    })
    .forget();
}
