//! Two probes for the conformance suite's error-model tests, which check that both ways an
//! ERROR can start inside the extension reach the client intact on every target (on wasm32
//! they travel through emscripten's exception and longjmp emulation):
//!
//! - `ruvector_test_panic(text)`: a Rust panic, turned into an ERROR by pgrx's guard;
//! - `ruvector_test_pg_error(text)`: Postgres' own `errstart`/`errfinish` longjmp, raised
//!   inside a guarded FFI call, caught by pgrx and re-thrown unchanged.
//!
//! Both return 42 for `'ok'`. They are not part of the extension's SQL (`sql = false`); the
//! suite declares them against the C symbols `ruvector_test_panic_wrapper` and
//! `ruvector_test_pg_error_wrapper`.

use pgrx::prelude::*;
use pgrx::{PgLogLevel, PgSqlErrorCode};

#[pg_extern(sql = false)]
fn ruvector_test_panic(message: &str) -> i32 {
    if message == "ok" {
        return 42;
    }
    panic!("{message}")
}

#[pg_extern(sql = false)]
fn ruvector_test_pg_error(message: &str) -> i32 {
    if message == "ok" {
        return 42;
    }
    let message = std::ffi::CString::new(message).expect("text has no NUL bytes");
    // ThrowErrorData runs errstart, copies our fields and calls errfinish, which longjmps at
    // ERROR level: exactly `ereport(ERROR, (errcode(P0001), errmsg_internal("%s", message)))`
    // coming from inside Postgres, without a variadic call from Rust.
    let mut error = pg_sys::ErrorData {
        elevel: PgLogLevel::ERROR as _,
        sqlerrcode: PgSqlErrorCode::ERRCODE_RAISE_EXCEPTION as _,
        message: message.as_ptr().cast_mut(),
        filename: c"error_model.rs".as_ptr(),
        funcname: c"ruvector_test_pg_error".as_ptr(),
        ..Default::default()
    };
    // SAFETY: a fully initialised ErrorData whose strings outlive the call (ThrowErrorData
    // pstrdup's them before raising). pg_sys calls are guarded: the longjmp becomes a Rust
    // panic here and is re-thrown as the same Postgres error at the pg_extern boundary.
    unsafe { pg_sys::ThrowErrorData(&mut error) };
    unreachable!("ThrowErrorData returned at ERROR level")
}
