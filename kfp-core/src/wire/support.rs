// kfp 1.8 wire format. Shipped in every component program (`mod __kfp_wire { pub
// mod support {..} }`, rustc 1.83+): std only; no `crate::`, inner attributes, tests,
// `unsafe` or panics; keep it small. `// section: NAME` lines split it: a program gets
// the part before the first one and the sections it needs (component/program.rs).

use std::{fmt, fs, io::Write as _, ops::Deref, path::Path, path::PathBuf, str::FromStr};

/// Quotes `text` for an error message, cut after 80 characters.
pub fn quote(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{:?}... ({} bytes)", &text[..cut], text.len()),
        None => format!("{text:?}"),
    }
}

// section: digits
// `text` without `_`, if each is between ASCII digits (Python's rule).
fn strip_underscores(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let ok = (0..b.len()).all(|i| b[i] != b'_' || (i > 0 && digit(i - 1) && digit(i + 1)));
    ok.then(|| text.replace('_', ""))
}

// section: int
/// Python's `int(text)`, ASCII digits only: `42`, ` -7 `, `+1_000`.
pub fn parse_int<T: FromStr>(text: &str) -> Result<T, String> {
    let clean = strip_underscores(text.trim()).unwrap_or_default();
    let (sign, digits) = clean.split_at(usize::from(clean.starts_with(['-', '+'])));
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        let expected = "expected decimal digits with an optional sign, such as 42, -7 or 1_000";
        return Err(format!("invalid integer {}: {expected}", quote(text)));
    }
    let normalized = match digits.trim_start_matches('0') {
        "" => "0".to_string(),
        digits => format!("{}{digits}", sign.trim_start_matches('+')),
    };
    let type_name = std::any::type_name::<T>();
    normalized.parse().map_err(|_| format!("integer {} is out of range for {type_name}", quote(&normalized)))
}

// section: float
/// Python's `float(text)`, ASCII digits only: `2.5`, `1_0.5`, `.5`, `1e-05`, `nan`.
pub fn parse_float<T: FromStr>(text: &str) -> Result<T, String> {
    // Rust's syntax is Python's without `_`; both read `1e400` as inf.
    let value = strip_underscores(text.trim()).and_then(|clean| clean.parse().ok());
    value.ok_or_else(|| format!("invalid float {}: expected a number such as 2.5, -3, 1e-05, inf or nan", quote(text)))
}

// section: bool
/// kfp's `strtobool` (`yes`, `0`, `True`...), ignoring surrounding whitespace.
pub fn parse_bool(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" | "t" | "true" | "on" | "1" => Ok(true),
        "n" | "no" | "f" | "false" | "off" | "0" => Ok(false),
        _ => Err(format!(
            "invalid boolean {}: expected one of y, yes, t, true, on, 1 (true) or n, no, f, false, off, 0 (false), in any case",
            quote(text)
        )),
    }
}

/// Python's `str(bool)`: `True` or `False`.
pub fn format_bool(value: bool) -> &'static str {
    ["False", "True"][usize::from(value)]
}

// section: pyfloat
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

fn py_repr<F: Copy + PartialEq + fmt::Display + fmt::LowerExp + FromStr>(v: F) -> String {
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

// section: output
/// Writes an output file as kfp does: parents first, `text` exactly.
pub fn write_output(path: &str, text: &str) -> Result<(), String> {
    make_parent_dirs(Path::new(path))?;
    fs::write(path, text).map_err(|error| format!("cannot write output file {path}: {error}"))
}

fn make_parent_dirs(path: &Path) -> Result<(), String> {
    let parent = path.parent().unwrap_or(Path::new(""));
    fs::create_dir_all(parent)
        .map_err(|error| format!("cannot create the directory {} for {}: {error}", parent.display(), path.display()))
}

// section: untyped
/// Text without a kfp type: an input or parameter kfp declares untyped
/// (`def consume(param1)`). It flows like a `String`; specs give it no `type`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Untyped(pub String);

impl fmt::Display for Untyped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Untyped {
    fn from(text: &str) -> Self {
        Untyped(text.to_owned())
    }
}

// section: paths
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
}

