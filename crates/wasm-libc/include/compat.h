/* Force-included into every C file built for wasm32: fills the gaps between
 * wasi-libc's headers and what PostgreSQL's headers assume. */
#ifndef PREFLIGHT_COMPAT_H
#define PREFLIGHT_COMPAT_H

#ifndef EHOSTDOWN
#define EHOSTDOWN 112
#endif

/* wasi's O_DSYNC is a cast expression, which breaks an #if in xlogdefs.h. */
#define PLATFORM_DEFAULT_WAL_SYNC_METHOD WAL_SYNC_METHOD_FDATASYNC

#endif
