//! The Preflight web app: everything runs in this WebAssembly module, in the
//! user's browser. Nothing is sent anywhere. The same module runs the page
//! and, in a Web Worker, the planner.
mod app;
mod blocks_view;
mod browser_files;
mod checklist;
mod compare_view;
mod copy_button;
mod delta;
mod draft;
mod drawn_once;
mod drop_zone;
mod editor;
mod example;
mod exports;
mod file_list;
mod graph_view;
mod intake;
mod keys;
mod list_keys;
mod neighbourhood;
mod neighbourhood_view;
mod notices;
mod object_view;
mod objects;
mod pack;
mod planner;
mod problems;
mod prose;
mod protocol;
mod report_view;
mod runbook;
mod share;
mod shared_banner;
mod sql_block;
mod step_graph;
mod storage;
mod toolbar;
mod worker;
mod workspace;

use std::ops::Deref;
use std::rc::Rc;

// The C runtime the parser needs in the browser (allocator, setjmp/longjmp).
#[cfg(target_arch = "wasm32")]
use wasm_libc as _;

fn main() {
    if web_sys::window().is_some() {
        report_panics_on_the_page();
        yew::Renderer::<app::App>::new().render();
    } else {
        worker::run();
    }
}

/// A panic stops the page's module: save what was not saved yet, and say so
/// on the page rather than leave it silently frozen.
fn report_panics_on_the_page() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
        let saved = storage::save_remembered();
        let Some(document) = web_sys::window().and_then(|window| window.document()) else {
            return;
        };
        if let (Ok(banner), Some(body)) = (document.create_element("div"), document.body()) {
            banner.set_class_name("crash");
            let _ = banner.set_attribute("role", "alert");
            let kept = match saved {
                Some(storage::SaveState::Failed(why)) => {
                    format!("Your latest changes could not be saved ({why})")
                }
                _ => "Your files are saved in this browser".to_string(),
            };
            banner.set_text_content(Some(&format!(
                "Preflight hit an internal error and stopped: {info}. {kept}: reload the page to go on, and please report what you were doing (nothing is sent anywhere)."
            )));
            let _ = body.prepend_with_node_1(&banner);
        }
    }));
}

/// A value shared between components and compared by identity: a new
/// analysis is a new `Rc`, so unchanged props are found without comparing
/// whole plans.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T: Default> Default for Shared<T> {
    fn default() -> Self {
        Self(Rc::default())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
