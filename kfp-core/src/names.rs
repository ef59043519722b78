//! The names kfp gives tasks, templates and pipelines, and their deduplication; the files and Argo names
//! it gives a component's inputs and outputs.

use std::fmt::Write as _;

use foldhash::{HashMap, HashSet};

/// kfp's name for a task or pipeline: lowercase words joined by `-`, only
/// `[-0-9a-z]`, no leading digit from the human name (`2nd step` -> `n2nd-step`).
/// Returns `None` when nothing is left (`첫 번째`).
pub fn sanitize(name: &str) -> Option<String> {
    // kfp's _normalize_identifier_name: non-word characters and `_` become
    // spaces, runs collapse, a leading digit gets `n`.
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).collect();
    let mut normalized = words.join("-");
    if normalized.starts_with(|c: char| c.is_numeric()) {
        normalized.insert(0, 'n');
    }
    // kfp's sanitize_k8s_name: runs of anything outside `[-0-9a-z]` become `-`.
    let mut sanitized = String::with_capacity(normalized.len());
    for c in normalized.chars() {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() { c } else { '-' };
        if !(c == '-' && (sanitized.is_empty() || sanitized.ends_with('-'))) {
            sanitized.push(c);
        }
    }
    let sanitized = sanitized.trim_end_matches('-');
    // Argo refuses DAG task names that start with a digit; kfp's own `n` prefix
    // above covers ASCII names, this covers digits uncovered by the ASCII pass.
    match sanitized.chars().next() {
        None => None,
        Some(first) if first.is_ascii_digit() => Some(format!("n{sanitized}")),
        Some(_) => Some(sanitized.to_owned()),
    }
}

/// kfp's `sanitize_k8s_name(name)`: lowercase, every run of characters outside
/// `[-0-9a-z]` and of `-` becomes one `-`, no `-` at either end.
pub fn sanitize_k8s_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.to_lowercase().chars() {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() { c } else { '-' };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out.trim_matches('-').to_owned()
}

/// Hands out unique names: a taken name gets `-2`, `-3`, ... as kfp does, in
/// amortized constant time (kfp restarts at 2 for every name).
#[derive(Debug, Default)]
pub struct UniqueNames {
    taken: HashSet<String>,
    next_suffix: HashMap<String, u64>,
}

impl UniqueNames {
    /// Marks `name` as taken without handing it out.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// kfp's task names: each human name sanitized (`task` when nothing is left of it), then
    /// made unique. Tasks of one component come in runs with one human name (a loop in the
    /// pipeline function): each run is sanitized once.
    pub fn sanitized<'a>(&mut self, human_names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let mut last: Option<(&str, String)> = None;
        (human_names.into_iter())
            .map(|human| {
                let base = match &last {
                    Some((name, base)) if *name == human => base,
                    _ => &last.insert((human, sanitize(human).unwrap_or_else(|| "task".to_owned()))).1,
                };
                self.unique(base)
            })
            .collect()
    }

    /// `base` if free, else the first free `base-N` with N >= 2.
    pub fn unique(&mut self, base: &str) -> String {
        // Looked up before any copy is made: a pipeline names thousands of tasks.
        if !self.taken.contains(base) {
            self.taken.insert(base.to_owned());
            return base.to_owned();
        }
        let suffix = match self.next_suffix.get_mut(base) {
            Some(suffix) => suffix,
            None => self.next_suffix.entry(base.to_owned()).or_insert(2),
        };
        let mut candidate = String::with_capacity(base.len() + 4);
        loop {
            candidate.clear();
            let _ = write!(candidate, "{base}-{suffix}");
            *suffix += 1;
            if !self.taken.contains(&candidate) {
                self.taken.insert(candidate.clone());
                return candidate;
            }
        }
    }
}

/// The outputs KFP's UI reads from Argo's artifact store, by their artifact names.
pub(crate) const UI_ARTIFACTS: [&str; 2] = ["mlpipeline-ui-metadata", "mlpipeline-metrics"];

/// The artifact name KFP's UI reads that output `output` takes, if it is one of
/// [`UI_ARTIFACTS`].
pub(crate) fn ui_artifact(output: &str) -> Option<&'static str> {
    UI_ARTIFACTS.iter().copied().find(|ui| names_ui_artifact(output, ui))
}

/// Whether `output`, lowercased and with every character but ASCII letters and
/// digits made a `-`, is `ui` (kfp's normalization, without building the text:
/// every output of every task is tested).
fn names_ui_artifact(output: &str, ui: &str) -> bool {
    let normalized = output.chars().flat_map(char::to_lowercase);
    normalized.map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).eq(ui.chars())
}

