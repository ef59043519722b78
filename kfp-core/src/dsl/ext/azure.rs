//! kfp's `kfp.azure`: Azure service principal credentials from a Kubernetes secret.

use super::{runs_container, secret_env};
use crate::dsl::Task;

/// Gives the container the Azure service principal stored in Kubernetes secret
/// `secret_name` (kfp's `use_azure_secret(secret_name)`; kfp's default is
/// `azcreds`, the secret a Kubeflow deployment on Azure creates): the
/// variables `AZ_SUBSCRIPTION_ID`, `AZ_TENANT_ID`, `AZ_CLIENT_ID` and
/// `AZ_CLIENT_SECRET`, each the secret's key of the same name.
pub fn use_azure_secret(secret_name: impl Into<String>) -> impl Fn(&Task<()>) + Clone + 'static {
    let secret = secret_name.into();
    let vars: Vec<_> = ["AZ_SUBSCRIPTION_ID", "AZ_TENANT_ID", "AZ_CLIENT_ID", "AZ_CLIENT_SECRET"]
        .into_iter()
        .map(|name| secret_env(name, &secret, name))
        .collect();
    move |task: &Task<()>| {
        if runs_container(task) {
            for var in &vars {
                task.add_env_variable(var.clone());
            }
        }
    }
}
