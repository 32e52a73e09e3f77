/* The C runtime libpg_query needs inside a wasm32-unknown-unknown module.
 * Memory allocation is provided by the Rust side (src/lib.rs). */
#include <stddef.h>
#include <stdint.h>

/* ---- setjmp/longjmp through Wasm exception handling (LLVM 19 ABI) ---- */

struct longjmp_args {
    void *env;
    int val;
};

struct jmp_buf_state {
    void *func_invocation_id;
    uint32_t label;
    struct longjmp_args args;
};

_Static_assert(sizeof(struct jmp_buf_state) <= 8 * sizeof(long long), "jmp_buf too small");

void __wasm_setjmp(void *env, uint32_t label, void *func_invocation_id) {
    struct jmp_buf_state *state = env;
    state->func_invocation_id = func_invocation_id;
    state->label = label;
}

uint32_t __wasm_setjmp_test(void *env, void *func_invocation_id) {
    struct jmp_buf_state *state = env;
    return state->func_invocation_id == func_invocation_id ? state->label : 0;
}

_Noreturn void __wasm_longjmp(void *env, int val) {
    struct jmp_buf_state *state = env;
    state->args.env = env;
    state->args.val = val == 0 ? 1 : val;
    /* Tag 1 is LLVM's __c_longjmp. */
    __builtin_wasm_throw(1, &state->args);
}

/* ---- process functions: there is no process to leave ---- */

_Noreturn void exit(int status) {
    (void)status;
    __builtin_trap();
}

_Noreturn void _Exit(int status) {
    (void)status;
    __builtin_trap();
}

int getpid(void) { return 1; }

/* ---- WASI imports pulled in by wasi-libc's stdio: defined here so the
 * module imports nothing. Writes are discarded, reads hit end of file. ---- */

#define WASI_ESPIPE 70
#define WASI_EBADF 8

struct wasi_ciovec {
    const void *buf;
    size_t len;
};

int32_t __imported_wasi_snapshot_preview1_fd_write(int32_t fd, int32_t iovs, int32_t iovs_len,
                                                   int32_t nwritten) {
    (void)fd;
    const struct wasi_ciovec *vec = (const struct wasi_ciovec *)(intptr_t)iovs;
    size_t total = 0;
    for (int32_t i = 0; i < iovs_len; i++) total += vec[i].len;
    *(size_t *)(intptr_t)nwritten = total;
    return 0;
}

int32_t __imported_wasi_snapshot_preview1_fd_read(int32_t fd, int32_t iovs, int32_t iovs_len,
                                                  int32_t nread) {
    (void)fd;
    (void)iovs;
    (void)iovs_len;
    *(size_t *)(intptr_t)nread = 0;
    return 0;
}

int32_t __imported_wasi_snapshot_preview1_fd_seek(int32_t fd, int64_t offset, int32_t whence,
                                                  int32_t newoffset) {
    (void)fd;
    (void)offset;
    (void)whence;
    (void)newoffset;
    return WASI_ESPIPE;
}

int32_t __imported_wasi_snapshot_preview1_fd_close(int32_t fd) {
    (void)fd;
    return 0;
}

int32_t __imported_wasi_snapshot_preview1_fd_fdstat_get(int32_t fd, int32_t stat) {
    (void)fd;
    (void)stat;
    return WASI_EBADF;
}
