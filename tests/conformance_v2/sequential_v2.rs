//! `sequential_v2.yaml`: container components whose arguments embed an input and
//! an output parameter's file in text (kfp's f-strings), one feeding the other.

use kfp::components::load_component_from_text;
use kfp::prelude::*;

const DOWNLOAD: &str = r#"name: download
inputs:
- {name: url, type: String}
outputs:
- {name: downloaded, type: String}
implementation:
  container:
    image: google/cloud-sdk
    command: [sh, -c]
    args:
    - concat: ['gsutil cp ', {inputValue: url}, ' ', {outputPath: downloaded}]
"#;

const ECHO: &str = r#"name: echo
inputs:
- {name: downloaded, type: String}
implementation:
  container:
    image: library/bash
    command: [sh, -c]
    args:
    - concat: ['echo ', {inputValue: downloaded}]
"#;

#[pipeline(name = "sequential")]
fn sequential(url: String) {
    let download = load_component_from_text(DOWNLOAD).expect("the downloader loads");
    let echo = load_component_from_text(ECHO).expect("the echo loads");
    let downloaded = download.call([("url", url)]);
    echo.call([("downloaded", downloaded.output_named("downloaded"))]);
}

#[test]
fn sequential_v2() {
    super::check("sequential_v2", sequential);
}
