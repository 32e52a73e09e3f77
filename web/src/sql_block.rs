//! A folded block of SQL; drawn only once opened, so a long plan arrives
//! without holding up the page.
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SqlBlockProps {
    pub label: AttrValue,
    pub sql: AttrValue,
    pub testid: AttrValue,
}

/// Whether a `<details>` is open, and the `ontoggle` handler that keeps
/// track: what it folds is drawn only once opened.
#[hook]
pub fn use_opened() -> (bool, Callback<Event>) {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |event: Event| {
            open.set(
                event
                    .target_unchecked_into::<web_sys::HtmlDetailsElement>()
                    .open(),
            );
        })
    };
    (*open, ontoggle)
}

#[function_component(SqlBlock)]
pub fn sql_block(props: &SqlBlockProps) -> Html {
    let (open, ontoggle) = use_opened();
    html! {
        <details class="sql" data-testid={props.testid.clone()} {ontoggle}>
            <summary>{ &props.label }</summary>
            if open {
                // Focusable, so that a long block scrolls from the keyboard.
                <pre tabindex="0"><code>{ &props.sql }</code></pre>
            }
        </details>
    }
}
