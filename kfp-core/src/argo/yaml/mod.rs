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

mod key;
mod scalar;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use serde::ser::{self, Serialize};

use super::{Template, Workflow};
use key::KeySer;
use scalar::{float, plain_ok, push_key, push_quoted, style, Style};

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

/// `value` as YAML without anchors, every mapping's keys sorted as PyYAML's
/// `sort_keys=True` sorts them (by code point, UTF-8's byte order): the fields
/// of a struct as well, written in the order they are declared and moved after.
pub(super) fn sorted_document<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut writer = Writer::new(Vec::new(), String::with_capacity(1 << 16));
    writer.sorting = Some(Sorting::default());
    value.serialize(Ser { w: &mut writer, place: Place::Root })?;
    Ok(writer.out)
}

/// `value` as [`sorted_document`] writes it as the value of a key at column `col`, appended
/// to `out`: from the space or line break after `key:` to the end of its last line. Lets
/// a caller write a large mapping entry by entry, and copy an entry that repeats.
pub(super) fn write_sorted_value<T: Serialize + ?Sized>(out: &mut String, value: &T, col: usize) -> Result<()> {
    let mut writer = Writer::new(Vec::new(), std::mem::take(out));
    writer.sorting = Some(Sorting::default());
    let written = value.serialize(Ser { w: &mut writer, place: Place::Value { col } });
    *out = writer.out;
    written
}

/// `key` as a mapping key, plain or quoted.
pub(super) fn write_key(out: &mut String, key: &str) {
    push_key(out, key);
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
    let mut writer = Writer::new(repeated, String::with_capacity(1 << 16));
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
    /// Set when mappings are written with their keys sorted.
    sorting: Option<Sorting>,
    /// Without anchors, the last long strings written and their YAML: a
    /// component's program, repeated in every task's executor of KFP v2 IR,
    /// is checked and laid out once, then copied.
    rendered: Vec<Rendered>,
}

/// How many long strings [`Writer::rendered`] keeps.
const RENDERED_KEPT: usize = 8;

struct Rendered {
    text: String,
    place: Place,
    yaml: String,
}

/// The entries of the mappings being written, innermost last: each mapping
/// pushes its own above its parent's and takes them off when it ends, after
/// putting them in order.
#[derive(Default)]
struct Sorting {
    entries: Vec<Entry>,
    /// The entries' keys as the strings they stand for, one after another.
    keys: String,
    /// Room to put a mapping's entries in order, kept between mappings: a large
    /// document has one or more of them for each of its thousands of tasks.
    order: Vec<usize>,
    sorted: String,
}

/// One written entry of a mapping: its key in [`Sorting::keys`], and its text in the
/// output from the key to the end of its value (the line break included).
struct Entry {
    key: std::ops::Range<usize>,
    start: usize,
    end: usize,
}

impl Sorting {
    fn key(&self, entry: &Entry) -> &str {
        &self.keys[entry.key.clone()]
    }

    /// Puts the entries from `base` on, the mapping's at column `col`, in key
    /// order in `out`, then takes them off.
    fn finish(&mut self, base: usize, col: usize, out: &mut String) {
        if let Some(last) = self.entries.get(base..).and_then(<[Entry]>::last) {
            let keys_base = self.entries[base].key.start;
            let mine = &self.entries[base..];
            if mine.windows(2).any(|pair| self.key(&pair[0]) > self.key(&pair[1])) {
                let mut order = std::mem::take(&mut self.order);
                order.clear();
                order.extend(base..self.entries.len());
                order.sort_by(|&a, &b| self.key(&self.entries[a]).cmp(self.key(&self.entries[b])));
                let (start, end) = (mine[0].start, last.end);
                // The document's own mapping is most of the text: rebuilt whole, it is copied once, not twice.
                let whole = start < end - start;
                let mut sorted =
                    if whole { String::with_capacity(out.len()) } else { std::mem::take(&mut self.sorted) };
                sorted.clear();
                if whole {
                    sorted.push_str(&out[..start]);
                }
                // Every entry after the first starts on a line of its own, at `col`.
                for (at, &entry) in order.iter().enumerate() {
                    if at > 0 {
                        indent(&mut sorted, col);
                    }
                    let entry = &self.entries[entry];
                    sorted.push_str(&out[entry.start..entry.end]);
                }
                if whole {
                    sorted.push_str(&out[end..]);
                    *out = sorted;
                } else {
                    out.replace_range(start..end, &sorted);
                    self.sorted = sorted;
                }
                self.order = order;
            }
            self.keys.truncate(keys_base);
            self.entries.truncate(base);
        }
    }
}

