//! A Workflow's size as the cluster stores it: its JSON, with every YAML alias
//! expanded. Argo refuses a Workflow over 1 MiB of it ("workflow is longer than
//! maximum allowed size", its `MAX_WORKFLOW_SIZE`), etcd an object over 1.5 MiB.

use std::fmt;
use std::io;

use serde::Serialize;

use super::{Template, TemplateType, Workflow};

const COMPONENT_SPEC: &str = "pipelines.kubeflow.org/component_spec";

/// Argo's default `MAX_WORKFLOW_SIZE`: 1 MiB of JSON.
pub const DEFAULT_MAX_WORKFLOW_BYTES: usize = 1024 * 1024;

/// The bytes of `value` as the cluster stores it: compact JSON as Go's
/// `encoding/json` writes it, counted without writing it.
pub fn json_bytes(value: &impl Serialize) -> usize {
    let mut counter = Counter(0);
    // serde_json writes a byte or a word at a time: counted in blocks, each is scanned once.
    let mut buffered = io::BufWriter::with_capacity(1 << 14, &mut counter);
    // Writing to a counter fails only for a value serde_json cannot write, which our model has none of.
    let _ = serde_json::to_writer(&mut buffered, value);
    let _ = io::Write::flush(&mut buffered);
    drop(buffered);
    counter.0
}

/// Counts what serde_json writes, plus what Go's `encoding/json` writes more:
/// it escapes `<`, `>` and `&` as `\u003c` (6 bytes for 1), and U+2028 and
/// U+2029 as `\u2028` (6 for 3). Those bytes stand only inside strings; a
/// separator split between two blocks is missed, a count off by 3 bytes.
struct Counter(usize);

impl io::Write for Counter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let html = memchr::memchr3_iter(b'<', b'>', b'&', bytes).count();
        let separators = (memchr::memchr_iter(0xe2, bytes))
            .filter(|&at| bytes.get(at + 1) == Some(&0x80) && matches!(bytes.get(at + 2), Some(0xa8 | 0xa9)))
            .count();
        self.0 += bytes.len() + 5 * html + 3 * separators;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A Workflow over its size limit: how large, and what takes the room.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooLarge {
    /// The Workflow's JSON bytes.
    pub bytes: usize,
    /// The limit it is over.
    pub limit: usize,
    /// The largest parts, largest first (at most three).
    pub parts: Vec<Part>,
    /// Whether some component has a template per task, which shared templates would merge.
    pub shareable: bool,
}

/// Templates of one kind, and their JSON bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// What they are: "component `Add`", "DAG `big-pipeline`".
    pub what: String,
    /// How many templates.
    pub templates: usize,
    /// DAG tasks, for a DAG.
    pub tasks: usize,
    /// Their JSON bytes together.
    pub bytes: usize,
}

/// `None` when `workflow` is at most `limit` bytes of JSON; else what is too large.
pub fn check_size(workflow: &Workflow, limit: usize) -> Option<TooLarge> {
    let bytes = json_bytes(workflow);
    (bytes > limit).then(|| TooLarge { bytes, limit, parts: largest_parts(workflow), shareable: shareable(workflow) })
}

fn largest_parts(workflow: &Workflow) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    for template in &workflow.spec.templates {
        let (what, tasks) = describe(template);
        let bytes = json_bytes(template);
        match parts.iter_mut().find(|part| part.what == what) {
            Some(part) => {
                part.templates += 1;
                part.tasks += tasks;
                part.bytes += bytes;
            }
            None => parts.push(Part { what, templates: 1, tasks, bytes }),
        }
    }
    parts.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.what.cmp(&b.what)));
    parts.truncate(3);
    parts
}

