//! The Preflight web app: everything runs in this WebAssembly module, in the
//! user's browser. Nothing is sent anywhere.
mod app;
mod editor;
mod example;
mod exports;
mod plan_view;
mod report_view;

// The C runtime the parser needs in the browser (allocator, setjmp/longjmp).
#[cfg(target_arch = "wasm32")]
use wasm_libc as _;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
