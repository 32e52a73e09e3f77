//! The C runtime libpg_query needs inside a `wasm32-unknown-unknown` module.
//!
//! The C half (`c/runtime.c`, `include/`) provides setjmp/longjmp, exit and
//! the WASI stubs; this half routes C's allocator to Rust's, so the C parser
//! and the Rust code share one heap. Empty on every other target.
#![no_std]

#[cfg(target_arch = "wasm32")]
mod allocator;
