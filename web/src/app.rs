//! The page: the workspace's files on the left, the open file in the
//! editor, what Preflight found on the right. Every change re-plans in the
//! worker and is saved in the browser.
use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use preflight_core::diff::SchemaDiff;
use preflight_core::plan::Analysis;
use yew::prelude::*;

use crate::compare_view::Sides;
use crate::drop_zone::DropZone;
use crate::editor::{Editor, Jump, Marker, Marks};
use crate::example;
use crate::file_list::FileList;
use crate::intake::Intake;
use crate::notices::{Notice, Notices};
use crate::planner::{self, Planner};
use crate::problems::Place;
use crate::report_view::ReportView;
use crate::shared_banner::SharedBanner;
use crate::step_graph::StepGraph;
use crate::storage::{self, SaveState};
use crate::toolbar::Toolbar;
use crate::workspace::{Change, File, Workspace};
use crate::{share, Shared};

/// How long typing pauses before the files are planned, and saved.
const PLAN_AFTER_MS: u32 = 60;
const SAVE_AFTER_MS: u32 = 300;

/// Everything the page keeps between renders.
#[derive(Clone, PartialEq)]
pub struct Page {
    pub workspace: Workspace,
    /// Bumped by every change to what is planned (not by opening a file).
    pub revision: u64,
    pub notices: Vec<Notice>,
    /// While a shared link's workspace is shown: the person's own.
    pub own_workspace: Option<Workspace>,
    pub save: SaveState,
    /// Changed since the last save.
    pub dirty: bool,
    /// Where the editor's caret was last sent: the file (by id) and place.
    pub jump: Option<(u32, Jump)>,
    /// The step picked in the graph.
    pub selected: Option<usize>,
}

pub enum Action {
    Change(Change),
    /// Files brought in, with the account of what was left out.
    Brought(Intake),
    Notify(Notice),
    Dismiss(usize),
    /// Keep the shared workspace (it replaces the person's own).
    KeepShared,
    /// Go back to the person's own workspace.
    BackToOwn,
    Clear,
    Saved(SaveState),
    /// Open a file (by name) with the caret at a line and column.
    Jump(Place),
    /// A step picked in the graph, and its source's first line.
    Select(usize, Place),
}

impl Reducible for Page {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut page = (*self).clone();
        match action {
            Action::Change(change) => page.change(change),
            Action::Brought(intake) => {
                page.notices.push(Notice::of_intake(&intake));
                if !intake.files.is_empty() {
                    page.change(Change::Add(intake.files));
                }
            }
            Action::Notify(notice) => page.notices.push(notice),
            Action::Dismiss(index) if index < page.notices.len() => {
                page.notices.remove(index);
            }
            Action::Dismiss(_) => return self,
            Action::KeepShared => {
                page.own_workspace = None;
                page.save = SaveState::Unsaved;
                page.touch();
                page.revision += 1;
            }
            Action::BackToOwn => {
                if let Some(own) = page.own_workspace.take() {
                    page.workspace = own;
                    page.save = SaveState::Saved;
                    page.revision += 1;
                }
            }
            Action::Clear => {
                page.workspace = Workspace::default();
                page.own_workspace = None;
                if page.save == SaveState::Paused {
                    page.save = SaveState::Unsaved;
                }
                page.touch();
                page.revision += 1;
            }
            Action::Saved(state) => {
                page.save = state;
                page.dirty = false;
            }
            Action::Jump(place) => page.jump_to(place),
            Action::Select(step, place) => {
                page.selected = Some(step);
                page.jump_to(place);
            }
        }
        page.into()
    }
}

impl Page {
    fn change(&mut self, change: Change) {
        let plans = Workspace::plans(&change);
        let outcome = self.workspace.apply(change);
        if let Some(why) = outcome.refused {
            self.notices.push(Notice::warning("Not renamed", vec![why]));
        }
        if !outcome.renamed.is_empty() {
            let lines = outcome
                .renamed
                .iter()
                .map(|(wanted, given)| format!("{wanted} was already open: the new one is {given}"))
                .collect();
            self.notices
                .push(Notice::info("Files of the same name are kept apart", lines));
        }
        if plans {
            self.revision += 1;
        }
        self.touch();
    }

