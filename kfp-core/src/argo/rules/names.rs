//! Name rules (templates, tasks, steps, parameters, DNS-1123 names, Kubernetes labels and
//! annotations) and the checks of the workflow's own metadata.

use super::*;

/// `[a-zA-Z0-9][-a-zA-Z0-9]*`, at most 128 characters (template, task and step names).
pub(super) fn field_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("the name is empty".into());
    }
    let mut problems = Vec::new();
    if name.len() > MAX_FIELD_NAME_LEN {
        problems.push(format!("is {} characters long, more than {MAX_FIELD_NAME_LEN}", name.len()));
    }
    let first_ok = name.as_bytes()[0].is_ascii_alphanumeric();
    let rest_ok = name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !first_ok || !rest_ok {
        problems.push("must consist of ASCII letters, digits and '-', and start with a letter or digit".into());
    }
    if problems.is_empty() {
        None
    } else {
        Some(format!("name `{name}` {}", problems.join(", and ")))
    }
}

/// `[-a-zA-Z0-9_]+` (parameter and artifact names).
pub(super) fn param_name_ok(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// One DNS-1123 label: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`.
pub(super) fn dns_label_ok(label: &str) -> bool {
    let b = label.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
        && b.iter().all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

/// DNS-1123 subdomain: labels separated by '.', at most 253 characters.
pub(super) fn dns_subdomain_ok(name: &str) -> bool {
    !name.is_empty() && name.len() <= 253 && name.split('.').all(dns_label_ok)
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 characters (label values may be
/// empty; the name part of a key may not).
pub(super) fn label_value_ok(value: &str) -> bool {
    if value.is_empty() {
        return true;
    }
    let b = value.as_bytes();
    b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.')
}

/// A Kubernetes qualified name (label and annotation keys): `[prefix/]name`.
pub(super) fn qualified_name_problem(key: &str) -> Option<String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix {
        if !dns_subdomain_ok(p) {
            return Some(format!(
                "the prefix `{p}` must be a DNS subdomain (lowercase letters, digits, '-' and '.', at most 253 characters)"
            ));
        }
    }
    if name.is_empty() || !label_value_ok(name) {
        return Some(format!(
            "the name part `{name}` must be 1 to 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
        ));
    }
    None
}

impl<'a> Checker<'a> {
    pub(super) fn check_object_meta(&mut self) {
        let meta = &self.wf.metadata;
        match (&meta.name, &meta.generate_name) {
            (None, None) => {
                self.report("metadata", "has neither `name` nor `generateName`: set `generateName: <pipeline-name>-`")
            }
            (Some(name), _) => {
                if name.len() > MAX_NAME_LEN || !dns_subdomain_ok(name) {
                    self.report(
                        "metadata.name",
                        format!(
                            "`{name}` is not a valid workflow name: use at most {MAX_NAME_LEN} lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"
                        ),
                    );
                }
            }
            (None, Some(prefix)) => {
                let masked = match prefix.strip_suffix('-') {
                    Some(p) => format!("{p}-a"),
                    None => prefix.clone(),
                };
                if !dns_subdomain_ok(&masked) {
                    self.report(
                        "metadata.generateName",
                        format!(
                            "`{prefix}` is not a valid name prefix: use lowercase letters, digits, '-' and '.', starting with a letter or digit"
                        ),
                    );
                } else if prefix.len() > MAX_GENERATE_NAME_LEN {
                    self.report(
                        "metadata.generateName",
                        format!(
                            "`{prefix}` is {} characters long; Kubernetes appends 5 characters to it and names are limited to {MAX_NAME_LEN}, so use at most {MAX_GENERATE_NAME_LEN} (shorten the pipeline name)",
                            prefix.len()
                        ),
                    );
                }
            }
        }
        if let Some(labels) = &meta.labels {
            self.check_labels(&|| "metadata.labels".to_owned(), labels.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        if let Some(annotations) = &meta.annotations {
            let annotations = annotations.iter().map(|(k, v)| (k.as_str(), v.as_str()));
            self.check_annotations(&|| "metadata.annotations".to_owned(), annotations);
        }
    }

    /// `base` writes where the labels are, for a violation.
    pub(super) fn check_labels<'m>(
        &mut self,
        base: &dyn Fn() -> String,
        labels: impl Iterator<Item = (&'m str, &'m str)>,
    ) {
        for (k, v) in labels {
            if let Some(problem) = self.key_problem(k) {
                self.report(keyed(&base(), k), format!("invalid label key `{k}`: {problem}"));
            }
            if find_pair(v, b'{').is_none() && !label_value_ok(v) {
                self.report(
                    keyed(&base(), k),
                    format!(
                        "invalid label value `{v}`: use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (or an empty value)"
                    ),
                );
            }
        }
    }

    /// `base` writes where the annotations are, for a violation.
    pub(super) fn check_annotations<'m>(
        &mut self,
        base: &dyn Fn() -> String,
        annotations: impl Iterator<Item = (&'m str, &'m str)>,
    ) {
        let mut total = 0usize;
        for (k, v) in annotations {
            total += k.len() + v.len();
            if let Some(problem) = self.key_problem(k) {
                self.report(keyed(&base(), k), format!("invalid annotation key `{k}`: {problem}"));
            }
        }
        if total > MAX_ANNOTATIONS_BYTES {
            self.report(
                base(),
                format!(
                    "annotations total {total} bytes, more than Kubernetes' limit of {MAX_ANNOTATIONS_BYTES} (256 KiB) per object: make them smaller (e.g. shorter component specs)"
                ),
            );
        }
    }

    pub(super) fn check_pod_metadata(&mut self, base: &dyn Fn() -> String, meta: &Metadata) {
        self.check_labels(&|| format!("{}.labels", base()), meta.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let annotations = meta.annotations.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        self.check_annotations(&|| format!("{}.annotations", base()), annotations);
    }
}
