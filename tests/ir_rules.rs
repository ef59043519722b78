//! The IR rules (`kfp::ir::rules::check`): every kfp 2.17.3 golden keeps them, and a golden
//! broken in one place fails with one problem naming where, the task, and the fix.

mod common;

use common::{ir_golden_dir, ir_golden_files, read_fixture};
use kfp::ir::rules::{check, Violation};
use kfp::ir::{ComponentSpec, ParameterType, PipelineFile, PipelineTaskSpec};

fn golden(name: &str) -> PipelineFile {
    let path = ir_golden_dir().join(format!("{name}.yaml"));
    PipelineFile::from_yaml(&read_fixture(&path)).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn root_task<'f>(file: &'f mut PipelineFile, task: &str) -> &'f mut PipelineTaskSpec {
    let dag = file.spec.root.as_mut().unwrap().dag.as_mut().unwrap();
    dag.tasks.get_mut(task).unwrap_or_else(|| panic!("no root task {task}"))
}

fn component<'f>(file: &'f mut PipelineFile, name: &str) -> &'f mut ComponentSpec {
    file.spec.components.get_mut(name).unwrap_or_else(|| panic!("no component {name}"))
}

/// The one problem of `file`, as `path: message`.
fn the_problem(file: &PipelineFile) -> String {
    let problems: Vec<String> = check(file).iter().map(Violation::to_string).collect();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    problems.into_iter().next().unwrap()
}

