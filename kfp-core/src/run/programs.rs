//! Component programs built once: a task whose command is a Rust component's
//! build-and-run script ([`split_command`]) gets the program's binary, built by
//! the first task that needs it (the others wait), and starts it with its
//! arguments. Binaries are kept by a key of the script, the source and the
//! toolchain, across runs in a [`ProgramCache`] (or in the run directory,
//! without one). A failed build fails every task that needs it and is not kept.
//!
//! With `--engine docker` or `podman` the build runs in the task's image (its
//! toolchain), once per run and image, into the run directory, which the tasks'
//! containers mount; those programs are not kept between runs.
//!
//! A build runs the script's own build part (so it builds exactly as the
//! container would), with `TMPDIR` in a directory of its own, then moves the
//! binary into a fresh entry directory that is renamed into place: a reader
//! sees a whole entry or none. An entry records its binary's SHA-256; one that
//! does not match (a partial copy, a corrupted file) is built again. Two runs
//! at once take a lock file per program, so one builds and the other waits.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use sha2::{Digest, Sha256};

use super::container;
use super::process::{self, Stop};
use crate::component::split_command;

/// The binary's name in an entry.
const BINARY: &str = "program";
/// The file holding the binary's SHA-256, whose modification time is the entry's last use.
const CHECKSUM: &str = "sha256";
/// Build directories left by a process that died are removed after this long.
const STALE_BUILD: Duration = Duration::from_secs(24 * 60 * 60);

/// Where local runs keep the component programs they build, between runs.
///
/// By default the user's cache directory (`$XDG_CACHE_HOME/kfp-rs/programs`, or
/// `~/.cache/kfp-rs/programs`; `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on
/// Windows) holds at most [`DEFAULT_MAX_BYTES`](Self::DEFAULT_MAX_BYTES),
/// the programs used least recently removed first. [`off`](Self::off): each run
/// builds its programs in its own directory (`programs/`), still once per run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramCache {
    dir: Option<PathBuf>,
    max_bytes: u64,
}

impl Default for ProgramCache {
    /// [`ProgramCache::user`].
    fn default() -> Self {
        ProgramCache::user()
    }
}

impl ProgramCache {
    /// The default size limit: 1 GiB.
    pub const DEFAULT_MAX_BYTES: u64 = 1 << 30;

    /// The user's cache directory ([`default_dir`](Self::default_dir)); off when
    /// there is none (no `HOME`).
    pub fn user() -> Self {
        ProgramCache { dir: Self::default_dir(), max_bytes: Self::DEFAULT_MAX_BYTES }
    }

    /// A cache in `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        ProgramCache { dir: Some(dir.into()), max_bytes: Self::DEFAULT_MAX_BYTES }
    }

    /// No cache: each run builds each program once, in its run directory.
    pub fn off() -> Self {
        ProgramCache { dir: None, max_bytes: Self::DEFAULT_MAX_BYTES }
    }

    /// Keeps the cache under `bytes`, removing the programs used least recently
    /// (never one the run uses) after each build.
    pub fn max_bytes(mut self, bytes: u64) -> Self {
        self.max_bytes = bytes;
        self
    }

    /// The cache's directory, `None` when off.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// `$XDG_CACHE_HOME/kfp-rs/programs` (an absolute `XDG_CACHE_HOME`), else
    /// the platform's cache directory: `~/.cache`, `~/Library/Caches` on macOS,
    /// `%LOCALAPPDATA%` on Windows.
    pub fn default_dir() -> Option<PathBuf> {
        let var = |name: &str| std::env::var_os(name).map(PathBuf::from).filter(|path| path.is_absolute());
        let base = var("XDG_CACHE_HOME").or_else(|| {
            if cfg!(windows) {
                var("LOCALAPPDATA")
            } else if cfg!(target_os = "macos") {
                var("HOME").map(|home| home.join("Library/Caches"))
            } else {
                var("HOME").map(|home| home.join(".cache"))
            }
        })?;
        Some(base.join("kfp-rs").join("programs"))
    }
}

