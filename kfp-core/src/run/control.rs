//! Stopping and pacing a run: the [`Cancel`] handle (signals), and the slots
//! that bound how many task processes run at once.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::Duration;

/// Stops a run from another thread (a signal handler): the first
/// [`cancel`](Cancel::cancel) kills the running tasks and starts no more, then
/// the exit handler runs; a second one stops the exit handler too.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<CancelState>);

#[derive(Debug, Default)]
struct CancelState {
    level: AtomicU8,
    reason: OnceLock<String>,
}

impl Cancel {
    /// A handle that has not been cancelled.
    pub fn new() -> Self {
        Cancel::default()
    }

    /// Stops the run (the first call) or its exit handler (the second); the
    /// stopped tasks and the report say `interrupted`.
    pub fn cancel(&self) {
        self.cancel_because("interrupted");
    }

    /// [`cancel`](Cancel::cancel), saying why (`stopped by SIGTERM`): the
    /// stopped tasks' and the report's message. The first reason given stays.
    pub fn cancel_because(&self, reason: impl Into<String>) {
        // The reason first: whoever sees the level raised reads it.
        let _ = self.0.reason.set(reason.into());
        let _ =
            self.0.level.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |level| Some(level.saturating_add(1).min(2)));
    }

    /// How many times the run was cancelled, at most 2.
    pub fn level(&self) -> u8 {
        self.0.level.load(Ordering::SeqCst)
    }

    /// Why the run was cancelled (`interrupted` unless a reason was given).
    pub fn reason(&self) -> &str {
        self.0.reason.get().map_or("interrupted", String::as_str)
    }
}

/// A counting semaphore: one slot per running task process.
pub(crate) struct Slots {
    free: Mutex<usize>,
    freed: Condvar,
}

impl Slots {
    pub(crate) fn new(count: usize) -> Self {
        Slots { free: Mutex::new(count.max(1)), freed: Condvar::new() }
    }

    /// A slot if one is free now.
    pub(crate) fn try_acquire(&self) -> Option<SlotGuard<'_>> {
        let mut free = self.free.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        (*free > 0).then(|| {
            *free -= 1;
            SlotGuard(self)
        })
    }

    /// Waits for a slot; `None` when `stopped` says to give up first.
    pub(crate) fn acquire(&self, stopped: &dyn Fn() -> bool) -> Option<SlotGuard<'_>> {
        let mut free = self.free.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        loop {
            if stopped() {
                return None;
            }
            if *free > 0 {
                *free -= 1;
                return Some(SlotGuard(self));
            }
            // Wake up now and then to notice a stop, which does not notify.
            free = self
                .freed
                .wait_timeout(free, Duration::from_millis(50))
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }
}

/// A held slot, given back when dropped.
pub(crate) struct SlotGuard<'a>(&'a Slots);

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        let mut free = self.0.free.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *free += 1;
        self.0.freed.notify_one();
    }
}
