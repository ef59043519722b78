//! The versions the user's crate is built with: `#[component]` reads the
//! Cargo.lock of the crate's workspace and pins the program's packages to it,
//! so the pod builds the code the user's tests ran.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use serde::Deserialize;

/// The `source` of crates.io packages.
const CRATES_IO: &str = "registry+https://github.com/rust-lang/crates.io-index";

#[derive(Deserialize)]
struct LockFile {
    /// Absent in the oldest formats, which read as format 3.
    version: Option<u32>,
    #[serde(default)]
    package: Vec<Package>,
}

#[derive(Deserialize)]
pub struct Package {
    pub name: String,
    pub version: String,
    /// `None` for path packages (the workspace's own crates).
    pub source: Option<String>,
    checksum: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

struct Lock {
    format: u32,
    packages: Vec<Package>,
}

impl Lock {
    /// A package as Cargo.lock names it: `name`, `name version` or `name version (source)`.
    fn find(&self, reference: &str) -> Option<&Package> {
        let mut parts = reference.split(' ');
        let (name, version) = (parts.next()?, parts.next());
        self.packages.iter().find(|package| package.name == name && version.is_none_or(|v| v == package.version))
    }
}

/// The Cargo.lock the crate being compiled is built with, and its package there.
pub struct UserLock {
    pub path: PathBuf,
    lock: Arc<Lock>,
    user: usize,
}

impl UserLock {
    /// The nearest Cargo.lock above `CARGO_MANIFEST_DIR` that has the crate
    /// (`CARGO_PKG_NAME` at `CARGO_PKG_VERSION`) as a path package: the lock of
    /// its workspace. A lock without it (a stray one in a member) is skipped.
    /// `None` when there is none: the crate is built as a dependency from a
    /// registry or git, whose lock cargo does not show.
    pub fn find() -> Option<UserLock> {
        let dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
        let name = std::env::var("CARGO_PKG_NAME").ok()?;
        let version = std::env::var("CARGO_PKG_VERSION").ok()?;
        Path::new(&dir).ancestors().find_map(|dir| {
            let path = dir.join("Cargo.lock");
            let lock = load(&path)?;
            let user = lock
                .packages
                .iter()
                .position(|package| package.name == name && package.version == version && package.source.is_none())?;
            Some(UserLock { path, lock, user })
        })
    }

    /// The user's crate's name.
    pub fn crate_name(&self) -> &str {
        &self.lock.packages[self.user].name
    }

    /// The user's crate's dependency on the package `name` (`-` and `_` alike,
    /// as crates.io has them), whether normal, dev or build.
    pub fn dependency(&self, name: &str) -> Option<&Package> {
        self.dependency_of(&self.lock.packages[self.user], name)
    }

    fn dependency_of(&self, package: &Package, name: &str) -> Option<&Package> {
        let canonical = |name: &str| name.replace('-', "_");
        package
            .dependencies
            .iter()
            .filter_map(|reference| self.lock.find(reference))
            .find(|dependency| canonical(&dependency.name) == canonical(name))
    }

    /// The serde and serde_json a program that speaks JSON gets: the user's
    /// crate's own, else those of kfp-core (every kfp-rs user has them).
    pub fn json_crates(&self) -> [Option<&Package>; 2] {
        let kfp_core = self.lock.packages.iter().find(|package| package.name == "kfp-core" && package.source.is_none());
        ["serde", "serde_json"].map(|name| {
            self.dependency(name).or_else(|| kfp_core.and_then(|kfp_core| self.dependency_of(kfp_core, name)))
        })
    }

    pub fn format(&self) -> u32 {
        self.lock.format
    }