impl<T> OutputPath<T> {
    /// Wraps a path after creating its parent directories.
    pub fn prepare(path: String) -> Result<Self, String> {
        make_parent_dirs(Path::new(&path))?;
        Ok(Self::new(path))
    }
}

// section: args
/// A component's command line, read as kfp's argparse reads it.
#[derive(Debug, Clone, Default)]
pub struct Args {
    left: Vec<(u8, String, Option<String>)>, // 0: bare flag, 1: flag, 2: stray
    paths: Option<Vec<String>>,
    asked: Vec<String>,
}

impl Args {
    /// Reads this process's arguments.
    pub fn from_env() -> Args {
        Args::parse(std::env::args_os().skip(1).map(|arg| arg.to_string_lossy().into_owned()).collect())
    }

    /// Reads arguments; a flag's value is always the next argument.
    pub fn parse(args: Vec<String>) -> Args {
        let mut parsed = Args::default();
        let split = |arg: String| match arg.split_once('=').filter(|_| arg.starts_with("--")) {
            Some((flag, value)) => vec![flag.to_string(), value.to_string()],
            None => vec![arg],
        };
        let mut args = args.into_iter().flat_map(split).peekable();
        while let Some(arg) = args.next() {
            if arg == "----output-paths" {
                parsed.paths = Some(std::iter::from_fn(|| args.next_if(|next| !next.starts_with("--"))).collect());
            } else if let Some(name) = arg.strip_prefix("--").filter(|name| !name.is_empty()) {
                let value = args.next();
                parsed.left.push((u8::from(value.is_some()), name.to_string(), value));
            } else {
                parsed.left.push((2, arg, None));
            }
        }
        parsed
    }

    /// Takes the value of a required flag (`"--x"` or `"x"`).
    pub fn required(&mut self, flag: &str) -> Result<String, String> {
        let name = flag.strip_prefix("--").unwrap_or(flag);
        let problem = match self.left.contains(&(0, name.to_string(), None)) {
            true => format!("argument --{name} needs a value"),
            false => format!("missing required argument --{name}"),
        };
        self.optional(name).ok_or_else(|| format!("{problem}: pass --{name} <value>"))
    }

    /// Takes the value of an optional flag (the last one given).
    pub fn optional(&mut self, flag: &str) -> Option<String> {
        let name = flag.strip_prefix("--").unwrap_or(flag);
        self.asked.push(name.to_string());
        let mut taken = None;
        while let Some(at) = self.left.iter().position(|left| left.0 == 1 && left.1 == name) {
            taken = self.left.remove(at).2;
        }
        taken
    }

    /// Takes the `count` paths after `----output-paths`.
    pub fn output_paths(&mut self, count: usize) -> Result<Vec<String>, String> {
        match self.paths.take() {
            Some(paths) if paths.len() == count => Ok(paths),
            Some(paths) => Err(format!(
                "----output-paths needs {count} path(s), one per output, but got {}: {paths:?}",
                paths.len()
            )),
            None if count == 0 => Ok(Vec::new()),
            None => Err(format!(
                "missing required argument ----output-paths: pass ----output-paths followed by {count} output path(s)"
            )),
        }
    }

    /// Refuses arguments that were not taken.
    pub fn finish(mut self) -> Result<(), String> {
        self.left.sort_by_key(|left| left.0);
        let mut problems: Vec<String> = (self.left.iter())
            .map(|(kind, text, _)| match kind {
                0 => format!("--{text} (without a value)"),
                1 => format!("--{text}"),
                _ => quote(text),
            })
            .collect();
        problems.extend(self.paths.map(|_| "----output-paths".to_string()));
        let accepted = match self.asked.is_empty() {
            true => "takes no arguments".to_string(),
            false => format!("accepts --{}", self.asked.join(", --")),
        };
        if problems.is_empty() {
            return Ok(());
        }
        Err(format!("unexpected argument(s) {}; this component {accepted}", problems.join(", ")))
    }
}

/// Prints `<component>: <message>` on stderr and exits with status 1.
pub fn fail(component: &str, message: &str) -> ! {
    let _ = writeln!(std::io::stderr(), "{component}: {message}");
    std::process::exit(1)
}
