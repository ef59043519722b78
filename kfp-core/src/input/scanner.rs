//! The scan before the parser: libyaml's tokens found where libyaml finds them, with the nesting and what
//! aliases repeat counted on the way (`anchors`).

mod anchors;

use std::collections::HashMap;

use super::{InputError, ALIAS_BYTES_PER_BYTE, MIN_ALIAS_BYTES, MIN_ALIAS_NODES};
use anchors::{AnchorEnd, OpenAnchor, Size};

/// Why the scan ended early.
pub(super) enum Halt {
    Refused(InputError),
    /// libyaml stops here with an error of its own.
    SyntaxError,
}

pub(super) type Scan<T = ()> = Result<T, Halt>;

/// A possible simple key in block context (libyaml's `simple_key`).
#[derive(Clone, Copy)]
struct Key {
    line: usize,
    column: usize,
}

/// libyaml's scanner (unsafe-libyaml 0.2, `scanner.rs`) reduced to what costs:
/// token boundaries, flow level, block indentation, simple keys (they decide
/// the indentation), anchors and aliases.
pub(super) struct Scanner<'t> {
    text: &'t [u8],
    pos: usize,
    /// 0-based line of `pos`.
    line: usize,
    line_start: usize,
    /// A byte offset on the current line and its column in characters, so that
    /// columns are counted once per byte.
    column_at: (usize, usize),
    flow_level: usize,
    /// libyaml's `indent`, -1 outside any block collection.
    indent: isize,
    indents: Vec<isize>,
    simple_key_allowed: bool,
    block_key: Option<Key>,
    /// The last token was a mapping's `:`.
    after_value: bool,
    anchors: Vec<OpenAnchor<'t>>,
    /// How many of `anchors` have each name.
    open: HashMap<&'t [u8], usize>,
    /// Expanded size of every anchor closed so far; the latest of a name wins,
    /// as in serde_yaml.
    defined: HashMap<&'t [u8], Size>,
    /// The whole text so far with aliases expanded.
    size: Size,
    /// What aliases added to `size`.
    repeated: Size,
    max_repeated: Size,
    /// [`MAX_NESTING`]; smaller in tests.
    max_nesting: usize,
}

impl<'t> Scanner<'t> {
    pub(super) fn new(text: &'t [u8], max_nesting: usize) -> Self {
        let length = text.len() as u64;
        Scanner {
            text,
            pos: 0,
            line: 0,
            line_start: 0,
            column_at: (0, 0),
            flow_level: 0,
            indent: -1,
            indents: Vec::new(),
            simple_key_allowed: true,
            block_key: None,
            after_value: false,
            anchors: Vec::new(),
            open: HashMap::new(),
            defined: HashMap::new(),
            size: Size::default(),
            repeated: Size::default(),
            max_nesting,
            max_repeated: Size {
                nodes: MIN_ALIAS_NODES.max(length),
                bytes: MIN_ALIAS_BYTES.max(length.saturating_mul(ALIAS_BYTES_PER_BYTE)),
            },
        }
    }

    fn byte(&self, at: usize) -> u8 {
        self.text.get(at).copied().unwrap_or(0)
    }

    /// The length of the line break at `at` (`\r\n`, `\r`, `\n`, NEL, LS, PS), or 0.
    fn break_len(&self, at: usize) -> usize {
        match self.byte(at) {
            b'\n' => 1,
            b'\r' if self.byte(at + 1) == b'\n' => 2,
            b'\r' => 1,
            0xC2 if self.byte(at + 1) == 0x85 => 2,
            0xE2 if self.byte(at + 1) == 0x80 && matches!(self.byte(at + 2), 0xA8 | 0xA9) => 3,
            _ => 0,
        }
    }

    /// End of the text; libyaml also ends at a NUL (its reader refuses one before).
    fn at_end(&self, at: usize) -> bool {
        self.byte(at) == 0
    }

    fn is_blank(&self, at: usize) -> bool {
        matches!(self.byte(at), b' ' | b'\t')
    }

    fn is_breakz(&self, at: usize) -> bool {
        self.at_end(at) || self.break_len(at) > 0
    }

    fn is_blankz(&self, at: usize) -> bool {
        self.is_blank(at) || self.is_breakz(at)
    }

    /// Moves past the line break at `pos`.
    fn skip_break(&mut self) {
        self.pos += self.break_len(self.pos);
        self.line += 1;
        self.line_start = self.pos;
        self.column_at = (self.pos, 0);
    }

    /// Moves past one character (not a line break).
    fn skip_char(&mut self) {
        self.pos += 1;
        while self.byte(self.pos) & 0xC0 == 0x80 {
            self.pos += 1;
        }
    }

