//! Texts every task's template repeats (its annotation and label keys, the SDK's
//! labels), made once per process: each template holds a shared copy.

use std::sync::LazyLock;

use crate::argo::Text;
use crate::compiler::SDK_VERSION;

/// `pub(super) fn name() -> Text` for each `name = "text"`: the text, allocated once.
macro_rules! shared_texts {
    ($($(#[$doc:meta])* $name:ident = $text:expr;)*) => {
        $(
            $(#[$doc])*
            pub(super) fn $name() -> Text {
                static TEXT: LazyLock<Text> = LazyLock::new(|| Text::from($text));
                TEXT.clone()
            }
        )*
    };
}

shared_texts! {
    sdk_version_key = "pipelines.kubeflow.org/kfp_sdk_version";
    sdk_version = SDK_VERSION;
    sdk_type_key = "pipelines.kubeflow.org/pipeline-sdk-type";
    sdk_type = "kfp";
    enable_caching_key = "pipelines.kubeflow.org/enable_caching";
    yes = "true";
    no = "false";
    component_spec_key = "pipelines.kubeflow.org/component_spec";
    component_ref_key = "pipelines.kubeflow.org/component_ref";
    arguments_key = "pipelines.kubeflow.org/arguments.parameters";
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_text_is_made_once() {
        let (a, b) = (super::component_spec_key(), super::component_spec_key());
        assert_eq!(a, "pipelines.kubeflow.org/component_spec");
        assert!(std::ptr::eq(a.as_str(), b.as_str()), "both share one allocation");
    }
}
