//! Pod checks: containers, sidecars and init containers, their resource quantities
//! (Kubernetes' grammar) and volume mounts.

use super::*;

/// Kubernetes' quantity grammar: `[+-]?(\d+(\.\d*)?|\.\d+)` then nothing, a binary suffix
/// (`Ki`..`Ei`), a decimal one (`n u m k M G T P E`) or an exponent (`e3`, `E-2`).
fn is_quantity(s: &str) -> bool {
    pub(super) fn digits(s: &str) -> (usize, &str) {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        (n, &s[n..])
    }
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (whole, rest) = digits(s);
    let (fraction, suffix) = match rest.strip_prefix('.') {
        Some(after) => digits(after),
        None => (0, rest),
    };
    if whole + fraction == 0 {
        return false;
    }
    match suffix {
        "" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" => true,
        _ => suffix.strip_prefix(['e', 'E']).is_some_and(|exponent| {
            let (n, rest) = digits(exponent.strip_prefix(['+', '-']).unwrap_or(exponent));
            n > 0 && rest.is_empty()
        }),
    }
}

/// A quantity below zero (`-1`, `-0.5Gi`; not `-0`), which Kubernetes refuses as a resource amount.
fn is_negative(quantity: &str) -> bool {
    quantity.strip_prefix('-').is_some_and(|magnitude| {
        magnitude.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').any(|b| (b'1'..=b'9').contains(&b))
    })
}

impl<'a> Checker<'a> {
    /// Containers, sidecars and init containers: images, names, volume mounts.
    pub(super) fn check_pod(&mut self, base: &str, t: &Template) {
        let mut volumes: HashSet<&str> = HashSet::new();
        for (k, v) in t.volumes.iter().enumerate() {
            if !volumes.insert(v.name.as_str()) {
                self.report(
                    format!("{base}.volumes[{k}].name"),
                    format!("volume `{}` is declared twice in this template", v.name),
                );
            }
        }
        if let Some(c) = &t.container {
            if c.image.as_deref().unwrap_or("").is_empty() {
                self.report(format!("{base}.container.image"), "is missing: give the container image");
            }
            self.check_resources(&format!("{base}.container"), c.resources.as_ref());
            self.check_mounts(
                base,
                ".container",
                c.volume_mounts.as_deref().unwrap_or(&[]),
                &volumes,
                Some(&t.inputs.artifacts),
            );
        }
        if let Some(s) = &t.script {
            if s.image.as_deref().unwrap_or("").is_empty() {
                self.report(format!("{base}.script.image"), "is missing: give the container image");
            }
            self.check_resources(&format!("{base}.script"), s.resources.as_ref());
            self.check_mounts(
                base,
                ".script",
                s.volume_mounts.as_deref().unwrap_or(&[]),
                &volumes,
                Some(&t.inputs.artifacts),
            );
        }
        if t.init_containers.is_empty() && t.sidecars.is_empty() {
            return;
        }
        let mut names: HashSet<&str> = ["main", "wait", "init"].into_iter().collect();
        for (field, list) in [("initContainers", &t.init_containers), ("sidecars", &t.sidecars)] {
            for (k, c) in list.iter().enumerate() {
                self.check_user_container(&format!("{base}.{field}[{k}]"), c, &mut names, &volumes);
            }
        }
    }

