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

use pgrx::PgSqlErrorCode;
use pgrx::prelude::*;

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
    // Postgres' own ereport path (errstart/errfinish via ThrowErrorData), not pgrx's.
    crate::pgerror::throw_error_data(PgSqlErrorCode::ERRCODE_RAISE_EXCEPTION, &message, None)
}
