//! Each task runs in its own scratch root: the absolute paths a template
//! declares (its artifacts' `path`, its output parameters' `valueFrom.path`)
//! and kfp's `/tmp/inputs/` and `/tmp/outputs/` trees are rewritten to lie
//! under `<root>/fs`, so two tasks that write `/tmp/outputs/Output/data`
//! never collide and nothing is written outside the run directory. A mounted
//! volume's `mountPath` is rewritten to the volume's directory instead
//! ([`volumes`](super::volumes)): a claim's directory of the run, a task's
//! `emptyDir`, a `hostPath`.

use std::path::{Path, PathBuf};

use crate::argo::Template;

/// kfp's fixed trees, rewritten wherever they appear.
const KFP_TREES: &[&str] = &["/tmp/inputs/", "/tmp/outputs/"];

/// The path rewriting of one task.
#[derive(Clone, Debug)]
pub(crate) struct Rewriter {
    fs_root: PathBuf,
    /// Declared absolute paths, longest first so `/tmp/a/b` wins over `/tmp/a`.
    declared: Vec<String>,
    /// Mount paths and the directories they show, longest path first.
    mounts: Vec<(String, PathBuf)>,
}

impl Rewriter {
    /// The rewriting for `template` running under `root`.
    pub(crate) fn new(template: &Template, root: &Path) -> Self {
        let artifact_paths =
            template.inputs.artifacts.iter().chain(&template.outputs.artifacts).filter_map(|a| a.path.clone());
        let param_paths =
            template.outputs.parameters.iter().filter_map(|p| p.value_from.as_ref().and_then(|v| v.path.clone()));
        let mut declared: Vec<String> =
            artifact_paths.chain(param_paths).filter(|path| path.starts_with('/') && path.len() > 1).collect();
        declared.sort_by_key(|path| std::cmp::Reverse(path.len()));
        declared.dedup();
        Rewriter { fs_root: root.join("fs"), declared, mounts: Vec::new() }
    }

    /// The same rewriting, with `mounts` (mount path, directory) shown at their paths.
    pub(crate) fn mounted(mut self, mounts: impl IntoIterator<Item = (String, PathBuf)>) -> Self {
        let mounts = mounts.into_iter().map(|(path, dir)| {
            let trimmed = path.trim_end_matches('/');
            (if trimmed.is_empty() { path } else { trimmed.to_owned() }, dir)
        });
        self.mounts.extend(mounts);
        self.mounts.sort_by_key(|(path, _)| std::cmp::Reverse(path.len()));
        self
    }

    /// Where the absolute path `path` of the task lies on this machine.
    pub(crate) fn local(&self, path: &str) -> PathBuf {
        PathBuf::from(self.local_text(path))
    }

    /// `path` under the mount that holds it, or else under the root.
    fn local_text(&self, path: &str) -> String {
        for (mount, dir) in &self.mounts {
            if let Some(rest) = path.strip_prefix(mount.as_str()).filter(|rest| ends_cleanly(rest)) {
                return format!("{}{rest}", dir.to_string_lossy());
            }
        }
        format!("{}/{}", self.fs_root.to_string_lossy().trim_end_matches('/'), path.trim_start_matches('/'))
    }

    /// `text` with every declared path and kfp tree moved under the root.
    pub(crate) fn rewrite(&self, text: &str) -> String {
        if !text.contains('/') {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len() + 64);
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut copied = 0;
        while i < bytes.len() {
            if bytes[i] == b'/' && (i == 0 || !is_path_char(bytes[i - 1])) {
                let rest = &text[i..];
                let whole = |path: &&str| rest.starts_with(*path) && ends_cleanly(&rest[path.len()..]);
                let declared = self.declared.iter().map(String::as_str).find(whole).map(str::len);
                let mounted = self.mounts.iter().map(|(path, _)| path.as_str()).find(whole).map(str::len);
                // The longest match: a declared file inside a mount, or a mount inside kfp's trees, lands in the mount.
                let matched = declared
                    .max(mounted)
                    .or_else(|| KFP_TREES.iter().find(|tree| rest.starts_with(**tree)).map(|tree| tree.len()));
                if let Some(len) = matched {
                    out.push_str(&text[copied..i]);
                    out.push_str(&self.local_text(&text[i..i + len]));
                    i += len;
                    copied = i;
                    continue;
                }
            }
            i += 1;
        }
        out.push_str(&text[copied..]);
        out
    }
}

