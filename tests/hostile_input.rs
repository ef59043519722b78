//! About 1 MiB of hostile YAML of each kind (deep flow and block nesting,
//! alias bombs, a long scalar, 100,000 keys) through every entry point that
//! reads YAML or JSON: `kfp validate`, `parse_workflow`, the component loader,
//! the client's pipeline package and its API answers. Each returns a clear
//! error or a result; `cargo bench --bench input` times them.

#[path = "common/hostile.rs"]
mod hostile;

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hostile::{Expect, Hostile};
use kfp::components::{load_component_from_text, LoadErrorKind};

const TOO_DEEP: &str = "nesting deeper than 128 levels; lists and mappings may nest at most 128 deep";
const TOO_REPETITIVE: &str = "aliases repeat more than ";

/// The start of a message: some quote the hostile value.
fn short(message: &str) -> String {
    message.chars().take(400).collect()
}

fn assert_refusal(kind: &str, expect: Expect, message: &str) {
    let message = short(message);
    match expect {
        Expect::TooDeep => assert!(message.contains(TOO_DEEP), "{kind}: {message}"),
        Expect::TooRepetitive => assert!(message.contains(TOO_REPETITIVE), "{kind}: {message}"),
        Expect::Parsed => {
            assert!(!message.contains(TOO_DEEP) && !message.contains(TOO_REPETITIVE), "{kind}: {message}")
        }
    }
}

/// Runs `kfp validate FILE`; fails the test rather than wait past `deadline`.
fn validate(file: &Path, deadline: Duration) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kfp"))
        .arg("validate")
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kfp");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).expect("stdout is UTF-8");
        text
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for kfp") {
            break status;
        }
        if start.elapsed() > deadline {
            child.kill().expect("kill kfp");
            panic!("kfp validate {} ran past {deadline:?}", file.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (status.code(), reader.join().expect("stdout reader"))
}

#[test]
fn kfp_validate_refuses_or_reads_each_kind() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("hostile-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for Hostile { kind, expect, text } in hostile::workflows() {
        let file = dir.join(format!("{}.yaml", kind.replace([' ', ','], "-")));
        std::fs::write(&file, &text).unwrap();
        let (code, stdout) = validate(&file, Duration::from_secs(120));
        assert_eq!(code, Some(1), "{kind}: {stdout}");
        let first = stdout.lines().next().unwrap_or_default();
        assert!(first.starts_with(&format!("{}: ", file.display())), "{kind}: {}", short(first));
        assert_refusal(kind, expect, first);
    }
    // The position is where the limit is passed: `spec` and `entrypoint` are two
    // block levels, so the 127th `[` is the 129th level.
    let deep = dir.join("flow-lists.yaml");
    let (_, stdout) = validate(&deep, Duration::from_secs(120));
    assert_eq!(stdout.trim_end(), format!("{}: (root): {TOO_DEEP} (line 6, column {})", deep.display(), 15 + 126));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn parse_workflow_refuses_or_reads_each_kind() {
    for Hostile { kind, expect, text } in hostile::workflows() {
        match kfp::run::parse_workflow(&text) {
            Ok(workflow) => {
                assert_eq!((expect, workflow.spec.entrypoint.len()), (Expect::Parsed, hostile::SIZE), "{kind}")
            }
            Err(error) => assert_refusal(kind, expect, &error.to_string()),
        }
    }
}

#[test]
fn the_component_loader_refuses_or_reads_each_kind() {
    for Hostile { kind, expect, text } in hostile::components() {
        match load_component_from_text(&text) {
            Ok(component) => {
                assert_eq!(expect, Expect::Parsed, "{kind}");
                assert_eq!(component.spec().implementation.container.image.len(), hostile::SIZE, "{kind}");
            }
            Err(error) => {
                assert_refusal(kind, expect, &error.to_string());
                if expect != Expect::Parsed {
                    let message = short(&error.to_string());
                    assert_eq!(error.kind, LoadErrorKind::Syntax, "{kind}: {message}");
                    assert!(error.line.is_some() && error.column.is_some(), "{kind}: {message}");
                }
            }
        }
    }
}

#[test]
fn a_hostile_pipeline_package_is_refused_before_any_request() {
    // Nothing listens on port 9: a request would fail with a transport error.
    let client = kfp::Client::builder("http://127.0.0.1:9").build().unwrap();
    for Hostile { kind, expect, text } in hostile::workflows() {
        let run = kfp::client::CreateRun {
            name: "hostile".into(),
            source: kfp::client::PipelineSource::Package(text),
            ..Default::default()
        };
        let error = client.create_run(&run).expect_err("no run is created").to_string();
        if expect == Expect::Parsed {
            // The package is read; the request then fails.
            assert!(!error.contains("pipeline package"), "{kind}: {}", short(&error));
        } else {
            assert!(error.contains("the pipeline package is not YAML or JSON"), "{kind}: {}", short(&error));
            assert_refusal(kind, expect, &error);
        }
    }
}

/// API answers are read by serde_json, which is linear and stops at 128 levels
/// where it builds values; a field the client does not know is skipped.
#[test]
fn deeply_nested_api_answers_are_read_in_one_pass() {
    let half = hostile::SIZE / 2;
    let deep = format!("{}{}", "[".repeat(half), "]".repeat(half));
    let deep_values = format!("{}1{}", "{\"a\": ".repeat(half / 6), "}".repeat(half / 6));
    let answers = [
        format!("{{\"id\": \"p\", \"parameters\": [{{\"name\": \"x\", \"value\": {deep_values}}}]}}"),
        format!("{{\"id\": \"p\", \"unknown\": {deep}}}"),
    ];
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let address = server.server_addr().to_ip().unwrap();
    let bodies = answers.clone();
    let answering = std::thread::spawn(move || {
        for body in bodies {
            let request = server.recv().unwrap();
            request.respond(tiny_http::Response::from_string(body)).unwrap();
        }
    });
    let client = kfp::Client::builder(format!("http://{address}")).build().unwrap();
    let error = client.get_pipeline("p").expect_err("a parameter's value is text").to_string();
    assert!(error.contains("invalid type: map, expected a string"), "{}", short(&error));
    let pipeline = client.get_pipeline("p").expect("the unknown field is skipped");
    assert_eq!(pipeline.id.as_deref(), Some("p"));
    answering.join().unwrap();
}
