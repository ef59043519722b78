//! Pipelines returning outputs (kfp 2's `-> int` pipeline), alone and called as
//! tasks: `critical__mixed_parameters.yaml` and `critical__artifact_crust.yaml`
//! (a parameter, then a Dataset, returned through two nested pipelines),
//! `essential__component_with_env_variable.yaml` and three `local_execution__`
//! pipelines (a task's settings, its output the pipeline's).

use kfp::dsl::Retry;
use kfp::prelude::*;

#[component]
fn core_comp() -> i64 {
    1
}

#[component]
fn crust_comp(x: i64, y: i64) {
    println!("sum : {}", x + y);
}

#[pipeline]
fn core() -> Output<i64> {
    let task = core_comp_op();
    task.set_caching_options(false);
    task.output()
}

#[pipeline]
fn mantle() -> Output<i64> {
    let dag_task = core_op();
    dag_task.set_caching_options(false);
    dag_task.output()
}

#[pipeline(name = "mixed_parameters-pipeline")]
fn crust() {
    let dag_task = mantle_op();
    dag_task.set_caching_options(false);
    crust_comp_op(2, dag_task.output()).set_caching_options(false);
}

#[test]
fn mixed_parameters() {
    super::check("critical__mixed_parameters", crust);
}

mod artifact_crust {
    use kfp::prelude::*;

    #[component(name = "core_comp")]
    fn core_dataset(dataset: OutputPath<Dataset>) {
        std::fs::write(dataset, "foo").expect("writes the dataset");
    }

    #[component(name = "crust_comp")]
    fn crust_dataset(input: InputPath<Dataset>) {
        println!("input:  {}", std::fs::read_to_string(input).expect("reads the dataset"));
    }

    #[pipeline(name = "core")]
    fn core() -> Output<Dataset> {
        let task = core_dataset_op();
        task.set_caching_options(false);
        task.outputs().dataset
    }

    #[pipeline(name = "mantle")]
    fn mantle() -> Output<Dataset> {
        let dag_task = core_op();
        dag_task.set_caching_options(false);
        dag_task.output()
    }

    #[pipeline(name = "artifact_crust-pipeline")]
    pub fn crust() {
        let dag_task = mantle_op();
        dag_task.set_caching_options(false);
        crust_dataset_op(dag_task.output()).set_caching_options(false);
    }
}

#[test]
fn artifact_crust() {
    super::check("critical__artifact_crust", artifact_crust::crust);
}

#[component]
fn read_env_var(var_name: String) -> String {
    std::env::var(var_name).unwrap_or_else(|_| "UNSET".to_owned())
}

#[pipeline]
fn pipeline_with_env_variable(#[default("KFP_TEST_ENV_VAR")] var_name: String) -> Output<String> {
    let task = read_env_var_op(var_name);
    task.add_env_variable(kfp::k8s_openapi::api::core::v1::EnvVar {
        name: "KFP_TEST_ENV_VAR".to_owned(),
        value: Some("env_var_value".to_owned()),
        ..Default::default()
    });
    task.output()
}

#[test]
fn component_with_env_variable() {
    super::check("essential__component_with_env_variable", pipeline_with_env_variable);
}

#[component]
fn flaky(counter_path: String) -> Result<String, String> {
    let count = std::fs::read_to_string(&counter_path).ok().and_then(|text| text.trim().parse().ok()).unwrap_or(0) + 1;
    std::fs::write(&counter_path, count.to_string()).map_err(|error| error.to_string())?;
    if count <= 1 {
        return Err(format!("flaky attempt {count}"));
    }
    Ok(format!("attempt={count}"))
}

#[pipeline]
pub(crate) fn pipeline_with_retry(counter_path: String) -> Output<String> {
    let task = flaky_op(counter_path);
    task.set_retry_strategy(Retry::new(3).backoff("0s", Some(1), None));
    task.output()
}

#[test]
fn local_execution_pipeline_with_retry() {
    super::check("local_execution__local_execution_pipeline_with_retry", pipeline_with_retry);
}

#[component]
fn add_one(x: i64) -> i64 {
    x + 1
}

#[pipeline]
pub(crate) fn pipeline_with_caching(#[default(1)] x: i64) -> Output<i64> {
    let task = add_one_op(x);
    task.set_caching_options(true);
    task.output()
}

#[test]
fn pipeline_with_caching_() {
    super::check("local_execution__pipeline_with_caching", pipeline_with_caching);
}

#[component]
fn echo(message: String) -> String {
    message
}

#[pipeline]
pub(crate) fn pipeline_with_k8s_only_methods(#[default("hello")] message: String) -> Output<String> {
    let task = echo_op(message);
    task.set_cpu_limit("1000m").set_memory_limit("256Mi").set_gpu_limit_for_vendor(1, "nvidia");
    task.output()
}

#[test]
fn local_execution_pipeline_with_k8s_only_methods() {
    super::check("local_execution__local_execution_pipeline_with_k8s_only_methods", pipeline_with_k8s_only_methods);
}
