//! Every file of the workspace with its role and what was found in it, a
//! filter for long lists, and the file commands: open, rename, baseline or
//! migration, remove.
use preflight_core::diagnostics::Severity;
use preflight_core::plan::Analysis;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::draft::use_draft;
use crate::workspace::{Change, Entry, Listing, Role};
use crate::Shared;
use preflight_core::words::counted;

#[derive(Properties, PartialEq)]
pub struct FileListProps {
    pub listing: Listing,
    pub analysis: Option<Shared<Analysis>>,
    pub on_change: Callback<Change>,
}

#[function_component(FileList)]
pub fn file_list(props: &FileListProps) -> Html {
    let filter = use_state(String::new);
    let renaming = use_state(|| None::<u32>);
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |event: InputEvent| {
            filter.set(event.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let wanted = filter.to_lowercase();
    let shown: Vec<&Entry> = props
        .listing
        .files
        .iter()
        .filter(|file| file.name.to_lowercase().contains(&wanted))
        .collect();
    let rows = shown.iter().map(|file| {
        let row = FileRow {
            file,
            open: props.listing.open == Some(file.id),
            analysis: props.analysis.as_deref(),
            on_change: &props.on_change,
        };
        row.render(&renaming)
    });
    html! {
        <nav class="files" aria-label="Files">
            <input class="filter" type="search" placeholder="Filter files" aria-label="Filter files"
                data-testid="file-filter" value={(*filter).clone()} oninput={on_filter} />
            <p class="file-count">
                { match (shown.len(), props.listing.files.len()) {
                    (shown, all) if shown == all => counted(all, "file"),
                    (shown, all) => format!("{shown} of {all} files"),
                } }
            </p>
            <p class="file-order" data-testid="file-order">
                if props.listing.arranged {
                    { "Planned from the order arranged here. " }
                    <button data-testid="sort-by-name" onclick={props.on_change.reform(|_| Change::SortByName)}>
                        { "Sort by name" }
                    </button>
                } else {
                    { "Planned from the file names, as the Supabase CLI runs them; move a file to arrange them yourself." }
                }
            </p>
            <ul>{ for rows }</ul>
        </nav>
    }
}

struct FileRow<'a> {
    file: &'a Entry,
    open: bool,
    analysis: Option<&'a Analysis>,
    on_change: &'a Callback<Change>,
}

impl FileRow<'_> {
    fn render(&self, renaming: &UseStateHandle<Option<u32>>) -> Html {
        let file = self.file;
        let id = file.id;
        let on_change = self.on_change;
        let (role, role_class) = self.role();
        let name = if **renaming == Some(id) {
            html! {
                <RenameBox id={id} name={file.name.clone()} on_change={on_change.clone()} renaming={renaming.clone()} />
            }
        } else {
            html! {
                <button class="file-name" data-testid="file-name" title={file.name.clone()}
                    onclick={on_change.reform(move |_| Change::Open(id))}>
                    // The button is right-to-left so a long path loses its
                    // start, not its end; the name itself reads left to right.
                    <bdi dir="ltr">{ &file.name }</bdi>
                </button>
            }
        };
        let start_rename = {
            let renaming = renaming.clone();
            Callback::from(move |_| renaming.set(Some(id)))
        };
        let (next_role, role_action) = match file.role {
            Role::Migration => (Role::Baseline, "Mark as baseline (already applied)"),
            Role::Baseline => (Role::Migration, "Plan it as a migration"),
        };
        html! {
            <li class={classes!("file", self.open.then_some("open"), role_class)}
                data-testid="file-row" data-name={file.name.clone()} aria-current={self.open.then_some("true")}>
                { name }
                <span class="file-facts">
                    <span class="role" data-testid="file-role">{ role }</span>
                    <span class="counts" data-testid="file-counts">{ self.counts() }</span>
                </span>
                <span class="file-actions">
                    <button data-testid="rename-file" title="Rename" aria-label={format!("Rename {}", file.name)}
                        onclick={start_rename}>{ "Rename" }</button>
                    <button data-testid="toggle-baseline" title={role_action} aria-label={format!("{role_action}: {}", file.name)}
                        onclick={on_change.reform(move |_| Change::SetRole { id, role: next_role })}>
                        { if file.role == Role::Baseline { "Migration" } else { "Baseline" } }
                    </button>
                    <button data-testid="move-up" title="Move up" aria-label={format!("Move {} up", file.name)}
                        onclick={on_change.reform(move |_| Change::Move { id, by: -1 })}>{ "↑" }</button>
                    <button data-testid="move-down" title="Move down" aria-label={format!("Move {} down", file.name)}
                        onclick={on_change.reform(move |_| Change::Move { id, by: 1 })}>{ "↓" }</button>
                    <button data-testid="remove-file" title="Remove" aria-label={format!("Remove {}", file.name)}
                        onclick={on_change.reform(move |_| Change::Remove(id))}>{ "Remove" }</button>
                </span>
            </li>
        }
    }

    /// The file's role at a glance.
    fn role(&self) -> (&'static str, &'static str) {
        let rollback = self.analysis.is_some_and(|analysis| {
            analysis
                .plan
                .rollback_scripts
                .iter()
                .any(|script| script.file == self.file.name)
        });
        match (self.file.role, rollback, self.file.markdown) {
            (Role::Baseline, _, _) => ("baseline", "baseline"),
            (_, true, _) => ("rollback script, set aside", "rollback"),
            (_, _, true) => ("Markdown runbook", "markdown"),
            _ => ("migration", "migration"),
        }
    }

    /// Statements and problems found in the file.
    fn counts(&self) -> String {
        let Some(analysis) = self.analysis else {
            return "…".into();
        };
        let statements = analysis
            .report
            .files
            .iter()
            .find(|report| report.file == self.file.name)
            .map_or(0, |report| report.statements.len());
        let mut words = vec![counted(statements, "statement")];
        for (severity, word) in [(Severity::Error, "error"), (Severity::Warning, "warning")] {
            let count = analysis
                .plan
                .diagnostics
                .iter()
                .filter(|d| d.severity == severity && d.file == self.file.name)
                .count();
            if count > 0 {
                words.push(counted(count, word));
            }
        }
        words.join(", ")
    }
}

