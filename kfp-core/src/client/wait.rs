//! Waiting for a run to finish.

use std::time::{Duration, Instant};

use super::{Client, ClientError, RunDetail};

/// The states after which a run changes no more: kfp 1.8's (`wait_for_run_completion`)
/// and KFP 2's (`CANCELED`; the others are the v1 names in capitals).
pub const FINISHED_STATES: &[&str] = &["Succeeded", "Failed", "Skipped", "Error", "Canceled"];

/// Whether a run in state `status` has finished (case-insensitive, so both the
/// v1beta1 names, `Succeeded`, and the v2beta1 ones, `SUCCEEDED`, count).
pub fn is_finished(status: &str) -> bool {
    FINISHED_STATES.iter().any(|done| done.eq_ignore_ascii_case(status))
}

pub(super) fn wait_for_run(
    client: &Client,
    id: &str,
    timeout: Duration,
    poll: Duration,
    on_change: impl FnMut(&str),
) -> Result<RunDetail, ClientError> {
    poll_until_finished(id, timeout, poll, on_change, |deadline| {
        let detail = client.get_run_until(id, deadline)?;
        // A run the backend has not picked up yet has no status.
        let state = detail.run.as_ref().and_then(|run| run.status.clone()).unwrap_or_else(|| "Pending".to_owned());
        Ok((detail, state))
    })
}

/// Calls `fetch` (with the time by which it must have answered) every `poll`
/// until the state it returns is finished or `timeout` passes; `on_change` sees
/// each new state.
pub(super) fn poll_until_finished<T>(
    id: &str,
    timeout: Duration,
    poll: Duration,
    mut on_change: impl FnMut(&str),
    mut fetch: impl FnMut(Instant) -> Result<(T, String), ClientError>,
) -> Result<T, ClientError> {
    let start = Instant::now();
    let mut last: Option<String> = None;
    loop {
        let (run, state) = fetch(start + timeout)?;
        if last.as_deref() != Some(state.as_str()) {
            on_change(&state);
            last = Some(state.clone());
        }
        if is_finished(&state) {
            return Ok(run);
        }
        let waited = start.elapsed();
        if waited >= timeout {
            return Err(ClientError::Timeout { run_id: id.to_owned(), waited, last_state: state });
        }
        std::thread::sleep(poll.min(timeout - waited));
    }
}