/// kfp's `_sanitize_file_name`: runs outside `[-_.0-9a-zA-Z]` become one `_`.
fn file_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('_');
            in_run = true;
        }
    }
    out
}

/// The local path kfp gives input `name`.
pub(crate) fn input_path(name: &str) -> String {
    format!("/tmp/inputs/{}/data", file_name(name))
}

/// The local path kfp gives output `name`.
pub(crate) fn output_path(name: &str) -> String {
    format!("/tmp/outputs/{}/data", file_name(name))
}

/// kfp's `sanitize_k8s_name(name, allow_capital_underscore=True)`: runs outside
/// `[-_0-9A-Za-z]` become `-`, repeated `-` collapse, leading and trailing `-` go.
/// Output parameter and artifact names are made from it.
pub(crate) fn k8s_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    push_k8s_name(&mut out, name);
    out
}

/// kfp's name of output `output` of task `task`, as a parameter and an
/// artifact: `task-<k8s_name(output)>`.
pub(crate) fn output_name(task: &str, output: &str) -> String {
    let mut name = String::with_capacity(task.len() + 1 + output.len());
    name.push_str(task);
    name.push('-');
    push_k8s_name(&mut name, output);
    name
}

/// Appends [`k8s_name`]`(name)` to `out`, which may already hold a prefix.
fn push_k8s_name(out: &mut String, name: &str) {
    let start = out.len();
    for c in name.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '-' };
        // No `-` leads, and runs of `-` collapse, so at most one trails.
        if c == '-' && (out.len() == start || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    if out.len() > start && out.ends_with('-') {
        out.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes_like_kfp() {
        assert_eq!(sanitize("Add").as_deref(), Some("add"));
        assert_eq!(sanitize("add example").as_deref(), Some("add-example"));
        assert_eq!(sanitize("  Flip  a_coin!! ").as_deref(), Some("flip-a-coin"));
        assert_eq!(sanitize("2nd step").as_deref(), Some("n2nd-step"));
        assert_eq!(sanitize("Add numbers").as_deref(), Some("add-numbers"));
        assert_eq!(sanitize("é op").as_deref(), Some("op"));
        assert_eq!(sanitize("é1 op").as_deref(), Some("n1-op"));
        assert_eq!(sanitize("첫 번째"), None);
        assert_eq!(sanitize("___"), None);
    }

    #[test]
    fn k8s_names_like_kfp() {
        assert_eq!(sanitize_k8s_name("My PVC"), "my-pvc");
        assert_eq!(sanitize_k8s_name("--a__b--"), "a-b");
        assert_eq!(sanitize_k8s_name("step1-snap"), "step1-snap");
    }

    #[test]
    fn deduplicates_like_kfp() {
        let mut names = UniqueNames::default();
        let got: Vec<String> = ["add", "add", "add-2", "add"].iter().map(|n| names.unique(n)).collect();
        assert_eq!(got, ["add", "add-2", "add-2-2", "add-3"]);
    }

    #[test]
    fn sanitizes_before_deduplicating() {
        // kfp deduplicates first and loses one of these two templates.
        let mut names = UniqueNames::default();
        let a = names.unique(&sanitize("é op").unwrap());
        let b = names.unique(&sanitize("è op").unwrap());
        assert_eq!((a.as_str(), b.as_str()), ("op", "op-2"));
    }

    #[test]
    fn skips_names_taken_by_others() {
        let mut names = UniqueNames::default();
        names.reserve("add-3");
        let got: Vec<String> = (0..4).map(|_| names.unique("add")).collect();
        assert_eq!(got, ["add", "add-2", "add-4", "add-5"]);
    }

    #[test]
    fn k8s_names_keep_case_and_underscores() {
        assert_eq!(k8s_name("Output"), "Output");
        assert_eq!(k8s_name("out data"), "out-data");
        assert_eq!(k8s_name("  a//b_C "), "a-b_C");
        assert_eq!(k8s_name("é"), "");
        assert_eq!(k8s_name("--a--b--"), "a-b");
        assert_eq!(output_name("task", " -Out put- "), "task-Out-put");
    }

    #[test]
    fn ui_artifacts_are_named_in_any_case_and_punctuation() {
        assert!(names_ui_artifact("MLPipeline_Metrics", "mlpipeline-metrics"));
        assert!(names_ui_artifact("mlpipeline ui.metadata", "mlpipeline-ui-metadata"));
        assert!(!names_ui_artifact("mlpipeline-metrics2", "mlpipeline-metrics"));
        assert!(!names_ui_artifact("mlpipeline-metric", "mlpipeline-metrics"));
        // Any other character, one byte or more, stands for one `-`.
        assert!(names_ui_artifact("mlpipelineémetrics", "mlpipeline-metrics"));
    }
}
