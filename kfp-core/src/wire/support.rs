// kfp 1.8's wire format: how a component reads its command line and writes its values.
// Compiled here for in-process runs and shipped as text in every component program
// (`mod __kfp { .. }`, built by the image's rustc: component::DEFAULT_RUST_VERSION), which gets the core, the part
// before the first `// piece: NAME` line, and the pieces its signature needs with those
// named after `needs` (component/program.rs), without comments and indentation. Each task
// template carries its program twice, so: std only, short; no `crate::`, inner attributes,
// tests, `unsafe`, panics, `use` of a name another piece uses, or a string across lines.

/// A flag of a component's command line (`--name`) with its value, or why it has none.
pub struct Arg<'a>(&'a str, Result<String, String>);

impl Arg<'_> {
    /// The value of a required input, read by `parse`.
    pub fn get<T>(self, parse: fn(&str) -> Result<T, String>) -> Result<T, String> {
        parse(&self.1?).map_err(|e| format!("input {}: {e}", self.0[2..].replace('-', "_")))
    }
}

/// An output's text as KFP v2 reads it, from its text as kfp 1.8 reads it.
pub type ToV2 = fn(String) -> Result<String, String>;

/// Runs a component with its command line `args`, read as kfp's argparse reads it: each of
/// `flags` takes the next argument, or the text after `=`, the last one winning, and
/// `----output-paths` the arguments up to the next flag, one per output. `body` gets the
/// flags' values and returns the outputs' texts, which are written to those paths.
/// `----kfp-contract v2` (the KFP v2 compiler passes it) has each output's text go through
/// its function of `v2_texts` (`Ok`, `v2_float`, `v2_bool`) first. Inputs read alike under
/// both: the v1 readers take what the v2 launcher renders for each parameter type
/// (launcher_v2.go's `getPlaceholders`: `true`, `3`, `0.00001`, compact JSON).
pub fn call<const N: usize>(
    args: Vec<String>,
    flags: [&str; N],
    v2_texts: &[ToV2],
    body: impl FnOnce([Arg; N]) -> Result<Vec<String>, String>,
) -> Result<(), String> {
    let (values, paths, v2) = read(args, flags, v2_texts.len())?;
    let mut texts = paths.iter().zip(v2_texts).zip(body(values)?);
    texts.try_for_each(|((path, v2_text), text)| write(path, if v2 { v2_text(text) } else { Ok(text) }))
}

/// Writes an output's text to `path`, its directory first, as kfp makes it.
fn write(path: &str, text: Result<String, String>) -> Result<(), String> {
    let text = text.map_err(|e| format!("output {path}: {e}"))?;
    std::fs::create_dir_all(std::path::Path::new(path).with_file_name(""))
        .and_then(|()| std::fs::write(path, text))
        .map_err(|e| format!("cannot write output file {path}: {e}"))
}

/// The flags' values, the `outputs` paths after `----output-paths`, and whether the contract is v2.
fn read<const N: usize>(
    args: Vec<String>,
    flags: [&str; N],
    outputs: usize,
) -> Result<([Arg<'_>; N], Vec<String>, bool), String> {
    let mut values = flags.map(|flag| Arg(flag, Err(format!("missing required argument {flag}: pass {flag} <value>"))));
    let mut paths = vec![];
    let mut v2 = false;
    let mut args = args.iter().flat_map(|arg| arg.splitn(if arg.starts_with("--") { 2 } else { 1 }, '=')).peekable();
    while let Some(arg) = args.next() {
        match values.iter_mut().find(|value| value.0 == arg) {
            Some(value) => value.1 = Ok(args.next().ok_or(format!("argument {arg} needs a value"))?.into()),
            None if arg == "----output-paths" => {
                paths = std::iter::from_fn(|| args.next_if(|next| !next.starts_with("--")).map(str::to_owned)).collect()
            }
            None if arg == "----kfp-contract" => match args.next() {
                Some(contract @ ("v1" | "v2")) => v2 = contract == "v2",
                other => return Err(format!("----kfp-contract takes v1 or v2, got {other:?}")),
            },
            None => return Err(format!("unexpected argument {arg:?}; this component accepts {flags:?}")),
        }
    }
    if paths.len() != outputs {
        return Err(format!("----output-paths needs {outputs} path(s), got {paths:?}"));
    }
    Ok((values, paths, v2))
}

// piece: optional
impl Arg<'_> {
    /// The value of an `Option` input: `None` when its flag is absent.
    pub fn optional<T>(self, parse: fn(&str) -> Result<T, String>) -> Result<Option<T>, String> {
        match self.1 {
            Ok(_) => self.get(parse).map(Some),
            Err(_) => Ok(None),
        }
    }
}

