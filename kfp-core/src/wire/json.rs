// kfp 1.8 value wire format, JSON part (JsonArray and JsonObject values).
//
// This file is compiled twice: as the module `kfp_core::wire::json`, and
// verbatim (through `include_str!`) inside the `main` program of every Rust
// function component, wrapped in
// `mod __kfp_wire { pub mod support { ... } pub mod json { ... } }` and built
// with serde, possibly by Rust 1.83 (it needs serde only, not serde_json:
// `::serde` must be a dependency there). So it must stay
// self-contained: no `crate::` paths (only `super::support`), no inner
// attributes or `//!` docs, no test modules, no `unsafe`, and no panics on any
// input (every failure is an `Err(String)` that quotes the offending text).
//
// kfp writes JSON with Python's `json.dumps(value, sort_keys=True)` and reads it
// with `json.loads`. Both differ from serde_json: Python writes `", "` and
// `": "`, escapes all non-ASCII text, writes floats as `repr` does, and writes
// and reads `NaN`, `Infinity` and `-Infinity`. So values are serialized here
// through a small tree whose objects are sorted by key (whatever serde_json
// features other crates enable), and text is parsed by a parser that follows
// `json.loads` and feeds serde directly.

use std::collections::HashMap;

use ::serde::de::value::{Error, MapDeserializer, SeqDeserializer};
use ::serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use ::serde::ser::{self, Serialize};

use super::support::PyFloat;

/// Deepest nesting of arrays and objects that [`from_json`] reads (as
/// serde_json's default limit).
const MAX_DEPTH: usize = 128;

/// Longest part of an offending text that an error message quotes.
const QUOTE_LIMIT: usize = 80;

/// The magic struct name under which serde_json's `Number` serializes itself
/// when some crate enables serde_json's `arbitrary_precision` feature.
const SERDE_JSON_NUMBER: &str = "$serde_json::private::Number";

/// Serializes a value as kfp 1.8 does for JsonArray and JsonObject values:
/// exactly Python's `json.dumps(value, sort_keys=True)`.
///
/// Separators are `", "` and `": "`; object keys are sorted at every level by
/// code point; non-ASCII characters are escaped as `\uXXXX` (surrogate pairs
/// above U+FFFF), control characters as Python escapes them; floats are
/// written as Python's `repr` (`1.0`, `1e-05`, `NaN`, `Infinity`), integers as
/// integers, `None` and `()` as `null`. Map keys that are numbers, booleans or
/// null become strings as Python turns them into strings (`1`, `1.5`, `true`).
/// Unlike Python, keys are compared as those strings (Python sorts a dict
/// with integer keys numerically), which is the order a Python component gets
/// after reading the JSON back.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
    let tree =
        value.serialize(TreeSerializer).map_err(|error| format!("cannot serialize the value as JSON: {error}"))?;
    let mut text = String::new();
    write_tree(&tree, &mut text);
    Ok(text)
}

/// Deserializes a value from JSON as Python's `json.loads` reads it: `NaN`,
/// `Infinity` and `-Infinity` are accepted, a repeated object key keeps its
/// last value, and integers too large for 64 bits are read as 128-bit
/// integers, or else as floats. Nesting deeper than 128 levels is refused.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let mut parser = Parser { text, bytes: text.as_bytes(), at: 0, depth: 0 };
    let tree = parser.document()?;
    T::deserialize(tree)
        .map_err(|error| format!("JSON {} does not fit {}: {error}", quote(text), std::any::type_name::<T>()))
}

/// Quotes `text` for an error message, cut after [`QUOTE_LIMIT`] characters.
fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_LIMIT) {
        Some((cut, _)) => format!("{:?}... ({} bytes)", &text[..cut], text.len()),
        None => format!("{text:?}"),
    }
}

// ---------------------------------------------------------------------------
// Writing