    fn jump_to(&mut self, (name, line, column): Place) {
        let Some(id) = self
            .workspace
            .files
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.id)
        else {
            return;
        };
        self.change(Change::Open(id));
        let serial = self.jump.map_or(0, |(_, jump)| jump.serial + 1);
        self.jump = Some((
            id,
            Jump {
                line,
                column,
                serial,
            },
        ));
    }

    /// Marks the workspace for saving, unless a shared one is only shown. A
    /// failed save stays reported until a save works.
    fn touch(&mut self) {
        if self.save == SaveState::Paused {
            return;
        }
        self.dirty = true;
        if matches!(self.save, SaveState::Saved | SaveState::Example) {
            self.save = SaveState::Unsaved;
        }
    }

    /// The page as it opens: a shared link's workspace, else the saved one,
    /// else the example.
    fn open(fragment: &str) -> Self {
        let mut notices = Vec::new();
        let mut save = SaveState::Saved;
        let saved = storage::restore().unwrap_or_else(|why| {
            notices.push(Notice::warning("Your work is not kept", vec![why.clone()]));
            save = SaveState::Failed(why);
            None
        });
        if saved.is_none() && save == SaveState::Saved {
            save = SaveState::Example;
        }
        let mut page = Self {
            workspace: saved.clone().unwrap_or_else(example::workspace),
            revision: 1,
            notices,
            own_workspace: None,
            save,
            dirty: false,
            jump: None,
            selected: None,
        };
        match share::from_fragment(fragment) {
            Some(Ok(shared)) => match saved {
                Some(own) if !own.is_example && !own.files.is_empty() && own != shared => {
                    page.workspace = shared;
                    page.own_workspace = Some(own);
                    page.save = SaveState::Paused;
                }
                _ => {
                    page.workspace = shared;
                    page.touch();
                }
            },
            Some(Err(why)) => page.notices.push(Notice::error("Share link", vec![why])),
            None => {}
        }
        page
    }
}

/// The latest analysis, and whether a newer one is on its way.
#[derive(Clone, PartialEq, Default)]
pub struct Planning {
    pub analysis: Option<Shared<Analysis>>,
    pub graph: Option<Shared<StepGraph>>,
    pub millis: f64,
    pub layout_millis: f64,
    pub busy: bool,
    /// The files the analysis was planned from: fixes and the runbooks
    /// given back read these, which match the plan's lines, and typing does
    /// not redraw what only changes with the plan.
    pub files: Shared<Vec<File>>,
    pub failure: Option<String>,
    /// The last schema audit, and whether one is on its way.
    pub audit: Option<Shared<SchemaDiff>>,
    pub comparing: bool,
}

/// What the page's handlers, which outlive a render, read: the state of
/// the latest render, and the files of the latest plan request (only its
/// answer is shown).
#[derive(Default)]
struct Latest {
    planning: Planning,
    workspace: Workspace,
    requested: Shared<Vec<File>>,
}

