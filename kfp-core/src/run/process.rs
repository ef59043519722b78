//! One task attempt as a local process: its own process group (so a deadline
//! or a signal kills everything it started), stdout and stderr appended to the
//! task's log, stdout kept for `outputs.result`. What left the group is killed
//! when the attempt ends ([`orphans`](super::orphans)).

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::orphans;

/// How much of stdout is kept for `outputs.result` (Argo keeps 256 KiB too).
const RESULT_LIMIT: usize = 256 * 1024;
/// How long a task may take to exit after SIGTERM before it gets SIGKILL.
const GRACE: Duration = Duration::from_secs(2);

/// What to run.
pub(crate) struct Spec<'a> {
    /// `command` + `args`, already substituted and rewritten.
    pub(crate) argv: &'a [String],
    /// Extra environment variables.
    pub(crate) env: &'a [(String, String)],
    /// Working directory.
    pub(crate) cwd: &'a Path,
    /// The log file, appended to.
    pub(crate) log: &'a Path,
}

/// Why a running process was stopped from outside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Its `activeDeadlineSeconds` (or `timeout`) passed.
    Deadline,
    /// The run was interrupted or passed its own deadline; the text says which.
    Run(String),
}

/// How an attempt ended.
#[derive(Debug)]
pub(crate) struct Ended {
    /// The exit code (128 + signal number when killed by a signal, as a shell says).
    pub(crate) exit_code: Option<i32>,
    /// Set when the process was killed from outside.
    pub(crate) stopped: Option<Stop>,
    /// Set when the process could not be started.
    pub(crate) spawn_error: Option<String>,
    /// Standard output, up to [`RESULT_LIMIT`] bytes.
    pub(crate) stdout: String,
}

/// Runs `spec` until it exits, `deadline` passes or `stop` returns a reason.
pub(crate) fn run(spec: &Spec<'_>, deadline: Option<Instant>, stop: &dyn Fn() -> Option<String>) -> Ended {
    let failed =
        |message: String| Ended { exit_code: None, stopped: None, spawn_error: Some(message), stdout: String::new() };
    let log = match File::options().create(true).append(true).open(spec.log) {
        Ok(log) => Arc::new(Mutex::new(log)),
        Err(error) => return failed(format!("cannot open the log {}: {error}", spec.log.display())),
    };
    let Some((program, args)) = spec.argv.split_first() else {
        return failed("the container has no command to run".to_owned());
    };
    let mark = orphans::new_mark();
    let mut command = Command::new(program);
    command
        .args(args)
        .envs(spec.env.iter().map(|(name, value)| (name, value)))
        .env(orphans::TASK_VAR, &mark)
        .current_dir(spec.cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        // A group of its own: killing the group reaches every process the task
        // started, and the terminal's Ctrl-C reaches only us, who stop it in order.
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) => return failed(format!("cannot start `{program}`: {error}")),
    };
    let (done_tx, done_rx) = mpsc::channel::<Option<String>>();
    let pumps = [
        child.stdout.take().map(|out| pump(out, Arc::clone(&log), true, done_tx.clone())),
        child.stderr.take().map(|err| pump(err, Arc::clone(&log), false, done_tx.clone())),
    ];
    drop(done_tx);

    let mut stopped = None;
    let mut poll = Duration::from_millis(2);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(_) => break None,
        }
        let reason = if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            Some(Stop::Deadline)
        } else {
            stop().map(Stop::Run)
        };
        if let Some(reason) = reason {
            stopped = Some(reason);
            break terminate(&mut child);
        }
        std::thread::sleep(poll);
        poll = (poll * 2).min(Duration::from_millis(50));
    };
    // Whatever the task left running in the background goes with it, as when a pod ends.
    kill_group(&mut child, Signal::Kill);
    let _ = child.wait();
    orphans::kill_left_behind(child.id(), &mark);

    let mut stdout = String::new();
    let started = Instant::now();
    let running = pumps.iter().flatten().count();
    for _ in 0..running {
        // Without the subreaper, a process that left the group lives on and may hold a pipe: do not wait for it forever.
        let left = Duration::from_secs(2).saturating_sub(started.elapsed());
        match done_rx.recv_timeout(left) {
            Ok(Some(out)) => stdout = out,
            Ok(None) => {}
            Err(_) => break,
        }
    }
    Ended { exit_code: status.map(exit_code), stopped, spawn_error: None, stdout }
}

/// Copies a pipe into the log; sends the kept stdout (or `None`) when the pipe closes.
fn pump(
    mut pipe: impl Read + Send + 'static,
    log: Arc<Mutex<File>>,
    keep: bool,
    done: mpsc::Sender<Option<String>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buffer = [0u8; 8192];
        while let Ok(n) = pipe.read(&mut buffer) {
            if n == 0 {
                break;
            }
            if let Ok(mut log) = log.lock() {
                let _ = log.write_all(&buffer[..n]);
            }
            if keep && kept.len() < RESULT_LIMIT {
                let take = n.min(RESULT_LIMIT - kept.len());
                kept.extend_from_slice(&buffer[..take]);
            }
        }
        let _ = done.send(keep.then(|| String::from_utf8_lossy(&kept).into_owned()));
    })
}

/// SIGTERM to the group, SIGKILL after the grace period; the exit status if it came.
fn terminate(child: &mut Child) -> Option<ExitStatus> {
    kill_group(child, Signal::Term);
    let until = Instant::now() + GRACE;
    while Instant::now() < until {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    kill_group(child, Signal::Kill);
    child.wait().ok()
}

enum Signal {
    Term,
    Kill,
}

#[cfg(unix)]
fn kill_group(child: &mut Child, signal: Signal) {
    let signal = match signal {
        Signal::Term => libc::SIGTERM,
        Signal::Kill => libc::SIGKILL,
    };
    let Ok(group) = libc::pid_t::try_from(child.id()) else { return };
    // SAFETY: kill(2) takes plain integers and touches no memory of ours.
    // The group id is the child's pid (process_group(0)); it cannot name
    // another process while a member of the group lives, and once the group is
    // empty the call fails with ESRCH, which is what we want.
    unsafe {
        libc::kill(-group, signal);
    }
}

#[cfg(not(unix))]
fn kill_group(child: &mut Child, _signal: Signal) {
    let _ = child.kill();
}

fn exit_code(status: ExitStatus) -> i32 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return 128 + signal;
        }
    }
    status.code().unwrap_or(-1)
}
