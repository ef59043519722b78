//! Each task's component spec and executor, made once per component (and, for
//! executors, per set of the task settings they read) and copied to every task
//! that runs it: kfp 2 writes one of each per task, and a pipeline of 10,000
//! tasks of one component would otherwise convert the component's command line,
//! its program included, 10,000 times. They are kept typed, so that a copy is one
//! clone of the model rather than a copy of its JSON read again into the model.

use foldhash::HashMap;
use std::sync::Arc;

use super::component::{self, Io};
use super::typed;
use crate::component::Component;
use crate::dsl::TaskSettings;
use crate::ir::{ComponentSpec, ExecutorSpec};

/// The specs and executors made so far, by the component's address (its `Arc` is
/// shared by all the tasks that run it).
#[derive(Default)]
pub(super) struct PerComponent {
    components: HashMap<*const Component, ComponentSpec>,
    /// By component and task settings, as text (all of them: whichever an executor reads).
    executors: HashMap<(*const Component, String), ExecutorSpec>,
    /// The last executor made or found, and what for: most tasks in a row run the
    /// component they ran before with the same settings, which this finds without
    /// writing the settings as text.
    last_executor: Option<(*const Component, TaskSettings, ExecutorSpec)>,
}

impl PerComponent {
    /// [`component::component_spec`], made once per component.
    pub fn component_spec(
        &mut self,
        component: &Arc<Component>,
        io: &Io,
        executor_label: &str,
    ) -> Result<ComponentSpec, Vec<String>> {
        let key = Arc::as_ptr(component);
        let mut spec = match self.components.get(&key) {
            Some(spec) => spec.clone(),
            None => {
                let spec: ComponentSpec = typed(component::component_spec(component, io, executor_label)?)?;
                self.components.insert(key, spec.clone());
                spec
            }
        };
        spec.executor_label = Some(executor_label.to_owned());
        Ok(spec)
    }

    /// [`component::executor`], made once per component and settings; one with problems is not
    /// kept, so that each task reports its own.
    pub fn executor(
        &mut self,
        component: &Arc<Component>,
        io: &Io,
        settings: &TaskSettings,
        task: &str,
    ) -> Result<ExecutorSpec, Vec<String>> {
        let component_key = Arc::as_ptr(component);
        if let Some((_, _, executor)) = (self.last_executor.as_ref())
            .filter(|(last_component, last_settings, _)| *last_component == component_key && last_settings == settings)
        {
            return Ok(executor.clone());
        }
        let key = (component_key, format!("{settings:?}"));
        let executor = match self.executors.get(&key) {
            Some(executor) => executor.clone(),
            None => {
                let executor: ExecutorSpec = typed(component::executor(component, io, settings, task)?)?;
                self.executors.insert(key, executor.clone());
                executor
            }
        };
        self.last_executor = Some((component_key, settings.clone(), executor.clone()));
        Ok(executor)
    }
}