    /// Moves to the next line break or the end: the rest of a comment or of a
    /// block scalar's line.
    fn skip_to_breakz(&mut self) {
        // Only these bytes can start a line break or end the text.
        while let Some(&byte) = self.text.get(self.pos) {
            if matches!(byte, b'\n' | b'\r' | 0 | 0xC2 | 0xE2) && self.is_breakz(self.pos) {
                return;
            }
            self.pos += 1;
        }
    }

    /// The column of `pos` in characters, as libyaml counts.
    fn column(&mut self) -> usize {
        let (mut at, mut column) = self.column_at;
        if at > self.pos || at < self.line_start {
            (at, column) = (self.line_start, 0);
        }
        column += self.text[at..self.pos].iter().filter(|&&byte| byte & 0xC0 != 0x80).count();
        self.column_at = (self.pos, column);
        column
    }

    fn refuse(&mut self, problem: String) -> Halt {
        let column = self.column();
        Halt::Refused(InputError { line: self.line + 1, column: column + 1, problem })
    }

    fn starts_document_marker(&mut self) -> bool {
        let rest = &self.text[self.pos..];
        (rest.starts_with(b"---") || rest.starts_with(b"...")) && self.is_blankz(self.pos + 3) && self.column() == 0
    }

    pub(super) fn run(&mut self) -> Scan {
        loop {
            self.skip_to_next_token();
            let column = self.column();
            if self.block_key.is_some_and(|key| key.line != self.line || column > key.column + 1024) {
                self.block_key = None;
            }
            self.unroll_indent(column as isize);
            if self.at_end(self.pos) {
                return Ok(());
            }
            let c = self.byte(self.pos);
            let next = self.pos + 1;
            if column == 0 && c == b'%' {
                self.unroll_indent(-1);
                self.block_key = None;
                self.simple_key_allowed = false;
                self.skip_to_breakz();
                continue;
            }
            if self.starts_document_marker() {
                self.unroll_indent(-1);
                self.close_all_block_anchors();
                self.block_key = None;
                self.simple_key_allowed = false;
                self.pos += 3;
                continue;
            }
            self.close_block_anchors(column, c == b'-' && self.is_blankz(next));
            let starts_node = match c {
                b'[' | b'{' | b'\'' | b'"' => true,
                b'|' | b'>' => self.flow_level == 0,
                _ => self.starts_plain(c),
            };
            self.resolve_pending_anchor(starts_node, column);
            let after_value = self.after_value;
            self.after_value = false;
            match c {
                b'[' | b'{' => {
                    self.save_simple_key(column);
                    self.flow_level += 1;
                    self.count_node(0);
                    self.check_depth()?;
                    self.simple_key_allowed = true;
                    self.pos += 1;
                }
                b']' | b'}' => {
                    self.remove_simple_key();
                    self.flow_level = self.flow_level.saturating_sub(1);
                    self.simple_key_allowed = false;
                    self.pos += 1;
                    self.close_flow_anchors();
                }
                b',' => {
                    self.remove_simple_key();
                    self.simple_key_allowed = true;
                    self.pos += 1;
                }
                b'-' if self.is_blankz(next) => {
                    if self.flow_level == 0 {
                        if !self.simple_key_allowed {
                            return Err(Halt::SyntaxError);
                        }
                        self.roll_indent(column)?;
                    }
                    self.remove_simple_key();
                    self.simple_key_allowed = true;
                    self.pos += 1;
                }
                b'?' if self.flow_level > 0 || self.is_blankz(next) => {
                    if self.flow_level == 0 {
                        if !self.simple_key_allowed {
                            return Err(Halt::SyntaxError);
                        }
                        self.roll_indent(column)?;
                    }
                    self.remove_simple_key();
                    self.simple_key_allowed = self.flow_level == 0;
                    self.pos += 1;
                }
                b':' if self.flow_level > 0 || self.is_blankz(next) => {
                    self.value(column)?;
                    self.after_value = self.flow_level == 0;
                    self.pos += 1;
                }
                b'*' => {
                    self.save_simple_key(column);
                    self.simple_key_allowed = false;
                    let name = self.anchor_name()?;
                    self.alias(name)?;
                }
                b'&' => {
                    self.save_simple_key(column);
                    self.simple_key_allowed = false;
                    let name = self.anchor_name()?;
                    let (start, line, indent) = (self.size, self.line, self.indent);
                    self.anchors.push(OpenAnchor { name, start, line, indent, after_value, end: AnchorEnd::Pending });
                    *self.open.entry(name).or_default() += 1;
                    // A tag or line break between the anchor and its node keeps it pending.
                    self.after_value = after_value;
                }
                b'!' => {
                    self.save_simple_key(column);
                    self.simple_key_allowed = false;
                    self.tag();
                    self.after_value = after_value;
                }
                b'|' | b'>' if self.flow_level == 0 => {
                    self.remove_simple_key();
                    self.simple_key_allowed = true;
                    let start = self.pos;
                    self.block_scalar()?;
                    self.scalar(start);
                }
                b'\'' | b'"' => {
                    self.save_simple_key(column);
                    self.simple_key_allowed = false;
                    let start = self.pos;
                    self.quoted_scalar(c)?;
                    self.scalar(start);
                }
                _ if self.starts_plain(c) => {
                    self.save_simple_key(column);
                    self.simple_key_allowed = false;
                    let start = self.pos;
                    if self.plain_scalar()? {
                        self.simple_key_allowed = true;
                    }
                    self.scalar(start);
                }
                _ => return Err(Halt::SyntaxError),
            }
        }
    }