/// What a task's command is to this module.
pub(crate) enum Prepared {
    /// Not a component program's script: run the command as it is.
    NotAProgram,
    /// The built program and the arguments it gets: run these.
    Run(Vec<String>),
    /// The task cannot run: the build failed (the log has the compiler's
    /// output) or was stopped.
    Failed(Failure),
}

/// Why a task got no program.
pub(crate) enum Failure {
    /// The build failed; the message names the first error.
    Build(String),
    /// The build, or the wait for it, was stopped.
    Stopped(Stop),
}

/// A task's wish: its command line and where its output goes.
pub(crate) struct Request<'a> {
    /// The task's command and args.
    pub(crate) argv: &'a [String],
    /// Where the args start.
    pub(crate) args_from: usize,
    /// The task's environment (the build runs with it, `TMPDIR` aside).
    pub(crate) env: &'a [(String, String)],
    /// The task's log: it gets a line saying built or reused, and the build's output.
    pub(crate) log: &'a Path,
    /// The task's deadline, which a build it starts keeps.
    pub(crate) deadline: Option<Instant>,
    /// Where the program is built and runs.
    pub(crate) builder: Builder<'a>,
}

/// Where a program is built and runs.
#[derive(Clone, Copy)]
pub(crate) enum Builder<'a> {
    /// A local process, with this machine's toolchain.
    Local,
    /// A container of `image`, run by `program` (`docker`, `podman`).
    Container { program: &'static str, image: &'a str },
}

/// The programs of one run.
pub(crate) struct Programs {
    /// The cache, or the run's `programs/` directory.
    root: PathBuf,
    /// Size limit when `root` is a cache.
    max_bytes: Option<u64>,
    /// The run's `programs/` directory, where containers' builds go.
    run_root: PathBuf,
    /// The toolchain's description, asked once per run.
    toolchain: OnceLock<String>,
    builds: Mutex<HashMap<String, Arc<Slot>>>,
}

/// One program's build in this run.
#[derive(Default)]
struct Slot {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Clone, Default)]
enum State {
    #[default]
    Missing,
    Building,
    Built(PathBuf),
    Failed(String, String),
}

impl Programs {
    pub(crate) fn new(cache: &ProgramCache, run_dir: &Path) -> Self {
        let run_root = run_dir.join("programs");
        let (root, max_bytes) = match &cache.dir {
            Some(dir) => (dir.clone(), Some(cache.max_bytes)),
            None => (run_root.clone(), None),
        };
        Programs { root, max_bytes, run_root, toolchain: OnceLock::new(), builds: Mutex::new(HashMap::new()) }
    }

