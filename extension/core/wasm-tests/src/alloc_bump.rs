//! A bump allocator over a static arena: the checks allocate a few small vectors per case and the
//! module lives for one run, so nothing is ever freed.
use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

const ARENA_BYTES: usize = 128 << 20;

struct Bump(UnsafeCell<usize>);
unsafe impl Sync for Bump {}

static mut ARENA: [u8; ARENA_BYTES] = [0; ARENA_BYTES];

unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let next = unsafe { &mut *self.0.get() };
        let start = (*next + layout.align() - 1) & !(layout.align() - 1);
        if start + layout.size() > ARENA_BYTES {
            return core::ptr::null_mut();
        }
        *next = start + layout.size();
        unsafe { (&raw mut ARENA as *mut u8).add(start) }
    }
    unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
}

#[global_allocator]
static ALLOCATOR: Bump = Bump(UnsafeCell::new(0));
