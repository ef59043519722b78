// kfp 1.8 value wire format, std-only part.
//
// This file is compiled twice: as the module `kfp_core::wire::support`, and
// verbatim (through `include_str!`) inside the `main` program of every Rust
// function component, wrapped in `mod __kfp_wire { pub mod support { ... } }`
// and built with a plain `rustc --edition 2021`, possibly as old as Rust 1.83.
// So it must stay self-contained: std only, no `crate::` paths, no inner
// attributes or `//!` docs, no test modules, no `unsafe`, and no panics on any
// input (every failure is an `Err(String)` that quotes the offending text).

use std::fmt;
use std::fs;
use std::io::Write as _;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Code points of the digit zero of every run of Unicode decimal digits
/// (general category `Nd`, Unicode 14.0 as in Python 3.11); each run holds the
/// ten digits 0 to 9 in order. Python's `int()` and `float()` accept them all.
const DECIMAL_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6, 0xE50, 0xED0,
    0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620,
    0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0,
    0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60,
    0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// Longest part of an offending value that an error message quotes.
const QUOTE_LIMIT: usize = 80;

/// Quotes `text` for an error message (Rust debug syntax, so that whitespace
/// and control characters are visible), cut after [`QUOTE_LIMIT`] characters.
fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_LIMIT) {
        Some((cut, _)) => format!("{:?}... ({} bytes)", &text[..cut], text.len()),
        None => format!("{text:?}"),
    }
}

/// The ASCII digit of a Unicode decimal digit, as Python reads digits.
fn decimal_digit(c: char) -> Option<char> {
    if c.is_ascii_digit() {
        return Some(c);
    }
    let code = u32::from(c);
    DECIMAL_ZEROS
        .iter()
        .find(|&&zero| code >= zero && code - zero < 10)
        .and_then(|&zero| char::from_digit(code - zero, 10))
}

/// Reads Python's `digitpart`: digits with single underscores between them.
/// Returns the ASCII digits, or `None` if `text` is anything else (also if it
/// is empty).
fn digit_part(text: &str) -> Option<String> {
    let mut digits = String::with_capacity(text.len());
    let mut after_underscore = false;
    for c in text.chars() {
        if c == '_' {
            if digits.is_empty() || after_underscore {
                return None;
            }
            after_underscore = true;
        } else {
            digits.push(decimal_digit(c)?);
            after_underscore = false;
        }
    }
    if digits.is_empty() || after_underscore {
        None
    } else {
        Some(digits)
    }
}

/// Splits an optional leading `+` or `-` off `text`; the flag is `true` for `-`.
fn split_sign(text: &str) -> (bool, &str) {
    if let Some(rest) = text.strip_prefix('-') {
        (true, rest)
    } else {
        (false, text.strip_prefix('+').unwrap_or(text))
    }
}

/// Parses an integer input the way Python's `int(text)` does (what kfp 1.8
/// components run): surrounding whitespace, a sign, underscores between digits
/// (`1_000`) and Unicode decimal digits are accepted; fractions (`3.0`),
/// exponents, empty text, `1__0` and `_1` are not. A value outside the range of
/// `T` is an error naming the value and `T`.
pub fn parse_int<T: FromStr>(text: &str) -> Result<T, String> {
    let (negative, body) = split_sign(text.trim());
    let digits = digit_part(body).ok_or_else(|| {
        format!(
            "invalid integer {}: expected decimal digits with an optional sign, such as 42, -7 or 1_000",
            quote(text)
        )
    })?;
    let digits = match digits.trim_start_matches('0') {
        "" => "0",
        significant => significant,
    };
    let normalized = if negative && digits != "0" { format!("-{digits}") } else { digits.to_string() };
    normalized
        .parse::<T>()
        .map_err(|_| format!("integer {} is out of range for {}", quote(&normalized), std::any::type_name::<T>()))
}

