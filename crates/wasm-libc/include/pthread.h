/* libpg_query's configuration always claims pthreads; the module is
 * single-threaded, so thread-local keys reduce to one global slot. */
#ifndef PREFLIGHT_PTHREAD_H
#define PREFLIGHT_PTHREAD_H

typedef unsigned int pthread_key_t;

static inline int pthread_key_create(pthread_key_t *key, void (*destructor)(void *)) {
    (void)destructor;
    *key = 0;
    return 0;
}

static inline int pthread_setspecific(pthread_key_t key, const void *value) {
    (void)key;
    (void)value;
    return 0;
}

#endif