/// A serialized value; objects are sorted by key when built.
enum Tree {
    /// Text written as it is: `null`, `true`, a number.
    Literal(String),
    /// A string, escaped when written.
    Str(String),
    /// An array.
    Array(Vec<Tree>),
    /// An object, sorted by key.
    Object(Vec<(String, Tree)>),
}

impl Tree {
    /// An object with the given entries, sorted by key (stably).
    fn object(mut entries: Vec<(String, Tree)>) -> Tree {
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Tree::Object(entries)
    }
}

/// Writes `tree` as Python's `json.dumps` does.
fn write_tree(tree: &Tree, out: &mut String) {
    match tree {
        Tree::Literal(text) => out.push_str(text),
        Tree::Str(text) => write_string(text, out),
        Tree::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_tree(item, out);
            }
            out.push(']');
        }
        Tree::Object(entries) => {
            out.push('{');
            for (index, (key, value)) in entries.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_string(key, out);
                out.push_str(": ");
                write_tree(value, out);
            }
            out.push('}');
        }
    }
}

/// Writes a JSON string with Python's `ensure_ascii` escapes.
fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0_u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

/// A float as Python's `json.dumps` writes it, from its `repr`: as `repr`,
/// but `NaN`, `Infinity` and `-Infinity` for the special values.
fn float_literal(repr: String) -> Tree {
    Tree::Literal(match repr.as_str() {
        "nan" => "NaN".to_string(),
        "inf" => "Infinity".to_string(),
        "-inf" => "-Infinity".to_string(),
        _ => repr,
    })
}

/// The string a serialized map key becomes, as Python converts dict keys.
fn key_string(key: Tree) -> Result<String, Error> {
    match key {
        Tree::Str(text) | Tree::Literal(text) => Ok(text),
        Tree::Array(_) | Tree::Object(_) => Err(ser::Error::custom(
            "a JSON object key must be a string, a number, a boolean or null, not a sequence or a map",
        )),
    }
}

/// Serializes a value into a [`Tree`].
struct TreeSerializer;

/// Collects the items of a sequence, tuple or tuple struct.
struct ArrayBuilder {
    items: Vec<Tree>,
    /// The variant name, for a tuple variant.
    variant: Option<&'static str>,
}

/// Collects the entries of a map, struct or struct variant.
struct ObjectBuilder {
    entries: Vec<(String, Tree)>,
    /// A serialized key waiting for its value.
    key: Option<String>,
    /// The variant name, for a struct variant.
    variant: Option<&'static str>,
    /// Whether this is serde_json's `arbitrary_precision` number.
    number: bool,
}

impl ObjectBuilder {
    fn new(capacity: usize, variant: Option<&'static str>, number: bool) -> ObjectBuilder {
        ObjectBuilder { entries: Vec::with_capacity(capacity), key: None, variant, number }
    }

    fn finish(self) -> Result<Tree, Error> {
        if self.number {
            return match self.entries.into_iter().next() {
                Some((_, Tree::Str(number))) => Ok(number_literal(&number)),
                _ => Err(ser::Error::custom("malformed serde_json number")),
            };
        }
        let object = Tree::object(self.entries);
        Ok(match self.variant {
            Some(variant) => Tree::Object(vec![(variant.to_string(), object)]),
            None => object,
        })
    }
}

/// A number given as text by serde_json's `arbitrary_precision` feature, as
/// Python would write it back (integers as they are, floats as `repr`).
fn number_literal(text: &str) -> Tree {
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return Tree::Literal(text.to_string());
    }
    match text.parse::<f64>() {
        Ok(value) => float_literal(value.to_py_string()),
        Err(_) => Tree::Literal(text.to_string()),
    }
}

impl ser::Serializer for TreeSerializer {
    type Ok = Tree;
    type Error = Error;
    type SerializeSeq = ArrayBuilder;
    type SerializeTuple = ArrayBuilder;
    type SerializeTupleStruct = ArrayBuilder;
    type SerializeTupleVariant = ArrayBuilder;
    type SerializeMap = ObjectBuilder;
    type SerializeStruct = ObjectBuilder;
    type SerializeStructVariant = ObjectBuilder;

