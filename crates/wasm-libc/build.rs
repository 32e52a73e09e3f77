//! For wasm32 only: compiles the C runtime and links wasi-libc without the
//! object that would make the module import `proc_exit`.
use std::env;
use std::path::PathBuf;
use std::process::Command;

const WASI_LIBC: &str = "/usr/lib/wasm32-wasi/libc.a";

fn main() {
    println!("cargo:rerun-if-changed=c/runtime.c");
    println!("cargo:rerun-if-changed=include");
    if env::var("CARGO_CFG_TARGET_ARCH").as_deref() != Ok("wasm32") {
        return;
    }

    cc::Build::new()
        .file("c/runtime.c")
        .flag("-mexception-handling")
        .compile("preflight_wasm_runtime");

    // exit.o defines __wasm_call_dtors, which makes wasm-ld wrap every export
    // and import wasi's proc_exit; the runtime above provides exit instead.
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let libc = out_dir.join("libwasi_c.a");
    std::fs::copy(WASI_LIBC, &libc).unwrap_or_else(|error| {
        panic!("{WASI_LIBC} is missing ({error}): install Debian's wasi-libc package")
    });
    let ar = env::var("AR_wasm32_unknown_unknown").unwrap_or_else(|_| "llvm-ar-19".into());
    let status = Command::new(&ar)
        .arg("d")
        .arg(&libc)
        .arg("exit.o")
        .status()
        .unwrap_or_else(|error| panic!("cannot run {ar} ({error}): install llvm-19"));
    assert!(status.success(), "{ar} d exit.o failed");
    println!("cargo:rustc-link-search=native={}", out_dir.display());
    println!("cargo:rustc-link-lib=static=wasi_c");
}
