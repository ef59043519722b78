//! Components made from Rust functions, called in this process instead of
//! compiled and started: the same command line goes to the same wire code
//! ([`LocalMain`]), so outputs are byte for byte what the container writes.

use std::collections::HashMap;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::process::{Ended, Stop};
use crate::argo::Text;
use crate::component::LocalMain;
use crate::dsl::Recorded;

/// The in-process programs of a pipeline's components, by their container command
/// (the command carries the program's source, so it identifies the component).
#[derive(Clone, Default)]
pub(crate) struct LocalPrograms(HashMap<Vec<Text>, (LocalMain, String)>);

impl LocalPrograms {
    /// The programs of every component of `recorded` that has one.
    pub(crate) fn of(recorded: &Recorded) -> Self {
        let mut programs = HashMap::new();
        for task in &recorded.tasks {
            let Some(component) = task.component() else { continue };
            let Some(main) = component.local.clone() else { continue };
            let command = (component.spec.implementation.container.literal_command())
                .map(|command| command.into_iter().map(Text::from).collect());
            if let Some(command) = command {
                programs.insert(command, (main, component.spec.name.clone()));
            }
        }
        LocalPrograms(programs)
    }

    /// The program run by a container with `command`, and the component's name.
    pub(crate) fn get(&self, command: Option<&Vec<Text>>) -> Option<&(LocalMain, String)> {
        command.and_then(|command| self.0.get(command))
    }
}

/// Calls `main` with `args` on a thread of its own, until it returns, `deadline`
/// passes or `stop` gives a reason. The log gets the error, as the program's stderr would.
pub(crate) fn call(
    main: LocalMain,
    component: &str,
    args: Vec<String>,
    log: &Path,
    deadline: Option<Instant>,
    stop: &dyn Fn() -> Option<String>,
) -> Ended {
    let mut ended = Ended { exit_code: None, stopped: None, spawn_error: None, stdout: String::new() };
    let (done_tx, done_rx) = mpsc::channel();
    let spawned = std::thread::Builder::new().name(format!("kfp {component}")).spawn(move || {
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| main.run(args)));
        let _ = done_tx.send(result);
    });
    if let Err(error) = spawned {
        ended.spawn_error = Some(format!("cannot start a thread for `{component}`: {error}"));
        return ended;
    }
    let result = loop {
        match done_rx.recv_timeout(Duration::from_millis(20)) {
            Ok(result) => break result,
            Err(mpsc::RecvTimeoutError::Disconnected) => break Err(Box::new("the component's thread vanished")),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        let reason = if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            Some(Stop::Deadline)
        } else {
            stop().map(Stop::Run)
        };
        if let Some(reason) = reason {
            // A thread cannot be killed: it finishes in the background, its result unused.
            append(
                log,
                &format!("{component}: stopped; the function keeps running in the background until it returns\n"),
            );
            ended.stopped = Some(reason);
            return ended;
        }
    };
    match result {
        Ok(Ok(())) => ended.exit_code = Some(0),
        Ok(Err(message)) => {
            // What the program's `fail` prints before `exit(1)`.
            append(log, &format!("{component}: {message}\n"));
            ended.exit_code = Some(1);
        }
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".to_owned());
            append(log, &format!("{component}: panicked: {message}\n"));
            // A Rust program that panics exits with 101.
            ended.exit_code = Some(101);
        }
    }
    ended
}

fn append(path: &Path, text: &str) {
    if let Ok(mut file) = std::fs::File::options().create(true).append(true).open(path) {
        let _ = file.write_all(text.as_bytes());
    }
}
