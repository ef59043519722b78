//! Argo durations: a number of seconds (`10`) or Go's duration syntax (`1m30s`, `500ms`, `2h`).

use std::time::Duration;

/// Parses `text` as Argo reads `backoff.duration`, `cap` and `timeout`.
pub(crate) fn parse(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    let invalid = || format!("`{text}` is not a duration: write seconds (`30`) or a Go duration (`1m30s`, `500ms`)");
    // try_: a duration past what `Duration` holds is an error, not a panic.
    crate::go_duration::seconds(text).and_then(|seconds| Duration::try_from_secs_f64(seconds).ok()).ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::parse;
    use std::time::Duration;

    #[test]
    fn seconds_and_go_durations() {
        assert_eq!(parse("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse("1.5s"), Ok(Duration::from_millis(1500)));
    }

    #[test]
    fn nonsense_is_an_error() {
        let too_long = format!("{}h", "9".repeat(400));
        for text in ["", "s", "10x", "abc", "1m-3s", &too_long] {
            assert!(parse(text).is_err(), "{text}");
        }
    }
}
