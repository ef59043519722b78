//! The YAML text PyYAML's `yaml.dump(obj, default_flow_style=False)` writes for
//! a JSON value: kfp writes a resource op's manifest that way, and the manifest
//! is compared as text, so this is a port of PyYAML's emitter (block style,
//! sorted keys, indent 2, width 80, ASCII only) for the values JSON has.

use serde_json::Value;

const BEST_INDENT: usize = 2;
const BEST_WIDTH: usize = 80;

/// `yaml.dump(value, default_flow_style=False)`.
pub(crate) fn dump(value: &Value) -> String {
    let mut emitter = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
        indent: None,
        indents: Vec::new(),
        flow_level: 0,
    };
    emitter.node(value, Context { root: true, ..Context::default() });
    // expect_document_end
    emitter.write_indent();
    emitter.out
}

#[derive(Clone, Copy, Default)]
struct Context {
    root: bool,
    mapping: bool,
    simple_key: bool,
}

struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    indent: Option<usize>,
    indents: Vec<Option<usize>>,
    flow_level: usize,
}

impl Emitter {
    fn node(&mut self, value: &Value, context: Context) {
        match value {
            Value::Array(items) if !items.is_empty() => self.block_sequence(items, context),
            Value::Object(map) if !map.is_empty() => self.block_mapping(map),
            Value::Array(_) => self.empty_flow("[", "]"),
            Value::Object(_) => self.empty_flow("{", "}"),
            scalar => {
                let (text, implicit) = scalar_text(scalar);
                self.increase_indent(true, false);
                self.scalar(&text, implicit, context);
                self.indent = self.indents.pop().flatten();
            }
        }
    }

    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.flow_level += 1;
        self.increase_indent(true, false);
        self.indent = self.indents.pop().flatten();
        self.flow_level -= 1;
        self.write_indicator(close, false, false, false);
    }

    fn block_sequence(&mut self, items: &[Value], context: Context) {
        let indentless = context.mapping && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.node(item, Context::default());
        }
        self.indent = self.indents.pop().flatten();
    }

    fn block_mapping(&mut self, map: &serde_json::Map<String, Value>) {
        self.increase_indent(false, false);
        let mut entries: Vec<(&String, &Value)> = map.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (key, value) in entries {
            self.write_indent();
            let analysis = analyze(key);
            let simple = key.chars().count() < 128 && !analysis.empty && !analysis.multiline;
            let key = Value::String(key.clone());
            if simple {
                self.node(&key, Context { mapping: true, simple_key: true, ..Context::default() });
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.node(&key, Context { mapping: true, ..Context::default() });
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.node(value, Context { mapping: true, ..Context::default() });
        }
        self.indent = self.indents.pop().flatten();
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        match self.indent {
            None => self.indent = Some(if flow { BEST_INDENT } else { 0 }),
            Some(indent) if !indentless => self.indent = Some(indent + BEST_INDENT),
            Some(_) => {}
        }
    }

    /// `choose_scalar_style` and `process_scalar`.
    fn scalar(&mut self, text: &str, implicit: bool, context: Context) {
        let analysis = analyze(text);
        let flow = self.flow_level > 0;
        let split = !context.simple_key;
        let plain = implicit
            && !(context.simple_key && (analysis.empty || analysis.multiline))
            && (flow && analysis.allow_flow_plain || !flow && analysis.allow_block_plain);
        if plain {
            self.write_plain(text, split, context.root);
        } else if analysis.allow_single_quoted && !(context.simple_key && analysis.multiline) {
            self.write_single_quoted(text, split);
        } else {
            self.write_double_quoted(text, split);
        }
    }

    fn write(&mut self, data: &str) {
        self.column += data.chars().count();
        self.out.push_str(data);
    }

    fn write_indicator(&mut self, indicator: &str, need_whitespace: bool, whitespace: bool, indention: bool) {
        if !self.whitespace && need_whitespace {
            self.write(" ");
        }
        self.write(indicator);
        self.whitespace = whitespace;
        self.indention = self.indention && indention;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.write_line_break(None);
        }
        if self.column < indent {
            self.whitespace = true;
            let pad = " ".repeat(indent - self.column);
            self.write(&pad);
        }
    }

    fn write_line_break(&mut self, data: Option<char>) {
        self.whitespace = true;
        self.indention = true;
        self.column = 0;
        self.out.push(data.unwrap_or('\n'));
    }

    fn write_breaks(&mut self, breaks: &[char]) {
        if breaks.first() == Some(&'\n') {
            self.write_line_break(None);
        }
        for &br in breaks {
            self.write_line_break(if br == '\n' { None } else { Some(br) });
        }
    }

    fn write_plain(&mut self, text: &str, split: bool, _root: bool) {
        if text.is_empty() {
            return;
        }
        if !self.whitespace {
            self.write(" ");
        }
        self.whitespace = false;
        self.indention = false;
        let chars: Vec<char> = text.chars().collect();
        let (mut spaces, mut breaks) = (false, false);
        let (mut start, mut end) = (0, 0);
        while end <= chars.len() {
            let ch = chars.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end && self.column > BEST_WIDTH && split {
                        self.write_indent();
                        self.whitespace = false;
                        self.indention = false;
                    } else {
                        let data: String = chars[start..end].iter().collect();
                        self.write(&data);
                    }
                    start = end;
                }
            } else if breaks {
                if !ch.is_some_and(is_break) {
                    self.write_breaks(&chars[start..end]);
                    self.write_indent();
                    self.whitespace = false;
                    self.indention = false;
                    start = end;
                }
            } else if ch.is_none_or(|c| c == ' ' || is_break(c)) {
                let data: String = chars[start..end].iter().collect();
                self.write(&data);
                start = end;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
                breaks = is_break(c);
            }
            end += 1;
        }
    }

    fn write_single_quoted(&mut self, text: &str, split: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let (mut spaces, mut breaks) = (false, false);
        let (mut start, mut end) = (0, 0);
        while end <= chars.len() {
            let ch = chars.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end && self.column > BEST_WIDTH && split && start != 0 && end != chars.len() {
                        self.write_indent();
                    } else {
                        let data: String = chars[start..end].iter().collect();
                        self.write(&data);
                    }
                    start = end;
                }
            } else if breaks {
                if !ch.is_some_and(is_break) {
                    self.write_breaks(&chars[start..end]);
                    self.write_indent();
                    start = end;
                }
            } else if ch.is_none_or(|c| c == ' ' || is_break(c) || c == '\'') && start < end {
                let data: String = chars[start..end].iter().collect();
                self.write(&data);
                start = end;
            }
            if ch == Some('\'') {
                self.write("''");
                start = end + 1;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
                breaks = is_break(c);
            }
            end += 1;
        }
        self.write_indicator("'", false, false, false);
    }

    fn write_double_quoted(&mut self, text: &str, split: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let (mut start, mut end) = (0, 0);
        while end <= chars.len() {
            let ch = chars.get(end).copied();
            let escape = ch.is_none_or(|c| {
                matches!(c, '"' | '\\' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}') || !(' '..='~').contains(&c)
            });
            if escape {
                if start < end {
                    let data: String = chars[start..end].iter().collect();
                    self.write(&data);
                    start = end;
                }
                if let Some(c) = ch {
                    let data = match c {
                        '\0' => "\\0".to_owned(),
                        '\x07' => "\\a".to_owned(),
                        '\x08' => "\\b".to_owned(),
                        '\t' => "\\t".to_owned(),
                        '\n' => "\\n".to_owned(),
                        '\x0B' => "\\v".to_owned(),
                        '\x0C' => "\\f".to_owned(),
                        '\r' => "\\r".to_owned(),
                        '\x1B' => "\\e".to_owned(),
                        '"' => "\\\"".to_owned(),
                        '\\' => "\\\\".to_owned(),
                        '\u{85}' => "\\N".to_owned(),
                        '\u{A0}' => "\\_".to_owned(),
                        '\u{2028}' => "\\L".to_owned(),
                        '\u{2029}' => "\\P".to_owned(),
                        c if (c as u32) <= 0xFF => format!("\\x{:02X}", c as u32),
                        c if (c as u32) <= 0xFFFF => format!("\\u{:04X}", c as u32),
                        c => format!("\\U{:08X}", c as u32),
                    };
                    self.write(&data);
                    start = end + 1;
                }
            }
            if 0 < end
                && end + 1 < chars.len()
                && (ch == Some(' ') || start >= end)
                // After an escape `start` is past `end`: the difference is -1 then.
                && self.column as isize + end as isize - start as isize > BEST_WIDTH as isize
                && split
            {
                let mut data: String = chars[start.min(end)..end].iter().collect();
                data.push('\\');
                if start < end {
                    start = end;
                }
                self.write(&data);
                self.write_indent();
                self.whitespace = false;
                self.indention = false;
                if chars.get(start) == Some(&' ') {
                    self.write("\\");
                }
            }
            end += 1;
        }
        self.write_indicator("\"", false, false, false);
    }
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_space_or_break(c: char) -> bool {
    matches!(c, '\0' | ' ' | '\t' | '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// The text PyYAML's representer gives a scalar, and whether it reads back as
/// that type when written plain (the event's `implicit[0]`).
fn scalar_text(value: &Value) -> (String, bool) {
    match value {
        Value::Null => ("null".to_owned(), true),
        Value::Bool(b) => (b.to_string(), true),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => (i.to_string(), true),
            (_, Some(u), _) => (u.to_string(), true),
            (_, _, Some(f)) => (python_float(f), true),
            _ => (n.to_string(), true),
        },
        Value::String(text) => (text.clone(), !resolves_to_other_type(text)),
        Value::Array(_) | Value::Object(_) => unreachable!("collections are not scalars"),
    }
}

/// PyYAML's `represent_float`: Python's `repr`, lowercased, `.0` before a bare `e`.
fn python_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_owned();
    }
    // Shortest round-trip digits and decimal exponent.
    let sci = format!("{:e}", f);
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if negative { "-" } else { "" };
    let text = if (-4..16).contains(&exponent) {
        if exponent >= 0 {
            let point = exponent as usize + 1;
            if digits.len() <= point {
                format!("{sign}{}{}.0", digits, "0".repeat(point - digits.len()))
            } else {
                format!("{sign}{}.{}", &digits[..point], &digits[point..])
            }
        } else {
            format!("{sign}0.{}{}", "0".repeat((-exponent - 1) as usize), digits)
        }
    } else {
        let rest = &digits[1..];
        let mantissa = if rest.is_empty() { digits[..1].to_owned() } else { format!("{}.{}", &digits[..1], rest) };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}e{exp_sign}{:02}", exponent.abs())
    };
    if !text.contains('.') && text.contains('e') {
        text.replacen('e', ".0e", 1)
    } else {
        text
    }
}