// piece: default
impl Arg<'_> {
    /// The value of an input with a default, `default` (as kfp passes it) when its flag is absent.
    pub fn get_or<T>(self, default: &str, parse: fn(&str) -> Result<T, String>) -> Result<T, String> {
        Arg(self.0, Ok(self.1.unwrap_or_else(|_| default.into()))).get(parse)
    }
}

// piece: int
/// Python's `int(text)`, ASCII digits only: `42`, ` -7 `, `+1_000`.
pub fn parse_int<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    let trimmed = text.trim();
    let digits = trimmed.strip_prefix(['-', '+']).unwrap_or(trimmed);
    // Rust's syntax, once `_` (only between digits) is gone; `-0` is 0, for unsigned types too.
    let number = if digits.trim_matches(['0', '_']).is_empty() { digits } else { trimmed };
    let parsed = number.replace('_', "").parse().ok().filter(|_| !digits.split('_').any(str::is_empty));
    parsed.ok_or_else(|| format!("invalid integer {text:?} for {}", std::any::type_name::<T>()))
}

// piece: float
/// Python's `float(text)`, ASCII digits only: `2.5`, `1_0.5`, `.5`, `1e-05`, `nan`.
pub fn parse_float<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    // Rust's syntax once `_` (only between digits) is gone; both read `1e400` as inf.
    let b = text.trim().as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let underscores = (0..b.len()).all(|i| b[i] != b'_' || (i > 0 && digit(i - 1) && digit(i + 1)));
    let parsed = text.trim().replace('_', "").parse().ok().filter(|_| underscores);
    parsed.ok_or_else(|| format!("invalid float {text:?}: expected a number such as 2.5, -3, 1e-05, inf or nan"))
}

// piece: bool
/// kfp's `strtobool` (`yes`, `0`, `True`...), ignoring surrounding whitespace.
pub fn parse_bool(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" | "t" | "true" | "on" | "1" => Ok(true),
        "n" | "no" | "f" | "false" | "off" | "0" => Ok(false),
        _ => Err(format!(
            "invalid boolean {text:?}: expected one of y, yes, t, true, on, 1 (true) or n, no, f, false, off, 0 (false), in any case"
        )),
    }
}

/// Python's `str(bool)`: `True` or `False`.
pub fn format_bool(value: bool) -> &'static str {
    ["False", "True"][usize::from(value)]
}

/// A boolean output as KFP v2's launcher renders it (`strconv.FormatBool` in launcher_v2.go's
/// `getPlaceholders`), which its `TextToPbValue` (backend/src/v2/metadata/converter.go) reads back.
pub fn v2_bool(text: String) -> Result<String, String> {
    Ok(text.to_lowercase())
}

// piece: pyfloat
/// Python's `str(float)`: `2.5`, `3.0`, `1e-05`, `1e+16`, `inf`, `nan`.
pub trait PyFloat {
    /// The value as Python prints it (an `f32` with its own digits).
    fn to_py_string(&self) -> String;
}

impl PyFloat for f64 {
    fn to_py_string(&self) -> String {
        py_repr(*self)
    }
}

impl PyFloat for f32 {
    fn to_py_string(&self) -> String {
        py_repr(*self)
    }
}

