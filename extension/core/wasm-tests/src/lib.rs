//! Kernel checks compiled for wasm32, exported to a Node driver (`run.mjs`).
//! `run()` returns the number of failed checks; `first_failure()` names the first one.
#![no_std]
extern crate alloc;

mod alloc_bump;
mod checks;
mod ivf_scan;
mod rabitq;
mod reference;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

#[unsafe(no_mangle)]
pub extern "C" fn active_path() -> u32 {
    ruvector_core::distance::active_path() as u32
}

#[unsafe(no_mangle)]
pub extern "C" fn run() -> u32 {
    checks::run_all()
}

#[unsafe(no_mangle)]
pub extern "C" fn first_failure() -> u32 {
    checks::first_failure()
}