#[function_component(App)]
pub fn app() -> Html {
    let page =
        use_reducer(|| Page::open(&gloo::utils::window().location().hash().unwrap_or_default()));
    let planning = use_state(Planning::default);
    // The handlers below outlive a render: they read the latest state here.
    let latest = use_mut_ref(Latest::default);
    {
        let mut latest = latest.borrow_mut();
        latest.planning = (*planning).clone();
        latest.workspace = page.workspace.clone();
    }
    let planner = use_planner(planning.clone(), latest.clone());
    let on_compare = use_memo((), {
        let (planner, planning, latest) = (planner.clone(), planning.clone(), latest.clone());
        move |_| {
            Callback::from(move |(a, b, public_only): Sides| {
                let mut next = latest.borrow().planning.clone();
                next.comparing = true;
                planning.set(next);
                // Not borrowed while asking: see the plan request below.
                let (a, b) = {
                    let workspace = &latest.borrow().workspace;
                    (workspace.sources_named(&a), workspace.sources_named(&b))
                };
                let schemas = if public_only {
                    vec!["public".to_string()]
                } else {
                    Vec::new()
                };
                planner.compare(a, b, schemas);
            })
        }
    });

    // Plan once typing pauses.
    let plan_timer = use_mut_ref(|| None::<Timeout>);
    {
        let planner = planner.clone();
        let planning = planning.clone();
        let latest = latest.clone();
        use_effect_with(page.revision, move |_| {
            let mut busy = latest.borrow().planning.clone();
            busy.busy = true;
            planning.set(busy);
            *plan_timer.borrow_mut() = Some(Timeout::new(PLAN_AFTER_MS, move || {
                // Not borrowed while requesting: a worker that refuses the
                // request answers at once, and its handler reads `latest`.
                let (sources, baseline, options) = {
                    let mut latest = latest.borrow_mut();
                    latest.requested = Shared(Rc::new(latest.workspace.files.clone()));
                    let (sources, baseline) = latest.workspace.sources();
                    (sources, baseline, latest.workspace.options())
                };
                planner.request(sources, baseline, options);
            }));
        });
    }
    use_autosave(&page);
    {
        // Once a shared link is open (kept or shown), the address is the
        // page's own again: a reload must not bring the link back.
        use_effect_with((), |_| {
            let location = gloo::utils::window().location();
            if location.hash().is_ok_and(|hash| !hash.is_empty()) {
                let history = gloo::utils::window().history();
                let path = location.pathname().unwrap_or_default()
                    + &location.search().unwrap_or_default();
                let _ = history.map(|history| {
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
                });
            }
        });
    }

    // Callbacks made once: children whose props did not change are not
    // drawn again while the person types.
    let dispatch = use_memo((), {
        let page = page.dispatcher();
        move |_| Callback::from(move |action: Action| page.dispatch(action))
    });
    let dispatch = (*dispatch).clone();
    let on_change = use_memo((), {
        let dispatch = dispatch.clone();
        move |_| dispatch.reform(Action::Change)
    });
    let on_change = (*on_change).clone();
    let on_jump = use_memo((), {
        let dispatch = dispatch.clone();
        move |_| dispatch.reform(Action::Jump)
    });
    let on_select = use_memo((), {
        let dispatch = dispatch.clone();
        move |_| dispatch.reform(|(step, place)| Action::Select(step, place))
    });
    let open = page.workspace.open_file().cloned();
    let analysis = planning.analysis.clone();
    // Found again only when a plan arrives or another file opens, not as
    // the user types.
    let marks = use_memo(
        (
            analysis.clone(),
            planning.files.clone(),
            open.as_ref().map(|file| file.id),
        ),
        |(analysis, files, open)| {
            let file = files.iter().find(|file| Some(file.id) == *open);
            match (analysis, file) {
                (Some(analysis), Some(file)) => Marks {
                    text: file.text.clone(),
                    markers: Rc::new(markers_in(&analysis.plan.diagnostics, &file.name)),
                },
                _ => Marks::default(),
            }
        },
    );
    let open_jump = page
        .jump
        .filter(|(id, _)| Some(*id) == page.workspace.open)
        .map(|(_, jump)| jump);

    html! {
        <DropZone on_intake={dispatch.reform(Action::Brought)}>
            <div class="app">
                <header>
                    <h1>{ "Preflight" }</h1>
                    <p class="tagline">{ "Plan Supabase and PostgreSQL migrations. Runs entirely in your browser: your SQL never leaves this page." }</p>
                    <Toolbar workspace={page.workspace.clone()} save={page.save.clone()} dispatch={dispatch.clone()} />
                </header>
                if let Some(own) = &page.own_workspace {
                    <SharedBanner shared={page.workspace.files.len()} own={own.files.len()} dispatch={dispatch.clone()} />
                }
                <Notices notices={page.notices.clone()} on_dismiss={dispatch.reform(Action::Dismiss)} />
                <main>
                    <FileList listing={page.workspace.listing()} analysis={analysis.clone()} on_change={on_change.clone()} />
                    <section class="sources">
                        if let Some(file) = open.clone() {
                            <div class="editor-title">
                                <span data-testid="open-file">{ &file.name }</span>
                                if let Some(note) = &file.note {
                                    <span class="note" data-testid="file-note">{ note }</span>
                                }
                            </div>
                            <Editor
                                text={file.text.clone()}
                                marks={(*marks).clone()}
                                jump={open_jump}
                                on_edit={on_change.reform(move |text| Change::Edit { id: file.id, text })}
                                on_paste_runbook={on_change.reform(move |name| Change::Rename { id: file.id, name })}
                                name={file.name.clone()}
                            />
                        } else {
                            <p class="empty" data-testid="empty-workspace">
                                { "No files yet. Open files or a folder, drop them anywhere on this page, paste SQL or a Markdown runbook, or load the example." }
                            </p>
                        }
                    </section>
                    <ReportView
                        planning={(*planning).clone()}
                        open_file={open.as_ref().map(|file| file.name.clone())}
                        on_change={on_change.clone()}
                        on_jump={(*on_jump).clone()}
                        selected={page.selected}
                        on_select={(*on_select).clone()}
                        on_compare={(*on_compare).clone()}
                        names={page.workspace.files.iter().map(|file| file.name.clone()).collect::<Vec<_>>()}
                        stale={planning.busy || *planning.files != page.workspace.files}
                        lint={page.workspace.lint.clone()}
                        progress={page.workspace.progress.clone()}
                    />
                </main>
            </div>
        </DropZone>
    }
}