    /// The program `request` runs, built or found; `stop` says when the task must stop.
    pub(crate) fn prepare(&self, request: &Request<'_>, stop: &dyn Fn() -> Option<String>) -> Prepared {
        let command = &request.argv[..request.args_from.min(request.argv.len())];
        let Some(parts) = split_command(command) else { return Prepared::NotAProgram };
        let key = self.key(parts.build, parts.source, request.builder);
        let slot = {
            let mut builds = self.builds.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            Arc::clone(builds.entry(key.clone()).or_default())
        };
        let short = &key[..12];
        let mut state = slot.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let waited = matches!(*state, State::Building | State::Built(_) | State::Failed(..));
        loop {
            match state.clone() {
                State::Built(binary) => {
                    if waited {
                        append(request.log, &format!("[kfp] program {short}: reused (ready earlier in this run)\n"));
                    }
                    let mut argv = vec![binary.to_string_lossy().into_owned()];
                    argv.extend_from_slice(&request.argv[request.args_from.min(request.argv.len())..]);
                    return Prepared::Run(argv);
                }
                State::Failed(message, output) => {
                    if waited {
                        append(request.log, &format!("[kfp] program {short}: its build failed:\n{output}"));
                    }
                    return Prepared::Failed(Failure::Build(message));
                }
                State::Building => {
                    if request.deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                        return Prepared::Failed(Failure::Stopped(Stop::Deadline));
                    }
                    if let Some(reason) = stop() {
                        return Prepared::Failed(Failure::Stopped(Stop::Run(reason)));
                    }
                    state = slot
                        .changed
                        .wait_timeout(state, Duration::from_millis(50))
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .0;
                }
                State::Missing => {
                    *state = State::Building;
                    drop(state);
                    let built = self.obtain(&key, &parts, request, stop);
                    state = slot.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                    *state = match built {
                        Ok(binary) => State::Built(binary),
                        Err(Failure::Build(message)) => {
                            let output = std::fs::read_to_string(request.log).unwrap_or_default();
                            State::Failed(message, build_output(&output, short))
                        }
                        // Another task may still want it: the next one builds.
                        Err(Failure::Stopped(stop)) => {
                            *state = State::Missing;
                            slot.changed.notify_all();
                            return Prepared::Failed(Failure::Stopped(stop));
                        }
                    };
                    slot.changed.notify_all();
                }
            }
        }
    }

    /// The program's key: the SHA-256 of the build script, the source and the
    /// toolchain (this machine's, or the image's by its name and engine).
    fn key(&self, build: &str, source: &str, builder: Builder<'_>) -> String {
        let image;
        let toolchain = match builder {
            Builder::Local => self.toolchain.get_or_init(toolchain).as_str(),
            Builder::Container { program, image: name } => {
                image = format!("{program} image {name}");
                &image
            }
        };
        let mut hash = Sha256::new();
        for part in [build, source, toolchain] {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part.as_bytes());
        }
        hex(&hash.finalize())
    }

    /// The binary of `key`: a valid entry, or a new build.
    fn obtain(
        &self,
        key: &str,
        parts: &crate::component::ProgramCommand<'_>,
        request: &Request<'_>,
        stop: &dyn Fn() -> Option<String>,
    ) -> Result<PathBuf, Failure> {
        let short = &key[..12];
        let (root, max_bytes) = match request.builder {
            Builder::Local => (&self.root, self.max_bytes),
            Builder::Container { .. } => (&self.run_root, None),
        };
        let io = |what: &str, path: &Path, error: std::io::Error| {
            let message = format!("cannot {what} {}: {error}", path.display());
            append(request.log, &format!("[kfp] program {short}: {message}\n"));
            Failure::Build(message)
        };
        std::fs::create_dir_all(root).map_err(|error| io("create the directory", root, error))?;
        let entry = root.join(key);
        let _lock = match max_bytes {
            Some(_) => Some(lock(&root.join(format!("{key}.lock")), request.deadline, stop)?),
            None => None,
        };
        if valid(&entry) {
            // Its last use, for the size limit.
            let _ =
                File::options().append(true).open(entry.join(CHECKSUM)).and_then(|f| f.set_modified(SystemTime::now()));
            append(request.log, &format!("[kfp] program {short}: reused from {}\n", root.display()));
            return Ok(entry.join(BINARY));
        }
        append(request.log, &format!("[kfp] program {short}: building\n"));
        let started = Instant::now();
        let scratch = root.join(format!(".build-{key}-{}-{}", std::process::id(), next()));
        let built = self.build(&scratch, parts, request, stop).map_err(|failure| match failure {
            Failure::Build(why) => {
                // The compiler's first error says most; the log has the rest.
                let log = std::fs::read_to_string(request.log).unwrap_or_default();
                let output = build_output(&log, short);
                let error = output.lines().find(|line| line.starts_with("error")).unwrap_or(&why).to_owned();
                Failure::Build(format!(
                    "the component's program did not build ({error}); the log has the compiler's output"
                ))
            }
            stopped => stopped,
        });
        let placed = built.and_then(|()| {
            // An invalid entry (partial, corrupted) makes way for the new one.
            if entry.exists() {
                std::fs::remove_dir_all(&entry).map_err(|error| io("remove the invalid program", &entry, error))?;
            }
            std::fs::rename(scratch.join("entry"), &entry).map_err(|error| io("move the program to", &entry, error))
        });
        let _ = std::fs::remove_dir_all(&scratch);
        placed?;
        let seconds = started.elapsed().as_secs_f64();
        append(request.log, &format!("[kfp] program {short}: built in {seconds:.1} s\n"));
        if let Some(max_bytes) = max_bytes {
            let in_use: HashSet<String> =
                self.builds.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).keys().cloned().collect();
            evict(root, max_bytes, &in_use);
        }
        Ok(entry.join(BINARY))
    }

    /// Runs the script's build part in `scratch` and leaves `scratch/entry`: the binary and its checksum.
    fn build(
        &self,
        scratch: &Path,
        parts: &crate::component::ProgramCommand<'_>,
        request: &Request<'_>,
        stop: &dyn Fn() -> Option<String>,
    ) -> Result<(), Failure> {
        let (tmp, entry) = (scratch.join("tmp"), scratch.join("entry"));
        for dir in [&tmp, &entry] {
            std::fs::create_dir_all(dir).map_err(|error| {
                Failure::Build(format!("cannot create the build directory {}: {error}", dir.display()))
            })?;
        }
        let binary = entry.join(BINARY);
        // The build as the container runs it, then the binary moved out of its mktemp directory.
        let script = format!("{}mv \"{}\" \"$1\"\n", parts.build, parts.binary);
        let command = ["sh".to_owned(), "-ec".to_owned(), script, parts.source.to_owned(), path_text(&binary)];
        let mut env: Vec<(String, String)> = request.env.iter().filter(|(name, _)| name != "TMPDIR").cloned().collect();
        env.push(("TMPDIR".to_owned(), path_text(&tmp)));
        let ended = match request.builder {
            Builder::Local => {
                let spec = process::Spec { argv: &command, env: &env, cwd: scratch, log: request.log };
                process::run(&spec, request.deadline, stop)
            }
            Builder::Container { program, image } => {
                // The image's shell and toolchain, the scratch directory mounted at the same path.
                let name = container::container_name("build");
                let task = container::Task {
                    image,
                    argv: &command,
                    args_from: 4,
                    env: &env,
                    cwd: scratch,
                    root: scratch,
                    mounts: &[],
                };
                let argv = container::argv(program, &name, &task);
                let spec = process::Spec { argv: &argv, env: &env, cwd: scratch, log: request.log };
                let ended = process::run(&spec, request.deadline, stop);
                if ended.stopped.is_some() {
                    container::remove(program, &name);
                }
                ended
            }
        };
        if let Some(stopped) = ended.stopped {
            return Err(Failure::Stopped(stopped));
        }
        if let Some(error) = ended.spawn_error {
            return Err(Failure::Build(format!("the component's program did not build: {error}")));
        }
        if ended.exit_code != Some(0) {
            let code = ended.exit_code.map_or_else(|| "unknown".to_owned(), |code| code.to_string());
            return Err(Failure::Build(format!("exit code {code}")));
        }
        let checksum = file_sha256(&binary)
            .map_err(|error| Failure::Build(format!("the build left no program at {}: {error}", binary.display())))?;
        std::fs::write(entry.join(CHECKSUM), checksum)
            .map_err(|error| Failure::Build(format!("cannot write {}: {error}", entry.join(CHECKSUM).display())))
    }
}

