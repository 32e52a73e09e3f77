//! The keyboard on controls drawn in SVG, which are not real buttons.
use yew::prelude::*;

/// Enter or Space does what a click does; the page does not scroll and the
/// key goes no further.
pub fn on_activate(activate: Callback<()>) -> Callback<KeyboardEvent> {
    Callback::from(move |event: KeyboardEvent| {
        if matches!(event.key().as_str(), "Enter" | " ") {
            event.prevent_default();
            event.stop_propagation();
            activate.emit(());
        }
    })
}
