//! `packages_to_install` and the JSON crates are pinned to this repository's
//! Cargo.lock (the lock these tests are built with), and the program builds
//! from the Cargo.toml and Cargo.lock its container command writes, with no
//! network (`CARGO_NET_OFFLINE=true`, crates from the local cargo cache), to
//! those very versions.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use kfp::prelude::*;

/// The names of a YAML mapping's keys, read with serde_yaml (a dependency of this crate).
#[component(packages_to_install = ["serde_yaml@0.9"])]
pub fn yaml_keys(yaml: String) -> Result<Vec<String>, String> {
    let mapping: serde_yaml::Mapping = serde_yaml::from_str(&yaml).map_err(|error| error.to_string())?;
    Ok(mapping.keys().filter_map(|key| key.as_str().map(str::to_owned)).collect())
}

/// `[[package]]`s of a Cargo.lock: (name, version) -> (checksum, dependencies).
type Packages = BTreeMap<(String, String), (String, Vec<String>)>;

/// Reads the `[[package]]` tables of a Cargo.lock, which cargo writes one key a line.
fn lock_packages(text: &str) -> Packages {
    let mut packages = Packages::new();
    for table in text.split("[[package]]").skip(1) {
        let value = |key: &str| {
            table.lines().find_map(|line| line.strip_prefix(&format!("{key} = \""))).map(|v| v.trim_end_matches('"'))
        };
        let dependencies = table.split_once("dependencies = [").map_or_else(Vec::new, |(_, list)| {
            let list = &list[..list.find(']').unwrap()];
            list.split(',')
                .map(|item| item.trim().trim_matches('"').to_owned())
                .filter(|item| !item.is_empty())
                .collect()
        });
        let key = (value("name").unwrap().to_owned(), value("version").unwrap().to_owned());
        packages.insert(key, (value("checksum").unwrap_or_default().to_owned(), dependencies));
    }
    packages
}

fn repo_lock() -> Packages {
    lock_packages(&std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap())
}

/// The version of `name` in this repository's lock (the one of kfp's own dependency).
fn locked_version(lock: &Packages, name: &str) -> String {
    let versions: Vec<&String> = lock.keys().filter(|(n, _)| n == name).map(|(_, version)| version).collect();
    assert_eq!(versions.len(), 1, "one {name} in Cargo.lock");
    versions[0].clone()
}

fn command() -> Vec<String> {
    yaml_keys_component()
        .spec
        .implementation
        .container
        .literal_command()
        .expect("function components have literal commands")
        .into_iter()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_program_pins_the_versions_of_the_crates_cargo_lock() {
    let lock = repo_lock();
    let script = &command()[2];
    for line in [
        format!("serde_yaml = \"={}\"\n", locked_version(&lock, "serde_yaml")),
        format!("serde = {{ version = \"={}\", features = [\"derive\"] }}\n", locked_version(&lock, "serde")),
        format!(
            "serde_json = {{ version = \"={}\", features = [\"float_roundtrip\"] }}\n",
            locked_version(&lock, "serde_json")
        ),
    ] {
        assert!(script.contains(&line), "{line} in:\n{script}");
    }
    // The lock the program gets: packages of this one, the listed crates' dependencies among them.
    let lines = &script[script.find("<<'KFP_LOCK'\n").unwrap() + 13..script.rfind("KFP_LOCK\n").unwrap()];
    let mut names = Vec::new();
    for line in lines.lines() {
        let fields: Vec<&str> = line.splitn(5, ' ').collect();
        let (name, version, checksum) = (fields[0], fields[1], fields[3]);
        let (locked_checksum, _) = &lock[&(name.to_owned(), version.to_owned())];
        assert_eq!(checksum, locked_checksum, "{line}");
        names.push(name);
    }
    let (_, yaml_dependencies) = &lock[&("serde_yaml".to_owned(), locked_version(&lock, "serde_yaml"))];
    for name in yaml_dependencies.iter().map(String::as_str).chain(["serde_yaml", "serde", "serde_json"]) {
        assert!(names.contains(&name), "{name} in the program's lock:\n{lines}");
    }
}

#[test]
fn the_program_builds_offline_with_the_locked_versions() {
    if Command::new("cargo").arg("--version").output().is_err() {
        eprintln!("SKIPPED: cargo is not on PATH; it builds programs with crates");
        return;
    }
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pinned_packages");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let out = scratch.join("keys.json");
    let command = command();
    // As a pod runs it, offline: the crates come from this machine's cargo cache.
    let run = Command::new(&command[0])
        .args(&command[1..])
        .args(["--yaml", "zeta: 1\nalpha: 2\n", "----output-paths"])
        .arg(&out)
        .env("TMPDIR", &scratch)
        .env("CARGO_NET_OFFLINE", "true")
        // Local runs inherit the user's environment: a CARGO_TARGET_DIR must not move the binary the script runs.
        .env("CARGO_TARGET_DIR", scratch.join("elsewhere"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), r#"["zeta", "alpha"]"#);

    // The lock cargo built with: nothing resolved anew, every version this repository's.
    let program_dir = std::fs::read_dir(&scratch)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.join("Cargo.lock").is_file())
        .expect("the program's directory under TMPDIR");
    let built = lock_packages(&std::fs::read_to_string(program_dir.join("Cargo.lock")).unwrap());
    let lock = repo_lock();
    for (name, version) in built.keys().filter(|(name, _)| name != "component") {
        assert!(lock.contains_key(&(name.clone(), version.clone())), "{name} {version} is not in Cargo.lock");
    }
    assert!(built.keys().any(|(name, _)| name == "serde_yaml"));
    let _ = std::fs::remove_dir_all(&scratch);
}