/// Parses a float input the way Python's `float(text)` does: surrounding
/// whitespace, a sign, underscores between digits, Unicode decimal digits,
/// `1.`, `.5`, exponents (`1e-05`), and `inf`, `infinity` and `nan` in any case.
/// A value too large for `T` becomes an infinity, as Python's `float` does.
pub fn parse_float<T: FromStr>(text: &str) -> Result<T, String> {
    let invalid = || format!("invalid float {}: expected a number such as 2.5, -3, 1e-05, inf or nan", quote(text));
    let (negative, body) = split_sign(text.trim());
    let sign = if negative { "-" } else { "" };
    let normalized = match body.to_ascii_lowercase().as_str() {
        "inf" | "infinity" => format!("{sign}inf"),
        "nan" => format!("{sign}NaN"),
        _ => {
            let (mantissa, exponent) = match body.find(['e', 'E']) {
                Some(at) => (&body[..at], Some(&body[at + 1..])),
                None => (body, None),
            };
            let (whole, fraction) = match mantissa.split_once('.') {
                Some((whole, fraction)) => (whole, Some(fraction)),
                None => (mantissa, None),
            };
            let whole = match (whole, fraction) {
                ("", Some(fraction)) if !fraction.is_empty() => "0".to_string(),
                _ => digit_part(whole).ok_or_else(invalid)?,
            };
            let fraction = match fraction {
                None | Some("") => "0".to_string(),
                Some(fraction) => digit_part(fraction).ok_or_else(invalid)?,
            };
            let exponent = match exponent {
                None => "0".to_string(),
                Some(exponent) => {
                    let (negative, digits) = split_sign(exponent);
                    let digits = digit_part(digits).ok_or_else(invalid)?;
                    if negative {
                        format!("-{digits}")
                    } else {
                        digits
                    }
                }
            };
            format!("{sign}{whole}.{fraction}e{exponent}")
        }
    };
    normalized
        .parse::<T>()
        .map_err(|_| format!("float {} cannot be represented as {}", quote(text), std::any::type_name::<T>()))
}

/// Parses a boolean input like kfp 1.8's `_deserialize_bool`
/// (`distutils.util.strtobool`): `y`, `yes`, `t`, `true`, `on`, `1` are true and
/// `n`, `no`, `f`, `false`, `off`, `0` are false, in any case.
///
/// Unlike kfp, surrounding whitespace is ignored (as Python's `int()` and
/// `float()` ignore it), so a value written with a trailing newline by a shell
/// command is still read.
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

/// Formats a value the way Python's `str(bool)` does: `True` or `False`.
pub fn format_bool(value: bool) -> &'static str {
    if value {
        "True"
    } else {
        "False"
    }
}

/// Floats formatted as Python's `str(float)` and `repr(float)` format them.
pub trait PyFloat {
    /// The shortest digits that read back as the same value, in fixed notation
    /// when the decimal exponent is from -4 to 15 (`2.5`, `3.0`, `0.0001`,
    /// `1000000000000000.0`) and in scientific notation otherwise (`1e-05`,
    /// `1e+16`, `1.5e+300`); `inf`, `-inf` and `nan` for the special values.
    /// An `f32` uses its own shortest digits (`0.1_f32` gives `0.1`).
    fn to_py_string(&self) -> String;
}

impl PyFloat for f64 {
    fn to_py_string(&self) -> String {
        if self.is_nan() {
            "nan".to_string()
        } else if self.is_infinite() {
            (if *self > 0.0 { "inf" } else { "-inf" }).to_string()
        } else {
            python_repr(*self)
        }
    }
}

impl PyFloat for f32 {
    fn to_py_string(&self) -> String {
        if self.is_nan() {
            "nan".to_string()
        } else if self.is_infinite() {
            (if *self > 0.0 { "inf" } else { "-inf" }).to_string()
        } else {
            python_repr(*self)
        }
    }
}

/// Significant digits (no trailing zeros but for zero itself) and the decimal
/// exponent of their first digit, read from Rust's `{:e}` form (`-1.5e300`,
/// `1e-5`, `0e0`); `None` if the text is not in that form.
fn split_scientific(text: &str) -> Option<(bool, String, i32)> {
    let (negative, body) = split_sign(text);
    let (mantissa, exponent) = body.split_once('e')?;
    let exponent = exponent.parse::<i32>().ok()?;
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = match digits.trim_end_matches('0') {
        "" => "0".to_string(),
        significant => significant.to_string(),
    };
    Some((negative, digits, exponent))
}

