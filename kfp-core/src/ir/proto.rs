//! Protobuf's JSON mapping for the scalar fields serde does not read that way itself.
//!
//! A proto3 scalar that is not `optional` has no presence: its default (`""`, `0`, `false`,
//! the enum's zero value) is the same as leaving it out, so the model keeps it as a plain
//! value and writes it only when it is not the default, as protobuf's `MessageToDict` does.
//! On read, protobuf's parser takes an integer as a number or a string (`3` or `"3"`) and a
//! double as a number or a string (`"NaN"`, `"Infinity"` included); int64 is written as a
//! string, int32 and double as numbers.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serializer};

/// True when `value` is its type's default: such a proto3 field is not written.
pub(crate) fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// A JSON number or string read as an integer, as protobuf's JSON parser accepts it.
struct ProtoInt(i64);

impl<'de> Deserialize<'de> for ProtoInt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ProtoInt;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer (a number or a string of digits)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ProtoInt, E> {
                Ok(ProtoInt(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ProtoInt, E> {
                i64::try_from(v).map(ProtoInt).map_err(|_| E::custom(format!("{v} is out of the range of int64")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ProtoInt, E> {
                // Protobuf takes `3.0` for an integer field, not `3.5`.
                if v.fract() == 0.0 && v.abs() < 9.2e18 {
                    Ok(ProtoInt(v as i64))
                } else {
                    Err(E::custom(format!("{v} is not an integer")))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ProtoInt, E> {
                match v.parse::<i64>() {
                    Ok(n) => Ok(ProtoInt(n)),
                    Err(_) => match v.parse::<f64>() {
                        Ok(f) => self.visit_f64(f),
                        Err(_) => Err(E::custom(format!("{v:?} is not an integer"))),
                    },
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A JSON number or string read as a double, as protobuf's JSON parser accepts it.
struct ProtoDouble(f64);

impl<'de> Deserialize<'de> for ProtoDouble {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ProtoDouble;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number (or a string of one)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ProtoDouble, E> {
                Ok(ProtoDouble(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ProtoDouble, E> {
                Ok(ProtoDouble(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ProtoDouble, E> {
                Ok(ProtoDouble(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ProtoDouble, E> {
                match v {
                    "NaN" => Ok(ProtoDouble(f64::NAN)),
                    "Infinity" => Ok(ProtoDouble(f64::INFINITY)),
                    "-Infinity" => Ok(ProtoDouble(f64::NEG_INFINITY)),
                    _ => v.parse().map(ProtoDouble).map_err(|_| E::custom(format!("{v:?} is not a number"))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// An `int64` field: written as a string, read from a number or a string.
pub(crate) mod int64 {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(value: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        Ok(ProtoInt::deserialize(d)?.0)
    }

    /// An `optional int64` (or a oneof member).
    pub(crate) mod opt {
        use super::*;

        pub(crate) fn serialize<S: Serializer>(value: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => s.collect_str(value),
                None => s.serialize_none(),
            }
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
            Ok(Some(ProtoInt::deserialize(d)?.0))
        }
    }
}

/// An `int32` field: written as a number, read from a number or a string.
pub(crate) mod int32 {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(value: &i32, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(*value)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
        let n = ProtoInt::deserialize(d)?.0;
        i32::try_from(n).map_err(|_| de::Error::custom(format!("{n} is out of the range of int32")))
    }

    /// An `optional int32`.
    pub(crate) mod opt {
        use super::*;

        pub(crate) fn serialize<S: Serializer>(value: &Option<i32>, s: S) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => s.serialize_i32(*value),
                None => s.serialize_none(),
            }
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
            super::deserialize(d).map(Some)
        }
    }
}

/// A `double` field: written as a number (`"NaN"`, `"Infinity"` as strings), read from a
/// number or a string.
pub(crate) mod double {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
        if value.is_nan() {
            s.serialize_str("NaN")
        } else if value.is_infinite() {
            s.serialize_str(if *value > 0.0 { "Infinity" } else { "-Infinity" })
        } else {
            s.serialize_f64(*value)
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(ProtoDouble::deserialize(d)?.0)
    }

    /// A `double` oneof member.
    pub(crate) mod opt {
        use super::*;

        pub(crate) fn serialize<S: Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, s),
                None => s.serialize_none(),
            }
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
            super::deserialize(d).map(Some)
        }
    }
}

/// A `google.protobuf.Value` field: present even when it is `null` (serde would read a
/// `null` as `None`).
pub(crate) fn present_value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(d).map(Some)
}
