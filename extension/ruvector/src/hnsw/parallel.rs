//! Parallel CREATE INDEX natively. pgvector runs parallel worker processes that insert into a
//! graph in shared memory; here the graph is Rust data in the leader's memory, so the work is
//! shared by threads of the leader's own backend instead. The heap scan stays in the leader;
//! rows are taken in batches, and the two heavy steps of each batch (the neighbour searches,
//! then the re-selection of every neighbour list that gains links) run on the threads — pure
//! Rust over the in-memory graph, no Postgres function is called off the main thread. See
//! `ruvector_core::hnsw` `parallel.rs` for the steps, and why the graph does not depend on
//! the number of threads. The number of participants follows pgvector:
//! `plan_create_index_workers` (`max_parallel_maintenance_workers`, the table's size and its
//! `parallel_workers` option) plus the leader. PGlite is one wasm thread: always serial.

use crate::index::value::ValueKind;
use pgrx::pg_sys;
use ruvector_core::hnsw::{Batch, Builder, HeapTid, Planner, Workers};

/// Rows batched for the build's threads (the leader's included).
pub struct ParallelRows {
    threads: Threads,
    batch: Batch,
}

/// How many workers besides the leader this build gets: pgvector's rule, but no more threads
/// in all than the machine has cores (each batch step waits for its slowest thread, and a thread
/// that shares a core is the slowest); 0 in PGlite.
///
/// # Safety
/// `heap` and `index` must be open relations.
pub unsafe fn workers_for(heap: pg_sys::Relation, index: pg_sys::Relation) -> usize {
    #[cfg(target_arch = "wasm32")]
    {
        let _ = (heap, index);
        0
    }
    #[cfg(not(target_arch = "wasm32"))]
    unsafe {
        let planned = pg_sys::plan_create_index_workers((*heap).rd_id, (*index).rd_id).max(0) as usize;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        planned.min(cores.saturating_sub(1))
    }
}

impl ParallelRows {
    pub fn new(workers: usize) -> ParallelRows {
        ParallelRows { threads: Threads((0..=workers).map(|_| Planner::new()).collect()), batch: Batch::new() }
    }

    /// Adds a row; inserts a batch into `builder` whenever one is full.
    pub fn push(&mut self, builder: &mut Builder<ValueKind>, vector: &[u8], tid: HeapTid) {
        self.batch.push(vector, tid);
        if self.batch.len() >= builder.batch_capacity() {
            self.flush(builder);
        }
    }

    /// Inserts the rows still waiting.
    pub fn flush(&mut self, builder: &mut Builder<ValueKind>) {
        if self.batch.is_empty() {
            return;
        }
        builder.insert_batch(&self.batch, &mut self.threads);
        self.batch.clear();
    }
}

/// The leader's thread and one more per worker, each with its planner (the leader's first).
struct Threads(Vec<Planner>);

impl Workers for Threads {
    /// The leader works on its own thread too.
    #[cfg(not(target_arch = "wasm32"))]
    fn run<T: Send>(&mut self, n: usize, task: &(dyn Fn(usize, &mut Planner) -> T + Sync)) -> Vec<T> {
        // Tasks vary a lot in cost (a list gaining one link or ten), so threads take the next
        // task as they finish one rather than a fixed share; results are placed by task number.
        let next = core::sync::atomic::AtomicUsize::new(0);
        let share = |_: usize, planner: &mut Planner| -> Vec<(usize, T)> {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
                if i >= n {
                    return done;
                }
                done.push((i, task(i, planner)));
            }
        };
        let (leader, others) = self.0.split_first_mut().expect("at least the leader");
        let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
            let handles: Vec<_> = others
                .iter_mut()
                .enumerate()
                .map(|(i, planner)| spawn_without_signals(scope, move || share(i + 1, planner)))
                .collect();
            let mut done = share(0, leader);
            for handle in handles {
                // A panic on a thread is re-raised here, in the leader, where pgrx makes it an ERROR.
                done.extend(handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
            }
            done
        });
        done.sort_unstable_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, result)| result).collect()
    }

    /// PGlite never builds in parallel (`workers_for` is 0); kept serial so the code compiles.
    #[cfg(target_arch = "wasm32")]
    fn run<T: Send>(&mut self, n: usize, task: &(dyn Fn(usize, &mut Planner) -> T + Sync)) -> Vec<T> {
        (0..n).map(|i| task(i, &mut self.0[0])).collect()
    }
}
/// Spawns a thread with every signal blocked: Postgres' handlers (cancel, terminate, latch
/// wake-ups) must run on the backend's own thread, which checks for interrupts between batches.
#[cfg(not(target_arch = "wasm32"))]
fn spawn_without_signals<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    work: impl FnOnce() -> T + Send + 'scope,
) -> std::thread::ScopedJoinHandle<'scope, T> {
    // SAFETY: plain sigset manipulation on zeroed sets; the old mask is restored right after
    // the spawn, so the leader only holds signals back for the duration of the call (the new
    // thread inherits the blocked mask).
    unsafe {
        let mut all: libc::sigset_t = core::mem::zeroed();
        let mut old: libc::sigset_t = core::mem::zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_BLOCK, &all, &mut old);
        let handle = scope.spawn(work);
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, core::ptr::null_mut());
        handle
    }
}