    fn serialize_bool(self, v: bool) -> Result<Tree, Error> {
        Ok(Tree::Literal(if v { "true" } else { "false" }.to_string()))
    }

    fn serialize_i8(self, v: i8) -> Result<Tree, Error> {
        Ok(Tree::Literal(v.to_string()))
    }

    fn serialize_i16(self, v: i16) -> Result<Tree, Error> {
        Ok(Tree::Literal(v.to_string()))
    }

    fn serialize_i32(self, v: i32) -> Result<Tree, Error> {
        Ok(Tree::Literal(v.to_string()))
    }

    fn serialize_i64(self, v: i64) -> Result<Tree, Error> {
        Ok(Tree::Literal(v.to_string()))
    }

    fn serialize_i128(self, v: i128) -> Result<Tree, Error> {
        Ok(Tree::Literal(v.to_string()))
    }

    fn serialize_u8(self, v: u8) -> Result<Tree, Error> {
        Ok(Tree::Literal(v.to_string()))
    }

    fn serialize_u16(self, v: u16) -> Result<Tree, Error> {
        Ok(Tree::Literal(v.to_string()))
    }

    fn serialize_u32(self, v: u32) -> Result<Tree, Error> {
        Ok(Tree::Literal(v.to_string()))
    }

    fn serialize_u64(self, v: u64) -> Result<Tree, Error> {
        Ok(Tree::Literal(v.to_string()))
    }

    fn serialize_u128(self, v: u128) -> Result<Tree, Error> {
        Ok(Tree::Literal(v.to_string()))
    }

    fn serialize_f32(self, v: f32) -> Result<Tree, Error> {
        Ok(float_literal(v.to_py_string()))
    }

    fn serialize_f64(self, v: f64) -> Result<Tree, Error> {
        Ok(float_literal(v.to_py_string()))
    }

    fn serialize_char(self, v: char) -> Result<Tree, Error> {
        Ok(Tree::Str(v.to_string()))
    }

