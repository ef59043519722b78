//! kfp's `kfp.aws`: AWS credentials from a Kubernetes secret.

use super::{runs_container, secret_env};
use crate::dsl::Task;
use k8s_openapi::api::core::v1::EnvVar;

/// Gives the container AWS credentials from Kubernetes secret `secret_name`,
/// which the user creates (kfp's `use_aws_secret(secret_name,
/// aws_access_key_id_name, aws_secret_access_key_name, aws_region)`; kfp's
/// defaults are `aws-secret`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
/// no region): `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` are the secret's
/// keys `aws_access_key_id_name` and `aws_secret_access_key_name`, and
/// `AWS_REGION` is `aws_region` when given.
pub fn use_aws_secret(
    secret_name: impl Into<String>,
    aws_access_key_id_name: impl Into<String>,
    aws_secret_access_key_name: impl Into<String>,
    aws_region: Option<&str>,
) -> impl Fn(&Task<()>) + Clone + 'static {
    let secret = secret_name.into();
    let access_key_id = secret_env("AWS_ACCESS_KEY_ID", &secret, &aws_access_key_id_name.into());
    let secret_access_key = secret_env("AWS_SECRET_ACCESS_KEY", &secret, &aws_secret_access_key_name.into());
    let region = aws_region.map(|region| EnvVar {
        name: "AWS_REGION".to_owned(),
        value: Some(region.to_owned()),
        ..EnvVar::default()
    });
    move |task: &Task<()>| {
        if !runs_container(task) {
            return;
        }
        task.add_env_variable(access_key_id.clone()).add_env_variable(secret_access_key.clone());
        if let Some(region) = &region {
            task.add_env_variable(region.clone());
        }
    }
}