/// A character that continues a path name (so `/tmp/output` is not a match in `/x/tmp/output`).
fn is_path_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.' | b'/')
}

/// A declared path matches only as a whole name: `/tmp/output` in `/tmp/output/x`
/// or `"/tmp/output"`, not in `/tmp/outputs`.
fn ends_cleanly(rest: &str) -> bool {
    rest.bytes().next().is_none_or(|next| next == b'/' || !is_path_char(next))
}

#[cfg(test)]
mod tests {
    use super::Rewriter;
    use crate::argo::{Artifact, Parameter, Template, ValueFrom};

    fn template() -> Template {
        let mut template = Template::default();
        template.outputs.artifacts.push(Artifact {
            name: "o".into(),
            path: Some("/tmp/output".into()),
            ..Artifact::default()
        });
        template.outputs.parameters.push(Parameter {
            value_from: Some(Box::new(ValueFrom { path: Some("/data/result.txt".into()), ..ValueFrom::default() })),
            ..Parameter::named("r")
        });
        template
    }

    #[test]
    fn declared_paths_and_kfp_trees_move_under_the_root() {
        let rewriter = Rewriter::new(&template(), std::path::Path::new("/run/t1"));
        assert_eq!(rewriter.rewrite("echo hi > /tmp/output"), "echo hi > /run/t1/fs/tmp/output");
        assert_eq!(rewriter.rewrite("'/data/result.txt'"), "'/run/t1/fs/data/result.txt'");
        assert_eq!(rewriter.rewrite("/tmp/outputs/Output/data"), "/run/t1/fs/tmp/outputs/Output/data");
        assert_eq!(rewriter.rewrite("--in=/tmp/inputs/x/data"), "--in=/run/t1/fs/tmp/inputs/x/data");
        assert_eq!(rewriter.rewrite("/tmp/output/sub"), "/run/t1/fs/tmp/output/sub");
    }

    #[test]
    fn mounted_paths_show_their_directories() {
        let rewriter = Rewriter::new(&template(), std::path::Path::new("/r")).mounted([
            ("/data/".to_owned(), "/run/volumes/pvc".into()),
            ("/tmp/inputs/in".to_owned(), "/run/volumes/pvc/sub".into()),
        ]);
        // A declared file inside a mount lies in the mount's directory.
        assert_eq!(rewriter.rewrite("cat /data/result.txt /data"), "cat /run/volumes/pvc/result.txt /run/volumes/pvc");
        assert_eq!(
            rewriter.rewrite("/tmp/inputs/in/data /tmp/inputs/x"),
            "/run/volumes/pvc/sub/data /r/fs/tmp/inputs/x"
        );
        assert_eq!(rewriter.rewrite("/database /x/data"), "/database /x/data");
        assert_eq!(rewriter.local("/data/result.txt"), std::path::Path::new("/run/volumes/pvc/result.txt"));
    }

    #[test]
    fn only_whole_names_match() {
        let rewriter = Rewriter::new(&template(), std::path::Path::new("/r"));
        assert_eq!(rewriter.rewrite("/tmp/outputfile"), "/tmp/outputfile");
        assert_eq!(rewriter.rewrite("/x/tmp/output"), "/x/tmp/output");
        assert_eq!(rewriter.rewrite("/tmp/other"), "/tmp/other");
        assert_eq!(rewriter.local("/tmp/output"), std::path::Path::new("/r/fs/tmp/output"));
    }
}
