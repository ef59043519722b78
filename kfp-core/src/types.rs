//! How Rust types travel through a pipeline: their kfp type names and wire form.
//!
//! A component's inputs and outputs are typed in Rust; [`KfpType`] maps each
//! type to the name kfp writes in `component.yaml` (`Integer`, `Float`, ...) and
//! to the text kfp passes on the command line. Values may flow between Rust
//! types of the same kfp type ([`KfpType::Family`]), as they do in kfp: an `i32`
//! output feeds an `i64` input, a `String` output never does.

use std::collections::{BTreeMap, HashMap};

use crate::wire::{json, support, support::PyFloat};

/// The kfp type families; values flow only within one family.
pub mod family {
    /// kfp `String`.
    pub enum String {}
    /// kfp `Integer`.
    pub enum Integer {}
    /// kfp `Float`.
    pub enum Float {}
    /// kfp `Boolean`.
    pub enum Boolean {}
    /// kfp `JsonArray`.
    pub enum JsonArray {}
    /// kfp `JsonObject`.
    pub enum JsonObject {}
    /// A file artifact (untyped).
    pub enum Artifact {}
    /// kfp `Dataset` files.
    pub enum Dataset {}
    /// kfp `Model` files.
    pub enum Model {}
    /// kfp `Metrics` files.
    pub enum Metrics {}
    /// kfp `ClassificationMetrics` files.
    pub enum ClassificationMetrics {}
    /// kfp `SlicedClassificationMetrics` files.
    pub enum SlicedClassificationMetrics {}
    /// kfp `HTML` files.
    pub enum Html {}
    /// kfp `Markdown` files.
    pub enum Markdown {}
    /// No kfp type: feeds and is fed by every family, as kfp skips the type
    /// check when either side is untyped.
    pub enum Untyped {}
}

/// How a value of a kfp type is read and written by the component program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Passed as is.
    String,
    /// Passed as is, without a kfp type ([`Untyped`]).
    Untyped,
    /// Decimal integer, parsed like Python's `int()`.
    Integer,
    /// Python `str(float)` form, parsed like `float()`.
    Float,
    /// `True`/`False`, parsed like `strtobool`.
    Boolean,
    /// JSON, written like `json.dumps(sort_keys=True)`.
    Json,
    /// A file: passed by path, never by value.
    Artifact,
}

impl Kind {
    /// Whether the component program reads `text` as a value of this kind; the
    /// error is what it would say on the cluster (`three` for an Integer).
    pub fn check_text(self, text: &str) -> Result<(), String> {
        match self {
            // As the program: beyond i64 or u64 is still a valid integer to kfp (Python's `int()`).
            Kind::Integer => support::parse_int::<i128>(text)
                .map(drop)
                .or_else(|error| support::parse_int::<u128>(text).map(drop).map_err(|_| error)),
            Kind::Float => support::parse_float::<f64>(text).map(drop),
            Kind::Boolean => support::parse_bool(text).map(drop),
            Kind::Json => serde_json::from_str::<serde_json::Value>(text).map(drop).map_err(|error| error.to_string()),
            Kind::String | Kind::Untyped | Kind::Artifact => Ok(()),
        }
    }
}

/// A Rust type that can be a component input or output, or a pipeline parameter.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a kfp type",
    label = "not a kfp type",
    note = "kfp types are integers, floats, bool, String, Vec<T>, maps with String keys (BTreeMap, HashMap), serde_json::Value and `#[derive(kfp::JsonObject)]` types; see the kfp-rs README, section \"Types\""
)]
pub trait KfpType: 'static {
    /// The kfp type name written in `component.yaml` (`Integer`, `JsonArray`, ...).
    const TYPE_NAME: &'static str;
    /// How the component program reads and writes it.
    const KIND: Kind;
    /// Types of one family are interchangeable when wiring tasks.
    type Family;
    /// The value as kfp passes it on a command line (see KFP-CONVENTIONS).
    fn to_kfp_string(&self) -> String;

    /// Reads the value as the component program does (Python's `int()` and
    /// `float()`, kfp's `strtobool`, `json.loads`), with the same wire code.
    fn from_kfp_str(text: &str) -> Result<Self, String>
    where
        Self: Sized;

    /// The value as the component program writes it to an output file; unlike
    /// [`to_kfp_string`](KfpType::to_kfp_string), a value JSON cannot hold is an error.
    fn to_kfp_output(&self) -> Result<String, String> {
        Ok(self.to_kfp_string())
    }
}

macro_rules! integer_types {
    ($($t:ty)*) => {$(
        impl KfpType for $t {
            const TYPE_NAME: &'static str = "Integer";
            const KIND: Kind = Kind::Integer;
            type Family = family::Integer;
            fn to_kfp_string(&self) -> String {
                self.to_string()
            }
            fn from_kfp_str(text: &str) -> Result<Self, String> {
                support::parse_int(text)
            }
        }
    )*};
}
integer_types!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize);

macro_rules! float_types {
    ($($t:ty)*) => {$(
        impl KfpType for $t {
            const TYPE_NAME: &'static str = "Float";
            const KIND: Kind = Kind::Float;
            type Family = family::Float;
            fn to_kfp_string(&self) -> String {
                self.to_py_string()
            }
            fn from_kfp_str(text: &str) -> Result<Self, String> {
                support::parse_float(text)
            }
        }
    )*};
}
float_types!(f32 f64);

impl KfpType for bool {
    const TYPE_NAME: &'static str = "Boolean";
    const KIND: Kind = Kind::Boolean;
    type Family = family::Boolean;
    fn to_kfp_string(&self) -> String {
        support::format_bool(*self).to_owned()
    }
    fn from_kfp_str(text: &str) -> Result<Self, String> {
        support::parse_bool(text)
    }
}

