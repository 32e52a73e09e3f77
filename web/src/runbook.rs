//! The runbook as a checklist for the Supabase SQL editor: the pre-flight
//! checklist, then each step with why it is there, its risks, Copy buttons
//! for exactly what to paste, verify and undo, and a Done mark (kept with
//! the workspace); progress, the next step, the rollback of everything done
//! so far, the migration log and the health check.
use preflight_core::plan::{Analysis, AuthorBlock, Step};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::checklist::{rollback_of_done, Marks};
use crate::copy_button::CopyButton;
use crate::exports::Exports;
use crate::list_keys::unique_keys;
use crate::prose::with_code;
use crate::sql_block::SqlBlock;
use crate::workspace::{Change, File, Progress};
use crate::Shared;
use preflight_core::words::counted;

#[derive(Properties, PartialEq)]
pub struct RunbookProps {
    pub analysis: Shared<Analysis>,
    pub progress: Progress,
    pub on_change: Callback<Change>,
    /// The step picked in the graph: shown, and scrolled to.
    pub selected: Option<usize>,
    /// The files the plan was made from: its Markdown runbooks can be
    /// given back in the planned order.
    pub files: Shared<Vec<File>>,
}

#[function_component(Runbook)]
pub fn runbook(props: &RunbookProps) -> Html {
    use_effect_with(props.selected, |selected| {
        let step = selected.and_then(|number| {
            gloo::utils::document().get_element_by_id(&format!("step-{number}"))
        });
        if let Some(step) = step {
            step.scroll_into_view();
        }
    });
    let plan = &props.analysis.plan;
    let marks = Marks::of(plan, &props.progress);
    let (done, next) = (marks.done_count(), marks.next());
    let checklist = plan.checklist().into_iter().enumerate().map(|(item, words)| {
        let ticked = props.progress.ticked.contains(&item);
        let onchange = props.on_change.reform(move |event: Event| Change::Tick {
            item,
            ticked: event.target_unchecked_into::<HtmlInputElement>().checked(),
        });
        html! {
            <li><label><input type="checkbox" data-testid="preflight-item" checked={ticked} {onchange} />{ " " }{ with_code(&words) }</label></li>
        }
    });
    // A step's file (or block) and part name it.
    let keys = unique_keys(
        plan.steps
            .iter()
            .map(|step| format!("{} {:?}", step.title, step.part)),
    );
    let steps = plan.steps.iter().zip(keys).enumerate().map(|(index, (step, key))| {
        html! {
            <StepRow {key} step={step.clone()} mark={marks.key(index).to_string()} done={marks.is_done(index)} next={next == Some(index)}
                selected={props.selected == Some(step.number)} on_change={props.on_change.clone()} />
        }
    });
    let rollback = rollback_of_done(plan, &marks);
    html! {
        <>
            <h2>{ "Runbook" }</h2>
            <Exports analysis={props.analysis.clone()} files={props.files.clone()} />
            if let Some(warning) = plan.not_ready() {
                <div class="failure" data-testid="not-ready">
                    { for warning.lines().map(|line| html! { <p>{ line }</p> }) }
                </div>
            }
            <p class="progress" data-testid="progress" role="status">
                { format!("{done} of {} done", counted(plan.steps.len(), "step")) }
                if next.is_none() && !plan.steps.is_empty() {
                    { ": run the health check below" }
                }
            </p>
            <details class="preflight" open={props.progress.ticked.len() < plan.checklist().len()}>
                <summary>{ "Before the first step" }</summary>
                <ul class="checklist">{ for checklist }</ul>
            </details>
            <ol class="steps" data-testid="steps">{ for steps }</ol>
            if done > 0 {
                <details class="rollback-done" data-testid="rollback-done">
                    <summary>{ format!("A step failed? Undo the {done} steps done, newest first") }</summary>
                    <CopyButton label="Copy the rollback" text={rollback.clone()} testid="copy-rollback-done" />
                    <pre tabindex="0"><code>{ rollback }</code></pre>
                </details>
                <MigrationLog analysis={props.analysis.clone()} done_at={marks.done_times()} />
            }
            if let Some(health) = &plan.health_check_sql {
                <div class="health" data-testid="health-check">
                    <CopyButton label="Copy health check" text={health.clone()} testid="copy-health" />
                    <SqlBlock label="Health check: after the last step, every row says pass" sql={health.clone()} testid="health-sql" />
                </div>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct StepRowProps {
    /// Compared by value: a new plan redraws only the steps it changed.
    step: Step,
    /// The key the step is marked done under.
    mark: String,
    done: bool,
    next: bool,
    selected: bool,
    on_change: Callback<Change>,
}

#[function_component(StepRow)]
fn step_row(props: &StepRowProps) -> Html {
    let (step, on_change) = (&props.step, &props.on_change);
    let source = &step.sources[0];
    let mark = props.mark.clone();
    let onchange = on_change.reform(move |event: Event| Change::MarkDone {
        step: mark.clone(),
        at: event
            .target_unchecked_into::<HtmlInputElement>()
            .checked()
            .then(js_sys::Date::now),
    });
    let transaction = match step.transactional {
        true => "in one transaction",
        false => "not in a transaction",
    };
    let reasons = step
        .reasons
        .iter()
        .map(|reason| html! { <li>{ reason }</li> });
    let risks = step
        .risks
        .iter()
        .map(|risk| html! { <li class="risk">{ risk }</li> });
    let sql = step.runnable_sql();
    let rollback = match (&step.rollback_sql, &step.rollback_note) {
        (Some(sql), _) if !sql.is_empty() => html! {
            <>
                <CopyButton label="Copy rollback" text={sql.clone()} testid="copy-rollback" />
                <SqlBlock label="Rollback" sql={sql.clone()} testid="rollback" />
            </>
        },
        (_, Some(note)) => {
            html! { <p class="irreversible" data-testid="irreversible">{ note }</p> }
        }
        _ => html! { <p class="rollback">{ "Rollback: nothing to undo." }</p> },
    };
    html! {
        <li class={classes!("step", props.done.then_some("done"), props.next.then_some("next"), props.selected.then_some("selected"))}
            id={format!("step-{}", step.number)} data-testid="step" aria-current={props.next.then_some("step")}>
            <span class="title">{ &step.title }</span>
            <span class="lines">{ format!(" lines {}-{}, {transaction}", source.start_line, source.end_line) }</span>
            <label class="done-mark">
                <input type="checkbox" data-testid="step-done" checked={props.done} {onchange} />
                { format!(" Step {} done", step.number) }
            </label>
            <ul class="reasons">{ for reasons }</ul>
            <ul class="risks">{ for risks }</ul>
            <div class="step-actions">
                <CopyButton label="Copy SQL" text={sql.clone()} testid="copy-sql" />
                if let Some(verify) = &step.verify_sql {
                    <CopyButton label="Copy verification" text={verify.clone()} testid="copy-verify" />
                }
            </div>
            <SqlBlock label="SQL" sql={sql} testid="sql" />
            if let Some(verify) = &step.verify_sql {
                <SqlBlock label="Verify (every row says pass)" sql={verify.clone()} testid="verify" />
            }
            { for step.from_runbook.iter().map(author_block) }
            { rollback }
        </li>
    }
}

/// The author's own check or rollback for a step, from the runbook.
fn author_block(block: &AuthorBlock) -> Html {
    let label = format!("Run {}", block.label());
    html! {
        <div class="author-block" data-testid="author-block">
            <CopyButton label={format!("Copy your {}", block.role.word())} text={block.sql.clone()} testid="copy-author-block" />
            <SqlBlock {label} sql={block.sql.clone()} testid="author-sql" />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MigrationLogProps {
    analysis: Shared<Analysis>,
    /// When each step was marked done, if it was, in the plan's order.
    done_at: Vec<Option<f64>>,
}

/// When each step was marked done, as the Markdown runbook's log asks.
#[function_component(MigrationLog)]
fn migration_log(props: &MigrationLogProps) -> Html {
    let rows = props.analysis.plan.steps.iter().zip(&props.done_at).filter_map(|(step, at)| {
        let at = at.as_ref()?;
        let when = js_sys::Date::new(&(*at).into()).to_locale_string("default", &js_sys::Object::new());
        Some(html! {
            <tr><td>{ format!("{} {}", step.number, step.title) }</td><td>{ String::from(when) }</td></tr>
        })
    });
    html! {
        <table class="migration-log" data-testid="migration-log">
            <caption>{ "Migration log" }</caption>
            <thead><tr><th>{ "Step" }</th><th>{ "Marked done" }</th></tr></thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}