/// Python's `repr` of a finite float: Rust's shortest round-trip digits, laid
/// out as Python lays them out.
fn python_repr<F>(value: F) -> String
where
    F: Copy + PartialEq + fmt::LowerExp + FromStr,
{
    let shortest = format!("{value:e}");
    match split_scientific(&shortest) {
        Some((negative, digits, exponent)) => {
            let (digits, exponent) = break_tie_to_even(value, negative, digits, exponent);
            python_layout(negative, &digits, exponent)
        }
        None => shortest,
    }
}

/// Python (David Gay's `dtoa`) picks the even one of two shortest digit
/// strings that are exactly as close to the value, Rust may pick the odd one
/// (`105165237886367.625` is `...67.62` in Python); this returns the digits
/// Python picks.
fn break_tie_to_even<F>(value: F, negative: bool, digits: String, exponent: i32) -> (String, i32)
where
    F: Copy + PartialEq + fmt::LowerExp + FromStr,
{
    let count = digits.len();
    let odd = digits.bytes().last().is_some_and(|digit| digit % 2 == 1);
    if !odd || !format!("{value:.count$e}").contains("5e") {
        return (digits, exponent);
    }
    // The exact value (every finite f64 has at most 767 significant digits).
    let Some((_, exact, exact_exponent)) = split_scientific(&format!("{value:.800e}")) else {
        return (digits, exponent);
    };
    if exact.len() != count + 1 || !exact.ends_with('5') {
        return (digits, exponent);
    }
    let lower = (exact[..count].trim_end_matches('0').to_string(), exact_exponent);
    let upper = increment(&exact[..count], exact_exponent);
    let other = if (digits.as_str(), exponent) == (lower.0.as_str(), lower.1) {
        upper
    } else if (digits.as_str(), exponent) == (upper.0.as_str(), upper.1) {
        lower
    } else {
        return (digits, exponent);
    };
    let other_even = other.0.bytes().last().is_some_and(|digit| digit % 2 == 0);
    let shift = i32::try_from(other.0.len()).unwrap_or(0) - 1;
    let sign = if negative { "-" } else { "" };
    let round_trips = format!("{sign}{}e{}", other.0, other.1 - shift).parse::<F>().is_ok_and(|parsed| parsed == value);
    if other_even && other.0.len() == count && round_trips {
        other
    } else {
        (digits, exponent)
    }
}

/// The digit string one unit (in its last digit) above `digits`, with its
/// exponent, normalized like [`split_scientific`] (`"19", 0` gives `"2", 0`
/// and `"99", 0` gives `"1", 1`).
fn increment(digits: &str, exponent: i32) -> (String, i32) {
    let mut bytes = digits.as_bytes().to_vec();
    let mut exponent = exponent;
    let mut at = bytes.len();
    loop {
        if at == 0 {
            bytes.insert(0, b'1');
            exponent += 1;
            break;
        }
        at -= 1;
        if bytes[at] == b'9' {
            bytes[at] = b'0';
        } else {
            bytes[at] += 1;
            break;
        }
    }
    let text: String = bytes.iter().map(|&byte| char::from(byte)).collect();
    let trimmed = text.trim_end_matches('0');
    (trimmed.to_string(), exponent)
}

