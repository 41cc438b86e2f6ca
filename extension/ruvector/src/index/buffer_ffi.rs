//! The three buffer-manager calls an index scan makes per page it reads, bound directly rather
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

use pgrx::pg_sys::{BlockNumber, Buffer, BufferAccessStrategy, ForkNumber, ReadBufferMode, Relation};

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
    pub fn ReleaseBuffer(buffer: Buffer);
}
