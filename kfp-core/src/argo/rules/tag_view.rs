//! The strings holding `{{` in `serde_json::to_value`'s tree of a template (same keys, same
//! failures), each with its place, in the order a walk of that tree meets them (keys sorted,
//! as serde_json's map keeps them). Only these strings are copied, and no tree is built:
//! copying a component's program and building a JSON node per field was most of the check's
//! time, and a path is written only for a violation.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::LazyLock;

use foldhash::HashSet;

use memchr::memmem;
use serde::ser::{self, Impossible, Serialize};
use serde_json::Error;

/// One step down the JSON tree: a map key or a list index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Step {
    Key(Cow<'static, str>),
    Index(usize),
}

/// A string holding `{{`, and the steps from the template to it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Tagged<'f> {
    pub(super) steps: &'f [Step],
    pub(super) text: &'f str,
}

/// The strings holding `{{` met by one walk: their steps and texts each in one
/// buffer, since a template has a few of them and is walked once.
#[derive(Default)]
pub(super) struct Found {
    steps: Vec<Step>,
    text: String,
    /// Per string: its steps in `steps`, its text in `text`.
    items: Vec<(Range<usize>, Range<usize>)>,
}

impl Found {
    /// The strings, ordered by their steps.
    pub(super) fn iter(&self) -> impl Iterator<Item = Tagged<'_>> {
        self.items
            .iter()
            .map(|(steps, text)| Tagged { steps: &self.steps[steps.clone()], text: &self.text[text.clone()] })
    }
}

/// Long strings known to hold no `{{`, by address and length. Templates share
/// their component's program and spec (`argo::Text`): each is searched once.
/// Sound while the walked values are borrowed, so nothing is freed or changed.
#[derive(Default)]
struct Untagged(HashSet<(usize, usize)>);

/// Strings at least this long are remembered in [`Untagged`]; shorter ones
/// cost less to search than to look up.
const LONG: usize = 256;

/// Finds the strings holding `{{` in the values it walks, as [`tag_view`](self)
/// describes. One walker serves a whole check: its buffers are reused from one
/// template to the next, and long strings found untagged are not searched again.
#[derive(Default)]
pub(super) struct Walker(Collector);

impl Walker {
    /// The strings holding `{{` in `value`, ordered by their steps.
    pub(super) fn walk<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<&Found, Error> {
        let collector = &mut self.0;
        collector.frames.clear();
        collector.keys.clear();
        collector.found.steps.clear();
        collector.found.text.clear();
        collector.found.items.clear();
        value.serialize(&mut *collector)?;
        // Structs walk their fields in declaration order; the JSON tree sorts its keys.
        let Found { steps, items, .. } = &mut collector.found;
        items.sort_by(|a, b| steps[a.0.clone()].cmp(&steps[b.0.clone()]));
        Ok(&collector.found)
    }
}

/// `base` followed by `steps`, as a violation path writes them.
pub(super) fn path(base: &str, steps: &[Step]) -> String {
    let mut path = base.to_owned();
    for step in steps {
        match step {
            Step::Key(key) => super::push_key(&mut path, key),
            Step::Index(i) => {
                let _ = write!(path, "[{i}]");
            }
        }
    }
    path
}

/// One step of the walk: a [`Step`] whose map key lies in [`Collector::keys`].
enum Frame {
    Field(&'static str),
    Key(Range<usize>),
    Index(usize),
}

#[derive(Default)]
struct Collector {
    /// Steps to the value being serialized.
    frames: Vec<Frame>,
    /// The map keys of `frames`, end to end: a key costs no allocation of its own.
    keys: String,
    found: Found,
    untagged: Untagged,
}

impl Collector {
    fn text(&mut self, text: &str) {
        // Programs and specs are long and hold many `{`: SIMD search, not `str::contains`,
        // with a searcher built once (`memmem::find` builds one per call). A short
        // string costs less to scan for a `{` than to set that search up.
        static OPEN: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("{{"));
        let key = (text.as_ptr() as usize, text.len());
        if text.len() >= LONG && self.untagged.0.contains(&key) {
            return;
        }
        let tagged = if text.len() >= LONG {
            OPEN.find(text.as_bytes()).is_some()
        } else {
            super::find_pair(text, b'{').is_some()
        };
        if tagged {
            let found = &mut self.found;
            let (steps, start) = (found.steps.len(), found.text.len());
            found.steps.extend(self.frames.iter().map(|frame| match frame {
                Frame::Field(name) => Step::Key(Cow::Borrowed(name)),
                Frame::Key(key) => Step::Key(Cow::Owned(self.keys[key.clone()].to_owned())),
                Frame::Index(i) => Step::Index(*i),
            }));
            found.text.push_str(text);
            found.items.push((steps..found.steps.len(), start..found.text.len()));
        } else if text.len() >= LONG {
            self.untagged.0.insert(key);
        }
    }