/// Where the next value goes.
#[derive(Clone, Copy, PartialEq)]
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

impl<'r> Writer<'r> {
    /// A writer appending to `out`.
    fn new(repeated: Vec<&'r str>, out: String) -> Self {
        let anchors = repeated.into_iter().map(|text| (text, Anchor::Unused)).collect();
        Writer { out, anchors, next_anchor: 1, sorting: None, rendered: Vec::new() }
    }

    fn indent(&mut self, col: usize) {
        indent(&mut self.out, col);
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
            if self.anchors.is_empty() {
                return self.repeated_string(place, text);
            }
        }
        self.unanchored_string(place, text)
    }

    /// A long string as [`Writer::unanchored_string`] writes it, copied when it was just written at `place`.
    fn repeated_string(&mut self, place: Place, text: &str) {
        if let Some(done) = self.rendered.iter().find(|done| done.place == place && done.text == text) {
            self.out.push_str(&done.yaml);
            return;
        }
        let start = self.out.len();
        self.unanchored_string(place, text);
        let done = Rendered { text: text.to_owned(), place, yaml: self.out[start..].to_owned() };
        if self.rendered.len() == RENDERED_KEPT {
            self.rendered.remove(0);
        }
        self.rendered.push(done);
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

/// `col` spaces.
fn indent(out: &mut String, col: usize) {
    const SPACES: &str = "                                ";
    let mut left = col;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.push_str(&SPACES[..n]);
        left -= n;
    }
}

/// The column of a literal block's lines at `place`.
fn block_col(place: Place) -> usize {
    match place {
        Place::Root => 2,
        other => other.inner_col(),
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
        Ok(MapSer::new(self.w, self.place))
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
        Ok(MapSer::new(self.w, Place::Value { col }))
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
    /// When sorting: where this mapping's entries start in [`Sorting::entries`],
    /// and where the key being written starts in [`Sorting::keys`].
    sort_base: usize,
    raw_key: usize,
}

impl<'a, 'r> MapSer<'a, 'r> {
    fn new(w: &'a mut Writer<'r>, place: Place) -> Self {
        let sort_base = w.sorting.as_ref().map_or(0, |sorting| sorting.entries.len());
        MapSer { w, place, entries: 0, key: String::new(), sort_base, raw_key: 0 }
    }

    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<()> {
        let col = self.place.inner_col();
        if let Some(sorting) = &mut self.w.sorting {
            if let Some(last) = sorting.entries.get_mut(self.sort_base..).and_then(<[Entry]>::last_mut) {
                last.end = self.w.out.len();
            }
        }
        match (self.entries, self.place) {
            (0, Place::Value { .. }) => {
                self.w.out.push('\n');
                self.w.indent(col);
            }
            (0, _) => {}
            _ => self.w.indent(col),
        }
        self.entries += 1;
        if let Some(sorting) = &mut self.w.sorting {
            let start = self.w.out.len();
            sorting.entries.push(Entry { key: self.raw_key..sorting.keys.len(), start, end: start });
        }
        self.w.out.push_str(key);
        self.w.out.push(':');
        value.serialize(Ser { w: self.w, place: Place::Value { col } })
    }

    fn finish(self) -> Result<()> {
        if self.entries == 0 {
            self.w.scalar(self.place, "{}");
        }
        if let Some(sorting) = &mut self.w.sorting {
            if let Some(last) = sorting.entries.get_mut(self.sort_base..).and_then(<[Entry]>::last_mut) {
                last.end = self.w.out.len();
            }
            sorting.finish(self.sort_base, self.place.inner_col(), &mut self.w.out);
        }
        Ok(())
    }
}

impl ser::SerializeMap for MapSer<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.key.clear();
        let raw = self.w.sorting.as_mut().map(|sorting| {
            self.raw_key = sorting.keys.len();
            &mut sorting.keys
        });
        key.serialize(KeySer { out: &mut self.key, raw })
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
        if let Some(sorting) = &mut self.w.sorting {
            self.raw_key = sorting.keys.len();
            sorting.keys.push_str(key);
        }
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