#[derive(Properties, PartialEq)]
struct RenameBoxProps {
    id: u32,
    name: String,
    on_change: Callback<Change>,
    renaming: UseStateHandle<Option<u32>>,
}

/// The name being edited: Enter (or leaving the box) renames, Escape keeps
/// the old name.
#[function_component(RenameBox)]
fn rename_box(props: &RenameBoxProps) -> Html {
    // Enter and Escape end the edit; the blur that follows must not again.
    let done = use_mut_ref(|| false);
    let input = use_node_ref();
    let draft = use_draft(&props.name);
    {
        let input = input.clone();
        use_effect_with((), move |_| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                let _ = input.focus();
                input.select();
            }
        });
    }
    let finish = {
        let (id, on_change, renaming) = (props.id, props.on_change.clone(), props.renaming.clone());
        move |name: Option<String>| {
            if std::mem::replace(&mut *done.borrow_mut(), true) {
                return;
            }
            renaming.set(None);
            if let Some(name) = name {
                on_change.emit(Change::Rename { id, name });
            }
        }
    };
    let onkeydown = {
        let finish = finish.clone();
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "Enter" => finish(Some(
                event.target_unchecked_into::<HtmlInputElement>().value(),
            )),
            "Escape" => finish(None),
            _ => {}
        })
    };
    let onblur = Callback::from(move |event: FocusEvent| {
        finish(Some(
            event.target_unchecked_into::<HtmlInputElement>().value(),
        ))
    });
    html! {
        <input class="rename" data-testid="rename-input" aria-label="New name" value={draft.value} oninput={draft.oninput}
            ref={input} {onkeydown} {onblur} />
    }
}