/// A float output (Python's `str(float)`) as KFP v2's launcher renders it,
/// `strconv.FormatFloat(v, 'f', -1, 64)` in launcher_v2.go's `getPlaceholders`, as Rust's
/// `Display` writes it (`0.00001`, `3`), which its `TextToPbValue` reads back; finite, as a
/// protobuf `Value` in JSON must be.
pub fn v2_float(text: String) -> Result<String, String> {
    let value = text.parse::<f64>().ok().filter(|value| value.is_finite());
    value.map(|value| value.to_string()).ok_or(format!("{text} cannot be a KFP v2 NUMBER_DOUBLE, which is finite"))
}

fn py_repr<F: Copy + PartialEq + std::fmt::Display + std::fmt::LowerExp + std::str::FromStr>(v: F) -> String {
    // Shortest digits; on a tie Python takes the even ones, as `{:.N}` does.
    let exact = |text: String| text.parse::<F>().is_ok_and(|back| back == v).then_some(text);
    let shortest = format!("{v:e}");
    let Some((mantissa, exponent)) = shortest.split_once('e') else {
        return shortest.to_lowercase(); // inf, -inf, NaN
    };
    let digits = mantissa.bytes().filter(u8::is_ascii_digit).count() as i32;
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..16).contains(&exponent) {
        let places = digits - exponent - 1;
        let fixed = if places > 0 { exact(format!("{v:.*}", places as usize)) } else { None };
        return fixed.unwrap_or_else(|| format!("{v}{}", if v.to_string().contains('.') { "" } else { ".0" }));
    }
    let text = exact(format!("{v:.*e}", (digits - 1).max(0) as usize)).unwrap_or_else(|| shortest.clone());
    let (mantissa, exponent) = text.split_once('e').unwrap_or_default();
    format!("{mantissa}e{:+03}", exponent.parse::<i32>().unwrap_or(0))
}

// piece: untyped
/// Text without a kfp type: an input or parameter kfp declares untyped
/// (`def consume(param1)`). It flows like a `String`; specs give it no `type`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Untyped(pub String);

impl std::fmt::Display for Untyped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Untyped {
    fn from(text: &str) -> Self {
        Untyped(text.to_owned())
    }
}

/// The text, so `str`'s methods apply: `value.trim()`, `value.parse::<i64>()`.
impl std::ops::Deref for Untyped {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

// piece: paths
use std::{fmt, ops::Deref, path::Path, path::PathBuf};

/// kfp's artifact types: the `T` of a typed file path (`OutputPath<Dataset>`).
pub mod artifacts {
    /// A file without a kfp type: what `InputPath` and `OutputPath` carry by default.
    pub enum Artifact {}
    /// kfp type `Dataset`.
    pub enum Dataset {}
    /// kfp type `Model`.
    pub enum Model {}
    /// kfp type `Metrics`.
    pub enum Metrics {}
    /// kfp type `ClassificationMetrics`.
    pub enum ClassificationMetrics {}
    /// kfp type `SlicedClassificationMetrics`.
    pub enum SlicedClassificationMetrics {}
    /// kfp type `HTML`.
    pub enum Html {}
    /// kfp type `Markdown`.
    pub enum Markdown {}
}

macro_rules! path_type {
    ($($(#[$doc:meta])* $name:ident)*) => {$(
        $(#[$doc])*
        pub struct $name<T = artifacts::Artifact>(PathBuf, std::marker::PhantomData<fn() -> T>);

        impl<T> $name<T> {
            /// Wraps a path, creating nothing.
            pub fn new(path: impl Into<PathBuf>) -> Self { Self(path.into(), std::marker::PhantomData) }
            /// The path.
            pub fn path(&self) -> &Path { &self.0 }
            /// Unwraps the path.
            pub fn into_path_buf(self) -> PathBuf { self.0 }
        }

        // By hand: the type `T` is a tag, it needs none of these traits.
        impl<T> Clone for $name<T> { fn clone(&self) -> Self { Self::new(self.0.clone()) } }
        impl<T> PartialEq for $name<T> { fn eq(&self, other: &Self) -> bool { self.0 == other.0 } }
        impl<T> Eq for $name<T> {}
        impl<T> std::hash::Hash for $name<T> {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) { self.0.hash(state) }
        }
        impl<T> fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.debug_tuple(stringify!($name)).field(&self.0).finish() }
        }
        impl<T> Deref for $name<T> { type Target = Path; fn deref(&self) -> &Path { &self.0 } }
        impl<T> AsRef<Path> for $name<T> { fn as_ref(&self) -> &Path { &self.0 } }
        impl<T> fmt::Display for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { fmt::Display::fmt(&self.0.display(), f) }
        }
    )*};
}