/// What the log of the task that built a program got from the build, from its `building` line on.
fn build_output(log: &str, short: &str) -> String {
    let marker = format!("[kfp] program {short}: building\n");
    log.rfind(&marker).map_or_else(String::new, |at| log[at + marker.len()..].to_owned())
}

/// Whether `entry` holds a program whose content matches its checksum.
fn valid(entry: &Path) -> bool {
    let Ok(recorded) = std::fs::read_to_string(entry.join(CHECKSUM)) else { return false };
    file_sha256(&entry.join(BINARY)).is_ok_and(|actual| actual == recorded.trim())
}

fn file_sha256(path: &Path) -> std::io::Result<String> {
    let mut file = File::open(path)?;
    let mut hash = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hash.update(&buffer[..n]);
    }
    Ok(hex(&hash.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// A number unique in this process, for scratch directories.
fn next() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// What builds the programs: the `rustc` and `cargo` on `PATH` (their real
/// paths, as a wrapper may print the version of what it wraps) and what
/// `rustc -vV` and `cargo -V` say (an error text when one is missing).
fn toolchain() -> String {
    let mut description = String::new();
    let path = std::env::var("PATH").ok();
    for argv in [["rustc", "-vV"], ["cargo", "-V"]] {
        let found =
            super::container::find_program(argv[0], path.as_deref()).and_then(|found| found.canonicalize().ok());
        description.push_str(&format!("{}: {}\n", argv[0], found.as_deref().map_or_else(String::new, path_text)));
        let output = std::process::Command::new(argv[0]).arg(argv[1]).stdin(std::process::Stdio::null()).output();
        match output {
            Ok(output) => description.push_str(&String::from_utf8_lossy(&output.stdout)),
            Err(error) => description.push_str(&format!("{}: {error}\n", argv[0])),
        }
    }
    // Flags change the binary as much as the compiler does.
    for var in ["RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS"] {
        if let Some(value) = std::env::var_os(var) {
            description.push_str(&format!("{var}={}\n", value.to_string_lossy()));
        }
    }
    description
}

/// Holds a program's lock file (another run building it makes this wait) until dropped.
struct Lock {
    _file: File,
}

#[cfg(unix)]
fn lock(path: &Path, deadline: Option<Instant>, stop: &dyn Fn() -> Option<String>) -> Result<Lock, Failure> {
    use std::os::unix::io::AsRawFd;
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|error| Failure::Build(format!("cannot open the lock {}: {error}", path.display())))?;
    loop {
        // SAFETY: flock(2) on a descriptor this function owns; it touches no memory of ours.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            return Ok(Lock { _file: file });
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::WouldBlock {
            return Err(Failure::Build(format!("cannot lock {}: {error}", path.display())));
        }
        if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            return Err(Failure::Stopped(Stop::Deadline));
        }
        if let Some(reason) = stop() {
            return Err(Failure::Stopped(Stop::Run(reason)));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Without flock, two runs may build the same program; the rename keeps entries whole.
#[cfg(not(unix))]
fn lock(path: &Path, _deadline: Option<Instant>, _stop: &dyn Fn() -> Option<String>) -> Result<Lock, Failure> {
    let file = File::options().create(true).truncate(false).write(true).open(path);
    let file = file.map_err(|error| Failure::Build(format!("cannot open the lock {}: {error}", path.display())))?;
    Ok(Lock { _file: file })
}

/// Removes the entries used least recently until the cache holds at most
/// `max_bytes`, sparing `in_use`; and build directories a dead process left.
fn evict(root: &Path, max_bytes: u64, in_use: &HashSet<String>) {
    let Ok(listing) = std::fs::read_dir(root) else { return };
    let mut entries: Vec<(SystemTime, u64, String)> = Vec::new();
    for item in listing.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        let path = item.path();
        if name.starts_with(".build-") {
            let old = item.metadata().and_then(|meta| meta.modified()).ok().and_then(|time| time.elapsed().ok());
            if old.is_some_and(|age| age > STALE_BUILD) {
                let _ = std::fs::remove_dir_all(&path);
            }
            continue;
        }
        if !path.is_dir() {
            continue;
        }
        let size = |file: &str| std::fs::metadata(path.join(file)).map_or(0, |meta| meta.len());
        let used =
            std::fs::metadata(path.join(CHECKSUM)).and_then(|meta| meta.modified()).unwrap_or(SystemTime::UNIX_EPOCH);
        entries.push((used, size(BINARY) + size(CHECKSUM), name));
    }
    let mut total: u64 = entries.iter().map(|(_, size, _)| size).sum();
    entries.sort();
    for (_, size, name) in entries {
        if total <= max_bytes {
            break;
        }
        if in_use.contains(&name) {
            continue;
        }
        if std::fs::remove_dir_all(root.join(&name)).is_ok() {
            let _ = std::fs::remove_file(root.join(format!("{name}.lock")));
            total -= size;
        }
    }
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    if let Ok(mut file) = File::options().create(true).append(true).open(path) {
        let _ = file.write_all(text.as_bytes());
    }
}
