//! The YAML writer of [`Workflow::to_yaml`](super::Workflow::to_yaml): a serde
//! `Serializer` for block-style YAML, in the layout kubectl and kfp write.
//!
//! Why not a YAML crate: writing is the floor of compile time. For the
//! 1,000-task benchmark pipeline serde_yaml took 1.9 G instructions and
//! serde-saphyr 0.7 G (0.13 G with the aliases below), more than the rest of
//! the compiler; this writer takes 0.04 G. A Workflow needs a small part of
//! YAML: block mappings and sequences, and scalars. This writer does that part
//! and looks at each byte once or twice.
//!
//! Scalars are written so that every YAML 1.1 and 1.2 reader (go-yaml in Argo,
//! kubectl and KFP's API server, PyYAML in kfp, serde_yaml) reads back the same
//! string: plain only when nothing else can be read from it (no number, bool,
//! null, timestamp, indicator or comment), a literal block (`|`) for
//! multi-line text such as programs, double quotes with escapes otherwise.
//! Non-ASCII text stays as it is (UTF-8), except characters some reader takes
//! for a line break or cannot print, which are escaped.
//!
//! A long string that several templates share (a component's program, its
//! `component_spec` annotation) is written once with an anchor (`&a1`) and
//! then as an alias (`*a1`): kfp gives each task a template of its own, each
//! carrying the program twice, so a 1,000-task pipeline of one component would
//! otherwise be 15 MB of the same text. Every reader above resolves aliases.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use serde::ser::{self, Serialize};

use super::{Template, Workflow};

/// Strings shorter than this are written out each time: an alias would save
/// little and read worse.
pub(super) const ANCHOR_MIN_LEN: usize = 256;

/// A value that cannot be written as YAML (a map key that is not a scalar).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

type Result<T> = std::result::Result<T, Error>;

/// The Workflow as YAML.
pub(super) fn workflow(workflow: &Workflow) -> Result<String> {
    to_string(workflow, repeated(&workflow.spec.templates))
}

/// Any other value as YAML, without anchors.
pub(super) fn document<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    to_string(value, Vec::new())
}

/// The long strings of containers' commands and pod annotations that occur more than once.
fn repeated(templates: &[Template]) -> Vec<&str> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for template in templates {
        let containers = template.container.iter().map(|c| &c.command);
        let others = template.init_containers.iter().chain(&template.sidecars).map(|c| &c.command);
        let commands = containers.chain(others).flatten().flatten();
        let annotations = template.metadata.annotations.values();
        for text in commands.chain(annotations).filter(|text| text.len() >= ANCHOR_MIN_LEN) {
            *seen.entry(text).or_default() += 1;
        }
    }
    seen.into_iter().filter(|(_, count)| *count > 1).map(|(text, _)| text).collect()
}

/// `value` as YAML; strings in `repeated` get an anchor where they first occur
/// and an alias after.
fn to_string<T: Serialize + ?Sized>(value: &T, repeated: Vec<&str>) -> Result<String> {
    let anchors = repeated.into_iter().map(|text| (text, Anchor::Unused)).collect();
    let mut writer = Writer { out: String::with_capacity(1 << 16), anchors, next_anchor: 1 };
    value.serialize(Ser { w: &mut writer, place: Place::Root })?;
    Ok(writer.out)
}

enum Anchor {
    Unused,
    Written(usize),
}

struct Writer<'r> {
    out: String,
    anchors: BTreeMap<&'r str, Anchor>,
    next_anchor: usize,
}

/// Where the next value goes.
#[derive(Clone, Copy)]
enum Place {
    /// The start of the document.
    Root,
    /// After `key:`, the key at column `col`.
    Value { col: usize },
    /// After `- `, the item's content at column `col`.
    Item { col: usize },
}

impl Place {
    /// The column of a nested mapping's keys, or of a literal block's lines.
    fn inner_col(self) -> usize {
        match self {
            Place::Root => 0,
            Place::Value { col } => col + 2,
            Place::Item { col } => col,
        }
    }
}