path_type! {
    /// The local path of an input file artifact; `T` is its kfp type (untyped by default).
    InputPath
    /// The local path of an output file artifact; `T` is its kfp type (untyped by default).
    OutputPath
    /// An artifact a component returns (kfp's `-> Dataset`): the file or directory at its path,
    /// which the program puts at the task's output; `T` is its kfp type (untyped by default).
    OutputArtifact
}

impl<T> OutputPath<T> {
    /// Wraps a path after creating its parent directories.
    pub fn prepare(path: &str) -> Result<Self, String> {
        let parent = Path::new(path).parent().unwrap_or(Path::new(""));
        let made = std::fs::create_dir_all(parent);
        made.map_err(|e| format!("cannot create the directory {} for {path}: {e}", parent.display()))?;
        Ok(Self::new(path))
    }
}

// piece: quote
/// Quotes `text` for an error message, cut after 80 characters.
pub fn quote(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{:?}... ({} bytes)", &text[..cut], text.len()),
        None => format!("{text:?}"),
    }
}

// piece: artifact_list needs paths
impl Arg<'_> {
    /// The local paths of a list of input artifacts (kfp 2's `Input[List[Dataset]]`), read from kfp's
    /// executor input (`{{$}}`, what kfp's Python executor reads) by `uris`, which takes it and the
    /// input's name (`None` when it has no such input). An absent or empty list is an empty `Vec`.
    pub fn artifact_paths<T>(self, uris: ListedUris) -> Result<Vec<InputPath<T>>, String> {
        self.listed_paths(uris).map(Option::unwrap_or_default)
    }

    fn listed_paths<T>(self, uris: ListedUris) -> Result<Option<Vec<InputPath<T>>>, String> {
        let name = self.0[2..].replace('-', "_");
        let listed = self.1.and_then(|text| uris(&text, &name)).map_err(|e| format!("input {name}: {e}"))?;
        Ok(listed.map(|listed| listed.iter().map(|uri| InputPath::new(local_path(uri))).collect()))
    }
}

/// Reads the URIs of a list of artifacts from an executor input, by the input's name.
pub type ListedUris = fn(&str, &str) -> Result<Option<Vec<String>>, String>;

/// Where a container finds the artifact at `uri`, as kfp mounts a bucket (`gs://b/x` at `/gcs/b/x`,
/// `minio://` at `/minio/`, `s3://` at `/s3/`); any other URI (a local run's) is its path.
pub fn local_path(uri: &str) -> String {
    let mounts = [("gs://", "/gcs/"), ("minio://", "/minio/"), ("s3://", "/s3/")];
    let mount = mounts.iter().find_map(|(scheme, at)| uri.strip_prefix(scheme).map(|rest| format!("{at}{rest}")));
    mount.unwrap_or_else(|| uri.to_owned())
}

// piece: optional_artifact_list needs artifact_list
impl Arg<'_> {
    /// The local paths of a list of input artifacts a task may leave out (kfp 2's
    /// `Optional[Input[List[Dataset]]] = None`): `None` when the executor input has no such input.
    /// A list given empty (a loop over nothing) is `Some` of an empty `Vec`.
    pub fn optional_artifact_paths<T>(self, uris: ListedUris) -> Result<Option<Vec<InputPath<T>>>, String> {
        self.listed_paths(uris)
    }
}

