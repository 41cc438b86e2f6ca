/*
 * Minimal C++-ABI exception runtime for Rust panics in the PGlite side module (wasm32 only).
 *
 * Why this file exists: Rust's panic=unwind on wasm32-unknown-emscripten throws panics through
 * Emscripten's JS-based exception scheme (__cxa_throw + invoke_* wrappers). pglite.js ships only
 * disabled stubs of that runtime (its __cxa_throw aborts), so the module carries its own. Rust is
 * the only thrower here, so matching is catch-all. Everything is hidden: two extensions loaded into
 * one PGlite must not bind to each other's copies.
 *
 * How a throw travels: __cxa_throw records the exception and throws a JS value through
 * _emscripten_throw_longjmp; the nearest invoke_* wrapper in pglite.js catches it and calls
 * setThrew(1, 0). LLVM's lowering then sees __THREW__ == 1 with __threwValue == 0 (an exception,
 * not a longjmp, which would carry a non-zero value) and enters the landing pad, which asks
 * __cxa_find_matching_catch_N for the exception and __resumeException to keep unwinding.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define HIDDEN __attribute__((visibility("hidden")))

typedef void *(*destructor_fn)(void *);

/* Lives in front of the object handed to Rust, like the Itanium ABI's __cxa_exception. */
typedef struct exception_header {
    struct exception_header *next_caught; /* stack of exceptions currently inside a catch */
    destructor_fn destructor;
    int handler_count;
    int _pad; /* keep the payload 8-byte aligned */
} exception_header;

static exception_header *caught_stack;
static void *in_flight; /* the thrown object the next landing pad will receive */
static int32_t temp_ret0;

extern void _emscripten_throw_longjmp(void) __attribute__((noreturn));

static exception_header *header_of(void *object) { return ((exception_header *)object) - 1; }

HIDDEN void setTempRet0(int32_t value) { temp_ret0 = value; }
HIDDEN int32_t getTempRet0(void) { return temp_ret0; }

HIDDEN void *__cxa_allocate_exception(size_t size) {
    exception_header *header = calloc(1, sizeof(exception_header) + size);
    return header ? (void *)(header + 1) : NULL;
}

HIDDEN void __cxa_free_exception(void *object) { free(header_of(object)); }

HIDDEN __attribute__((noreturn)) void __cxa_throw(void *object, void *type_info, destructor_fn destructor) {
    (void)type_info;
    header_of(object)->destructor = destructor;
    in_flight = object;
    _emscripten_throw_longjmp();
}

HIDDEN __attribute__((noreturn)) void __resumeException(void *object) {
    in_flight = object;
    _emscripten_throw_longjmp();
}

/* Selector 1 for every clause: Rust's catch_unwind compares it with llvm_eh_typeid_for. */
HIDDEN int32_t llvm_eh_typeid_for(void *type_info) {
    (void)type_info;
    return 1;
}

static void *matching_catch(void) {
    temp_ret0 = 1;
    return in_flight;
}
HIDDEN void *__cxa_find_matching_catch_2(void) { return matching_catch(); }
HIDDEN void *__cxa_find_matching_catch_3(void *a) { (void)a; return matching_catch(); }
HIDDEN void *__cxa_find_matching_catch_4(void *a, void *b) { (void)a; (void)b; return matching_catch(); }
HIDDEN void *__cxa_find_matching_catch_5(void *a, void *b, void *c) { (void)a; (void)b; (void)c; return matching_catch(); }

HIDDEN void *__cxa_begin_catch(void *object) {
    exception_header *header = header_of(object);
    if (header->handler_count++ == 0) {
        header->next_caught = caught_stack;
        caught_stack = header;
    }
    in_flight = NULL;
    return object;
}

HIDDEN void __cxa_end_catch(void) {
    exception_header *header = caught_stack;
    if (!header || --header->handler_count > 0)
        return;
    caught_stack = header->next_caught;
    if (header->destructor)
        header->destructor(header + 1);
    free(header);
}

/* Rust's panic type_info points into this vtable; only its address matters. */
HIDDEN const void *_ZTVN10__cxxabiv117__class_type_infoE[3] = {0, 0, 0};