    /// Serializes `value` one step further down.
    fn below<T: Serialize + ?Sized>(&mut self, frame: Frame, value: &T) -> Result<(), Error> {
        self.frames.push(frame);
        value.serialize(&mut *self)?;
        self.frames.pop();
        Ok(())
    }
}

impl<'c> ser::Serializer for &'c mut Collector {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Seq<'c>;
    type SerializeTuple = Seq<'c>;
    type SerializeTupleStruct = Seq<'c>;
    type SerializeTupleVariant = Seq<'c>;
    type SerializeMap = Object<'c>;
    type SerializeStruct = Object<'c>;
    type SerializeStructVariant = Object<'c>;

    fn serialize_bool(self, _: bool) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_i128(self, _: i128) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_u128(self, _: u128) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_f64(self, _: f64) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_char(self, _: char) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_str(self, value: &str) -> Result<(), Error> {
        self.text(value);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        // serde_json makes an array of numbers: nothing the walk reads.
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Error> {
        self.text(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.below(Frame::Field(variant), value)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'c>, Error> {
        Ok(Seq { collector: self, next: 0, variant: false })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'c>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'c>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Seq<'c>, Error> {
        self.frames.push(Frame::Field(variant));
        Ok(Seq { collector: self, next: 0, variant: true })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object<'c>, Error> {
        Ok(Object { collector: self, key: None, variant: false })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Object<'c>, Error> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Object<'c>, Error> {
        self.frames.push(Frame::Field(variant));
        Ok(Object { collector: self, key: None, variant: true })
    }
}

/// A list (or a tuple variant's list, one step below the variant's key).
struct Seq<'c> {
    collector: &'c mut Collector,
    next: usize,
    variant: bool,
}

impl Seq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.collector.below(Frame::Index(self.next), value)?;
        self.next += 1;
        Ok(())
    }

    fn end(self) -> Result<(), Error> {
        if self.variant {
            self.collector.frames.pop();
        }
        Ok(())
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Seq::end(self)
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Seq::end(self)
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Seq::end(self)
    }
}

impl ser::SerializeTupleVariant for Seq<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Seq::end(self)
    }
}

/// A map or struct (or a struct variant's fields, one step below the variant's key).
struct Object<'c> {
    collector: &'c mut Collector,
    /// The key being written, in the collector's `keys`.
    key: Option<Range<usize>>,
    variant: bool,
}

impl Object<'_> {
    fn end(self) -> Result<(), Error> {
        if self.variant {
            self.collector.frames.pop();
        }
        Ok(())
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let keys = &mut self.collector.keys;
        let start = keys.len();
        key.serialize(MapKey(keys))?;
        self.key = Some(start..keys.len());
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self.key.take().expect("serialize_value follows serialize_key");
        let start = key.start;
        self.collector.below(Frame::Key(key), value)?;
        self.collector.keys.truncate(start);
        Ok(())
    }
    fn end(self) -> Result<(), Error> {
        Object::end(self)
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.collector.below(Frame::Field(key), value)
    }
    fn end(self) -> Result<(), Error> {
        Object::end(self)
    }
}

impl ser::SerializeStructVariant for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.collector.below(Frame::Field(key), value)
    }
    fn end(self) -> Result<(), Error> {
        Object::end(self)
    }
}

/// Map keys as serde_json writes them (strings, and scalars as their text),
/// appended to a buffer.
struct MapKey<'k>(&'k mut String);

fn key_error() -> Error {
    ser::Error::custom("key must be a string")
}