// piece: returned needs paths metadata
/// How [`call_with`] writes one returned output.
#[derive(Clone, Copy)]
pub enum Out {
    /// Its text, through this function under `----kfp-contract v2`.
    Text(ToV2),
    /// An artifact the function returned (kfp's `-> Dataset`): its text is the path of the file
    /// or directory the function made, copied to the output's path unless it is there already.
    Artifact,
}

thread_local! {
    /// Where `get_uri` makes paths while `call_with` runs a body: beside the returned artifacts.
    static TASK_ROOT: std::cell::RefCell<Option<PathBuf>> = const { std::cell::RefCell::new(None) };
}

/// [`call`] for a function that returns artifacts: each `Out::Artifact` output is the file or
/// directory at the path its text names, put at the output's path; while `body` runs,
/// [`get_uri`] names paths beside the outputs.
pub fn call_with<const N: usize>(
    args: Vec<String>,
    flags: [&str; N],
    outputs: &[Out],
    body: impl FnOnce([Arg; N]) -> Result<Vec<String>, String>,
) -> Result<(), String> {
    let (values, paths, v2) = read(args, flags, outputs.len())?;
    // kfp's task root (`dsl.get_uri`): the directory of the launcher's output artifacts.
    let root = paths.iter().zip(outputs).find(|(_, out)| matches!(out, Out::Artifact));
    TASK_ROOT.with(|task_root| task_root.replace(root.map(|(path, _)| Path::new(path).with_file_name(""))));
    let texts = body(values);
    TASK_ROOT.with(|task_root| task_root.take());
    paths.iter().zip(outputs).zip(texts?).try_for_each(|((path, out), text)| match out {
        Out::Text(v2_text) => write(path, if v2 { v2_text(text) } else { Ok(text) }),
        Out::Artifact => {
            place(Path::new(&text), Path::new(path))?;
            // Its metadata was set on the path the function made: `finish_metadata` reads the output's.
            let mut store = METADATA.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            store.iter_mut().filter(|(of, _, _)| *of == Path::new(&text)).for_each(|(of, _, _)| *of = path.into());
            Ok(())
        }
    })
}

/// Puts the returned artifact `from` at its output path `to`, unless it is there already.
fn place(from: &Path, to: &Path) -> Result<(), String> {
    if let Err(e) = std::fs::metadata(from) {
        return Err(format!(
            "the returned artifact {} cannot be read ({e}): write it before returning it",
            from.display()
        ));
    }
    let copied =
        std::fs::create_dir_all(to.with_file_name(""))
            .and_then(|()| if from == to { Ok(()) } else { copy_all(from, to) });
    copied.map_err(|e| format!("cannot put the returned artifact {} at {}: {e}", from.display(), to.display()))
}

/// Copies a file, or a directory with everything in it.
fn copy_all(from: &Path, to: &Path) -> std::io::Result<()> {
    if !from.is_dir() {
        return std::fs::copy(from, to).map(drop);
    }
    std::fs::create_dir_all(to)?;
    std::fs::read_dir(from)?.try_for_each(|entry| {
        let entry = entry?;
        // Following a link could loop back up the directory without end.
        if entry.file_type()?.is_symlink() {
            let why = format!("{} is a symbolic link: put what it names there instead", entry.path().display());
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, why));
        }
        copy_all(&entry.path(), &to.join(entry.file_name()))
    })
}

/// kfp's `dsl.get_uri(suffix)`: the local path named `suffix` beside the task's returned
/// artifacts, its directory made. Under the KFP v2 contract `get_uri("Output")` is where the
/// output `Output` goes, so an artifact made there is not copied; under v1 the output is
/// `.../Output/data`, so it is. Known only while the component runs as a task.
pub fn get_uri(suffix: &str) -> std::io::Result<PathBuf> {
    let root = TASK_ROOT.with(|root| root.borrow().clone()).ok_or_else(|| {
        let why = "get_uri is known only while a component returning an artifact runs as a task";
        std::io::Error::new(std::io::ErrorKind::NotFound, why)
    })?;
    std::fs::create_dir_all(&root)?;
    Ok(root.join(suffix))
}