impl KfpType for String {
    const TYPE_NAME: &'static str = "String";
    const KIND: Kind = Kind::String;
    type Family = family::String;
    fn to_kfp_string(&self) -> String {
        self.clone()
    }
    fn from_kfp_str(text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }
}

pub use crate::wire::support::Untyped;

impl KfpType for Untyped {
    const TYPE_NAME: &'static str = "";
    const KIND: Kind = Kind::Untyped;
    type Family = family::Untyped;
    fn to_kfp_string(&self) -> String {
        self.0.clone()
    }
    fn from_kfp_str(text: &str) -> Result<Self, String> {
        Ok(Untyped(text.to_owned()))
    }
}

/// JSON text of a value; serde failures (a map with non-string keys) become
/// the error text itself so nothing panics; the compiler reports it.
pub(crate) fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    json::to_json(value).unwrap_or_else(|error| format!("<not JSON: {error}>"))
}

// Values of JSON types are read back (`from_kfp_str`) in-process as in the
// container, so their items must deserialize too.
impl<T: serde::Serialize + serde::de::DeserializeOwned + 'static> KfpType for Vec<T> {
    const TYPE_NAME: &'static str = "JsonArray";
    const KIND: Kind = Kind::Json;
    type Family = family::JsonArray;
    fn to_kfp_string(&self) -> String {
        json_text(self)
    }
    fn from_kfp_str(text: &str) -> Result<Self, String> {
        json::from_json(text)
    }
    fn to_kfp_output(&self) -> Result<String, String> {
        json::to_json(self)
    }
}

impl<V: serde::Serialize + serde::de::DeserializeOwned + 'static> KfpType for BTreeMap<String, V> {
    const TYPE_NAME: &'static str = "JsonObject";
    const KIND: Kind = Kind::Json;
    type Family = family::JsonObject;
    fn to_kfp_string(&self) -> String {
        json_text(self)
    }
    fn from_kfp_str(text: &str) -> Result<Self, String> {
        json::from_json(text)
    }
    fn to_kfp_output(&self) -> Result<String, String> {
        json::to_json(self)
    }
}

impl<V, S> KfpType for HashMap<String, V, S>
where
    V: serde::Serialize + serde::de::DeserializeOwned + 'static,
    S: std::hash::BuildHasher + Default + 'static,
{
    const TYPE_NAME: &'static str = "JsonObject";
    const KIND: Kind = Kind::Json;
    type Family = family::JsonObject;
    fn to_kfp_string(&self) -> String {
        json_text(self)
    }
    fn from_kfp_str(text: &str) -> Result<Self, String> {
        json::from_json(text)
    }
    fn to_kfp_output(&self) -> Result<String, String> {
        json::to_json(self)
    }
}

impl KfpType for serde_json::Value {
    const TYPE_NAME: &'static str = "JsonObject";
    const KIND: Kind = Kind::Json;
    type Family = family::JsonObject;
    fn to_kfp_string(&self) -> String {
        json_text(self)
    }
    fn from_kfp_str(text: &str) -> Result<Self, String> {
        json::from_json(text)
    }
    fn to_kfp_output(&self) -> Result<String, String> {
        json::to_json(self)
    }
}

pub use crate::wire::support::artifacts::{
    self, Artifact, ClassificationMetrics, Dataset, Html, Markdown, Metrics, Model, SlicedClassificationMetrics,
};

/// Calls macro `$callback` with kfp's artifact types, the untyped `Artifact` first, each as
/// `Marker "type name" "list item"`: its marker type, its kfp type name (empty for the untyped
/// file) and its name as the item of a list of artifacts (`List[Artifact]`). The one list of them,
/// which every impl and check over the artifact types takes.
macro_rules! for_each_artifact_type {
    ($callback:ident) => {
        $callback! {
            Artifact "" "Artifact",
            Dataset "Dataset" "Dataset",
            Model "Model" "Model",
            Metrics "Metrics" "Metrics",
            ClassificationMetrics "ClassificationMetrics" "ClassificationMetrics",
            SlicedClassificationMetrics "SlicedClassificationMetrics" "SlicedClassificationMetrics",
            Html "HTML" "HTML",
            Markdown "Markdown" "Markdown"
        }
    };
}
pub(crate) use for_each_artifact_type;

// A file artifact has no value to pass on a command line: it is passed by path.
macro_rules! artifact_types {
    ($($marker:ident $type_name:literal $list_item:literal),*) => {$(
        impl KfpType for $marker {
            const TYPE_NAME: &'static str = $type_name;
            const KIND: Kind = Kind::Artifact;
            type Family = family::$marker;
            fn to_kfp_string(&self) -> String {
                match *self {}
            }
            fn from_kfp_str(_: &str) -> Result<Self, String> {
                Err("a file artifact is passed by path, not by value".to_owned())
            }
        }
    )*};
}

// `Artifact` is the untyped file (`OutputPath` without a type); the others are kfp's
// artifact types, each its own family.
for_each_artifact_type!(artifact_types);

/// What the compiler needs to know of a Rust type, captured as data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeInfo {
    /// kfp type name; empty for untyped artifacts.
    pub type_name: &'static str,
    /// Wire form.
    pub kind: Kind,
}

impl TypeInfo {
    /// The info of `T`.
    pub fn of<T: KfpType>() -> Self {
        TypeInfo { type_name: T::TYPE_NAME, kind: T::KIND }
    }
}
