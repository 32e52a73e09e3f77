//! A button that puts exactly one text on the clipboard and says so.
use gloo::timers::callback::Timeout;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    pub label: AttrValue,
    pub text: AttrValue,
    #[prop_or_default]
    pub testid: AttrValue,
}

#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    let state = use_state(|| None::<&'static str>);
    let onclick = {
        let (text, state) = (props.text.clone(), state.clone());
        Callback::from(move |_| {
            let clipboard = gloo::utils::window().navigator().clipboard();
            let (text, state) = (text.clone(), state.clone());
            spawn_local(async move {
                let copied = JsFuture::from(clipboard.write_text(&text)).await.is_ok();
                state.set(Some(if copied {
                    "Copied"
                } else {
                    "Copy refused by the browser"
                }));
                let state = state.clone();
                Timeout::new(2_000, move || state.set(None)).forget();
            });
        })
    };
    html! {
        <button class="copy" data-testid={props.testid.clone()} {onclick}>
            { state.map_or_else(|| props.label.clone(), AttrValue::from) }
        </button>
    }
}
