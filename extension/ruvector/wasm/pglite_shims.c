/*
 * Symbols the Rust side links against that PGlite 0.5.16's pglite.wasm does not export
 * (wasm32 only; natively they come from the postgres binary and libc). Each is hidden, so it
 * is resolved inside this module and never exported or imported.
 */
#include "postgres.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "nodes/memnodes.h"
#include "utils/memutils.h"

#define HIDDEN __attribute__((visibility("hidden")))

/*
 * pgrx switches to ErrorContext when it rethrows a caught Postgres error and when it builds an
 * ereport. PGlite exports TopMemoryContext but not ErrorContext, so keep our own pointer to the
 * same context: it is created once as a child of TopMemoryContext in MemoryContextInit() and
 * never replaced. Called from _PG_init, not a constructor: Emscripten's loader fills the module's
 * GOT (and so TopMemoryContext's address) only after running constructors.
 */
HIDDEN MemoryContext ErrorContext;

HIDDEN void ruvector_bind_error_context(void) {
    for (MemoryContext child = TopMemoryContext ? TopMemoryContext->firstchild : NULL; child;
         child = child->nextchild) {
        if (strcmp(child->name, "ErrorContext") == 0) {
            ErrorContext = child;
            return;
        }
    }
    elog(FATAL, "ruvector: PGlite has no ErrorContext memory context");
}

/*
 * pgrx asks this before formatting a non-ERROR report. The GUCs it reads are not exported;
 * answering "yes" only costs the formatting, since errstart() still does the real filtering.
 */
HIDDEN bool message_level_is_interesting(int elevel) {
    (void)elevel;
    return true;
}

/* Rust std needs these three; PGlite's curated libc exports lack them. */
HIDDEN int posix_memalign(void **out, size_t alignment, size_t size) {
    if (alignment < sizeof(void *))
        alignment = sizeof(void *);
    void *block = aligned_alloc(alignment, (size + alignment - 1) & ~(alignment - 1));
    if (!block)
        return ENOMEM;
    *out = block;
    return 0;
}

HIDDEN ssize_t writev(int fd, const struct iovec *iov, int count) {
    ssize_t total = 0;
    for (int i = 0; i < count; i++) {
        ssize_t written = write(fd, iov[i].iov_base, iov[i].iov_len);
        if (written < 0)
            return total ? total : -1;
        total += written;
        if ((size_t)written < iov[i].iov_len)
            break;
    }
    return total;
}

/* Postgres backends are single-threaded; std only creates condvars it never waits on here. */
HIDDEN int pthread_condattr_init(void *attr) { (void)attr; return 0; }
HIDDEN int pthread_condattr_setclock(void *attr, int clock) { (void)attr; (void)clock; return 0; }
HIDDEN int pthread_condattr_destroy(void *attr) { (void)attr; return 0; }