impl<T> OutputArtifact<T> {
    /// The path, as `call_with` reads it back to put the artifact at its output.
    pub fn to_text(&self) -> Result<String, String> {
        let text = self.0.to_str().map(str::to_owned);
        text.ok_or_else(|| format!("the returned artifact's path {} is not UTF-8", self.0.display()))
    }
}

// piece: metadata needs paths
/// Metadata set on output artifacts while the function runs, as (path, key, JSON or why not),
/// until `finish_metadata` takes it.
static METADATA: std::sync::Mutex<Vec<MetadataEntry>> = std::sync::Mutex::new(Vec::new());

/// The path of an output file, a key of its metadata, and the value as JSON or why it cannot be.
type MetadataEntry = (PathBuf, String, Result<String, String>);

/// A value of an output artifact's metadata: text, a number, a boolean.
pub trait MetadataValue {
    /// The value as JSON, or why KFP v2 cannot record it.
    fn to_metadata_json(&self) -> Result<String, String>;
}

macro_rules! metadata_numbers {
    ($($number:ty)*) => {$(
        impl MetadataValue for $number {
            fn to_metadata_json(&self) -> Result<String, String> {
                // A JSON number is finite, and so is protobuf's.
                if (*self as f64).is_finite() { Ok(self.to_string()) } else { Err(format!("{self}, which is not a finite number")) }
            }
        }
    )*};
}
metadata_numbers!(f64 f32 i8 i16 i32 i64 isize u8 u16 u32 u64 usize);

impl MetadataValue for bool {
    fn to_metadata_json(&self) -> Result<String, String> {
        Ok(self.to_string())
    }
}

