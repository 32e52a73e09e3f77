//! Long lists whose items out of view the browser may skip drawing
//! (`content-visibility: auto`), but only once each item has been drawn: an
//! item never drawn would stand in at a guessed height and take its real
//! one when scrolled to, pushing what was scrolled to (a button, a step)
//! out of view under the pointer. Drawn once, it keeps the size it had.
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, ResizeObserver, ResizeObserverEntry};
use yew::prelude::*;

/// The attribute the style sheet keys `content-visibility: auto` on.
const DRAWN: &str = "data-drawn";

thread_local! {
    /// One observer for every item: it learns each item's first drawn size
    /// after the browser's layout, marks the item and lets it go.
    static OBSERVER: Option<ResizeObserver> = {
        let on_resize = Closure::<dyn Fn(js_sys::Array, ResizeObserver)>::new(
            |entries: js_sys::Array, observer: ResizeObserver| {
                for entry in entries.iter().filter_map(|entry| entry.dyn_into::<ResizeObserverEntry>().ok()) {
                    // An item in a closed group has no size yet: wait for it.
                    if entry.content_rect().height() > 0.0 {
                        let item = entry.target();
                        // The attribute is only a marker for the style sheet.
                        let _ = item.set_attribute(DRAWN, "");
                        observer.unobserve(&item);
                    }
                }
            },
        );
        let observer = ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
        // The observer lives as long as the page; so does its callback.
        on_resize.forget();
        observer
    };
}

/// Watches the element `node` refers to until it has been drawn once.
#[hook]
pub fn use_drawn_once(node: NodeRef) {
    use_effect_with((), move |_| {
        let element = node.cast::<Element>();
        if let Some(element) = &element {
            OBSERVER.with(|observer| observer.as_ref().map(|observer| observer.observe(element)));
        }
        move || {
            if let Some(element) = &element {
                OBSERVER.with(|observer| {
                    observer
                        .as_ref()
                        .map(|observer| observer.unobserve(element))
                });
            }
        }
    });
}