    /// libyaml's `yaml_parser_scan_to_next_token`: spaces, tabs where allowed,
    /// comments and line breaks.
    fn skip_to_next_token(&mut self) {
        loop {
            if self.text[self.pos..].starts_with("\u{FEFF}".as_bytes()) && self.column() == 0 {
                self.pos += 3;
            }
            while self.byte(self.pos) == b' '
                || ((self.flow_level > 0 || !self.simple_key_allowed) && self.byte(self.pos) == b'\t')
            {
                self.pos += 1;
            }
            if self.byte(self.pos) == b'#' {
                self.skip_to_breakz();
            }
            if self.break_len(self.pos) == 0 {
                return;
            }
            self.skip_break();
            if self.flow_level == 0 {
                self.simple_key_allowed = true;
            }
        }
    }

    /// libyaml's test for a plain scalar's first character.
    fn starts_plain(&self, c: u8) -> bool {
        let next = self.pos + 1;
        !(self.is_blankz(self.pos) || b"-?:,[]{}#&*!|>'\"%@`".contains(&c))
            || (c == b'-' && !self.is_blank(next))
            || (self.flow_level == 0 && matches!(c, b'?' | b':') && !self.is_blankz(next))
    }

    fn save_simple_key(&mut self, column: usize) {
        if self.flow_level == 0 && self.simple_key_allowed {
            self.block_key = Some(Key { line: self.line, column });
        }
    }

    fn remove_simple_key(&mut self) {
        if self.flow_level == 0 {
            self.block_key = None;
        }
    }

    /// A mapping's `:` (libyaml's `yaml_parser_fetch_value`).
    fn value(&mut self, column: usize) -> Scan {
        if self.flow_level > 0 {
            self.simple_key_allowed = false;
            return Ok(());
        }
        match self.block_key.take() {
            Some(key) => {
                self.roll_indent(key.column)?;
                self.simple_key_allowed = false;
            }
            None => {
                if !self.simple_key_allowed {
                    return Err(Halt::SyntaxError);
                }
                self.roll_indent(column)?;
                self.simple_key_allowed = true;
            }
        }
        Ok(())
    }

