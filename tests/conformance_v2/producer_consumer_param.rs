//! `critical__producer_consumer_param.yaml`: loaded components passing a
//! parameter output on.

use kfp::components::load_component_from_text;
use kfp::prelude::*;

const PRODUCER: &str = r#"
name: Producer
inputs:
- {name: input_text, type: String, description: 'Represents an input parameter.'}
outputs:
- {name: output_value, type: String, description: 'Represents an output paramter.'}
implementation:
  container:
    image: registry.access.redhat.com/ubi9/python-311:latest
    command:
    - sh
    - -c
    - |
      set -e -x
      mkdir -p "$(dirname "$1")"
      echo "$0, this is an output parameter" > "$1"
    - {inputValue: input_text}
    - {outputPath: output_value}
"#;

const CONSUMER: &str = r#"
name: Consumer
inputs:
- {name: input_value, type: String, description: 'Represents an input parameter. It connects to an upstream output parameter.'}
implementation:
  container:
    image: registry.access.redhat.com/ubi9/python-311:latest
    command:
    - sh
    - -c
    - |
      set -e -x
      echo "Read from an input parameter: " && echo "$0"
    - {inputValue: input_value}
"#;

#[pipeline(name = "producer-consumer-param-pipeline")]
fn my_pipeline(#[default("Hello world")] text: String) {
    let producer = load_component_from_text(PRODUCER).expect("the producer loads");
    let consumer = load_component_from_text(CONSUMER).expect("the consumer loads");
    let produced = producer.call([("input_text", text)]);
    consumer.call([("input_value", produced.output_named("output_value"))]);
}

#[test]
fn producer_consumer_param() {
    super::check("critical__producer_consumer_param", my_pipeline);
}
