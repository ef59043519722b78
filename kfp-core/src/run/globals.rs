//! Argo's global variables (`workflow.*`) and pod names in a local run, with
//! the values Argo v3.3's controller gives them (`setGlobalParameters`).

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};
use std::time::{SystemTime, UNIX_EPOCH};

use super::vars::Scope;
use crate::argo::{Parameter, Workflow};
use crate::compiler::clock::civil_from_days;

/// The strftime characters `{{workflow.creationTimestamp.<c>}}` accepts (Argo's
/// `strftime.FormatChars`); `s` (epoch seconds) and `RFC3339` are the other forms.
pub(crate) const TIMESTAMP_CHARS: &str = "BbmAadHIMSYypZzL";

/// The `workflow.*` variables of run `name` of `workflow`, started at `created`,
/// with the run's parameter values `params`.
///
/// `workflow.parameters.<name>` is the value as given, not substituted: Argo
/// sets it before it substitutes the globals in `spec.arguments`.
pub(crate) fn globals(
    workflow: &Workflow,
    name: &str,
    params: &BTreeMap<String, String>,
    created: SystemTime,
) -> Scope {
    let mut scope = Scope::default();
    let meta = &workflow.metadata;
    scope.set("workflow.name", name);
    // No cluster, so the Workflow's own namespace, or the one `kubectl create` would use.
    let namespace = meta.namespace.as_deref().filter(|ns| !ns.is_empty()).unwrap_or("default");
    scope.set("workflow.namespace", namespace);
    scope.set("workflow.uid", uuid_v4());
    scope.set("workflow.mainEntrypoint", workflow.spec.entrypoint.clone());
    scope.set("workflow.serviceAccountName", workflow.spec.service_account_name.clone().unwrap_or_default());
    if let Some(priority) = workflow.spec.priority {
        scope.set("workflow.priority", priority.to_string());
    }
    let seconds = created.duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs() as i64);
    let rfc3339 = Utc::at(seconds).rfc3339();
    scope.set("workflow.creationTimestamp", rfc3339.clone());
    scope.set("workflow.creationTimestamp.RFC3339", rfc3339);
    scope.set("workflow.creationTimestamp.s", seconds.to_string());
    for c in TIMESTAMP_CHARS.chars() {
        scope.set(format!("workflow.creationTimestamp.{c}"), Utc::at(seconds).strftime(c));
    }
    for (key, value) in params {
        scope.set(format!("workflow.parameters.{key}"), value.clone());
    }
    // As Argo marshals `spec.arguments.parameters`, with the run's values.
    let declared: Vec<Parameter> = workflow
        .spec
        .arguments
        .parameters
        .iter()
        .map(|param| Parameter { value: params.get(&param.name).cloned(), ..param.clone() })
        .collect();
    scope.set("workflow.parameters", serde_json::to_string(&declared).unwrap_or_default());
    scope.set("workflow.annotations", serde_json::to_string(&meta.annotations).unwrap_or_default());
    for (key, value) in meta.annotations.iter().flatten() {
        scope.set(format!("workflow.annotations.{key}"), value.clone());
    }
    scope.set("workflow.labels", serde_json::to_string(&meta.labels).unwrap_or_default());
    for (key, value) in meta.labels.iter().flatten() {
        scope.set(format!("workflow.labels.{key}"), value.clone());
    }
    scope
}

/// The name of the pod of node `node_id` (`condition-1.flip`, empty for the
/// workflow's own node) in workflow `workflow`, formed as Argo v3.3 forms it by
/// default (`POD_NAMES=v1`): `<workflow>-<FNV-1a of the node's name>`. A
/// template with a retry strategy runs each attempt as child node `<node>(<attempt>)`.
pub(crate) fn pod_name(workflow: &str, node_id: &str, attempt: Option<u32>) -> String {
    let mut node = if node_id.is_empty() { workflow.to_owned() } else { format!("{workflow}.{node_id}") };
    if let Some(attempt) = attempt {
        node = format!("{node}({attempt})");
    }
    if node == workflow {
        return node;
    }
    let hash = node.bytes().fold(0x811c_9dc5_u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193));
    format!("{workflow}-{hash}")
}

