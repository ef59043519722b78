//! Waiting for a run to finish.

use std::time::{Duration, Instant};

use super::{Client, ClientError, RunDetail};

/// The states after which a run changes no more (as kfp 1.8's `wait_for_run_completion`).
pub const FINISHED_STATES: &[&str] = &["Succeeded", "Failed", "Skipped", "Error"];

/// Whether a run in state `status` has finished (case-insensitive).
pub fn is_finished(status: &str) -> bool {
    FINISHED_STATES.iter().any(|done| done.eq_ignore_ascii_case(status))
}

pub(super) fn wait_for_run(
    client: &Client,
    id: &str,
    timeout: Duration,
    poll: Duration,
    mut on_change: impl FnMut(&str),
) -> Result<RunDetail, ClientError> {
    let start = Instant::now();
    let mut last: Option<String> = None;
    loop {
        let detail = client.get_run_until(id, start + timeout)?;
        // A run the backend has not picked up yet has no status.
        let state = detail.run.as_ref().and_then(|run| run.status.clone()).unwrap_or_else(|| "Pending".to_owned());
        if last.as_deref() != Some(state.as_str()) {
            on_change(&state);
            last = Some(state.clone());
        }
        if is_finished(&state) {
            return Ok(detail);
        }
        let waited = start.elapsed();
        if waited >= timeout {
            return Err(ClientError::Timeout { run_id: id.to_owned(), waited, last_state: state });
        }
        std::thread::sleep(poll.min(timeout - waited));
    }
}
