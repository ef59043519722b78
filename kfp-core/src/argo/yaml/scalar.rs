//! How a scalar is written: plain when nothing else can be read from it, a literal block for multi-line
//! text, double-quoted with escapes otherwise; map keys the same way; floats as every reader reads them back.

use std::fmt::Write as _;

pub(super) enum Style {
    Plain,
    Literal,
    Quoted,
}

pub(super) fn style(text: &str) -> Style {
    if plain_ok(text) {
        Style::Plain
    } else if literal_ok(text) {
        Style::Literal
    } else {
        Style::Quoted
    }
}

/// Words YAML 1.1 readers (go-yaml, PyYAML) resolve to a bool or null.
const RESERVED: &[&str] = &["y", "n", "yes", "no", "on", "off", "true", "false", "null"];

/// A plain scalar that reads back as this string and nothing else. Kept to a
/// safe subset: it starts with a letter, `/`, `_` or `-` and a letter or `-`
/// (so never a number, timestamp, indicator or sequence entry), holds only
/// ASCII letters, digits, `-_./=@+,` and single inner spaces, and `:` only when
/// no space follows.
pub(super) fn plain_ok(text: &str) -> bool {
    let bytes = text.as_bytes();
    let starts_well = match bytes {
        [] => false,
        [b'-', next, ..] => next.is_ascii_alphabetic() || *next == b'-',
        [first, ..] => first.is_ascii_alphabetic() || matches!(first, b'/' | b'_'),
    };
    if !starts_well || bytes.last() == Some(&b' ') || bytes.last() == Some(&b':') {
        return false;
    }
    // A table lookup per byte: this runs on every string of the Workflow.
    let inner_ok = bytes.iter().enumerate().all(|(i, &b)| {
        PLAIN_BYTE[usize::from(b)]
            || match b {
                b':' => bytes.get(i + 1) != Some(&b' '),
                b' ' => bytes.get(i + 1).is_some_and(|next| !matches!(next, b' ' | b'#')),
                _ => false,
            }
    });
    inner_ok && !(text.len() <= 5 && RESERVED.iter().any(|word| word.eq_ignore_ascii_case(text)))
}

/// The bytes a plain scalar holds anywhere: ASCII letters, digits and `-_./=@+,`.
const PLAIN_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b as u8, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' | b'=' | b'@' | b'+' | b',');
        b += 1;
    }
    table
};

/// Multi-line text a literal block keeps as it is: no leading whitespace
/// (it would be read as indentation), no `\r` and no character that only an
/// escape can hold.
fn literal_ok(text: &str) -> bool {
    let keeps = |c: char| matches!(c, '\n' | '\t' | '"' | '\\') || escape(c).is_none();
    text.contains('\n')
        && !text.starts_with([' ', '\t', '\n'])
        && match text.is_ascii() {
            // Programs are mostly ASCII: a count without early exit, which the compiler vectorizes.
            true => text.bytes().filter(|&b| (b < b' ' && b != b'\n' && b != b'\t') || b == 0x7f).count() == 0,
            false => text.chars().all(keeps),
        }
}

/// The escape of a character that double quotes cannot hold as it is: the
/// quote and backslash, controls, DEL, C1 controls, the line breaks of YAML 1.1
/// (U+0085, U+2028, U+2029), a byte order mark and the non-characters U+FFFE
/// and U+FFFF.
fn escape(c: char) -> Option<Escape> {
    match c {
        '"' => Some(Escape::Text("\\\"")),
        '\\' => Some(Escape::Text("\\\\")),
        '\n' => Some(Escape::Text("\\n")),
        '\t' => Some(Escape::Text("\\t")),
        '\r' => Some(Escape::Text("\\r")),
        '\0' => Some(Escape::Text("\\0")),
        '\u{1}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => Some(Escape::Hex2(c as u32)),
        '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => Some(Escape::Hex4(c as u32)),
        _ => None,
    }
}

enum Escape {
    Text(&'static str),
    Hex2(u32),
    Hex4(u32),
}

pub(super) fn push_quoted(out: &mut String, text: &str) {
    out.push('"');
    let mut copied = 0;
    for (at, c) in text.char_indices() {
        // Most characters need nothing: test the common ASCII case first.
        if (' '..='~').contains(&c) && c != '"' && c != '\\' {
            continue;
        }
        let Some(escape) = escape(c) else { continue };
        out.push_str(&text[copied..at]);
        copied = at + c.len_utf8();
        let _ = match escape {
            Escape::Text(text) => out.write_str(text),
            Escape::Hex2(code) => write!(out, "\\x{code:02X}"),
            Escape::Hex4(code) => write!(out, "\\u{code:04X}"),
        };
    }
    out.push_str(&text[copied..]);
    out.push('"');
}

/// A float as every reader reads it back: YAML 1.1 wants a `.` and a signed exponent.
pub(super) fn float(value: f64) -> String {
    if value.is_nan() {
        return ".nan".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { ".inf" } else { "-.inf" }.to_owned();
    }
    let text = format!("{value:?}");
    match text.split_once('e') {
        Some((mantissa, exponent)) => {
            let dot = if mantissa.contains('.') { "" } else { ".0" };
            let sign = if exponent.starts_with('-') { "" } else { "+" };
            format!("{mantissa}{dot}e{sign}{exponent}")
        }
        None => text,
    }
}

pub(super) fn push_key(out: &mut String, key: &str) {
    if plain_ok(key) {
        out.push_str(key);
    } else {
        push_quoted(out, key);
    }
}