impl Writer<'_> {
    fn indent(&mut self, col: usize) {
        const SPACES: &str = "                                ";
        let mut left = col;
        while left > 0 {
            let n = left.min(SPACES.len());
            self.out.push_str(&SPACES[..n]);
            left -= n;
        }
    }

    /// Writes a scalar already in its YAML form, at `place`, and ends the line.
    fn scalar(&mut self, place: Place, text: &str) {
        if let Place::Value { .. } = place {
            self.out.push(' ');
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn string(&mut self, place: Place, text: &str) {
        if text.len() >= ANCHOR_MIN_LEN {
            if let Some(anchor) = self.anchors.get_mut(text) {
                match *anchor {
                    Anchor::Written(id) => return self.scalar(place, &format!("*a{id}")),
                    Anchor::Unused => {
                        let id = self.next_anchor;
                        self.next_anchor += 1;
                        *anchor = Anchor::Written(id);
                        if let Place::Value { .. } = place {
                            self.out.push(' ');
                        }
                        let _ = write!(self.out, "&a{id} ");
                        return self.unanchored_string(Place::Item { col: block_col(place) }, text);
                    }
                }
            }
        }
        self.unanchored_string(place, text)
    }

    fn unanchored_string(&mut self, place: Place, text: &str) {
        match style(text) {
            Style::Plain => self.scalar(place, text),
            Style::Literal => self.literal(place, text),
            Style::Quoted => {
                if let Place::Value { .. } = place {
                    self.out.push(' ');
                }
                push_quoted(&mut self.out, text);
                self.out.push('\n');
            }
        }
    }

    /// `text` as a literal block; [`style`] has checked that it can be one.
    fn literal(&mut self, place: Place, text: &str) {
        let body = text.trim_end_matches('\n');
        let header = match text.len() - body.len() {
            0 => "|-",
            1 => "|",
            _ => "|+",
        };
        self.scalar(place, header);
        let col = block_col(place);
        for line in body.split('\n') {
            if !line.is_empty() {
                self.indent(col);
                self.out.push_str(line);
            }
            self.out.push('\n');
        }
        // `|+` keeps the newlines after the last line: one is already written.
        for _ in 1..text.len() - body.len() {
            self.out.push('\n');
        }
    }
}

/// The column of a literal block's lines at `place`.
fn block_col(place: Place) -> usize {
    match place {
        Place::Root => 2,
        other => other.inner_col(),
    }
}

enum Style {
    Plain,
    Literal,
    Quoted,
}

fn style(text: &str) -> Style {
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
fn plain_ok(text: &str) -> bool {
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
    text.contains('\n')
        && !text.starts_with([' ', '\t', '\n'])
        && text.chars().all(|c| matches!(c, '\n' | '\t' | '"' | '\\') || escape(c).is_none())
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

fn push_quoted(out: &mut String, text: &str) {
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
fn float(value: f64) -> String {
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

struct Ser<'a, 'r> {
    w: &'a mut Writer<'r>,
    place: Place,
}

impl<'a, 'r> ser::Serializer for Ser<'a, 'r> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = SeqSer<'a, 'r>;
    type SerializeTuple = SeqSer<'a, 'r>;
    type SerializeTupleStruct = SeqSer<'a, 'r>;
    type SerializeTupleVariant = SeqSer<'a, 'r>;
    type SerializeMap = MapSer<'a, 'r>;
    type SerializeStruct = MapSer<'a, 'r>;
    type SerializeStructVariant = MapSer<'a, 'r>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.w.scalar(self.place, if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.w.scalar(self.place, &v.to_string());
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<()> {
        self.w.scalar(self.place, &v.to_string());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.w.scalar(self.place, &v.to_string());
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<()> {
        self.w.scalar(self.place, &v.to_string());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<()> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        self.w.scalar(self.place, &float(v));
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        self.w.string(self.place, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        use ser::SerializeSeq as _;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        v.iter().try_for_each(|byte| seq.serialize_element(byte))?;
        seq.end()
    }
    fn serialize_none(self) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<()> {
        self.w.scalar(self.place, "null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        use ser::SerializeMap as _;
        let mut map = self.serialize_map(Some(1))?;
        map.serialize_entry(variant, value)?;
        map.end()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<SeqSer<'a, 'r>> {
        Ok(SeqSer { w: self.w, place: self.place, items: 0 })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqSer<'a, 'r>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqSer<'a, 'r>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<SeqSer<'a, 'r>> {
        let col = open_variant(self.w, self.place, variant);
        Ok(SeqSer { w: self.w, place: Place::Value { col }, items: 0 })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MapSer<'a, 'r>> {
        Ok(MapSer { w: self.w, place: self.place, entries: 0, key: String::new() })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<MapSer<'a, 'r>> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<MapSer<'a, 'r>> {
        let col = open_variant(self.w, self.place, variant);
        Ok(MapSer { w: self.w, place: Place::Value { col }, entries: 0, key: String::new() })
    }
}

/// Writes `variant:` as the only key of a mapping at `place`; returns its column.
fn open_variant(w: &mut Writer<'_>, place: Place, variant: &str) -> usize {
    let col = place.inner_col();
    if let Place::Value { .. } = place {
        w.out.push('\n');
        w.indent(col);
    }
    push_key(&mut w.out, variant);
    w.out.push(':');
    col
}

fn push_key(out: &mut String, key: &str) {
    if plain_ok(key) {
        out.push_str(key);
    } else {
        push_quoted(out, key);
    }
}

struct SeqSer<'a, 'r> {
    w: &'a mut Writer<'r>,
    place: Place,
    items: usize,
}

impl SeqSer<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        // Items of a sequence that is a mapping value start at the key's column, as kubectl writes them.
        let dash = match self.place {
            Place::Root => 0,
            Place::Value { col } | Place::Item { col } => col,
        };
        match (self.items, self.place) {
            (0, Place::Value { .. }) => {
                self.w.out.push('\n');
                self.w.indent(dash);
            }
            (0, _) => {}
            _ => self.w.indent(dash),
        }
        self.items += 1;
        self.w.out.push_str("- ");
        value.serialize(Ser { w: self.w, place: Place::Item { col: dash + 2 } })
    }

    fn finish(self) -> Result<()> {
        if self.items == 0 {
            self.w.scalar(self.place, "[]");
        }
        Ok(())
    }
}

impl ser::SerializeSeq for SeqSer<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl ser::SerializeTuple for SeqSer<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for SeqSer<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for SeqSer<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}

struct MapSer<'a, 'r> {
    w: &'a mut Writer<'r>,
    place: Place,
    entries: usize,
    /// The key of the entry being written, in its YAML form.
    key: String,
}

impl MapSer<'_, '_> {
    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<()> {
        let col = self.place.inner_col();
        match (self.entries, self.place) {
            (0, Place::Value { .. }) => {
                self.w.out.push('\n');
                self.w.indent(col);
            }
            (0, _) => {}
            _ => self.w.indent(col),
        }
        self.entries += 1;
        self.w.out.push_str(key);
        self.w.out.push(':');
        value.serialize(Ser { w: self.w, place: Place::Value { col } })
    }

    fn finish(self) -> Result<()> {
        if self.entries == 0 {
            self.w.scalar(self.place, "{}");
        }
        Ok(())
    }
}

impl ser::SerializeMap for MapSer<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.key.clear();
        key.serialize(KeySer { out: &mut self.key })
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let key = std::mem::take(&mut self.key);
        let result = self.entry(&key, value);
        self.key = key;
        result
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl ser::SerializeStruct for MapSer<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        if plain_ok(key) {
            self.entry(key, value)
        } else {
            let mut quoted = String::new();
            push_quoted(&mut quoted, key);
            self.entry(&quoted, value)
        }
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for MapSer<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}

/// Writes a mapping key: a scalar, in its YAML form.
struct KeySer<'a> {
    out: &'a mut String,
}

impl KeySer<'_> {
    fn text(self, text: &str) -> Result<()> {
        push_key(self.out, text);
        Ok(())
    }
}

fn key_error() -> Error {
    Error("a mapping key must be a string, number or bool, not a list or mapping".to_owned())
}

impl ser::Serializer for KeySer<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.serialize_str(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.serialize_str(&v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.serialize_str(&v.to_string())
    }
    fn serialize_f32(self, v: f32) -> Result<()> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        self.serialize_str(&float(v))
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        self.text(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<()> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<()> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<()> {
        Err(key_error())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(key_error())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(key_error())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(key_error())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        Err(key_error())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(key_error())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::to_string;

    /// Strings that YAML could read as something else, or that need care.
    const TRICKY: &[&str] = &[
        "",
        " ",
        "a ",
        " a",
        "a  b",
        "true",
        "True",
        "FALSE",
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "N",
        "null",
        "Null",
        "~",
        "123",
        "-7",
        "+1",
        "1.5",
        "0x1F",
        "0o17",
        "1e3",
        "1_000",
        ".inf",
        "-.inf",
        ".nan",
        ".5",
        "2001-12-14",
        "1:20",
        "-",
        "- a",
        "-ec",
        "--value-1",
        "----output-paths",
        "a: b",
        "a:b",
        "a:",
        "a #b",
        "a#b",
        "#c",
        "&a",
        "*a",
        "!tag",
        "|",
        ">",
        "%x",
        "@x",
        "`x",
        "{}",
        "[]",
        "{{inputs.parameters.a}}",
        "'quoted'",
        "\"dq\"",
        "back\\slash",
        "tab\there",
        "multi\nline",
        "multi\nline\n",
        "multi\nline\n\n",
        "\nleading",
        " lead\nx",
        "trailing \nx",
        "windows\r\nline",
        "\u{85}nel",
        "line\u{2028}sep",
        "para\u{2029}sep",
        "\u{feff}bom",
        "del\u{7f}",
        "\u{1}ctl",
        "nul\0",
        "\u{9f}c1",
        "\u{fffe}",
        "\u{ffff}",
        "한국어 문자열",
        "한국어\n여러 줄\n",
        "emoji 🎉",
        "---",
        "...",
        "a\n---\nb",
        "a\n...\n",
        "=",
        "<<",
        "?",
        "? x",
        "x?",
        ",",
        "a,b",
        "/tmp/x",
        "rust:1.83.0-slim",
        "kfp-rs-0.1.0",
        "pipelines.kubeflow.org/component_spec",
        "a\n  indented\n\n  after blank",
        "a\n \nb",
        "tabs\n\tin\tblock\n",
        "quotes \"in\" block\nand \\ too\n",
    ];

    fn read_back(yaml: &str) -> Value {
        serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("our YAML does not parse: {e}\n{yaml}"))
    }

    #[test]
    fn every_tricky_string_reads_back_as_itself_as_value_key_and_item() {
        for text in TRICKY {
            let value = json!({ "value": text, *text: "key", "items": [text, [text], { "k": text }] });
            let yaml = to_string(&value, Vec::new()).unwrap();
            assert_eq!(read_back(&yaml), value, "{text:?} written as:\n{yaml}");
        }
    }

    #[test]
    fn plain_where_safe_quoted_or_literal_otherwise() {
        let value = json!({
            "plain": "--value-1", "number": "3", "bool": "true", "tag": "{{inputs.parameters.a}}",
            "program": "fn main() {\n    println!(\"hi\");\n}\n", "no_newline": "a\nb", "korean": "한국어",
        });
        let yaml = to_string(&value, Vec::new()).unwrap();
        let expected = "\
bool: \"true\"
korean: \"한국어\"
no_newline: |-
  a
  b
number: \"3\"
plain: --value-1
program: |
  fn main() {
      println!(\"hi\");
  }
tag: \"{{inputs.parameters.a}}\"
";
        assert_eq!(yaml, expected);
    }

    #[test]
    fn nested_layout_is_block_style_with_sequences_at_the_key_column() {
        let value = json!({
            "a": { "b": [1, -2, 3.5, true, null, [], {}, [["x"]], { "c": "d", "e": [] }] },
            "f": {},
            "g": [],
        });
        let yaml = to_string(&value, Vec::new()).unwrap();
        let expected = "\
a:
  b:
  - 1
  - -2
  - 3.5
  - true
  - null
  - []
  - {}
  - - - x
  - c: d
    e: []
f: {}
g: []
";
        assert_eq!(yaml, expected);
        assert_eq!(read_back(&yaml), value);
    }

    #[test]
    fn numbers_read_back_with_their_type() {
        let value = json!([0, i64::MIN, i64::MAX, u64::MAX, 1.0, -0.5, 1e300, 1e-7, 2.5e-300]);
        let yaml = to_string(&value, Vec::new()).unwrap();
        assert_eq!(read_back(&yaml), value, "{yaml}");
        assert!(yaml.contains("- 1.0\n") && yaml.contains("- 1.0e+300\n"), "{yaml}");
    }

    #[test]
    fn repeated_long_strings_are_written_once_then_aliased() {
        let program = "fn main() {}\n".repeat(40);
        let json_text = format!("{{\"program\": {:?}}}", program);
        let value = json!([
            { "command": ["sh", &program], "annotation": &json_text },
            { "command": ["sh", &program], "annotation": &json_text },
            { "command": ["sh", &program], "annotation": &json_text },
        ]);
        let yaml = to_string(&value, vec![program.as_str(), json_text.as_str()]).unwrap();
        assert_eq!(read_back(&yaml), value);
        // The program's 40 lines are written once, as a literal block.
        assert_eq!(yaml.matches("fn main() {}\n").count(), 40, "{yaml}");
        assert_eq!((yaml.matches("&a1 ").count(), yaml.matches("*a1\n").count()), (1, 2), "{yaml}");
        assert_eq!((yaml.matches("&a2 ").count(), yaml.matches("*a2\n").count()), (1, 2), "{yaml}");
    }

    #[test]
    fn a_key_that_is_a_list_is_an_error_not_a_panic() {
        struct ListKey;
        impl serde::Serialize for ListKey {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry(&[1, 2], "v")?;
                map.end()
            }
        }
        let error = to_string(&ListKey, Vec::new()).unwrap_err();
        assert!(error.to_string().contains("mapping key must be a string"), "{error}");
    }
}