/// Lays out significant digits whose first digit has the decimal exponent
/// `exponent` as Python's `repr` does.
fn python_layout(negative: bool, digits: &str, exponent: i32) -> String {
    let mut out = String::with_capacity(digits.len() + 8);
    if negative {
        out.push('-');
    }
    // Position of the decimal point relative to the start of `digits`.
    let point = exponent + 1;
    if (-3..=16).contains(&point) {
        let count = i32::try_from(digits.len()).unwrap_or(i32::MAX);
        if point <= 0 {
            out.push_str("0.");
            out.push_str(&"0".repeat(point.unsigned_abs() as usize));
            out.push_str(digits);
        } else if point < count {
            let (whole, fraction) = digits.split_at(point.unsigned_abs() as usize);
            out.push_str(whole);
            out.push('.');
            out.push_str(fraction);
        } else {
            out.push_str(digits);
            out.push_str(&"0".repeat((point - count).unsigned_abs() as usize));
            out.push_str(".0");
        }
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push_str(&format!("e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.unsigned_abs()));
    }
    out
}

/// Writes an output value file as kfp does: creates the parent directories,
/// then writes `text` exactly, without adding a newline.
pub fn write_output(path: &str, text: &str) -> Result<(), String> {
    make_parent_dirs(Path::new(path))?;
    fs::write(path, text).map_err(|error| format!("cannot write output file {path}: {error}"))
}

/// Creates the parent directories of `path`, if it has any.
fn make_parent_dirs(path: &Path) -> Result<(), String> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => fs::create_dir_all(parent).map_err(|error| {
            format!("cannot create the directory {} for {}: {error}", parent.display(), path.display())
        }),
        _ => Ok(()),
    }
}

/// The local path of an input file artifact, given to a component function
/// parameter (`fn train(data_path: InputPath)`); kfp puts the file at
/// `/tmp/inputs/<name>/data`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InputPath(PathBuf);

impl InputPath {
    /// Wraps a path.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self(path.into())
    }

    /// The path of the file to read.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Unwraps the path.
    pub fn into_path_buf(self) -> PathBuf {
        self.0
    }
}

/// The local path of an output file artifact, given to a component function
/// parameter (`fn train(model_path: OutputPath)`): the function writes the
/// file there. Its parent directories exist.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OutputPath(PathBuf);

impl OutputPath {
    /// Wraps a path, without creating anything.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self(path.into())
    }

    /// Wraps a path from the command line after creating its parent
    /// directories, as kfp's `_make_parent_dirs_and_return_path` does.
    pub fn prepare(path: String) -> Result<OutputPath, String> {
        let path = PathBuf::from(path);
        make_parent_dirs(&path)?;
        Ok(Self(path))
    }

    /// The path of the file to write.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Unwraps the path.
    pub fn into_path_buf(self) -> PathBuf {
        self.0
    }
}

macro_rules! path_newtype_traits {
    ($name:ident) => {
        impl Deref for $name {
            type Target = Path;

            fn deref(&self) -> &Path {
                &self.0
            }
        }

        impl AsRef<Path> for $name {
            fn as_ref(&self) -> &Path {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.display(), f)
            }
        }
    };
}

path_newtype_traits!(InputPath);
path_newtype_traits!(OutputPath);

/// The flag before the paths of a function component's return values.
const OUTPUT_PATHS_FLAG: &str = "----output-paths";

/// The command line of a function component, read the way the `argparse`
/// parser that kfp 1.8 generates reads it, for everything kfp passes:
/// `--name value` and `--name=value` (the last occurrence wins), and
/// `----output-paths p1 ... pN` last.
///
/// The value of `--name` is always the next argument, even if it starts with
/// `-` (argparse would refuse `--text --x`); abbreviated flags are not
/// accepted. Take every input with [`Args::required`] or [`Args::optional`],
/// the return value paths with [`Args::output_paths`], then call
/// [`Args::finish`] to refuse anything left over.
#[derive(Debug, Clone, Default)]
pub struct Args {
    /// `(name without the leading --, value)`, in command line order.
    flags: Vec<(String, String)>,
    /// Flags that ended the command line without their value.
    without_value: Vec<String>,
    /// The values after `----output-paths`, if it was given.
    output_paths: Option<Vec<String>>,
    /// Arguments that are neither flags nor values.
    stray: Vec<String>,
    /// Flags asked for so far, for error messages.
    asked: Vec<String>,
}

/// The name of a flag without its leading `--` (`--value-1` or `value-1`).
fn flag_name(flag: &str) -> &str {
    flag.strip_prefix("--").unwrap_or(flag)
}

impl Args {
    /// Reads the command line of this process (without the program name).
    /// Arguments that are not valid UTF-8 are read with replacement characters.
    pub fn from_env() -> Args {
        Args::parse(std::env::args_os().skip(1).map(|arg| arg.to_string_lossy().into_owned()).collect())
    }