/// Every problem the plan places in `file`, for the editor to mark.
fn markers_in(diagnostics: &[preflight_core::diagnostics::Diagnostic], file: &str) -> Vec<Marker> {
    diagnostics
        .iter()
        .filter(|d| d.file == file)
        .map(|d| Marker {
            line: d.line,
            column: d.column,
            severity: d.severity,
            message: format!("{} {}: {}", d.severity.words(), d.code, d.message),
            syntax: d.code == preflight_core::diagnostics::codes::SYNTAX_ERROR,
        })
        .collect()
}

/// The planning worker, started once; its answers land in `planning`.
#[hook]
fn use_planner(planning: UseStateHandle<Planning>, latest: Rc<RefCell<Latest>>) -> Planner {
    let planner = use_memo((), move |_| {
        Planner::new(Callback::from(move |event| {
            let mut next = latest.borrow().planning.clone();
            match event {
                planner::Event::Planned {
                    analysis,
                    graph,
                    millis,
                    layout_millis,
                } => {
                    next.analysis = Some(Shared(analysis));
                    // The same picture keeps its `Rc` and the time of the
                    // layout that made it, so the graph is not drawn again.
                    if next.graph.as_deref() != Some(&*graph) {
                        next.graph = Some(Shared(graph));
                        next.layout_millis = layout_millis;
                    }
                    next.millis = millis;
                    let latest = latest.borrow();
                    next.files = latest.requested.clone();
                    // Typed since the request: the next one is on its way.
                    next.busy = latest.workspace.files != *next.files;
                    next.failure = None;
                }
                planner::Event::Compared(audit) => {
                    next.audit = Some(Shared(audit));
                    next.comparing = false;
                }
                planner::Event::Failed(why) => {
                    next.comparing = false;
                    next.busy = false;
                    next.failure = Some(why);
                }
            }
            latest.borrow_mut().planning = next.clone();
            planning.set(next);
        }))
    });
    (*planner).clone()
}

/// Saves the workspace once changes pause, and at once when the page is
/// hidden or closed.
#[hook]
fn use_autosave(page: &UseReducerHandle<Page>) {
    let timer = use_mut_ref(|| None::<Timeout>);
    let dispatch = page.dispatcher();
    storage::remember(page.dirty.then(|| page.workspace.clone()));
    {
        let (dispatch, dirty) = (dispatch.clone(), page.dirty);
        use_effect_with(
            (page.revision, page.workspace.open, page.save.clone()),
            move |_| {
                if dirty {
                    *timer.borrow_mut() = Some(Timeout::new(SAVE_AFTER_MS, move || {
                        if let Some(saved) = storage::save_remembered() {
                            dispatch.dispatch(Action::Saved(saved));
                        }
                    }));
                }
            },
        );
    }
    use_effect_with((), move |_| {
        let listener = EventListener::new(&gloo::utils::window(), "pagehide", move |_| {
            if let Some(saved) = storage::save_remembered() {
                dispatch.dispatch(Action::Saved(saved));
            }
        });
        move || drop(listener)
    });
}