impl MapKey<'_> {
    fn write(self, key: impl std::fmt::Display) -> Result<(), Error> {
        let _ = write!(self.0, "{key}");
        Ok(())
    }
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        self.write(value)
    }
    fn serialize_i8(self, value: i8) -> Result<(), Error> {
        self.write(value)
    }
    fn serialize_i16(self, value: i16) -> Result<(), Error> {
        self.write(value)
    }
    fn serialize_i32(self, value: i32) -> Result<(), Error> {
        self.write(value)
    }
    fn serialize_i64(self, value: i64) -> Result<(), Error> {
        self.write(value)
    }
    fn serialize_i128(self, value: i128) -> Result<(), Error> {
        self.write(value)
    }
    fn serialize_u8(self, value: u8) -> Result<(), Error> {
        self.write(value)
    }
    fn serialize_u16(self, value: u16) -> Result<(), Error> {
        self.write(value)
    }
    fn serialize_u32(self, value: u32) -> Result<(), Error> {
        self.write(value)
    }
    fn serialize_u64(self, value: u64) -> Result<(), Error> {
        self.write(value)
    }
    fn serialize_u128(self, value: u128) -> Result<(), Error> {
        self.write(value)
    }
    fn serialize_f32(self, value: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(value))
    }
    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        // serde_json's own text for the number (and its refusal of NaN and infinities).
        match serde_json::Number::from_f64(value) {
            Some(number) => self.write(number),
            None => Err(key_error()),
        }
    }
    fn serialize_char(self, value: char) -> Result<(), Error> {
        self.write(value)
    }
    fn serialize_str(self, value: &str) -> Result<(), Error> {
        self.0.push_str(value);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Error> {
        self.write(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::argo::Workflow;

    /// A tagged string's steps and text.
    type Owned = (Vec<Step>, String);

    /// The strings holding `{{` met by a walk of the full JSON tree, in its order.
    fn walked(value: &Value, steps: &mut Vec<Step>, found: &mut Vec<Owned>) {
        match value {
            Value::String(text) if text.contains("{{") => found.push((steps.clone(), text.clone())),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    steps.push(Step::Index(i));
                    walked(item, steps, found);
                    steps.pop();
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    steps.push(Step::Key(Cow::Owned(key.clone())));
                    walked(item, steps, found);
                    steps.pop();
                }
            }
            _ => {}
        }
    }

    fn walk(value: &Value) -> Vec<Owned> {
        let mut found = Vec::new();
        walked(value, &mut Vec::new(), &mut found);
        found
    }

    const WORKFLOW: &str = r#"
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: tags-, annotations: {a: "{{workflow.name}}"}, labels: {b: c}}
spec:
  entrypoint: main
  arguments: {parameters: [{name: p, value: "1"}]}
  templates:
  - name: main
    inputs: {parameters: [{name: p}]}
    dag:
      tasks:
      - name: t
        template: leaf
        arguments: {parameters: [{name: x, value: "{{item.k}}"}]}
        withItems: [{k: "{{inputs.parameters.p}}"}, 3, [true, "{{x}}"]]
  - name: leaf
    inputs: {parameters: [{name: x}]}
    retryStrategy: {limit: 2}
    activeDeadlineSeconds: 60
    container:
      image: alpine
      command: [sh, -c, "echo {{inputs.parameters.x}}"]
      resources: {limits: {cpu: "1"}}
    metadata: {annotations: {n: "{{pod.name}}"}}
"#;

    fn owned(found: &Found) -> Vec<Owned> {
        found.iter().map(|tagged| (tagged.steps.to_vec(), tagged.text.to_owned())).collect()
    }

    fn assert_view_matches(yaml: &str, what: &str) {
        let workflow = Workflow::from_yaml(yaml).expect("the workflow parses");
        // One walker across templates, as the checker keeps it: shared strings are skipped.
        let mut walker = Walker::default();
        for template in &workflow.spec.templates {
            let full = serde_json::to_value(template).unwrap();
            assert_eq!(owned(walker.walk(template).unwrap()), walk(&full), "{what}: template {}", template.name);
        }
        let full = serde_json::to_value(&workflow).unwrap();
        assert_eq!(owned(Walker::default().walk(&workflow).unwrap()), walk(&full), "{what}");
    }

    #[test]
    fn matches_a_walk_of_the_json_tree() {
        assert_view_matches(WORKFLOW, "inline workflow");
        // And every kfp 1.8.22 golden.
        let dir = crate::argo::tests::golden_dir();
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        let goldens: Vec<_> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
            .collect();
        assert!(goldens.len() >= 34, "expected the kfp 1.8.22 goldens in {}", dir.display());
        for path in goldens {
            assert_view_matches(&std::fs::read_to_string(&path).unwrap(), &path.display().to_string());
        }
    }

    #[test]
    fn keys_and_variants_as_serde_json() {
        use std::collections::BTreeMap;
        let keys: BTreeMap<i64, &str> = BTreeMap::from([(1, "{{a}}"), (2, "b")]);
        assert_eq!(owned(Walker::default().walk(&keys).unwrap()), walk(&serde_json::to_value(&keys).unwrap()));
        let bad: BTreeMap<Vec<u8>, u8> = BTreeMap::from([(vec![1], 1)]);
        assert!(Walker::default().walk(&bad).is_err() && serde_json::to_value(&bad).is_err());
        let values = vec![serde_json::json!({"x": ["{{item}}", 1, true, null, {"y": "z"}]})];
        assert_eq!(owned(Walker::default().walk(&values).unwrap()), walk(&serde_json::to_value(&values).unwrap()));
    }
}