    /// A block collection starts at `column` when it is right of the current one.
    fn roll_indent(&mut self, column: usize) -> Scan {
        let column = column as isize;
        if self.flow_level == 0 && self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
            self.count_node(0);
            self.check_depth()?;
        }
        Ok(())
    }

    fn unroll_indent(&mut self, column: isize) {
        if self.flow_level > 0 {
            return;
        }
        while self.indent > column {
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    fn check_depth(&mut self) -> Scan {
        let max = self.max_nesting;
        if self.indents.len() + self.flow_level > max {
            return Err(self
                .refuse(format!("nesting deeper than {max} levels; lists and mappings may nest at most {max} deep")));
        }
        Ok(())
    }

    /// The name after `&` or `*` (libyaml: ASCII letters, digits, `_`, `-`).
    fn anchor_name(&mut self) -> Scan<&'t [u8]> {
        self.pos += 1;
        let start = self.pos;
        while self.byte(self.pos).is_ascii_alphanumeric() || matches!(self.byte(self.pos), b'_' | b'-') {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(Halt::SyntaxError);
        }
        Ok(&self.text[start..self.pos])
    }

    /// `!tag`, `!!tag`, `!handle!tag` or `!<uri>`.
    fn tag(&mut self) {
        self.pos += 1;
        let verbatim = self.byte(self.pos) == b'<';
        loop {
            let c = self.byte(self.pos);
            let uri = c.is_ascii_alphanumeric() || b"-_;/?:@&=+$.%!~*'()".contains(&c);
            if uri || (verbatim && b"<,[]".contains(&c)) {
                self.pos += 1;
            } else {
                if verbatim && c == b'>' {
                    self.pos += 1;
                }
                return;
            }
        }
    }

    /// `'...'` (with `''`) or `"..."` (with backslash escapes), over lines.
    fn quoted_scalar(&mut self, quote: u8) -> Scan {
        self.pos += 1;
        loop {
            if self.at_end(self.pos) {
                return Err(Halt::SyntaxError);
            }
            let c = self.byte(self.pos);
            if !matches!(c, b'\'' | b'"' | b'\\' | b'\n' | b'\r' | 0xC2 | 0xE2) {
                // Most bytes are text: a byte at a time keeps `pos` on a character
                // whenever it reaches one of the bytes above.
                self.pos += 1;
            } else if self.break_len(self.pos) > 0 {
                self.skip_break();
            } else if c == quote {
                self.pos += 1;
                if !(quote == b'\'' && self.byte(self.pos) == b'\'') {
                    return Ok(());
                }
                self.pos += 1;
            } else if quote == b'"' && c == b'\\' {
                self.pos += 1;
                if self.break_len(self.pos) > 0 {
                    self.skip_break();
                } else if !self.at_end(self.pos) {
                    self.skip_char();
                }
            } else {
                self.skip_char();
            }
        }
    }

    /// A plain scalar (libyaml's `yaml_parser_scan_plain_scalar`); true when it
    /// ended after a line break, where a simple key may start.
    fn plain_scalar(&mut self) -> Scan<bool> {
        let indent = self.indent + 1;
        let mut leading_blanks = false;
        loop {
            if self.starts_document_marker() || self.byte(self.pos) == b'#' {
                break;
            }
            while !self.is_blankz(self.pos) {
                let c = self.byte(self.pos);
                if !matches!(c, b':' | b',' | b'[' | b']' | b'{' | b'}') {
                    leading_blanks = false;
                    self.pos += 1;
                    continue;
                }
                let next = self.byte(self.pos + 1);
                if self.flow_level > 0 && c == b':' && b",?[]{}".contains(&next) {
                    return Err(Halt::SyntaxError);
                }
                if (c == b':' && self.is_blankz(self.pos + 1)) || (self.flow_level > 0 && b",[]{}".contains(&c)) {
                    return Ok(leading_blanks);
                }
                leading_blanks = false;
                self.pos += 1;
            }
            if !(self.is_blank(self.pos) || self.break_len(self.pos) > 0) {
                break;
            }
            while self.is_blank(self.pos) || self.break_len(self.pos) > 0 {
                if self.is_blank(self.pos) {
                    if leading_blanks && self.byte(self.pos) == b'\t' && (self.column() as isize) < indent {
                        return Err(Halt::SyntaxError);
                    }
                    self.pos += 1;
                } else {
                    self.skip_break();
                    leading_blanks = true;
                }
            }
            if self.flow_level == 0 && (self.column() as isize) < indent {
                break;
            }
        }
        Ok(leading_blanks)
    }

    /// `|` or `>` with its header and its lines (libyaml's `yaml_parser_scan_block_scalar`).
    fn block_scalar(&mut self) -> Scan {
        self.pos += 1;
        let mut increment = 0;
        for _ in 0..2 {
            match self.byte(self.pos) {
                b'+' | b'-' => self.pos += 1,
                b'0' => return Err(Halt::SyntaxError),
                digit @ b'1'..=b'9' if increment == 0 => {
                    increment = isize::from(digit - b'0');
                    self.pos += 1;
                }
                _ => break,
            }
        }
        while self.is_blank(self.pos) {
            self.pos += 1;
        }
        if self.byte(self.pos) == b'#' {
            self.skip_to_breakz();
        }
        if !self.is_breakz(self.pos) {
            return Err(Halt::SyntaxError);
        }
        if self.break_len(self.pos) > 0 {
            self.skip_break();
        }
        let mut indent = match increment {
            0 => 0,
            _ if self.indent >= 0 => self.indent + increment,
            _ => increment,
        };
        self.block_scalar_breaks(&mut indent)?;
        while self.column() as isize == indent && !self.at_end(self.pos) {
            self.skip_to_breakz();
            if self.at_end(self.pos) {
                break;
            }
            self.skip_break();
            self.block_scalar_breaks(&mut indent)?;
        }
        Ok(())
    }

    /// The indentation and empty lines of a block scalar; sets `indent` from the
    /// first line when the header did not give it.
    fn block_scalar_breaks(&mut self, indent: &mut isize) -> Scan {
        let mut max_indent = 0;
        loop {
            while (*indent == 0 || (self.column() as isize) < *indent) && self.byte(self.pos) == b' ' {
                self.pos += 1;
            }
            let column = self.column() as isize;
            max_indent = max_indent.max(column);
            if (*indent == 0 || column < *indent) && self.byte(self.pos) == b'\t' {
                return Err(Halt::SyntaxError);
            }
            if self.break_len(self.pos) == 0 {
                break;
            }
            self.skip_break();
        }
        if *indent == 0 {
            *indent = max_indent.max(self.indent + 1).max(1);
        }
        Ok(())
    }
}
