/* setjmp/longjmp for wasm32: clang lowers these calls to Wasm exception
 * handling (-mllvm -wasm-enable-sjlj); the runtime lives in c/runtime.c.
 * libpg_query uses the sig* variants for error recovery. */
#ifndef PREFLIGHT_SETJMP_H
#define PREFLIGHT_SETJMP_H

/* Large enough for the runtime's state (invocation id, label, longjmp args). */
typedef long long jmp_buf[8];
typedef jmp_buf sigjmp_buf;

int setjmp(jmp_buf env);
_Noreturn void longjmp(jmp_buf env, int val);

#define sigsetjmp(env, savemask) setjmp(env)
#define siglongjmp(env, val) longjmp(env, val)

#endif
