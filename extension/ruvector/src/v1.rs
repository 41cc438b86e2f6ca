//! Postgres' V1 calling convention by hand, for the few functions called once per row in a scan
//! (the distances), where pgrx's per-call machinery costs more than the arithmetic.
//!
//! A `#[pg_extern]` call runs its body under `catch_unwind`, and every `pg_sys` function it calls
//! (`palloc` for a float8 result on 32-bit targets, `pg_detoast_datum`) under a `sigsetjmp`
//! guard. Natively that is cheap; in PGlite both are Emscripten's JS-based exceptions and
//! setjmp: each guarded call leaves wasm for an `invoke_*` trampoline in JS and back. pgvector's
//! C pays none of that, and at 128 dimensions the trampolines cost more than the distance.
//!
//! The entry points built on this module call Postgres directly, as C does. That is sound under
//! one rule, the one pgrx states for `pg_guard_ffi_boundary`'s closure: while a Postgres
//! function that may raise an ERROR runs, no Rust frame between it and Postgres owns anything
//! with a destructor. The ERROR's longjmp (natively) or JS throw (PGlite) then passes over plain
//! frames, exactly as it passes over pgvector's. Anything that needs an error of ours (unequal
//! dimensions, a corrupt datum) goes to the function's pgrx twin instead, which raises it
//! through pgrx's machinery.

use core::ffi::c_void;
use pgrx::pg_sys;

/// What `PG_FUNCTION_INFO_V1` records.
pub const V1_API: pg_sys::Pg_finfo_record = pg_sys::Pg_finfo_record { api_version: 1 };

// Postgres' own functions, unguarded (pgrx's bindings of the same symbols are guarded).
unsafe extern "C-unwind" {
    #[link_name = "palloc"]
    fn palloc_unguarded(size: usize) -> *mut c_void;
    #[link_name = "pg_detoast_datum"]
    fn pg_detoast_datum_unguarded(datum: *mut pg_sys::varlena) -> *mut pg_sys::varlena;
}

/// Argument `i` of a STRICT function (never null: Postgres does not call it with one).
///
/// # Safety
/// `fcinfo` is the call's, with more than `i` arguments.
#[inline(always)]
pub unsafe fn arg(fcinfo: pg_sys::FunctionCallInfo, i: usize) -> pg_sys::Datum {
    // SAFETY: forwarded from the caller.
    unsafe { (*(*fcinfo).args.as_ptr().add(i)).value }
}

/// `PG_DETOAST_DATUM`: the datum itself when it already has a plain 4-byte header (no call at
/// all), else Postgres' detoasted copy. May raise an ERROR (out of memory, a missing TOAST
/// chunk): see the module's rule.
///
/// # Safety
/// `datum` is a non-null varlena datum.
#[inline(always)]
pub unsafe fn detoast(datum: pg_sys::Datum) -> *const pg_sys::varlena {
    let raw = datum.cast_mut_ptr::<pg_sys::varlena>();
    // SAFETY: a varlena's first byte says how to read it.
    unsafe {
        if pgrx::varatt_is_4b_u(raw) {
            raw
        } else {
            // Through the function table: a call by name is a JS stub in PGlite (host_fn).
            crate::host_fn::table(pg_detoast_datum_unguarded as unsafe extern "C-unwind" fn(_) -> *mut pg_sys::varlena)(raw)
        }
    }
}

/// `PG_RETURN_FLOAT8`: by value where a Datum holds 8 bytes, else in a palloc'd float8 (32-bit
/// targets such as PGlite's wasm32, as `Float8GetDatum` does there).
///
/// # Safety
/// `fcinfo` is the call's; in a V1 function's body. May raise an ERROR (out of memory).
#[inline(always)]
pub unsafe fn return_float8(fcinfo: pg_sys::FunctionCallInfo, value: f64) -> pg_sys::Datum {
    // SAFETY: forwarded from the caller; palloc returns MAXALIGNed memory or raises.
    unsafe {
        (*fcinfo).isnull = false;
        float8_datum(value, || {
            // Once per row on wasm32: through the function table, not a JS stub (host_fn).
            let palloc = crate::host_fn::table(palloc_unguarded as unsafe extern "C-unwind" fn(usize) -> *mut c_void);
            palloc(size_of::<f64>()).cast::<f64>()
        })
    }
}

/// A float8 as a Datum: by value where Datums are 8 bytes; else (wasm32, where float8 is
/// passed by reference) written to the memory `storage` returns, and passed by its address.
///
/// # Safety
/// `storage` must return memory for an f64 that outlives the Datum's use.
#[inline(always)]
pub unsafe fn float8_datum(value: f64, storage: impl FnOnce() -> *mut f64) -> pg_sys::Datum {
    if size_of::<pg_sys::Datum>() >= size_of::<f64>() {
        pg_sys::Datum::from(value.to_bits() as usize)
    } else {
        let ptr = storage();
        // SAFETY: the caller's promise about `storage`.
        unsafe { ptr.write(value) };
        pg_sys::Datum::from(ptr)
    }
}

/// `PG_FUNCTION_INFO_V1(name)`: the `pg_finfo_*` symbol Postgres looks up next to a C function
/// it finds by name (index AM handlers, pgvector's type-support functions).
#[macro_export]
macro_rules! pg_finfo_v1 {
    ($finfo:ident) => {
        #[unsafe(no_mangle)]
        pub extern "C" fn $finfo() -> &'static pgrx::pg_sys::Pg_finfo_record {
            &$crate::v1::V1_API
        }
    };
}

/// pgvector's per-type support functions of its index operator classes (hnsw's number 3,
/// ivfflat's 5). Its C code uses them to find type information; ours reads the operator class
/// directly, so they only need to exist. They take and return `internal`, so SQL cannot call
/// them.
#[macro_export]
macro_rules! type_support_function {
    ($finfo:ident, $name:ident) => {
        $crate::pg_finfo_v1!($finfo);
        #[unsafe(no_mangle)]
        pub extern "C-unwind" fn $name(_fcinfo: pgrx::pg_sys::FunctionCallInfo) -> pgrx::pg_sys::Datum {
            pgrx::pg_sys::Datum::from(0usize)
        }
    };
}