    fn serialize_str(self, v: &str) -> Result<Tree, Error> {
        Ok(Tree::Str(v.to_string()))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Tree, Error> {
        Ok(Tree::Array(v.iter().map(|byte| Tree::Literal(byte.to_string())).collect()))
    }

    fn serialize_none(self) -> Result<Tree, Error> {
        Ok(Tree::Literal("null".to_string()))
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Tree, Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Tree, Error> {
        Ok(Tree::Literal("null".to_string()))
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<Tree, Error> {
        Ok(Tree::Literal("null".to_string()))
    }

    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<Tree, Error> {
        Ok(Tree::Str(variant.to_string()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<Tree, Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Tree, Error> {
        Ok(Tree::Object(vec![(variant.to_string(), value.serialize(self)?)]))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<ArrayBuilder, Error> {
        Ok(ArrayBuilder { items: Vec::with_capacity(len.unwrap_or(0)), variant: None })
    }

    fn serialize_tuple(self, len: usize) -> Result<ArrayBuilder, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<ArrayBuilder, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<ArrayBuilder, Error> {
        Ok(ArrayBuilder { items: Vec::with_capacity(len), variant: Some(variant) })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<ObjectBuilder, Error> {
        Ok(ObjectBuilder::new(len.unwrap_or(0), None, false))
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<ObjectBuilder, Error> {
        Ok(ObjectBuilder::new(len, None, name == SERDE_JSON_NUMBER))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<ObjectBuilder, Error> {
        Ok(ObjectBuilder::new(len, Some(variant), false))
    }
}

impl ArrayBuilder {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value.serialize(TreeSerializer)?);
        Ok(())
    }

    fn finish(self) -> Result<Tree, Error> {
        let array = Tree::Array(self.items);
        Ok(match self.variant {
            Some(variant) => Tree::Object(vec![(variant.to_string(), array)]),
            None => array,
        })
    }
}

impl ser::SerializeSeq for ArrayBuilder {
    type Ok = Tree;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }

    fn end(self) -> Result<Tree, Error> {
        self.finish()
    }
}

impl ser::SerializeTuple for ArrayBuilder {
    type Ok = Tree;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }

    fn end(self) -> Result<Tree, Error> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for ArrayBuilder {
    type Ok = Tree;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }

    fn end(self) -> Result<Tree, Error> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for ArrayBuilder {
    type Ok = Tree;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }

    fn end(self) -> Result<Tree, Error> {
        self.finish()
    }
}

impl ser::SerializeMap for ObjectBuilder {
    type Ok = Tree;
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key_string(key.serialize(TreeSerializer)?)?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self.key.take().ok_or_else(|| ser::Error::custom("a map value was serialized before its key"))?;
        self.entries.push((key, value.serialize(TreeSerializer)?));
        Ok(())
    }

    fn end(self) -> Result<Tree, Error> {
        self.finish()
    }
}

impl ser::SerializeStruct for ObjectBuilder {
    type Ok = Tree;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.entries.push((key.to_string(), value.serialize(TreeSerializer)?));
        Ok(())
    }

    fn end(self) -> Result<Tree, Error> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for ObjectBuilder {
    type Ok = Tree;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.entries.push((key.to_string(), value.serialize(TreeSerializer)?));
        Ok(())
    }

    fn end(self) -> Result<Tree, Error> {
        self.finish()
    }
}

// ---------------------------------------------------------------------------
// Reading

/// A parsed JSON value, deserialized into the caller's type.
enum Node {
    Null,
    Bool(bool),
    Int(i128),
    BigUInt(u128),
    Float(f64),
    Str(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

/// A JSON reader that follows Python's `json.loads`.
struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// Byte offset of the next character.
    at: usize,
    /// Arrays and objects currently open.
    depth: usize,
}

impl Parser<'_> {
    /// Reads the whole text as one value.
    fn document(&mut self) -> Result<Node, String> {
        self.skip_whitespace();
        let value = self.value()?;
        self.skip_whitespace();
        if self.at < self.bytes.len() {
            return Err(self.error("unexpected text after the JSON value"));
        }
        Ok(value)
    }

    /// An error at the current position, naming it and quoting the text there.
    fn error(&self, message: &str) -> String {
        let at = self.at.min(self.text.len());
        let before = self.text.get(..at).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |line| line.chars().count()) + 1;
        let near = self.text.get(at..).unwrap_or("");
        let near = match near.char_indices().nth(20) {
            Some((cut, _)) => format!("{:?}...", &near[..cut]),
            None => format!("{near:?}"),
        };
        format!("invalid JSON {}: {message} at line {line} column {column} (at {near})", quote(self.text))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// Consumes `word` if the text continues with it.
    fn eat(&mut self, word: &str) -> bool {
        if self.bytes.get(self.at..).is_some_and(|rest| rest.starts_with(word.as_bytes())) {
            self.at += word.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Result<Node, String> {
        match self.peek() {
            Some(b'{') => self.nested(Parser::object),
            Some(b'[') => self.nested(Parser::array),
            Some(b'"') => Ok(Node::Str(self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ if self.eat("null") => Ok(Node::Null),
            _ if self.eat("true") => Ok(Node::Bool(true)),
            _ if self.eat("false") => Ok(Node::Bool(false)),
            _ if self.eat("NaN") => Ok(Node::Float(f64::NAN)),
            _ if self.eat("Infinity") => Ok(Node::Float(f64::INFINITY)),
            _ => Err(self.error("expected a value")),
        }
    }

    /// Reads an array or object one level deeper.
    fn nested(&mut self, read: fn(&mut Self) -> Result<Node, String>) -> Result<Node, String> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(&format!("arrays and objects nested more than {MAX_DEPTH} levels deep")));
        }
        self.depth += 1;
        let node = read(self);
        self.depth -= 1;
        node
    }

    fn array(&mut self) -> Result<Node, String> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.eat("]") {
            return Ok(Node::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value()?);
            self.skip_whitespace();
            if self.eat("]") {
                return Ok(Node::Array(items));
            }
            if !self.eat(",") {
                return Err(self.error("expected ',' or ']'"));
            }
        }
    }

    fn object(&mut self) -> Result<Node, String> {
        self.at += 1;
        let mut entries: Vec<(String, Node)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        self.skip_whitespace();
        if self.eat("}") {
            return Ok(Node::Object(entries));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a key in double quotes"));
            }
            let key = self.string()?;
            self.skip_whitespace();
            if !self.eat(":") {
                return Err(self.error("expected ':'"));
            }
            self.skip_whitespace();
            let value = self.value()?;
            // Python keeps the last value of a repeated key.
            match index.get(&key) {
                Some(&position) => entries[position].1 = value,
                None => {
                    index.insert(key.clone(), entries.len());
                    entries.push((key, value));
                }
            }
            self.skip_whitespace();
            if self.eat("}") {
                return Ok(Node::Object(entries));
            }
            if !self.eat(",") {
                return Err(self.error("expected ',' or '}'"));
            }
        }
    }

    /// Reads four hex digits after `\u`.
    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .filter(|digits| digits.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("expected four hex digits after \\u"))?;
        let code = u32::from_str_radix(digits, 16).map_err(|_| self.error("bad \\u escape"))?;
        self.at += 4;
        Ok(code)
    }

    fn string(&mut self) -> Result<String, String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // Stops only at ASCII bytes, so these are character boundaries.
            out.push_str(self.text.get(start..self.at).unwrap_or(""));
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escape = self.peek();
                    self.at += 1;
                    match escape {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => out.push(self.unicode_escape()?),
                        _ => {
                            self.at -= 1;
                            return Err(self.error("invalid escape in a string"));
                        }
                    }
                }
                Some(_) => return Err(self.error("control character in a string (escape it)")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    /// Reads the rest of a `\uXXXX` escape, joining a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, String> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) && self.eat("\\u") {
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            } else {
                self.at -= 6;
                first
            }
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| {
            self.error(&format!("unpaired surrogate \\u{code:04x} in a string (Rust strings cannot hold it)"))
        })
    }

    fn number(&mut self) -> Result<Node, String> {
        let start = self.at;
        if self.eat("-") && self.eat("Infinity") {
            return Ok(Node::Float(f64::NEG_INFINITY));
        }
        let digits = |parser: &mut Self| {
            let from = parser.at;
            while let Some(b'0'..=b'9') = parser.peek() {
                parser.at += 1;
            }
            parser.at - from
        };
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.error("expected a digit")),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') && matches!(self.bytes.get(self.at + 1), Some(b'0'..=b'9')) {
            self.at += 1;
            digits(self);
            integer = false;
        }
        if let Some(b'e' | b'E') = self.peek() {
            let mark = self.at;
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if digits(self) == 0 {
                // Like Python, the number ends before a bare `e`.
                self.at = mark;
            } else {
                integer = false;
            }
        }
        let literal = self.text.get(start..self.at).unwrap_or("");
        if integer {
            if let Ok(value) = literal.parse::<i128>() {
                return Ok(Node::Int(value));
            }
            if let Ok(value) = literal.parse::<u128>() {
                return Ok(Node::BigUInt(value));
            }
        }
        literal.parse::<f64>().map(Node::Float).map_err(|_| self.error("malformed number"))
    }
}

