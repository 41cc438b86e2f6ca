//! Index options (`WITH (...)`) as `build_reloptions` wants them described.

use core::ffi::{CStr, c_char, c_int};
use pgrx::pg_sys;

/// An integer option stored at `offset` of the AM's options struct.
pub fn int_option(name: &'static CStr, offset: usize) -> pg_sys::relopt_parse_elt {
    pg_sys::relopt_parse_elt {
        optname: name.as_ptr() as *const c_char,
        opttype: pg_sys::relopt_type::RELOPT_TYPE_INT,
        offset: offset as c_int,
        // PostgreSQL 18 can record whether an option was given; we have no use for it.
        #[cfg(feature = "pg18")]
        isset_offset: 0,
    }
}
