//! `-p NAME=VALUE` of `run-local` and `run create`. `NAME=@FILE` takes the
//! value from a file, as curl's `-d @FILE` does: a value too large for a
//! command line. The value is the file's text less one trailing newline, as
//! Argo reads an output parameter's file. `NAME=@@TEXT` is the value `@TEXT`,
//! for the rare value that starts with `@`.

/// The parameter's name and value; an error says what to write instead.
pub(crate) fn parse(text: &str) -> Result<(String, String), String> {
    let (name, value) = match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => (name.trim(), value),
        _ => {
            return Err(format!(
                "--param `{text}`: write it as NAME=VALUE, e.g. --param value_1=3, or NAME=@FILE to read the value from a file"
            ))
        }
    };
    let value = match value.strip_prefix('@') {
        None => value.to_owned(),
        Some(escaped) if escaped.starts_with('@') => escaped.to_owned(),
        Some("") => {
            return Err(format!(
                "--param {name}=@: name the file to read after the @ (or write {name}=@@ for the value `@`)"
            ))
        }
        Some(path) => read(name, path)?,
    };
    Ok((name.to_owned(), value))
}

/// The text of `path`, less one trailing newline (`echo 3 > n.txt` gives `3`).
fn read(name: &str, path: &str) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|error| {
        format!(
            "--param {name}=@{path}: cannot read {path}: {error} (a value starting with @ names a file; write @@ for a value that starts with @)"
        )
    })?;
    let mut text = String::from_utf8(bytes).map_err(|error| {
        format!(
            "--param {name}=@{path}: {path} is not UTF-8 text (byte {} is not): a parameter value is text; pass binary data as an artifact",
            error.utf8_error().valid_up_to()
        )
    })?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn values_files_and_the_escape() {
        assert_eq!(parse("a=3").unwrap(), ("a".to_owned(), "3".to_owned()));
        assert_eq!(parse("a=x=y").unwrap().1, "x=y");
        assert_eq!(parse("a=").unwrap().1, "");
        assert_eq!(parse("a=@@home").unwrap().1, "@home");
        assert_eq!(parse("a=@@").unwrap().1, "@");
        let path = std::env::temp_dir().join(format!("kfp-param-{}.txt", std::process::id()));
        std::fs::write(&path, "héllo\n\n").unwrap();
        assert_eq!(parse(&format!("a=@{}", path.display())).unwrap().1, "héllo\n");
        std::fs::write(&path, "3\r\n").unwrap();
        assert_eq!(parse(&format!("a=@{}", path.display())).unwrap().1, "3");
        std::fs::write(&path, [b'o', b'k', 0xff]).unwrap();
        let binary = parse(&format!("a=@{}", path.display())).unwrap_err();
        assert!(binary.contains("is not UTF-8 text (byte 2 is not)"), "{binary}");
        std::fs::remove_file(&path).unwrap();
        let missing = parse(&format!("a=@{}", path.display())).unwrap_err();
        assert!(missing.contains("cannot read") && missing.contains("write @@"), "{missing}");
        assert!(parse("a=@").unwrap_err().contains("name the file"));
        assert!(parse("=3").unwrap_err().contains("write it as NAME=VALUE"));
        assert!(parse("a").unwrap_err().contains("write it as NAME=VALUE"));
    }
}