#[derive(Default)]
struct Analysis {
    empty: bool,
    multiline: bool,
    allow_flow_plain: bool,
    allow_block_plain: bool,
    allow_single_quoted: bool,
}

/// PyYAML's `analyze_scalar`, with `allow_unicode=False`.
fn analyze(scalar: &str) -> Analysis {
    if scalar.is_empty() {
        return Analysis {
            empty: true,
            multiline: false,
            allow_flow_plain: false,
            allow_block_plain: true,
            allow_single_quoted: true,
        };
    }
    let chars: Vec<char> = scalar.chars().collect();
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) = (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    if scalar.starts_with("---") || scalar.starts_with("...") {
        block_indicators = true;
        flow_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let mut followed_by_whitespace = chars.len() == 1 || is_space_or_break(chars[1]);
    let (mut previous_space, mut previous_break) = (false, false);
    for (index, &ch) in chars.iter().enumerate() {
        if index == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(ch) {
                flow_indicators = true;
                block_indicators = true;
            }
            if ch == '?' || ch == ':' {
                flow_indicators = true;
                if followed_by_whitespace {
                    block_indicators = true;
                }
            }
            if ch == '-' && followed_by_whitespace {
                flow_indicators = true;
                block_indicators = true;
            }
        } else {
            if ",?[]{}".contains(ch) {
                flow_indicators = true;
            }
            if ch == ':' {
                flow_indicators = true;
                if followed_by_whitespace {
                    block_indicators = true;
                }
            }
            if ch == '#' && preceded_by_whitespace {
                flow_indicators = true;
                block_indicators = true;
            }
        }
        if is_break(ch) {
            line_breaks = true;
        }
        if !(ch == '\n' || (' '..='~').contains(&ch)) {
            // Unicode characters are special too without `allow_unicode`.
            special_characters = true;
        }
        if ch == ' ' {
            if index == 0 {
                leading_space = true;
            }
            if index == chars.len() - 1 {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(ch) {
            if index == 0 {
                leading_break = true;
            }
            if index == chars.len() - 1 {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_space_or_break(ch);
        followed_by_whitespace = index + 2 >= chars.len() || is_space_or_break(chars[index + 2]);
    }
    let mut analysis = Analysis {
        empty: false,
        multiline: line_breaks,
        allow_flow_plain: true,
        allow_block_plain: true,
        allow_single_quoted: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        analysis.allow_flow_plain = false;
        analysis.allow_block_plain = false;
    }
    if break_space {
        analysis.allow_flow_plain = false;
        analysis.allow_block_plain = false;
        analysis.allow_single_quoted = false;
    }
    if space_break || special_characters {
        analysis.allow_flow_plain = false;
        analysis.allow_block_plain = false;
        analysis.allow_single_quoted = false;
    }
    if line_breaks {
        analysis.allow_flow_plain = false;
        analysis.allow_block_plain = false;
    }
    if flow_indicators {
        analysis.allow_flow_plain = false;
    }
    if block_indicators {
        analysis.allow_block_plain = false;
    }
    analysis
}

/// Whether PyYAML's resolver reads `text`, written plain, as something other
/// than a string (bool, int, float, null, timestamp, merge, value): then the
/// string is quoted.
fn resolves_to_other_type(text: &str) -> bool {
    // Python's `$` also matches before a final newline.
    let text = text.strip_suffix('\n').unwrap_or(text);
    let Some(first) = text.chars().next() else { return true };
    match first {
        'y' | 'Y' | 'n' | 'N' | 't' | 'T' | 'f' | 'F' | 'o' | 'O'
            if matches!(
                text,
                "yes"
                    | "Yes"
                    | "YES"
                    | "no"
                    | "No"
                    | "NO"
                    | "true"
                    | "True"
                    | "TRUE"
                    | "false"
                    | "False"
                    | "FALSE"
                    | "on"
                    | "On"
                    | "ON"
                    | "off"
                    | "Off"
                    | "OFF"
            ) =>
        {
            true
        }
        '~' | 'n' | 'N' if matches!(text, "~" | "null" | "Null" | "NULL") => true,
        '<' => text == "<<",
        '=' => text == "=",
        '-' | '+' | '.' | '0'..='9' => is_float(text) || is_int(text) || is_timestamp(text),
        _ => false,
    }
}

fn strip_sign(text: &str) -> &str {
    text.strip_prefix(['-', '+']).unwrap_or(text)
}

fn all(text: &str, allowed: impl Fn(char) -> bool) -> bool {
    text.chars().all(allowed)
}

fn digit_or_underscore(c: char) -> bool {
    c.is_ascii_digit() || c == '_'
}

/// `(?::[0-5]?[0-9])+`
fn sexagesimal_tail(text: &str) -> bool {
    !text.is_empty()
        && text.starts_with(':')
        && text[1..].split(':').all(|part| {
            let b = part.as_bytes();
            match b.len() {
                1 => b[0].is_ascii_digit(),
                2 => (b'0'..=b'5').contains(&b[0]) && b[1].is_ascii_digit(),
                _ => false,
            }
        })
}

/// `[eE][-+][0-9]+` or nothing.
fn exponent_ok(text: &str) -> bool {
    if text.is_empty() {
        return true;
    }
    let Some(rest) = text.strip_prefix(['e', 'E']) else { return false };
    let Some(digits) = rest.strip_prefix(['-', '+']) else { return false };
    !digits.is_empty() && all(digits, |c| c.is_ascii_digit())
}

fn is_float(text: &str) -> bool {
    if matches!(strip_sign(text), ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    // `\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?` (no sign)
    if let Some(rest) = text.strip_prefix('.') {
        let end = rest.find(|c: char| !digit_or_underscore(c)).unwrap_or(rest.len());
        if rest.starts_with(|c: char| c.is_ascii_digit()) && exponent_ok(&rest[end..]) {
            return true;
        }
    }
    let body = strip_sign(text);
    if !body.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    // `[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?`
    let int_end = body.find(|c: char| !digit_or_underscore(c)).unwrap_or(body.len());
    if let Some(rest) = body[int_end..].strip_prefix('.') {
        let frac_end = rest.find(|c: char| !digit_or_underscore(c)).unwrap_or(rest.len());
        if exponent_ok(&rest[frac_end..]) {
            return true;
        }
    }
    // `[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*`
    if let Some(point) = body.rfind('.') {
        let (head, frac) = (&body[..point], &body[point + 1..]);
        if all(frac, digit_or_underscore) {
            if let Some(colon) = head.find(':') {
                if all(&head[..colon], digit_or_underscore) && sexagesimal_tail(&head[colon..]) {
                    return true;
                }
            }
        }
    }
    false
}

fn is_int(text: &str) -> bool {
    let body = strip_sign(text);
    if let Some(bits) = body.strip_prefix("0b") {
        return !bits.is_empty() && all(bits, |c| matches!(c, '0' | '1' | '_'));
    }
    if let Some(hex) = body.strip_prefix("0x") {
        return !hex.is_empty() && all(hex, |c| c.is_ascii_hexdigit() || c == '_');
    }
    if body == "0" {
        return true;
    }
    if let Some(octal) = body.strip_prefix('0') {
        return all(octal, |c| matches!(c, '0'..='7' | '_'));
    }
    if !body.starts_with(|c: char| matches!(c, '1'..='9')) {
        return false;
    }
    if all(body, digit_or_underscore) {
        return true;
    }
    match body.find(':') {
        Some(colon) => all(&body[..colon], digit_or_underscore) && sexagesimal_tail(&body[colon..]),
        None => false,
    }
}

fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    // `YYYY-MM-DD`
    if b.len() == 10
        && (0..4).all(digit)
        && b[4] == b'-'
        && digit(5)
        && digit(6)
        && b[7] == b'-'
        && digit(8)
        && digit(9)
    {
        return true;
    }
    // `YYYY-M?M-D?D(T| +)H?H:MM:SS(.f*)?( *(Z|[-+]H?H(:MM)?))?`
    let mut i = 0;
    let take_digits = |i: &mut usize, min: usize, max: usize| {
        let start = *i;
        while *i < b.len() && *i - start < max && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start >= min
    };
    let take = |i: &mut usize, c: u8| {
        if b.get(*i) == Some(&c) {
            *i += 1;
            true
        } else {
            false
        }
    };
    if !(take_digits(&mut i, 4, 4) && take(&mut i, b'-') && take_digits(&mut i, 1, 2) && take(&mut i, b'-')) {
        return false;
    }
    if !take_digits(&mut i, 1, 2) {
        return false;
    }
    if !(take(&mut i, b'T') || take(&mut i, b't')) {
        let start = i;
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if !(take_digits(&mut i, 1, 2)
        && take(&mut i, b':')
        && take_digits(&mut i, 2, 2)
        && take(&mut i, b':')
        && take_digits(&mut i, 2, 2))
    {
        return false;
    }
    if take(&mut i, b'.') {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i == b.len() {
        return true;
    }
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    if take(&mut i, b'Z') {
        return i == b.len();
    }
    if !(take(&mut i, b'-') || take(&mut i, b'+')) || !take_digits(&mut i, 1, 2) {
        return false;
    }
    if take(&mut i, b':') && !take_digits(&mut i, 2, 2) {
        return false;
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_a_pvc_as_kfp_does() {
        let pvc = json!({
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "{{workflow.name}}-my-pvc"},
            "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "{{inputs.parameters.size}}"}}}
        });
        assert_eq!(
            dump(&pvc),
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: '{{workflow.name}}-my-pvc'\nspec:\n  \
             accessModes:\n  - ReadWriteMany\n  resources:\n    requests:\n      storage: '{{inputs.parameters.size}}'\n"
        );
    }

    #[test]
    fn quotes_what_would_read_back_as_another_type() {
        let value = json!({"a": "10", "b": "true", "c": "", "d": "1.5", "e": "null", "f": "2020-01-02",
            "g": "0x1f", "h": "1_000", "i": "plain text", "j": 10, "k": true, "l": null, "m": 1.5, "n": "it's",
            "o": "- x", "p": "a: b", "q": "#c", "r": "x #c", "s": [], "t": {}, "u": "é", "v": "1e5", "w": "1.0e+5"});
        assert_eq!(
            dump(&value),
            "a: '10'\nb: 'true'\nc: ''\nd: '1.5'\ne: 'null'\nf: '2020-01-02'\ng: '0x1f'\nh: '1_000'\n\
             i: plain text\nj: 10\nk: true\nl: null\nm: 1.5\nn: it's\no: '- x'\np: 'a: b'\nq: '#c'\nr: 'x #c'\n\
             s: []\nt: {}\nu: \"\\xE9\"\nv: 1e5\nw: '1.0e+5'\n"
        );
    }

    #[test]
    fn nests_sequences_and_mappings() {
        let value = json!({"list": [{"b": 1, "a": [1, [2, 3]]}, "x"], "root": {"inner": ["y"]}});
        assert_eq!(dump(&value), "list:\n- a:\n  - 1\n  - - 2\n    - 3\n  b: 1\n- x\nroot:\n  inner:\n  - y\n");
    }

    #[test]
    fn folds_long_lines_and_multiline_strings() {
        let long = "word ".repeat(20).trim_end().to_owned();
        assert_eq!(
            dump(&json!({ "key": long })),
            "key: word word word word word word word word word word word word word word word word\n  word word word word\n"
        );
        assert_eq!(dump(&json!({"k": "a\nb"})), "k: 'a\n\n  b'\n");
        assert_eq!(dump(&json!({"k": "a \nb"})), "k: \"a \\nb\"\n");
        // Double quoted lines fold right after an escape as PyYAML does.
        let escaped = format!("{}{}", "x\ty".repeat(25), " é".repeat(10));
        assert_eq!(
            dump(&json!({ "k": escaped })),
            "k: \"x\\tyx\\tyx\\tyx\\tyx\\tyx\\tyx\\tyx\\tyx\\tyx\\tyx\\tyx\\tyx\\tyx\\tyx\\tyx\\tyx\\tyx\\tyx\\tyx\\t\\\n  \
             yx\\tyx\\tyx\\tyx\\tyx\\ty \\xE9 \\xE9 \\xE9 \\xE9 \\xE9 \\xE9 \\xE9 \\xE9 \\xE9 \\xE9\"\n"
        );
    }

    #[test]
    fn floats_as_python_repr() {
        assert_eq!(python_float(1.5), "1.5");
        assert_eq!(python_float(100.0), "100.0");
        assert_eq!(python_float(1e16), "1.0e+16");
        assert_eq!(python_float(1.5e-5), "1.5e-05");
        assert_eq!(python_float(0.0001), "0.0001");
        assert_eq!(python_float(-2.5e20), "-2.5e+20");
    }
}