impl MetadataValue for &str {
    fn to_metadata_json(&self) -> Result<String, String> {
        let mut out = String::from("\"");
        for c in self.chars() {
            match c {
                '\"' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('\"');
        Ok(out)
    }
}

impl MetadataValue for String {
    fn to_metadata_json(&self) -> Result<String, String> {
        self.as_str().to_metadata_json()
    }
}

impl<T> OutputPath<T> {
    /// Sets `key` of this output artifact's metadata, as kfp 2's `artifact.metadata[key] = value`:
    /// under KFP v2 the launcher records it with the artifact in ML Metadata, where KFP's UI shows
    /// it. KFP v1 has no artifact metadata: there it is dropped ([`OutputPath::log_metric`]'s
    /// metrics excepted).
    pub fn set_metadata(&self, key: &str, value: impl MetadataValue) {
        let mut store = METADATA.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        store.retain(|(path, old, _)| !(*path == self.0 && old == key));
        store.push((self.0.clone(), key.to_owned(), value.to_metadata_json()));
    }
}

impl<T> OutputArtifact<T> {
    /// Sets `key` of the returned artifact's metadata, as kfp 2's `Dataset(uri=dsl.get_uri(),
    /// metadata={key: value})`: recorded under the output's name, as
    /// [`OutputPath::set_metadata`] records it.
    pub fn set_metadata(&self, key: &str, value: impl MetadataValue) {
        OutputPath::<T>::new(&self.0).set_metadata(key, value);
    }
}

impl OutputArtifact<artifacts::Metrics> {
    /// kfp 2's `Metrics.log_metric` on a returned `Metrics`, as [`OutputPath::log_metric`].
    pub fn log_metric(&self, metric: &str, value: f64) {
        OutputPath::<artifacts::Metrics>::new(&self.0).log_metric(metric, value);
    }
}

impl OutputPath<artifacts::Metrics> {
    /// kfp 2's `Metrics.log_metric`: scalar metric `metric` in the artifact's metadata, which KFP
    /// v2's UI shows as the run's metrics ([`OutputPath::set_metadata`]). The file holds the
    /// metrics logged so far in kfp 1.8's metrics format (`{"metrics": [{"name", "numberValue",
    /// "format": "RAW"}]}`), which KFP v1's UI shows for an output named `mlpipeline_metrics`; a
    /// metric that is not finite is left out of it, as JSON has no such number.
    pub fn log_metric(&self, metric: &str, value: f64) {
        self.set_metadata(metric, value);
        let store = METADATA.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut metrics = Vec::new();
        for (_, name, value) in store.iter().filter(|(path, _, _)| *path == self.0) {
            if let (Ok(name), Ok(value)) = (name.as_str().to_metadata_json(), value) {
                metrics.push(format!("{{\"name\": {name}, \"numberValue\": {value}, \"format\": \"RAW\"}}"));
            }
        }
        // Unwritable, the file is missing, and the task fails naming the output.
        let _ = std::fs::write(&self.0, format!("{{\"metrics\": [{}]}}", metrics.join(", ")));
    }
}

/// Where a program under KFP v2 writes its executor output, read from kfp's executor input.
pub struct ExecutorOutput {
    file: String,
    /// The names of the output artifacts.
    artifacts: Vec<String>,
}

/// `args` without `----executor-input JSON` (kfp's executor input, `{{$}}`, which the KFP v2
/// compiler passes a program with output artifacts), and what it says of the executor output:
/// `outputs.outputFile`, where the launcher reads it back.
pub fn executor_output(mut args: Vec<String>) -> Result<(Vec<String>, Option<ExecutorOutput>), String> {
    let Some(at) = args.iter().position(|arg| arg == "----executor-input") else { return Ok((args, None)) };
    let input = args.get(at + 1).cloned().ok_or("----executor-input needs kfp's executor input")?;
    args.drain(at..at + 2);
    let bytes = input.as_bytes();
    let mut scan = Scan(bytes, 0);
    let file = scan.field("outputs").and_then(|()| scan.field("outputFile")).and_then(|()| scan.string());
    let file = file.ok_or("the executor input (----executor-input) has no outputs.outputFile")?;
    let mut scan = Scan(bytes, 0);
    let artifacts = scan.field("outputs").and_then(|()| scan.field("artifacts")).and_then(|()| scan.keys());
    Ok((args, Some(ExecutorOutput { file, artifacts: artifacts.unwrap_or_default() })))
}

/// After the function ran: the metadata it set on its output files, which `outputs` name by flag
/// and parameter name (an artifact is named so, or as its flag) and `args` give the paths of,
/// and on the artifacts it returned, which `returned` names by place among `----output-paths`,
/// taken out of the record and, under KFP v2 (`executor`), written as kfp's Python executor writes
/// its executor output (`executor_output.json`): each output artifact's metadata under its name.
/// The launcher merges it into the artifacts it records in ML Metadata (launcher_v2.go's
/// `uploadOutputArtifacts`, `mergeRuntimeArtifacts`).
pub fn finish_metadata(
    executor: Option<&ExecutorOutput>,
    args: &[String],
    outputs: &[(&str, &str)],
    returned: &[(usize, &str)],
) -> Result<(), String> {
    let output_paths = args.iter().position(|arg| arg == "----output-paths").map_or(&[][..], |at| &args[at + 1..]);
    let returned = returned.iter().map(|(at, name)| (output_paths.get(*at).map(String::as_str), "", *name));
    let files = outputs.iter().map(|(flag, written)| {
        let given = args.iter().rev().find_map(|arg| arg.strip_prefix(*flag).and_then(|rest| rest.strip_prefix('=')));
        let next = args.iter().rposition(|arg| arg == flag).and_then(|at| args.get(at + 1));
        (next.map(String::as_str).or(given), *flag, *written)
    });
    let mut artifacts = Vec::new();
    for (path, flag, written) in files.chain(returned) {
        let Some(path) = path else { continue };
        let mut store = METADATA.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (mine, others): (Vec<_>, Vec<_>) =
            std::mem::take(&mut *store).into_iter().partition(|(of, _, _)| of.as_path() == Path::new(path));
        *store = others;
        drop(store);
        let Some(executor) = executor else { continue };
        let from_flag = flag.trim_start_matches('-').replace('-', "_");
        let Some(name) = [written, from_flag.as_str()]
            .into_iter()
            .find(|name| executor.artifacts.iter().any(|a| a.as_str() == *name))
        else {
            continue;
        };
        let mut fields = Vec::new();
        for (_, key, value) in &mine {
            let value = value.as_ref().map_err(|why| format!("output {name}: metadata {key:?} is {why}"))?;
            fields.push(format!("{}: {value}", key.as_str().to_metadata_json()?));
        }
        let name = name.to_metadata_json()?;
        artifacts.push(format!("{name}: {{\"artifacts\": [{{\"metadata\": {{{}}}}}]}}", fields.join(", ")));
    }
    let Some(executor) = executor else { return Ok(()) };
    let parent = Path::new(&executor.file).with_file_name("");
    std::fs::create_dir_all(parent)
        .and_then(|()| std::fs::write(&executor.file, format!("{{\"artifacts\": {{{}}}}}", artifacts.join(", "))))
        .map_err(|e| format!("cannot write the executor output {}: {e}", executor.file))
}

/// A JSON text read from byte `.1` on: just what finding one field needs.
struct Scan<'a>(&'a [u8], usize);

impl Scan<'_> {
    fn peek(&mut self) -> Option<u8> {
        while self.0.get(self.1).is_some_and(u8::is_ascii_whitespace) {
            self.1 += 1;
        }
        self.0.get(self.1).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.1 += 1)
    }

    /// The four hex digits of a `\\u` escape, as a UTF-16 code unit.
    fn hex4(&mut self) -> Option<u32> {
        let hex = std::str::from_utf8(self.0.get(self.1..self.1 + 4)?).ok()?;
        self.1 += 4;
        u32::from_str_radix(hex, 16).ok()
    }

    fn string(&mut self) -> Option<String> {
        self.eat(b'\"')?;
        let mut out = Vec::new();
        loop {
            let byte = *self.0.get(self.1)?;
            self.1 += 1;
            match byte {
                b'\"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let escaped = *self.0.get(self.1)?;
                    self.1 += 1;
                    let c = match escaped {
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'u' => {
                            let unit = self.hex4()?;
                            // A character beyond the BMP comes as a UTF-16 surrogate pair of escapes.
                            let high = (0xD800..0xDC00).contains(&unit);
                            let low = if high && self.0.get(self.1..self.1 + 2) == Some(&b"\\u"[..]) {
                                let at = self.1;
                                self.1 += 2;
                                let low = self.hex4().filter(|low| (0xDC00..0xE000).contains(low));
                                if low.is_none() {
                                    self.1 = at;
                                }
                                low
                            } else {
                                None
                            };
                            let code = match low {
                                Some(low) => 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00),
                                None => unit,
                            };
                            char::from_u32(code).unwrap_or('\u{fffd}')
                        }
                        other => other as char,
                    };
                    out.extend(c.to_string().bytes());
                }
                other => out.push(other),
            }
        }
    }

    /// Skips one value.
    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'\"' => self.string().map(drop),
            b'{' | b'[' => {
                let mut depth = 0;
                loop {
                    match self.peek()? {
                        b'\"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => depth -= 1,
                        _ => {}
                    }
                    self.1 += 1;
                    if depth == 0 {
                        return Some(());
                    }
                }
            }
            _ => {
                while !matches!(self.peek(), None | Some(b',' | b'}' | b']')) {
                    self.1 += 1;
                }
                Some(())
            }
        }
    }

    /// The keys of the object that starts here.
    fn keys(&mut self) -> Option<Vec<String>> {
        self.eat(b'{')?;
        let mut keys = Vec::new();
        while self.eat(b'}').is_none() {
            keys.push(self.string()?);
            self.eat(b':')?;
            self.skip()?;
            let _ = self.eat(b',');
        }
        Some(keys)
    }

    /// Moves to the value of `key` in the object that starts here.
    fn field(&mut self, key: &str) -> Option<()> {
        self.eat(b'{')?;
        loop {
            if self.eat(b'}').is_some() {
                return None;
            }
            let name = self.string()?;
            self.eat(b':')?;
            if name == key {
                return Some(());
            }
            self.skip()?;
            let _ = self.eat(b',');
        }
    }
}
