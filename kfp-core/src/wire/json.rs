// kfp 1.8 JSON values, shipped like support.rs (as `mod __kfp { pub mod json { .. } }`) in
// programs that pass JSON, with the support pieces it uses. Unlike Python: no NaN/Infinity,
// f32 is widened (`0.1_f32` gives `0.10000000149011612`), ints fit 64 bits, reading is
// serde_json's (exact floats need `float_roundtrip`).
// piece: json needs quote pyfloat

use super::{quote, PyFloat};
use ::serde::ser::{self, Serialize};
use ::serde_json::Error;
use std::io::{Result as Io, Write};

/// Python's `json.dumps(value, sort_keys=True)`.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
    let mut out = Vec::new();
    let mut writer = ::serde_json::Serializer::with_formatter(&mut out, Py);
    let written = value.serialize(Finite).and_then(|()| ::serde_json::to_value(value)).and_then(|mut value| {
        value.sort_all_objects();
        value.serialize(&mut writer)
    });
    written.map_err(|error| format!("cannot serialize the value as JSON: {error}"))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Python's `json.loads`, as serde_json reads it.
pub fn from_json<T: ::serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let type_name = std::any::type_name::<T>();
    ::serde_json::from_str(text).map_err(|error| format!("expected {type_name} as JSON, got {}: {error}", quote(text)))
}

struct Py;

impl ::serde_json::ser::Formatter for Py {
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> Io<()> {
        w.write_all(if first { b"" } else { b", " })
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> Io<()> {
        self.begin_array_value(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> Io<()> {
        w.write_all(b": ")
    }

    fn write_f64<W: ?Sized + Write>(&mut self, w: &mut W, value: f64) -> Io<()> {
        w.write_all(value.to_py_string().as_bytes())
    }

    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, text: &str) -> Io<()> {
        if text.is_ascii() && !text.contains('\x7f') {
            return w.write_all(text.as_bytes()); // fast, even in debug builds
        }
        text.chars().try_for_each(|c| match c {
            ' '..='~' => w.write_all(&[c as u8]),
            _ => c.encode_utf16(&mut [0; 2]).iter().try_for_each(|u| write!(w, "\\u{u:04x}")),
        })
    }
}

// Refuses NaN and infinities, which `to_value` would turn into null.
struct Finite;

type Check = Result<(), Error>;

macro_rules! finite {
    ([$($trait:ident $($method:ident($($a:ty),*))*;)*] $($skip:ident($($b:ty),*))*;
     $($inner:ident($($c:ty),*))*; $($compound:ident($($d:ty),*))*) => {
        $(impl ser::$trait for Finite {
            type Ok = ();
            type Error = Error;
            $(fn $method<T: Serialize + ?Sized>(&mut self, $(_: $a,)* v: &T) -> Check { v.serialize(Finite) })*
            fn end(self) -> Check { Ok(()) }
        })*

        impl ser::Serializer for Finite {
            type Ok = ();
            type Error = Error;
            $(type $trait = Self;)*

            fn serialize_f64(self, v: f64) -> Check {
                let error = || ser::Error::custom(format!("NaN/Infinity cannot be passed as JSON (got {v})"));
                v.is_finite().then_some(()).ok_or_else(error)
            }
            fn serialize_f32(self, v: f32) -> Check { self.serialize_f64(v.into()) }
            $(fn $skip(self, $(_: $b),*) -> Check { Ok(()) })*
            $(fn $inner<T: Serialize + ?Sized>(self, $(_: $c,)* v: &T) -> Check { v.serialize(self) })*
            $(fn $compound(self, $(_: $d),*) -> Result<Self, Error> { Ok(self) })*
        }
    };
}

finite! {
    [SerializeSeq serialize_element(); SerializeTuple serialize_element(); SerializeTupleStruct serialize_field();
    SerializeTupleVariant serialize_field(); SerializeStruct serialize_field(&str);
    SerializeStructVariant serialize_field(&str); SerializeMap serialize_key() serialize_value();]
    serialize_bool(bool) serialize_i8(i8) serialize_i16(i16) serialize_i32(i32) serialize_i64(i64)
    serialize_i128(i128) serialize_u8(u8) serialize_u16(u16) serialize_u32(u32) serialize_u64(u64)
    serialize_u128(u128) serialize_char(char) serialize_str(&str) serialize_bytes(&[u8]) serialize_none()
    serialize_unit() serialize_unit_struct(&str) serialize_unit_variant(&str, u32, &str);
    serialize_some() serialize_newtype_struct(&str) serialize_newtype_variant(&str, u32, &str);
    serialize_seq(Option<usize>) serialize_tuple(usize) serialize_tuple_struct(&str, usize)
    serialize_tuple_variant(&str, u32, &str, usize) serialize_map(Option<usize>) serialize_struct(&str, usize)
    serialize_struct_variant(&str, u32, &str, usize)
}

// piece: artifact_uris needs json
/// The URIs of input `name`'s list of artifacts in kfp's executor input (`ExecutorInput` in
/// protobuf's JSON form: `inputs.artifacts.<name>.artifacts[].uri`), in order; `None` when the
/// executor input has no such input (a task left it out).
pub fn artifact_uris(executor_input: &str, name: &str) -> Result<Option<Vec<String>>, String> {
    let input: ::serde_json::Value = from_json(executor_input)?;
    let Some(given) = input.pointer(&format!("/inputs/artifacts/{name}")) else { return Ok(None) };
    let listed = given.get("artifacts").and_then(|list| list.as_array()).map_or(&[][..], |list| list.as_slice());
    let uri = |artifact: &::serde_json::Value| artifact.get("uri").and_then(|uri| uri.as_str()).map(str::to_owned);
    listed
        .iter()
        .map(|artifact| uri(artifact).ok_or(format!("an artifact of the list has no uri: {artifact}")))
        .collect::<Result<_, _>>()
        .map(Some)
}
