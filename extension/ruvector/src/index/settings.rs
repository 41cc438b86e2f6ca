//! User-settable `SET name = value` settings (GUCs) of our access methods, registered the way
//! pgvector registers its own: PGC_USERSET, no flags, no hooks. Only the name, texts, storage,
//! default and range differ between them.

use core::ffi::{CStr, c_int};
use pgrx::pg_sys;

fn text(description: Option<&'static CStr>) -> *const core::ffi::c_char {
    description.map_or(core::ptr::null(), CStr::as_ptr)
}

/// # Safety
/// `value` must point to a static that lives as long as the backend; called from `_PG_init`.
pub unsafe fn define_int(
    name: &'static CStr,
    short: &'static CStr,
    long: Option<&'static CStr>,
    value: *mut c_int,
    default: c_int,
    range: (c_int, c_int),
) {
    unsafe {
        pg_sys::DefineCustomIntVariable(
            name.as_ptr(),
            short.as_ptr(),
            text(long),
            value,
            default,
            range.0,
            range.1,
            pg_sys::GucContext::PGC_USERSET,
            0,
            None,
            None,
            None,
        )
    }
}

/// # Safety
/// As for [`define_int`]; `options` must end with a null-named entry and be static.
pub unsafe fn define_enum(
    name: &'static CStr,
    short: &'static CStr,
    value: *mut c_int,
    default: c_int,
    options: *const pg_sys::config_enum_entry,
) {
    unsafe {
        pg_sys::DefineCustomEnumVariable(
            name.as_ptr(),
            short.as_ptr(),
            core::ptr::null(),
            value,
            default,
            options,
            pg_sys::GucContext::PGC_USERSET,
            0,
            None,
            None,
            None,
        )
    }
}

/// # Safety
/// As for [`define_int`].
pub unsafe fn define_real(
    name: &'static CStr,
    short: &'static CStr,
    value: *mut f64,
    default: f64,
    range: (f64, f64),
) {
    unsafe {
        pg_sys::DefineCustomRealVariable(
            name.as_ptr(),
            short.as_ptr(),
            core::ptr::null(),
            value,
            default,
            range.0,
            range.1,
            pg_sys::GucContext::PGC_USERSET,
            0,
            None,
            None,
            None,
        )
    }
}