    /// The packages `roots` reach, a line each in the form of
    /// `kfp_core::component::Locked::packages`; `Err` names a path package among
    /// them, which a pod cannot build.
    pub fn lines(&self, roots: &[&Package]) -> Result<String, String> {
        let mut reached: Vec<&Package> = roots.to_vec();
        let mut at = 0;
        while let Some(package) = reached.get(at) {
            for dependency in package.dependencies.iter().filter_map(|reference| self.lock.find(reference)) {
                if !reached.iter().any(|known| std::ptr::eq(*known, dependency)) {
                    reached.push(dependency);
                }
            }
            at += 1;
        }
        reached.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
        let mut lines = String::new();
        for package in reached {
            let Some(source) = &package.source else {
                return Err(package.name.clone());
            };
            let source = if source == CRATES_IO { "-" } else { source };
            let dependencies: Vec<String> =
                package.dependencies.iter().map(|reference| format!("\"{reference}\"")).collect();
            let checksum = package.checksum.as_deref().unwrap_or("-");
            let line = format!("{} {} {source} {checksum} {}", package.name, package.version, dependencies.join(","));
            lines.push_str(line.trim_end());
            lines.push('\n');
        }
        Ok(lines)
    }
}

/// A parsed lock file, kept while the file is unchanged: one compilation
/// expands many components, and a long-lived macro server sees edits.
fn load(path: &Path) -> Option<Arc<Lock>> {
    type Cache = HashMap<PathBuf, (Option<SystemTime>, u64, Option<Arc<Lock>>)>;
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    let metadata = std::fs::metadata(path).ok()?;
    let stamp = (metadata.modified().ok(), metadata.len());
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((modified, len, lock)) = cache.get(path) {
        if (*modified, *len) == stamp {
            return lock.clone();
        }
    }
    // An unreadable lock is cargo's to report: it reads the file before rustc runs.
    let lock = std::fs::read_to_string(path)
        .ok()
        .and_then(|text| toml::from_str::<LockFile>(&text).ok())
        .map(|file| Arc::new(Lock { format: file.version.unwrap_or(3), packages: file.package }));
    cache.insert(path.to_owned(), (stamp.0, stamp.1, lock.clone()));
    lock
}

/// `packages_to_install` pinned to the user's Cargo.lock, and what the
/// program's build needs of that lock.
pub struct Pins {
    /// The packages as the program gets them: `rand@=0.8.5[small_rng]`, or as
    /// written when there is no lock.
    pub packages: Vec<String>,
    /// A listed crate is not a dependency of the user's crate, so the body
    /// does not compile there either.
    pub missing: bool,
    lock: Option<(UserLock, [Option<String>; 2], String)>,
}

/// Pins each `packages_to_install` entry (already checked for syntax) to the
/// version of the user's crate's own dependency: an entry that is not one, or
/// whose version requirement the locked version does not meet, is an error at
/// the entry.
pub fn pin(packages: &[syn::LitStr], errors: &mut crate::attr::Errors) -> Pins {
    let Some(user) = UserLock::find() else {
        return Pins::as_written(packages);
    };
    let mut pins = Pins { packages: Vec::new(), missing: false, lock: None };
    let mut roots = Vec::new();
    for lit in packages {
        let text = lit.value();
        let (spec, features) = text.split_at(text.find('[').unwrap_or(text.len()));
        let (name, requirement) = match spec.split_once('@') {
            Some((name, requirement)) => (name, Some(requirement)),
            None => (spec, None),
        };
        let crate_name = user.crate_name();
        let Some(package) = user.dependency(name) else {
            pins.missing = true;
            let version = requirement.map_or_else(|| "<version>".to_owned(), str::to_owned);
            let features: Vec<String> = features
                .trim_matches(['[', ']'])
                .split(',')
                .filter(|f| !f.trim().is_empty())
                .map(|f| format!("{:?}", f.trim()))
                .collect();
            let line = if features.is_empty() {
                format!("{name} = \"{version}\"")
            } else {
                format!("{name} = {{ version = \"{version}\", features = [{}] }}", features.join(", "))
            };
            errors.push(syn::Error::new(
                lit.span(),
                format_args!(
                    "crate `{name}` is not a dependency of `{crate_name}`: the function compiles in your crate too, so add `{line}` to `[dependencies]` in its Cargo.toml"
                ),
            ));
            continue;
        };
        let locked = &package.version;
        if package.source.is_none() {
            errors.push(syn::Error::new(
                lit.span(),
                format_args!(
                    "crate `{name}` is a path dependency of `{crate_name}`: a component's container cannot fetch it; publish it, or make this a prebuilt-image component (`#[component(image = \"...\")]`)"
                ),
            ));
            continue;
        }
        if let Some(requirement) = requirement {
            let meets = semver::VersionReq::parse(requirement)
                .ok()
                .zip(semver::Version::parse(locked).ok())
                .is_none_or(|(requirement, version)| requirement.matches(&version));
            if !meets {
                errors.push(syn::Error::new(
                    lit.span(),
                    format_args!(
                        "`{text}` asks for {name} {requirement}, but `{crate_name}` is built with {name} {locked} (Cargo.lock), the version the container gets: write `{name}@{}`, or change `{name}` in `[dependencies]` to \"{requirement}\"",
                        compatible(locked)
                    ),
                ));
                continue;
            }
        }
        pins.packages.push(format!("{}@={locked}{features}", package.name));
        roots.push(package);
    }
    let json = user.json_crates();
    roots.extend(json.iter().flatten().filter(|package| package.source.is_some()));
    match user.lines(&roots) {
        Ok(lines) => {
            let json = json.map(|package| package.map(|package| package.version.clone()));
            pins.lock = Some((user, json, lines));
        }
        Err(path_package) => {
            if let Some(lit) = packages.first() {
                errors.push(syn::Error::new(
                    lit.span(),
                    format_args!("these crates depend on `{path_package}`, a path package: a component's container cannot fetch it"),
                ));
            }
        }
    }
    pins
}

/// The shortest requirement `version` meets as cargo reads it: `0.8.5` -> `0.8`, `1.2.3` -> `1`.
fn compatible(version: &str) -> String {
    let parts: Vec<&str> = version.split(['.', '-', '+']).take(3).collect();
    match parts.as_slice() {
        ["0", "0", patch] => format!("0.0.{patch}"),
        ["0", minor, ..] => format!("0.{minor}"),
        [major, ..] => (*major).to_owned(),
        [] => version.to_owned(),
    }
}

impl Pins {
    /// The packages as written, with no lock.
    pub fn as_written(packages: &[syn::LitStr]) -> Pins {
        Pins { packages: packages.iter().map(syn::LitStr::value).collect(), missing: false, lock: None }
    }

