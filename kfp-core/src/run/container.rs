//! Container engines: with `--engine docker` (or `podman`), each container
//! task runs as `docker run --rm ...` in its template's image instead of as a
//! local process. The task's scratch directory is mounted at the same path
//! inside the container, so the paths the runner gives the command (inputs,
//! outputs, `TMPDIR`, the working directory, a script's file) are valid there
//! too; environment variables are passed by name (`-e NAME`), their values from
//! the engine client's environment, so none appears on a command line.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Where container and script tasks run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContainerEngine {
    /// Each container's command as a local process with this machine's
    /// programs; the image is ignored.
    #[default]
    Local,
    /// `docker run` in the template's image.
    Docker,
    /// `podman run` in the template's image.
    Podman,
}

impl ContainerEngine {
    /// The engine's program (`docker`, `podman`), or `None` for local processes.
    pub fn program(self) -> Option<&'static str> {
        match self {
            ContainerEngine::Local => None,
            ContainerEngine::Docker => Some("docker"),
            ContainerEngine::Podman => Some("podman"),
        }
    }

    /// `local`, `docker` or `podman`.
    pub fn as_str(self) -> &'static str {
        self.program().unwrap_or("local")
    }
}

impl std::fmt::Display for ContainerEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ContainerEngine {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "local" => Ok(ContainerEngine::Local),
            "docker" => Ok(ContainerEngine::Docker),
            "podman" => Ok(ContainerEngine::Podman),
            other => Err(format!("unknown container engine `{other}`: use docker, podman or local")),
        }
    }
}

/// The engine's program found on `path` (a `PATH` value), or `None`.
pub(crate) fn find_program(program: &str, path: Option<&str>) -> Option<PathBuf> {
    std::env::split_paths(path?).map(|dir| dir.join(program)).find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata().is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// What a task runs, as the local runner prepared it.
pub(crate) struct Task<'a> {
    /// The template's image.
    pub(crate) image: &'a str,
    /// `command` + `args`, substituted and rewritten.
    pub(crate) argv: &'a [String],
    /// Where `args` start in `argv` (`argv[..args_from]` is the command, maybe empty).
    pub(crate) args_from: usize,
    /// Names of the environment variables to pass.
    pub(crate) env: &'a [(String, String)],
    /// The working directory.
    pub(crate) cwd: &'a Path,
    /// The task's scratch directory, mounted at the same path.
    pub(crate) root: &'a Path,
    /// The volumes' directories (claims, hostPaths), each mounted at the same path.
    pub(crate) mounts: &'a [PathBuf],
}

/// A name for one container of this run, unique in this process.
pub(crate) fn container_name(task_id: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let task: String = task_id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .take(40)
        .collect();
    format!("kfp-{}-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed), task.trim_matches('-'))
}

/// Removes container `name` (`docker rm -f`): a stopped task's client is gone, its container may not be.
pub(crate) fn remove(program: &str, name: &str) {
    let _ = std::process::Command::new(program)
        .args(["rm", "-f", name])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
}

/// `docker run --rm --init --name NAME -v ROOT:ROOT [-v MOUNT:MOUNT...] -w CWD -e NAME... [--entrypoint CMD0] IMAGE CMD[1..] ARGS`:
/// Kubernetes' `command` replaces the image's entrypoint and `args` its
/// `CMD`; without a `command`, the image's entrypoint gets the args.
pub(crate) fn argv(program: &str, name: &str, task: &Task<'_>) -> Vec<String> {
    let root = task.root.to_string_lossy().into_owned();
    let mut argv: Vec<String> =
        [program, "run", "--rm", "--init", "--name", name, "-v"].into_iter().map(str::to_owned).collect();
    argv.push(format!("{root}:{root}"));
    // A mount inside the task's directory (an emptyDir) is already there.
    for mount in task.mounts.iter().filter(|mount| !mount.starts_with(task.root)) {
        let mount = mount.to_string_lossy();
        argv.extend(["-v".to_owned(), format!("{mount}:{mount}")]);
    }
    argv.extend(["-w".to_owned(), task.cwd.to_string_lossy().into_owned()]);
    for (var, _) in task.env {
        argv.extend(["-e".to_owned(), var.clone()]);
    }
    let (command, args) = task.argv.split_at(task.args_from.min(task.argv.len()));
    let rest = match command.split_first() {
        Some((entrypoint, rest)) => {
            argv.extend(["--entrypoint".to_owned(), entrypoint.clone()]);
            rest
        }
        None => &[],
    };
    argv.push(task.image.to_owned());
    argv.extend(rest.iter().cloned());
    argv.extend(args.iter().cloned());
    argv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_replaces_the_entrypoint_and_args_follow_the_image() {
        let argv_in = ["sh", "-c", "echo $0 > /r/fs/tmp/out", "--x", "1"].map(str::to_owned);
        let env = [("TMPDIR".to_owned(), "/r/fs/tmp".to_owned()), ("GREETING".to_owned(), "hi".to_owned())];
        let task = Task {
            image: "alpine:3",
            argv: &argv_in,
            args_from: 3,
            env: &env,
            cwd: Path::new("/r"),
            root: Path::new("/r"),
            mounts: &[PathBuf::from("/run/volumes/pvc"), PathBuf::from("/r/volumes/scratch")],
        };
        assert_eq!(
            argv("docker", "kfp-1", &task),
            [
                "docker",
                "run",
                "--rm",
                "--init",
                "--name",
                "kfp-1",
                "-v",
                "/r:/r",
                "-v",
                "/run/volumes/pvc:/run/volumes/pvc",
                "-w",
                "/r",
                "-e",
                "TMPDIR",
                "-e",
                "GREETING",
                "--entrypoint",
                "sh",
                "alpine:3",
                "-c",
                "echo $0 > /r/fs/tmp/out",
                "--x",
                "1"
            ]
        );
        let no_command = Task { argv: &argv_in[3..], args_from: 0, env: &[], mounts: &[], ..task };
        assert_eq!(
            argv("podman", "n", &no_command)[7..],
            ["/r:/r", "-w", "/r", "alpine:3", "--x", "1"].map(str::to_owned)
        );
    }

    #[test]
    fn engines_parse_and_programs_are_found_on_path() {
        assert_eq!("podman".parse::<ContainerEngine>(), Ok(ContainerEngine::Podman));
        assert!("kubectl".parse::<ContainerEngine>().unwrap_err().contains("docker, podman or local"));
        assert_eq!(find_program("sh", Some("/nonexistent:/bin:/usr/bin")).is_some(), Path::new("/bin/sh").exists());
        assert_eq!(find_program("sh", Some("/nonexistent")), None);
        assert_eq!(find_program("sh", None), None);
        assert!(container_name("for-loop.x(1:2)").starts_with("kfp-"));
        assert!(!container_name("for-loop.x(1:2)").contains('('));
    }
}
