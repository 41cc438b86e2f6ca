//! Raising Postgres ERRORs with an exact message, SQLSTATE and optional DETAIL/HINT.
//!
//! pgvector's texts are part of the compatibility contract, so every user-facing error goes
//! through here instead of `panic!` (which pgrx reports as XX000) or `ereport!` (which has no
//! HINT). The report unwinds as a Rust panic and pgrx re-raises it at the `#[pg_extern]`
//! boundary, after destructors ran.

use core::ffi::CStr;
use pgrx::pg_sys::panic::ErrorReport;
use pgrx::{PgLogLevel, PgSqlErrorCode, pg_sys};
use std::borrow::Cow;
use std::ffi::CString;

/// `ereport(ERROR, (errcode(code), errmsg(message)))`.
#[track_caller]
pub fn raise(code: PgSqlErrorCode, message: impl Into<Cow<'static, str>>) -> ! {
    report(ErrorReport::new(code, message, "ruvector"))
}

/// `ereport(ERROR, (errcode(code), errmsg(message), errdetail(detail)))`.
#[track_caller]
pub fn raise_with_detail(
    code: PgSqlErrorCode,
    message: impl Into<Cow<'static, str>>,
    detail: impl Into<String>,
) -> ! {
    report(ErrorReport::new(code, message, "ruvector").set_detail(detail))
}

/// `ereport(ERROR, (errcode(code), errmsg(message), errhint(hint)))`.
#[allow(dead_code)] // pgvector's vector paths have no HINTs; index options will.
#[track_caller]
pub fn raise_with_hint(
    code: PgSqlErrorCode,
    message: impl Into<Cow<'static, str>>,
    hint: impl Into<String>,
) -> ! {
    report(ErrorReport::new(code, message, "ruvector").set_hint(hint))
}

fn report(report: ErrorReport) -> ! {
    report.report(PgLogLevel::ERROR);
    // `report` at ERROR never returns; the compiler can't know that.
    unreachable!()
}

/// Postgres' own `float_overflow_error()`: "value out of range: overflow" (22003).
#[allow(unreachable_code)] // pg15 declares it `-> !`, pg18 as returning void
pub fn float_overflow() -> ! {
    // SAFETY: raises an ERROR through a guarded FFI call; it never returns.
    unsafe { pgrx::pg_sys::float_overflow_error() };
    unreachable!("float_overflow_error returned")
}

/// Postgres' own `float_underflow_error()`: "value out of range: underflow" (22003).
#[allow(unreachable_code)]
pub fn float_underflow() -> ! {
    // SAFETY: as above.
    unsafe { pgrx::pg_sys::float_underflow_error() };
    unreachable!("float_underflow_error returned")
}

/// `raise`/`raise_with_detail` for a message that quotes user input as raw server-encoding
/// bytes: in a SQL_ASCII or LATIN1 database those need not be UTF-8, and must reach the
/// client unchanged rather than as U+FFFD. Valid UTF-8 (always the case in UTF-8 databases,
/// PGlite included) takes the ordinary path.
pub fn raise_bytes(code: PgSqlErrorCode, message: Vec<u8>, detail: Option<&'static CStr>) -> ! {
    let message = match String::from_utf8(message) {
        Ok(text) => match detail {
            Some(detail) => raise_with_detail(code, text, detail.to_string_lossy()),
            None => raise(code, text),
        },
        Err(not_utf8) => not_utf8.into_bytes(),
    };
    // Came from a C string, so no NUL bytes.
    let message = CString::new(message).expect("message has no NUL bytes");
    throw_error_data(code, &message, detail)
}

/// `ereport(ERROR, …)` performed by Postgres itself (`ThrowErrorData`, inside a guarded FFI
/// call), with the message and detail passed through byte for byte.
pub fn throw_error_data(code: PgSqlErrorCode, message: &CStr, detail: Option<&CStr>) -> ! {
    let mut error = pg_sys::ErrorData {
        elevel: PgLogLevel::ERROR as _,
        sqlerrcode: code as _,
        message: message.as_ptr().cast_mut(),
        detail: detail.map_or(core::ptr::null_mut(), |d| d.as_ptr().cast_mut()),
        filename: c"ruvector".as_ptr(),
        ..Default::default()
    };
    // SAFETY: a fully initialised ErrorData whose strings outlive the call; ThrowErrorData
    // copies them, then errfinish longjmps, which pgrx's guard turns into an unwind and
    // re-throws unchanged at the `#[pg_extern]` boundary.
    unsafe { pg_sys::ThrowErrorData(&mut error) };
    unreachable!("ThrowErrorData returned at ERROR level")
}

/// `ereport(NOTICE, (errmsg(message), errdetail(detail), errhint(hint)))`.
pub fn notice_with_detail_and_hint(
    message: impl Into<Cow<'static, str>>,
    detail: impl Into<String>,
    hint: impl Into<String>,
) {
    ErrorReport::new(PgSqlErrorCode::ERRCODE_SUCCESSFUL_COMPLETION, message, "ruvector")
        .set_detail(detail)
        .set_hint(hint)
        .report(PgLogLevel::NOTICE);
}