impl Node {
    /// What the node is, for error messages.
    fn unexpected(&self) -> de::Unexpected<'_> {
        match self {
            Node::Null => de::Unexpected::Unit,
            Node::Bool(value) => de::Unexpected::Bool(*value),
            Node::Int(value) => match i64::try_from(*value) {
                Ok(value) => de::Unexpected::Signed(value),
                Err(_) => de::Unexpected::Other("a 128-bit integer"),
            },
            Node::BigUInt(_) => de::Unexpected::Other("a 128-bit integer"),
            Node::Float(value) => de::Unexpected::Float(*value),
            Node::Str(value) => de::Unexpected::Str(value),
            Node::Array(_) => de::Unexpected::Seq,
            Node::Object(_) => de::Unexpected::Map,
        }
    }
}

impl<'de> IntoDeserializer<'de, Error> for Node {
    type Deserializer = Node;

    fn into_deserializer(self) -> Node {
        self
    }
}

impl<'de> de::Deserializer<'de> for Node {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null => visitor.visit_unit(),
            Node::Bool(value) => visitor.visit_bool(value),
            Node::Int(value) => {
                if let Ok(value) = u64::try_from(value) {
                    visitor.visit_u64(value)
                } else if let Ok(value) = i64::try_from(value) {
                    visitor.visit_i64(value)
                } else {
                    visitor.visit_i128(value)
                }
            }
            Node::BigUInt(value) => visitor.visit_u128(value),
            Node::Float(value) => visitor.visit_f64(value),
            Node::Str(value) => visitor.visit_string(value),
            Node::Array(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Node::Object(entries) => {
                let mut map = MapDeserializer::new(entries.into_iter().map(|(key, value)| (Key(key), value)));
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Node::Str(variant) => visitor.visit_enum(variant.into_deserializer()),
            Node::Object(mut entries) if entries.len() == 1 => match entries.pop() {
                Some((variant, value)) => visitor.visit_enum(Variant { variant, value }),
                None => Err(de::Error::custom("empty enum object")),
            },
            other => {
                Err(de::Error::invalid_type(other.unexpected(), &"a variant name, or an object with a single key"))
            }
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    ::serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// An enum written as `{"Variant": value}`.
struct Variant {
    variant: String,
    value: Node,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = Error;
    type Variant = Node;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Node), Error> {
        let variant = seed.deserialize(Key(self.variant))?;
        Ok((variant, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for Node {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self {
            Node::Null => Ok(()),
            other => Err(de::Error::invalid_type(other.unexpected(), &"null")),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(self, visitor)
    }
}

/// An object key, which also reads as a number or boolean for maps with such
/// keys (Python writes `{1: "a"}` as `{"1": "a"}`).
struct Key(String);

impl<'de> IntoDeserializer<'de, Error> for Key {
    type Deserializer = Key;

    fn into_deserializer(self) -> Key {
        self
    }
}

/// Deserializes a number key of type `$ty` through `$visit`.
macro_rules! number_key {
    ($($method:ident => $ty:ty, $visit:ident;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                match self.0.parse::<$ty>() {
                    Ok(value) => visitor.$visit(value),
                    Err(_) => visitor.visit_string(self.0),
                }
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for Key {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_string(self.0)
    }

    number_key! {
        deserialize_i8 => i8, visit_i8;
        deserialize_i16 => i16, visit_i16;
        deserialize_i32 => i32, visit_i32;
        deserialize_i64 => i64, visit_i64;
        deserialize_i128 => i128, visit_i128;
        deserialize_u8 => u8, visit_u8;
        deserialize_u16 => u16, visit_u16;
        deserialize_u32 => u32, visit_u32;
        deserialize_u64 => u64, visit_u64;
        deserialize_u128 => u128, visit_u128;
        deserialize_f32 => f32, visit_f32;
        deserialize_f64 => f64, visit_f64;
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.as_str() {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => visitor.visit_string(self.0),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_enum(self.0.into_deserializer())
    }

    ::serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}
