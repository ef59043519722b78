//! Go's duration syntax (`1h30m`, `500ms`, `1.5h`), as Argo reads a retry's
//! backoff and KFP's scheduler reads `@every`.

/// Seconds of `text` written as Go's `time.ParseDuration` reads it; `None` for
/// anything else (a bare number, an unknown unit, nothing).
pub(crate) fn seconds(text: &str) -> Option<f64> {
    let mut rest = text;
    let mut total = 0.0_f64;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let number: f64 = rest[..number_len].parse().ok()?;
        rest = &rest[number_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        total += number * scale;
        rest = &rest[unit_len..];
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::seconds;

    #[test]
    fn go_durations() {
        assert_eq!(seconds("1h30m"), Some(5400.0));
        assert_eq!(seconds("500ms"), Some(0.5));
        assert_eq!(seconds("1.5s"), Some(1.5));
        for text in ["", "10", "s", "10x", "abc", "1m-3s"] {
            assert_eq!(seconds(text), None, "{text}");
        }
    }
}
