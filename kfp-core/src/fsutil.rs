//! File writing shared by everything that saves YAML.

use std::path::Path;

use crate::error::{Error, Result};

/// Writes `text` to `path`, creating the parent directories first.
pub(crate) fn write_file(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create directory", parent, e))?;
    }
    std::fs::write(path, text).map_err(|e| Error::io("write", path, e))
}