/// What a template is, for the report: its component, or its kind and name.
fn describe(template: &Template) -> (String, usize) {
    if let Some(dag) = &template.dag {
        return (format!("DAG `{}`", template.name), dag.tasks.len());
    }
    if let Some(name) = component_name(template) {
        return (format!("component `{name}`"), 0);
    }
    let kind = match template.template_type() {
        Some(TemplateType::Resource) => "resource template",
        Some(TemplateType::Container) => "container",
        _ => "template",
    };
    (format!("{kind} `{}`", template.name), 0)
}

/// The `name` of the template's `pipelines.kubeflow.org/component_spec` annotation.
fn component_name(template: &Template) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Named {
        name: String,
    }
    let spec = template.metadata.annotations.get(COMPONENT_SPEC)?;
    serde_json::from_str::<Named>(spec).ok().map(|named| named.name)
}

/// Whether tasks could share templates: two templates have one component's
/// spec, and the Workflow is of kfp's shape (each task runs its own template).
fn shareable(workflow: &Workflow) -> bool {
    let templates = &workflow.spec.templates;
    let dag_names: std::collections::HashSet<&str> =
        templates.iter().filter(|t| t.dag.is_some()).map(|t| t.name.as_str()).collect();
    let dags = templates.iter().filter_map(|template| template.dag.as_ref());
    let kfp_shaped = (dags.flat_map(|dag| &dag.tasks))
        .all(|task| task.name == task.template || dag_names.contains(task.template.as_str()));
    let mut seen = std::collections::HashSet::new();
    let specs = templates.iter().filter_map(|template| template.metadata.annotations.get(COMPONENT_SPEC));
    kfp_shaped && specs.map(|spec| spec.as_str()).any(|spec| !seen.insert(spec))
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the Workflow is {} of JSON, over the limit of {} (Argo refuses a Workflow over its MAX_WORKFLOW_SIZE, 1 MiB by default, and etcd one over 1.5 MiB)",
            bytes(self.bytes),
            bytes(self.limit)
        )?;
        let parts: Vec<String> = self.parts.iter().map(Part::to_string).collect();
        if !parts.is_empty() {
            write!(f, "; the room goes to {}", parts.join(", "))?;
        }
        write!(f, ". Fix: ")?;
        if self.shareable {
            write!(
                f,
                "compile with shared templates (`Compiler::new().share_templates(true)`, `--share-templates`), so the tasks of one component run one template; or "
            )?;
        }
        write!(
            f,
            "loop over your data with a ParallelFor instead of recording a task per item, or split the pipeline; if your cluster takes larger Workflows, raise the limit (`Compiler::max_workflow_bytes`, `--max-workflow-bytes`)"
        )
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.tasks > 0 {
            return write!(f, "{} with {} tasks, {}", self.what, count(self.tasks), bytes(self.bytes));
        }
        match self.templates {
            1 => write!(f, "1 template of {}, {}", self.what, bytes(self.bytes)),
            n => write!(f, "{} templates of {}, {} each", count(n), self.what, bytes(self.bytes / n)),
        }
    }
}

/// `1,234,567`.
fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `812 B`, `14.0 KB`, `1.4 MiB (1,468,006 bytes)`.
fn bytes(n: usize) -> String {
    const KIB: usize = 1024;
    match n {
        n if n < KIB => format!("{n} B"),
        n if n < KIB * KIB => format!("{:.1} KB", n as f64 / KIB as f64),
        n => format!("{:.2} MiB ({} bytes)", n as f64 / (KIB * KIB) as f64, count(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::{bytes, count, json_bytes};

    #[test]
    fn json_is_counted_as_go_writes_it() {
        // Go: {"a":"x\u003cy\u003e\u0026","b":"\u2028한"}
        let value = serde_json::json!({"a": "x<y>&", "b": "\u{2028}한"});
        assert_eq!(json_bytes(&value), r#"{"a":"x\u003cy\u003e\u0026","b":"\u2028한"}"#.len());
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(bytes(812), "812 B");
        assert_eq!(bytes(14 * 1024), "14.0 KB");
        assert_eq!(bytes(1024 * 1024), "1.00 MiB (1,048,576 bytes)");
    }
}
