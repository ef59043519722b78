//! `artifacts_simple.yaml`: a loop's `Dataset`s collected (`collected`) into a Rust component taking
//! a list of artifacts (`Vec<InputPath<Dataset>>`, kfp's `Input[List[Dataset]]`) and into a
//! container component taking the launcher's JSON list of them, and returned by the pipeline.

use kfp::components::load_component_from_text;
use kfp::dsl::{collected, parallel_for, Collected};
use kfp::prelude::*;

#[component]
pub fn double(num: i64, out_dataset: OutputPath<Dataset>) {
    std::fs::write(&out_dataset, (2 * num).to_string()).expect("the dataset is writable");
}

#[component]
pub fn add(in_datasets: Vec<InputPath<Dataset>>, out_dataset: OutputPath<Dataset>) {
    let read = |dataset: &InputPath<Dataset>| std::fs::read_to_string(dataset).expect("the dataset is readable");
    let nums: Vec<i64> = in_datasets.iter().map(|dataset| read(dataset).trim().parse().expect("a number")).collect();
    std::fs::write(&out_dataset, nums.iter().sum::<i64>().to_string()).expect("the dataset is writable");
}

// kfp's container component: the list of artifacts by value is the launcher's JSON list of them.
const ADD_CONTAINER: &str = r#"
name: add_container
inputs:
- {name: in_datasets, type: 'List[Dataset]'}
outputs:
- {name: out_dataset, type: Dataset}
implementation:
  container:
    image: registry.access.redhat.com/ubi9/python-311:latest
    command: [python, -c]
    args:
    - "\nimport argparse\nimport json\nimport os\n\ndef main(in_datasets, out_dataset_uri):\n    in_dicts = json.loads(in_datasets)\n    uris = [d['uri'] for d in in_dicts]\n    total = 0\n    for uri in uris:\n        with open(uri.replace('gs://', '/gcs/')) as f:\n            total += int(f.read())\n\n    outpath = out_dataset_uri.replace('gs://', '/gcs/')\n    os.makedirs(os.path.dirname(outpath), exist_ok=True)\n    with open(outpath, 'w') as f:\n        f.write(str(total))\n\nparser = argparse.ArgumentParser()\nparser.add_argument('in_datasets')\nparser.add_argument('out_dataset_uri')\nargs = parser.parse_args()\n\nmain(args.in_datasets, args.out_dataset_uri)\n"
    - {inputValue: in_datasets}
    - {outputUri: out_dataset}
"#;

#[pipeline(name = "math-pipeline")]
fn math_pipeline() -> Collected<Dataset> {
    let add_container = load_component_from_text(ADD_CONTAINER).expect("the component loads");
    let t = parallel_for(vec![1, 2, 3], double_op);
    add_op(collected(t.outputs().out_dataset));
    add_container.call([("in_datasets", collected(t.outputs().out_dataset))]);
    collected(t.outputs().out_dataset)
}

#[test]
fn artifacts_simple() {
    super::check("artifacts_simple", math_pipeline);
}