    /// The `Locked` value of the program, and an item that makes rustc expand
    /// the component again when the lock changes (it tracks included files).
    pub fn tokens(&self, site: proc_macro2::Span) -> (proc_macro2::TokenStream, proc_macro2::TokenStream) {
        use quote::quote_spanned;
        use syn::LitStr;
        let Some((user, [serde, serde_json], lines)) = &self.lock else {
            let locked = quote_spanned!(site=> ::kfp::__private::Locked {
                format: 0, serde: ::std::option::Option::None, serde_json: ::std::option::Option::None, packages: ""
            });
            return (locked, proc_macro2::TokenStream::new());
        };
        let option = |version: &Option<String>| match version {
            Some(version) => {
                let version = LitStr::new(version, site);
                quote_spanned!(site=> ::std::option::Option::Some(#version))
            }
            None => quote_spanned!(site=> ::std::option::Option::None),
        };
        let (serde, serde_json) = (option(serde), option(serde_json));
        let mut format = proc_macro2::Literal::u32_unsuffixed(user.format());
        format.set_span(site);
        let lines = LitStr::new(lines, site);
        let locked = quote_spanned!(site=> ::kfp::__private::Locked {
            format: #format, serde: #serde, serde_json: #serde_json, packages: #lines
        });
        // A path that is not UTF-8 cannot be written in `include_bytes!`.
        let tracked = user.path.to_str().map(|path| {
            let path = LitStr::new(path, site);
            quote_spanned!(site=> const _: &[u8] = ::std::include_bytes!(#path);)
        });
        let tracked = tracked.unwrap_or_default();
        (locked, tracked)
    }
}
