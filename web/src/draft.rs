//! What a person is typing into a field whose value is kept elsewhere and
//! changes only when they commit it (Enter, leaving the field). Yew writes
//! an input's `value` back into the page on every render, so a field given
//! only the kept value would lose the typing whenever anything else redraws
//! it: a plan arriving, the save status changing.
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Clone)]
pub struct Draft {
    /// What the field shows: the typing, or the kept value when there is
    /// none.
    pub value: String,
    pub oninput: Callback<InputEvent>,
    typed: UseStateHandle<Option<String>>,
}

impl Draft {
    /// The typing was committed (or abandoned): show the kept value again.
    pub fn settle(&self) {
        self.typed.set(None);
    }

    /// Leaving the field ends the typing: its change, if any, came first.
    pub fn onblur(&self) -> Callback<FocusEvent> {
        let draft = self.clone();
        Callback::from(move |_| draft.settle())
    }
}

#[hook]
pub fn use_draft(kept: &str) -> Draft {
    let typed = use_state(|| None::<String>);
    let oninput = {
        let typed = typed.clone();
        Callback::from(move |event: InputEvent| {
            typed.set(Some(
                event.target_unchecked_into::<HtmlInputElement>().value(),
            ));
        })
    };
    Draft {
        value: typed.as_deref().unwrap_or(kept).to_string(),
        oninput,
        typed,
    }
}
