//! The `multipart/form-data` body of the upload calls: one file field.

use std::path::Path;

use super::transport::Body;
use super::ClientError;

/// A form with one file.
pub(super) struct Form {
    boundary: String,
    bytes: Vec<u8>,
}

impl Form {
    /// A form whose field `field` holds the file at `path`.
    pub(super) fn file(field: &str, path: &Path) -> Result<Form, ClientError> {
        let content = std::fs::read(path).map_err(|source| ClientError::Io { path: path.to_owned(), source })?;
        let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        // A boundary that cannot occur in the content: grow it until it does not.
        let mut boundary = String::from("kfp-rs-boundary-7d3c1f");
        while contains(&content, boundary.as_bytes()) {
            boundary.push('x');
        }
        let mut bytes = Vec::with_capacity(content.len() + 256);
        bytes.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        bytes.extend_from_slice(
            format!(
                "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\n",
                quoted(field),
                quoted(&file_name)
            )
            .as_bytes(),
        );
        bytes.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
        bytes.extend_from_slice(&content);
        bytes.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        Ok(Form { boundary, bytes })
    }

    pub(super) fn into_body(self) -> Body {
        Body::Bytes { content_type: format!("multipart/form-data; boundary={}", self.boundary), bytes: self.bytes }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// A form-data parameter value: quotes and line breaks percent-encoded, as browsers do.
fn quoted(text: &str) -> String {
    text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}