#[test]
fn every_golden_keeps_the_rules() {
    let mut problems = Vec::new();
    for path in ir_golden_files() {
        let file = PipelineFile::from_yaml(&read_fixture(&path)).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        problems.extend(check(&file).into_iter().map(|problem| format!("{name}: {problem}")));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn component_references_and_executor_labels_resolve() {
    let mut file = golden("critical__producer_consumer_param");
    root_task(&mut file, "consumer").component_ref.as_mut().unwrap().name = "comp-consume".to_owned();
    assert_eq!(
        the_problem(&file),
        "root.dag.tasks.consumer.componentRef.name: task `consumer` runs component `comp-consume`, which is not in \
         components: add it, or use one of `comp-consumer`, `comp-producer`"
    );

    let mut file = golden("critical__producer_consumer_param");
    component(&mut file, "comp-producer").executor_label = Some("exec-produce".to_owned());
    assert_eq!(
        the_problem(&file),
        "components.comp-producer.executorLabel: executor `exec-produce` is not in deploymentSpec.executors: add it, \
         or use one of `exec-consumer`, `exec-producer`"
    );
}

#[test]
fn producers_exist_upstream_with_the_output_named() {
    let mut file = golden("critical__producer_consumer_param");
    let input = root_task(&mut file, "consumer").inputs.as_mut().unwrap().parameters.get_mut("input_value").unwrap();
    input.task_output_parameter.as_mut().unwrap().output_parameter_key = "output".to_owned();
    assert_eq!(
        the_problem(&file),
        "root.dag.tasks.consumer.inputs.parameters.input_value: task `producer` has no output parameter `output`: use \
         one of its output parameters (`output_value`)"
    );

    let mut file = golden("critical__producer_consumer_param");
    let input = root_task(&mut file, "consumer").inputs.as_mut().unwrap().parameters.get_mut("input_value").unwrap();
    input.task_output_parameter.as_mut().unwrap().producer_task = "make".to_owned();
    let problems: Vec<String> = check(&file).iter().map(Violation::to_string).collect();
    assert!(
        problems.contains(
            &"root.dag.tasks.consumer.inputs.parameters.input_value: task `make` is not in this DAG: name one of its \
              tasks (`consumer`, `producer`)"
                .to_owned()
        ),
        "{problems:#?}"
    );

    // The producer waits for its consumer: no order runs them.
    let mut file = golden("critical__producer_consumer_param");
    root_task(&mut file, "producer").dependent_tasks.push("consumer".to_owned());
    assert_eq!(
        the_problem(&file),
        "root.dag.tasks: tasks `consumer`, `producer` wait for each other (dependentTasks and the producers of their \
         inputs form a loop): remove one of the edges"
    );

    let mut file = golden("two_step_pipeline");
    root_task(&mut file, "read-from-gcs").dependent_tasks = vec!["write".to_owned()];
    assert_eq!(
        the_problem(&file),
        "root.dag.tasks.read-from-gcs.dependentTasks: task `read-from-gcs` depends on `write`, which is not a task of \
         this DAG: name one of `read-from-gcs`, `write-to-gcs`"
    );
}

#[test]
fn types_passed_match_as_kfp_checks_them() {
    let mut file = golden("critical__producer_consumer_param");
    let outputs = component(&mut file, "comp-producer").output_definitions.as_mut().unwrap();
    outputs.parameters.get_mut("output_value").unwrap().parameter_type = ParameterType::NumberInteger;
    assert_eq!(
        the_problem(&file),
        "root.dag.tasks.consumer.inputs.parameters.input_value: task `consumer` passes a NUMBER_INTEGER to its input \
         `input_value`, which takes a STRING: pass a STRING or change the input's type"
    );

    let mut file = golden("two_step_pipeline");
    let outputs = component(&mut file, "comp-write-to-gcs").output_definitions.as_mut().unwrap();
    let produced = outputs.artifacts.get_mut("output_gcs_path").unwrap().artifact_type.as_mut().unwrap();
    produced.schema_title = Some("system.Dataset".to_owned());
    let inputs = component(&mut file, "comp-read-from-gcs").input_definitions.as_mut().unwrap();
    let schema = inputs.artifacts.get_mut("input_gcs_path").unwrap().artifact_type.as_mut().unwrap();
    schema.schema_title = Some("system.Model".to_owned());
    assert_eq!(
        the_problem(&file),
        "root.dag.tasks.read-from-gcs.inputs.artifacts.input_gcs_path: task `read-from-gcs` passes a system.Dataset \
         to its input `input_gcs_path`, which takes a system.Model: pass a system.Model, or make the input a \
         system.Artifact"
    );
    // kfp lets system.Artifact stand for any type.
    let inputs = component(&mut file, "comp-read-from-gcs").input_definitions.as_mut().unwrap();
    let schema = inputs.artifacts.get_mut("input_gcs_path").unwrap().artifact_type.as_mut().unwrap();
    schema.schema_title = Some("system.Artifact".to_owned());
    assert_eq!(check(&file), []);
}

#[test]
fn names_are_unique_and_required_inputs_given() {
    let mut file = golden("critical__producer_consumer_param");
    let producer = component(&mut file, "comp-producer");
    let artifact = kfp::ir::InputArtifactDefinition { is_optional: true, ..Default::default() };
    producer.input_definitions.as_mut().unwrap().artifacts.insert("input_text".to_owned(), artifact);
    assert_eq!(
        the_problem(&file),
        "components.comp-producer.inputDefinitions: `input_text` is both an input parameter and an input artifact: \
         rename one"
    );

    let mut file = golden("critical__producer_consumer_param");
    root_task(&mut file, "producer").inputs = None;
    assert_eq!(
        the_problem(&file),
        "root.dag.tasks.producer.inputs.parameters: task `producer` does not give input parameter `input_text` of \
         component `comp-producer`, which has no default: pass it, or give it a default"
    );
}

#[test]
fn iterator_items_are_inputs_of_the_task() {
    let mut file = golden("parallel_and_nested__loop_consume_upstream");
    let iterator = root_task(&mut file, "for-loop-1").parameter_iterator.as_mut().unwrap();
    iterator.items.as_mut().unwrap().input_parameter = Some("pipelinechannel--split-Output".to_owned());
    assert_eq!(
        the_problem(&file),
        "root.dag.tasks.for-loop-1.parameterIterator.items.inputParameter: task `for-loop-1` loops over its input \
         parameter `pipelinechannel--split-Output`, which it does not have: add it to inputs.parameters"
    );
}

#[test]
fn a_oneof_has_one_member() {
    let mut file = golden("critical__producer_consumer_param");
    let input = root_task(&mut file, "producer").inputs.as_mut().unwrap().parameters.get_mut("input_text").unwrap();
    input.runtime_value =
        Some(kfp::ir::ValueOrRuntimeParameter { constant: Some(serde_json::json!("hello")), ..Default::default() });
    assert_eq!(
        the_problem(&file),
        "root.dag.tasks.producer.inputs.parameters.input_text: runtimeValue and componentInputParameter are set, but \
         they are members of the oneof `kind`: keep one of them"
    );
}

#[test]
fn platform_settings_name_executors_of_the_pipeline() {
    let mut file = golden("pipeline_with_secret_as_volume");
    let platform = file.platform.as_mut().unwrap().platforms.get_mut(kfp::ir::KUBERNETES).unwrap();
    let executors = &mut platform.deployment_spec.as_mut().unwrap().executors;
    let settings = executors.remove("exec-comp").unwrap();
    executors.insert("exec-compo".to_owned(), settings);
    assert_eq!(
        the_problem(&file),
        "(platform spec).platforms.kubernetes.deploymentSpec.executors.exec-compo: settings for executor \
         `exec-compo`, which the pipeline spec does not have: use one of deploymentSpec.executors (`exec-comp`)"
    );
}
