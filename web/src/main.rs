//! The Preflight web app: everything runs in this WebAssembly module, in the
//! user's browser. Nothing is sent anywhere. The same module runs the page
//! and, in a Web Worker, the planner.
mod app;
mod browser_files;
mod drop_zone;
mod editor;
mod example;
mod exports;
mod file_list;
mod intake;
mod notices;
mod pack;
mod plan_view;
mod planner;
mod protocol;
mod report_view;
mod share;
mod shared_banner;
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
        yew::Renderer::<app::App>::new().render();
    } else {
        worker::run();
    }
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
