//! The cron expressions a recurring run takes, checked before they are sent:
//! KFP's scheduler reads them with robfig/cron, six fields with the seconds
//! first (`0 0 3 * * *` is 03:00 every day), or a descriptor (`@daily`,
//! `@every 1h30m`).

/// One field: its name, the values it takes and the names that stand for values.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
    /// `?` (no specific value) is allowed: day of month and day of week.
    any: bool,
}

const MONTHS: &[&str] = &["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const FIELDS: [Field; 6] = [
    Field { name: "seconds", min: 0, max: 59, names: &[], any: false },
    Field { name: "minutes", min: 0, max: 59, names: &[], any: false },
    Field { name: "hours", min: 0, max: 23, names: &[], any: false },
    Field { name: "day of month", min: 1, max: 31, names: &[], any: true },
    Field { name: "month", min: 1, max: 12, names: MONTHS, any: true },
    Field { name: "day of week", min: 0, max: 6, names: DAYS, any: true },
];

const DESCRIPTORS: &[&str] = &["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

/// `Ok` when KFP's scheduler accepts `cron`; else what is wrong and how to write it.
pub fn check_cron(cron: &str) -> Result<(), String> {
    let cron = cron.trim();
    let fail = |why: String| Err(format!("cron expression `{cron}`: {why}"));
    if let Some(every) = cron.strip_prefix("@every ") {
        return match crate::go_duration::seconds(every.trim()) {
            Some(seconds) if seconds >= 1.0 => Ok(()),
            _ => fail(format!(
                "`{}` is not a duration of at least one second: write it as Go does, e.g. @every 1h30m, @every 90s",
                every.trim()
            )),
        };
    }
    if cron.starts_with('@') {
        if DESCRIPTORS.contains(&cron) {
            return Ok(());
        }
        return fail(format!("unknown descriptor: use one of {}, or @every DURATION", DESCRIPTORS.join(", ")));
    }
    let fields: Vec<&str> = cron.split_whitespace().collect();
    match fields.len() {
        6 => {}
        5 => {
            return fail(format!(
                "KFP's scheduler wants six fields, seconds first; for the five-field Unix form write `0 {cron}` (seconds minutes hours day-of-month month day-of-week)"
            ))
        }
        n => {
            return fail(format!(
                "has {n} fields; KFP's scheduler wants six, seconds first: seconds minutes hours day-of-month month day-of-week, e.g. `0 0 3 * * *` for 03:00 every day"
            ))
        }
    }
    for (text, field) in fields.iter().zip(&FIELDS) {
        if let Err(why) = check_field(text, field) {
            return fail(format!("{} field `{text}`: {why}", field.name));
        }
    }
    Ok(())
}

fn check_field(text: &str, field: &Field) -> Result<(), String> {
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((range, step)) => (range, Some(step)),
            None => (part, None),
        };
        if let Some(step) = step {
            match step.parse::<u32>() {
                Ok(step) if step >= 1 => {}
                _ => return Err(format!("the step `{step}` is not a whole number of at least 1")),
            }
        }
        if range == "*" || (range == "?" && field.any) {
            continue;
        }
        let (low, high) = match range.split_once('-') {
            Some((low, high)) => (value(low, field)?, value(high, field)?),
            None => {
                let value = value(range, field)?;
                // robfig/cron reads `N/step` as N to the field's maximum.
                (value, if step.is_some() { field.max } else { value })
            }
        };
        if low > high {
            return Err(format!("the range {range} runs backwards"));
        }
    }
    Ok(())
}

fn value(text: &str, field: &Field) -> Result<u32, String> {
    if let Some(index) = field.names.iter().position(|name| name.eq_ignore_ascii_case(text)) {
        return Ok(field.min + index as u32);
    }
    let allowed = if field.names.is_empty() {
        format!("{}-{}", field.min, field.max)
    } else {
        format!("{}-{} or {}-{}", field.min, field.max, field.names[0], field.names[field.names.len() - 1])
    };
    match text.parse::<u32>() {
        Ok(number) if (field.min..=field.max).contains(&number) => Ok(number),
        _ if text.is_empty() => Err(format!("a value is missing (values are {allowed}, `*`, lists and ranges)")),
        _ => Err(format!(
            "`{text}` is not a value of this field: use {allowed}, `*`, a list `a,b`, a range `a-b`, a step `*/n`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::check_cron;

    #[test]
    fn kfp_forms_pass() {
        for cron in [
            "0 0 3 * * *",
            "0 0 9 ? * 2-6",
            "0 */15 * * * *",
            "0 0/10 * * * ?",
            "30 5 1,13 1-15 JAN-jun mon-fri",
            "@daily",
            "@every 1h30m",
            "@every 90s",
        ] {
            assert_eq!(check_cron(cron), Ok(()), "{cron}");
        }
    }

    #[test]
    fn mistakes_are_named_with_the_fix() {
        let unix = check_cron("0 9 * * 1-5").unwrap_err();
        assert!(unix.contains("six fields, seconds first") && unix.contains("`0 0 9 * * 1-5`"), "{unix}");
        let short = check_cron("0 9").unwrap_err();
        assert!(short.contains("has 2 fields"), "{short}");
        let hour = check_cron("0 0 24 * * *").unwrap_err();
        assert!(hour.contains("hours field `24`") && hour.contains("0-23"), "{hour}");
        let month = check_cron("0 0 0 1 FOO *").unwrap_err();
        assert!(month.contains("month field `FOO`") && month.contains("JAN-DEC"), "{month}");
        assert!(check_cron("0 0 0 5-1 * *").unwrap_err().contains("runs backwards"));
        assert!(check_cron("0 */0 * * * *").unwrap_err().contains("step `0`"));
        assert!(check_cron("? 0 0 * * *").unwrap_err().contains("seconds field"));
        assert!(check_cron("@sometimes").unwrap_err().contains("@daily"));
        assert!(check_cron("@every soon").unwrap_err().contains("@every 1h30m"));
        assert!(check_cron("").unwrap_err().contains("has 0 fields"));
    }
}
