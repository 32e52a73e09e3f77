//! `malloc`, `calloc`, `realloc` and `free` for C code, on top of Rust's
//! global allocator. Each block carries a 16-byte header holding its size,
//! because `free` is not told the size and Rust's `dealloc` needs it.
extern crate alloc;

use alloc::alloc::{alloc, alloc_zeroed, dealloc, realloc as rust_realloc, Layout};
use core::ffi::c_void;
use core::ptr::null_mut;

const HEADER: usize = 16;
const ALIGN: usize = 16;

fn layout_for(size: usize) -> Option<Layout> {
    let total = size.checked_add(HEADER)?;
    Layout::from_size_align(total, ALIGN).ok()
}

/// Writes the header into a fresh block and returns the user pointer.
unsafe fn finish(block: *mut u8, size: usize) -> *mut c_void {
    if block.is_null() {
        return null_mut();
    }
    (block as *mut usize).write(size);
    block.add(HEADER) as *mut c_void
}

unsafe fn header_of(ptr: *mut c_void) -> (*mut u8, usize) {
    let block = (ptr as *mut u8).sub(HEADER);
    (block, (block as *const usize).read())
}

#[no_mangle]
pub unsafe extern "C" fn malloc(size: usize) -> *mut c_void {
    match layout_for(size) {
        Some(layout) => finish(alloc(layout), size),
        None => null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn calloc(count: usize, size: usize) -> *mut c_void {
    let Some(bytes) = count.checked_mul(size) else {
        return null_mut();
    };
    match layout_for(bytes) {
        Some(layout) => finish(alloc_zeroed(layout), bytes),
        None => null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
    if ptr.is_null() {
        return malloc(size);
    }
    let (block, old_size) = header_of(ptr);
    let (Some(old_layout), Some(_)) = (layout_for(old_size), layout_for(size)) else {
        return null_mut();
    };
    finish(rust_realloc(block, old_layout, size + HEADER), size)
}

#[no_mangle]
pub unsafe extern "C" fn free(ptr: *mut c_void) {
    if ptr.is_null() {
        return;
    }
    let (block, size) = header_of(ptr);
    if let Some(layout) = layout_for(size) {
        dealloc(block, layout);
    }
}