    /// Reads the given arguments (without the program name).
    pub fn parse(args: Vec<String>) -> Args {
        let mut parsed = Args::default();
        let mut args = args.into_iter().peekable();
        while let Some(arg) = args.next() {
            if let Some(rest) = arg.strip_prefix(OUTPUT_PATHS_FLAG) {
                let mut paths = match rest.strip_prefix('=') {
                    Some(first) => vec![first.to_string()],
                    None if rest.is_empty() => Vec::new(),
                    None => {
                        parsed.stray.push(arg);
                        continue;
                    }
                };
                while let Some(path) = args.next_if(|next| !next.starts_with("--")) {
                    paths.push(path);
                }
                parsed.output_paths = Some(paths);
            } else if let Some(flag) = arg.strip_prefix("--").filter(|flag| !flag.is_empty()) {
                if let Some((name, value)) = flag.split_once('=') {
                    parsed.flags.push((name.to_string(), value.to_string()));
                } else if let Some(value) = args.next() {
                    parsed.flags.push((flag.to_string(), value));
                } else {
                    parsed.without_value.push(flag.to_string());
                }
            } else {
                parsed.stray.push(arg);
            }
        }
        parsed
    }

    /// Takes the value of a required flag (`"--value-1"`; the leading `--` may
    /// be left out).
    pub fn required(&mut self, flag: &str) -> Result<String, String> {
        let name = flag_name(flag).to_string();
        self.optional(&name).ok_or_else(|| {
            if self.without_value.contains(&name) {
                format!("argument --{name} needs a value: pass --{name} <value>")
            } else {
                format!("missing required argument --{name}: pass --{name} <value>")
            }
        })
    }

    /// Takes the value of an optional flag, `None` if it was not given.
    pub fn optional(&mut self, flag: &str) -> Option<String> {
        let name = flag_name(flag);
        self.asked.push(name.to_string());
        let mut value = None;
        self.flags.retain(|(flag, flag_value)| {
            if flag == name {
                value = Some(flag_value.clone());
                false
            } else {
                true
            }
        });
        value
    }

    /// Takes the `count` paths after `----output-paths` (none are expected, and
    /// the flag may be absent, when `count` is 0).
    pub fn output_paths(&mut self, count: usize) -> Result<Vec<String>, String> {
        match self.output_paths.take() {
            Some(paths) if paths.len() == count => Ok(paths),
            Some(paths) => Err(format!(
                "{OUTPUT_PATHS_FLAG} needs {count} path(s), one per output, but got {}: {paths:?}",
                paths.len()
            )),
            None if count == 0 => Ok(Vec::new()),
            None => Err(format!(
                "missing required argument {OUTPUT_PATHS_FLAG}: pass {OUTPUT_PATHS_FLAG} followed by {count} output path(s)"
            )),
        }
    }

    /// Checks that every argument was taken; the error names those that were
    /// not, and the flags this component accepts.
    pub fn finish(self) -> Result<(), String> {
        let mut problems = Vec::new();
        problems.extend(self.without_value.iter().map(|name| format!("--{name} (without a value)")));
        problems.extend(self.flags.iter().map(|(name, _)| format!("--{name}")));
        problems.extend(self.stray.iter().map(|arg| quote(arg)));
        if self.output_paths.is_some() {
            problems.push(OUTPUT_PATHS_FLAG.to_string());
        }
        if problems.is_empty() {
            return Ok(());
        }
        let accepted = if self.asked.is_empty() {
            "this component takes no arguments".to_string()
        } else {
            let flags: Vec<String> = self.asked.iter().map(|name| format!("--{name}")).collect();
            format!("this component accepts {}", flags.join(", "))
        };
        Err(format!("unexpected argument(s) {}; {accepted}", problems.join(", ")))
    }
}

/// Prints `<component>: <message>` on standard error and exits with status 1;
/// a component's `main` calls it on a bad input or an `Err` result.
pub fn fail(component: &str, message: &str) -> ! {
    let _ = writeln!(std::io::stderr(), "{component}: {message}");
    std::process::exit(1)
}
