//! Shown while a share link's workspace is open beside the person's own:
//! nothing of theirs is replaced until they say so.
use yew::prelude::*;

use crate::app::Action;
use preflight_core::words::counted;

#[derive(Properties, PartialEq)]
pub struct SharedBannerProps {
    /// How many files each workspace has.
    pub shared: usize,
    pub own: usize,
    pub dispatch: Callback<Action>,
}

#[function_component(SharedBanner)]
pub fn shared_banner(props: &SharedBannerProps) -> Html {
    html! {
        <div class="shared-banner" data-testid="shared-banner" role="status">
            { format!(
                "You are looking at a shared workspace ({}). Your own workspace ({}) is saved and untouched.",
                counted(props.shared, "file"), counted(props.own, "file")
            ) }
            <button data-testid="keep-shared" onclick={props.dispatch.reform(|_| Action::KeepShared)}>
                { "Keep the shared one (replaces yours)" }
            </button>
            <button data-testid="back-to-own" onclick={props.dispatch.reform(|_| Action::BackToOwn)}>
                { "Back to my workspace" }
            </button>
        </div>
    }
}
