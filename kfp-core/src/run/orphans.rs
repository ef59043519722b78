//! What a task leaves behind when it ends. Killing the task's process group
//! reaches what stayed in it; a process that left it (`setsid`, `setpgid`) is
//! reached through the child subreaper ([`become_subreaper`], Linux): when its
//! parent exits it is reparented to the runner instead of to init, so the
//! runner finds it among its own children, kills it and reaps it, as a pod's
//! end takes every process of the pod. A task's processes are told from the
//! runner's other children by their process group or by [`TASK_VAR`], which
//! every task process gets and its descendants inherit.

use std::sync::atomic::{AtomicU64, Ordering};

/// The environment variable that marks a task attempt's processes.
pub(crate) const TASK_VAR: &str = "KFP_LOCAL_TASK";

/// A mark no other attempt of this process, and no other process, gives.
pub(crate) fn new_mark() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!("{}.{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Makes this process the child subreaper of its descendants (Linux's
/// `PR_SET_CHILD_SUBREAPER`), so that no process a task starts outlives the
/// task, even one that left the task's process group with `setsid()`: when a
/// task attempt ends, the processes of the task reparented to this process are
/// killed and reaped. `kfp run-local` (the `kfp` binary and `kfp::cli::main`'s)
/// calls it; a program that runs Workflows itself calls it once, before its
/// first run.
///
/// It is process-wide and lasts: orphans of this process's other children are
/// reparented to it too, and are left as they are (they become zombies of this
/// process when they exit, until it exits). Without it, a task's process
/// group is killed all the same, but a process that left the group lives on.
///
/// Elsewhere than on Linux it returns an `Unsupported` error: there is no
/// subreaper, and processes that leave their task's group outlive it.
pub fn become_subreaper() -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: prctl(2) with PR_SET_CHILD_SUBREAPER takes plain integers.
        if unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "only Linux has child subreapers: a process a task detaches with setsid() can outlive the task",
        ))
    }
}

/// Kills and reaps the children of this process that belong to the ended task
/// attempt: members of its process group `group` (dead or dying from the
/// group's SIGKILL) and processes carrying its `mark`. Their own children are
/// reparented here as they die, so it goes round until a round finds none.
#[cfg(target_os = "linux")]
pub(crate) fn kill_left_behind(group: u32, mark: &str) {
    use std::time::{Duration, Instant};

    // A process stuck in the kernel may not die: do not wait for it forever.
    const PATIENCE: Duration = Duration::from_secs(5);
    if !is_subreaper() {
        return;
    }
    let (Ok(group), Ok(me)) = (libc::pid_t::try_from(group), libc::pid_t::try_from(std::process::id())) else {
        return;
    };
    let marked = format!("{TASK_VAR}={mark}");
    let until = Instant::now() + PATIENCE;
    loop {
        let found: Vec<libc::pid_t> = children_of(me)
            .filter(|child| child.group == group || carries(child.pid, &marked))
            .map(|child| child.pid)
            .collect();
        if found.is_empty() || Instant::now() >= until {
            return;
        }
        for &pid in &found {
            // SAFETY: kill(2) takes plain integers. `pid` is our child and we
            // have not reaped it, so the number cannot have been reused.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        for &pid in &found {
            reap(pid, until);
        }
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn kill_left_behind(_group: u32, _mark: &str) {}

#[cfg(target_os = "linux")]
fn is_subreaper() -> bool {
    let mut flag: libc::c_int = 0;
    // SAFETY: PR_GET_CHILD_SUBREAPER writes one int to the pointer we pass.
    let done = unsafe { libc::prctl(libc::PR_GET_CHILD_SUBREAPER, &mut flag as *mut libc::c_int, 0, 0, 0) };
    done == 0 && flag != 0
}

#[cfg(target_os = "linux")]
struct Child {
    pid: libc::pid_t,
    group: libc::pid_t,
}

/// The processes whose parent is `parent`, from `/proc/<pid>/stat`.
#[cfg(target_os = "linux")]
fn children_of(parent: libc::pid_t) -> impl Iterator<Item = Child> {
    let entries = std::fs::read_dir("/proc").into_iter().flatten().flatten();
    entries.filter_map(move |entry| {
        let pid: libc::pid_t = entry.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
        // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
        let mut fields = stat.rsplit_once(") ")?.1.split(' ').skip(1);
        let ppid: libc::pid_t = fields.next()?.parse().ok()?;
        let group: libc::pid_t = fields.next()?.parse().ok()?;
        (ppid == parent).then_some(Child { pid, group })
    })
}

/// Whether process `pid`'s environment holds `marked` (`NAME=value`). A zombie's
/// environment is gone, and another user's is unreadable: neither carries it.
#[cfg(target_os = "linux")]
fn carries(pid: libc::pid_t, marked: &str) -> bool {
    let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
    environ.split(|&byte| byte == 0).any(|entry| entry == marked.as_bytes())
}

/// Waits for our killed child `pid` to exit and collects it, until `until`.
#[cfg(target_os = "linux")]
fn reap(pid: libc::pid_t, until: std::time::Instant) {
    loop {
        let mut status = 0;
        // SAFETY: waitpid(2) writes the status to the int we pass; WNOHANG
        // returns at once. Only this child is waited for, so no other waiter
        // in the process (std's `Child::wait`) loses its child.
        let waited = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if waited != 0 || std::time::Instant::now() >= until {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}