/// A random (version 4) UUID, as Kubernetes gives every object.
pub(crate) fn uuid_v4() -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_nanos());
    // std's RandomState is seeded from the OS's random source.
    let half = |salt: u64| {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(nanos);
        hasher.write_u32(std::process::id());
        hasher.write_u64(salt);
        hasher.finish().to_be_bytes()
    };
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&half(0));
    bytes[8..].copy_from_slice(&half(1));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// A time in UTC, to the second (Kubernetes' creationTimestamp precision).
struct Utc {
    year: i64,
    month: u32,
    day: u32,
    /// 0 is Sunday.
    weekday: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

impl Utc {
    /// The UTC time `seconds` after the Unix epoch.
    fn at(seconds: i64) -> Utc {
        let days = seconds.div_euclid(86_400);
        let of_day = seconds.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        Utc {
            year,
            month,
            day,
            weekday: (days + 4).rem_euclid(7) as u32, // 1970-01-01 was a Thursday
            hour: of_day / 3600,
            minute: of_day / 60 % 60,
            second: of_day % 60,
        }
    }

    /// `2018-08-23T05:42:49Z`.
    fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// One of [`TIMESTAMP_CHARS`] formatted as Go's layout for it does.
    fn strftime(&self, c: char) -> String {
        let month = MONTHS[self.month as usize - 1];
        let weekday = WEEKDAYS[self.weekday as usize];
        match c {
            'B' => month.to_owned(),
            'b' => month[..3].to_owned(),
            'm' => format!("{:02}", self.month),
            'A' => weekday.to_owned(),
            'a' => weekday[..3].to_owned(),
            'd' => format!("{:02}", self.day),
            'H' => format!("{:02}", self.hour),
            'I' => format!("{:02}", (self.hour + 11) % 12 + 1),
            'M' => format!("{:02}", self.minute),
            'S' => format!("{:02}", self.second),
            'Y' => format!("{:04}", self.year),
            'y' => format!("{:02}", self.year.rem_euclid(100)),
            'p' => (if self.hour < 12 { "AM" } else { "PM" }).to_owned(),
            'Z' => "UTC".to_owned(),
            'z' => "+0000".to_owned(),
            'L' => ".000".to_owned(),
            other => format!("%{other}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_as_argos() {
        // Argo's documented example, 2018-08-23T05:42:49Z.
        let time = Utc::at(1_535_002_969);
        assert_eq!(time.rfc3339(), "2018-08-23T05:42:49Z");
        let forms: String = TIMESTAMP_CHARS.chars().map(|c| format!("{}|", time.strftime(c))).collect();
        assert_eq!(forms, "August|Aug|08|Thursday|Thu|23|05|05|42|49|2018|18|AM|UTC|+0000|.000|");
        assert_eq!(Utc::at(0).rfc3339(), "1970-01-01T00:00:00Z");
        // A leap day, and noon as 12 PM.
        let leap = Utc::at(951_825_600);
        assert_eq!(
            (leap.rfc3339(), leap.strftime('I'), leap.strftime('p')),
            ("2000-02-29T12:00:00Z".into(), "12".into(), "PM".into())
        );
    }

    #[test]
    fn pod_names_are_argos_node_ids() {
        assert_eq!(pod_name("wf-x", "", None), "wf-x");
        // FNV-1a 32 of "wf-x.a" and of "wf-x.a(1)", as Go's hash/fnv gives them.
        assert_eq!(pod_name("wf-x", "a", None), "wf-x-1897832360");
        assert_eq!(pod_name("wf-x", "a", Some(1)), "wf-x-133726526");
        assert_ne!(pod_name("wf-x", "a", Some(0)), pod_name("wf-x", "a", Some(1)));
    }

    #[test]
    fn uids_are_random_version_4_uuids() {
        let (a, b) = (uuid_v4(), uuid_v4());
        assert_ne!(a, b);
        let groups: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "{a}");
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
        assert_eq!(&a[14..15], "4");
        assert!("89ab".contains(&a[19..20]), "{a}");
    }
}