    pub(super) fn check_user_container<'c>(
        &mut self,
        path: &str,
        c: &'c UserContainer,
        names: &mut HashSet<&'c str>,
        volumes: &HashSet<&str>,
    ) {
        if c.name.is_empty() {
            self.report(format!("{path}.name"), "is missing: name the container");
        } else if !dns_label_ok(&c.name) {
            self.report(
                format!("{path}.name"),
                format!("`{}` is not a valid container name: use at most 63 lowercase letters, digits and '-'", c.name),
            );
        } else if !names.insert(c.name.as_str()) {
            self.report(
                format!("{path}.name"),
                format!(
                    "container name `{}` is already used in this pod (`main`, `wait` and `init` are Argo's)",
                    c.name
                ),
            );
        }
        if c.image.as_deref().unwrap_or("").is_empty() {
            self.report(format!("{path}.image"), "is missing: give the container image");
        }
        self.check_resources(path, c.resources.as_ref());
        self.check_mounts(path, "", c.volume_mounts.as_deref().unwrap_or(&[]), volumes, None);
    }

    /// Every limit and request of the container at `path` is a Kubernetes quantity;
    /// Kubernetes would otherwise refuse the pod. A `{{...}}` tag is no quantity either:
    /// Argo reads the amounts as quantities when it loads the Workflow, before it fills
    /// tags in, so a run-time amount belongs in the template's `podSpecPatch`.
    pub(super) fn check_resources(&mut self, path: &str, resources: Option<&ResourceRequirements>) {
        let Some(resources) = resources else { return };
        for (field, amounts) in [("limits", &resources.limits), ("requests", &resources.requests)] {
            for (key, Quantity(value)) in amounts.iter().flatten() {
                let path = || keyed(&format!("{path}.resources.{field}"), key);
                if tags(value).next().is_some() {
                    self.report(
                        path(),
                        format!(
                            "{value:?} ({key}) holds a pipeline value where Argo reads a Kubernetes quantity before filling values in: make the whole amount one pipeline value (a parameter or task output such as \"4Gi\") and pass it to the setter (`set_memory_limit(size.output())`), which writes it into the template's podSpecPatch"
                        ),
                    );
                } else if !is_quantity(value) {
                    self.report(
                        path(),
                        format!(
                            "{value:?} ({key}) is not a Kubernetes quantity: write a number with an optional suffix, such as 512Mi, 2G, 500m or 1.5"
                        ),
                    );
                } else if is_negative(value) {
                    self.report(
                        path(),
                        format!("{value:?} ({key}) is negative: Kubernetes refuses it; write 0 or more"),
                    );
                }
            }
        }
    }

    /// The mounts are at `{base}{field}`, written only for a violation.
    pub(super) fn check_mounts(
        &mut self,
        base: &str,
        field: &str,
        mounts: &[VolumeMount],
        volumes: &HashSet<&str>,
        artifacts: Option<&[Artifact]>,
    ) {
        let mut paths: HashMap<&str, usize> = HashMap::new();
        for (k, m) in mounts.iter().enumerate() {
            if !volumes.contains(m.name.as_str()) && !self.spec_volumes.contains(m.name.as_str()) {
                self.report(
                    format!("{base}{field}.volumeMounts[{k}].name"),
                    format!(
                        "mounts volume `{}`, which neither the template's nor the workflow's volumes declare",
                        m.name
                    ),
                );
            }
            if let Some(prev) = paths.insert(m.mount_path.as_str(), k) {
                self.report(
                    format!("{base}{field}.volumeMounts[{k}].mountPath"),
                    format!("`{}` is already mounted by volumeMounts[{prev}]", m.mount_path),
                );
            }
        }
        for (k, a) in artifacts.unwrap_or(&[]).iter().enumerate() {
            if let Some(p) = &a.path {
                if let Some(prev) = paths.get(p.as_str()) {
                    self.report(
                        format!("{base}{field}.volumeMounts[{prev}].mountPath"),
                        format!("`{p}` is also the path of input artifact `{}` (inputs.artifacts[{k}]): use different paths", a.name),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_negative, is_quantity};

    #[test]
    fn quantities_follow_the_kubernetes_grammar() {
        for ok in ["1", "1.5", "1.", ".5", "+2", "-2", "500m", "512Mi", "2G", "1E", "1e3", "1E-2", "0.5Ki", "100n"] {
            assert!(is_quantity(ok), "{ok}");
        }
        for bad in
            ["", "lots", "fast", "1 G", "1g", "1Gb", "1KI", "1e", "1e+", ".", "+", "1.5.5", "Mi", " 1", "1²", "1Mi "]
        {
            assert!(!is_quantity(bad), "{bad}");
        }
        for (quantity, negative) in
            [("-1", true), ("-0.5Gi", true), ("-.1", true), ("-0", false), ("-0.0e3", false), ("1", false)]
        {
            assert_eq!(is_negative(quantity), negative, "{quantity}");
        }
    }
}
