//! The buffer-manager calls an index scan makes per page it reads, bound directly rather
//! than through pgrx's guarded `pg_sys` wrappers.
//!
//! Why: a guarded call sets up a `sigsetjmp` natively and, in PGlite, goes through a JavaScript
//! `invoke_*` trampoline; a search reads a page for every element it visits (thousands per
//! query), and that overhead was most of a visit's cost. Declared `extern "C"` (cannot unwind),
//! so LLVM needs no landing pad around them either.
//!
//! Why it is acceptable: these calls raise an ERROR only on I/O failure or a corrupt page. Such
//! an ERROR longjmps straight to Postgres' handler, skipping the Rust frames in between; those
//! frames hold only heap memory (search scratch) and no locks or pins of ours, so the cost of
//! that rare path is a leak, never a wrong answer. Postgres releases the buffer pins and locks
//! at transaction abort as it does for C access methods.

use crate::host_fn;
use pgrx::pg_sys::{BlockNumber, Buffer, BufferAccessStrategy, ForkNumber, ReadBufferMode, Relation};

mod by_name {
    use super::*;
    unsafe extern "C" {
        pub fn ReadBufferExtended(
            reln: Relation,
            fork: ForkNumber::Type,
            block: BlockNumber,
            mode: ReadBufferMode::Type,
            strategy: BufferAccessStrategy,
        ) -> Buffer;
        pub fn LockBuffer(buffer: Buffer, mode: core::ffi::c_int);
        pub fn UnlockReleaseBuffer(buffer: Buffer);
    }
}

// Called through the function table: in PGlite a call by name goes through a JS stub
// (`crate::host_fn`), three of them per page read.

/// # Safety
/// As Postgres' `ReadBufferExtended`.
#[inline(always)]
#[allow(non_snake_case)]
pub unsafe fn ReadBufferExtended(
    reln: Relation,
    fork: ForkNumber::Type,
    block: BlockNumber,
    mode: ReadBufferMode::Type,
    strategy: BufferAccessStrategy,
) -> Buffer {
    unsafe { host_fn::table(by_name::ReadBufferExtended as unsafe extern "C" fn(_, _, _, _, _) -> _)(reln, fork, block, mode, strategy) }
}

/// # Safety
/// As Postgres' `LockBuffer`.
#[inline(always)]
#[allow(non_snake_case)]
pub unsafe fn LockBuffer(buffer: Buffer, mode: core::ffi::c_int) {
    unsafe { host_fn::table(by_name::LockBuffer as unsafe extern "C" fn(_, _))(buffer, mode) }
}

/// # Safety
/// As Postgres' `UnlockReleaseBuffer`.
#[inline(always)]
#[allow(non_snake_case)]
pub unsafe fn UnlockReleaseBuffer(buffer: Buffer) {
    unsafe { host_fn::table(by_name::UnlockReleaseBuffer as unsafe extern "C" fn(_))(buffer) }
}

/// `BufferGetPage`, computed here as the C macro does. pgrx binds it for PostgreSQL 16+ to a C
/// shim behind a guarded call: a `sigsetjmp` natively and a JS `invoke_*` trampoline in PGlite,
/// for what is an addition (it cannot raise an ERROR). Every page a search reads asks for it.
///
/// # Safety
/// `buffer` must be a valid, pinned buffer.
#[inline(always)]
#[allow(non_snake_case)]
pub unsafe fn BufferGetPage(buffer: Buffer) -> pgrx::pg_sys::Page {
    unsafe {
        if buffer < 0 {
            // Local buffers (the index of a temporary table).
            *pgrx::pg_sys::LocalBufferBlockPointers.offset((-buffer - 1) as isize) as pgrx::pg_sys::Page
        } else {
            pgrx::pg_sys::BufferBlocks.add((buffer as usize - 1) * pgrx::pg_sys::BLCKSZ as usize)
                as pgrx::pg_sys::Page
        }
    }
}
