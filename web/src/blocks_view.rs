//! The SQL blocks of the open Markdown runbook: what Preflight takes each
//! for (a migration, a check, the way back, an illustration) and why, and
//! the steps it goes with. Choosing another role writes it on the block's
//! opening fence (```` ```sql rollback ````), so the choice lives in the
//! document, is saved and shared with it, and the CLI reads it too.
use preflight_core::analysis::block_role::BlockRole;
use preflight_core::plan::PlannedBlock;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::workspace::Change;

#[derive(Properties, PartialEq)]
pub struct BlocksViewProps {
    /// The open file, a Markdown runbook: its id and name.
    pub id: u32,
    pub name: String,
    /// Its blocks, in document order.
    pub blocks: Vec<PlannedBlock>,
    pub on_change: Callback<Change>,
}

#[function_component(BlocksView)]
pub fn blocks_view(props: &BlocksViewProps) -> Html {
    let rows = props.blocks.iter().map(|block| {
        let (id, fence_line) = (props.id, block.first_line);
        let onchange = props.on_change.reform(move |event: Event| {
            let choice = event.target_unchecked_into::<HtmlSelectElement>().value();
            let role = BlockRole::from_word(&choice).unwrap_or(BlockRole::Migration);
            Change::SetBlockRole {
                id,
                fence_line,
                role,
            }
        });
        let options = BlockRole::ALL.iter().map(|role| {
            html! {
                <option value={role.word()} selected={*role == block.role}>{ role.word() }</option>
            }
        });
        let label = format!("Role of “{}” (lines {}-{})", block.title, block.first_line, block.last_line);
        html! {
            <tr data-testid="block" class={classes!("block", block.role.word())}>
                <td class="location">{ format!("{}-{}", block.first_line, block.last_line) }</td>
                <td class="title" data-testid="block-title">{ &block.title }</td>
                <td>
                    <select data-testid="block-role" aria-label={label} {onchange}>{ for options }</select>
                </td>
                <td class="why">{ &block.why }</td>
                <td class="runs" data-testid="block-runs">{ block.runs() }</td>
            </tr>
        }
    });
    html! {
        <>
            <h2>{ format!("Blocks of {}", props.name) }</h2>
            <table class="blocks" data-testid="blocks">
                <thead>
                    <tr><th>{ "Lines" }</th><th>{ "Under" }</th><th>{ "Role" }</th><th>{ "Why" }</th><th>{ "Runs" }</th></tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        </>
    }
}
