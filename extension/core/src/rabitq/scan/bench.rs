//! Timing of each available estimate kernel, ignored by default:
//! `cargo test --release -p ruvector-core scan::bench -- --ignored --nocapture`.
use super::CodeSlices;
use super::tests::{available_kernels, random_codes, random_prep};
use crate::testutil::Rng;
use std::time::Instant;

#[test]
#[ignore = "timing benchmark, not a check: run with `cargo test --release -- --ignored --nocapture`"]
fn bench_estimate_kernels() {
    // A list page's worth of codes many times over: the codes stay in cache, as the planes do
    // during a list scan, so this times the kernel rather than memory.
    const CODES: usize = 1000;
    const ROUNDS: usize = 2000;
    let mut rng = Rng::new(7);
    for dims in [384, 768] {
        let words = dims / 64;
        let prep = random_prep(&mut rng, words);
        let codes = random_codes(&mut rng, words, CODES);
        let slices = CodeSlices { bits: &codes.bits, norms: &codes.norms, dots: &codes.dots };
        let (mut d, mut b) = (alloc::vec![0.0; CODES], alloc::vec![0.0; CODES]);
        let mut scalar_ns = 0.0;
        for (name, kernel) in available_kernels() {
            kernel(&prep, slices, &mut d, &mut b); // warm up
            // Best of five runs: the machine is shared, and the minimum is the least disturbed.
            let best = (0..5)
                .map(|_| {
                    let started = Instant::now();
                    for _ in 0..ROUNDS {
                        kernel(&prep, core::hint::black_box(slices), &mut d, &mut b);
                        core::hint::black_box(&d);
                    }
                    started.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min);
            let ns = best * 1e9 / (CODES * ROUNDS) as f64;
            if name == "scalar" {
                scalar_ns = ns;
            }
            std::eprintln!("dims {dims}: {name:>6} {ns:6.2} ns/code, {:5.2}× scalar", scalar_ns / ns);
        }
    }
}
