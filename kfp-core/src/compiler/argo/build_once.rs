//! Build once ([`super::Compiler::build_once`]): each distinct program of the
//! pipeline's function components is built by one step at the start of the run,
//! which hands the binary on as an output artifact; every task of the component
//! takes it as an input artifact and runs it, instead of building it again.
//!
//! Done on the recorded pipeline, before lowering: a build step is one more task
//! (a container op at the top of the pipeline) and the binary one more input of
//! each task, so the lowering passes it into loops, conditions and graphs as it
//! passes any task output, and the result is checked like any compile.

use std::collections::hash_map::Entry;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};

use crate::component::{split_command, Component};
use crate::dsl::marker::ValueRef;
use crate::dsl::{Arg, ContainerOp, GroupKind, Op, OutputRef, Recorded, RecordedTask, TaskSettings};
use crate::names::{input_path, k8s_name};
use crate::spec::{InputSpec, Placeholder};

/// The input through which a task receives its program; a Rust parameter
/// cannot have this name (it holds `-`).
const PROGRAM_INPUT: &str = "kfp-rs-program";

/// The build step's output holding the binary.
const PROGRAM_OUTPUT: &str = "program";

/// Where the build step writes the binary (kfp's path for a file output).
const PROGRAM_PATH: &str = "/tmp/outputs/program/data";

/// `recorded` with a build step per distinct program (image and source) and
/// its tasks running the built binary, or `None` when no task runs a program
/// built in its pod.
///
/// Left building in their own pods: the exit handler's task (Argo gives an
/// exit task no DAG task's outputs) and tasks inside a graph component that
/// calls itself (each call would need the binary passed on again).
pub(super) fn rewrite(recorded: &Recorded) -> Option<Recorded> {
    let exit_task = recorded.groups.iter().find_map(|group| match group.kind {
        GroupKind::ExitHandler { exit_task } => Some(exit_task),
        _ => None,
    });
    // The steps go where every other task is: inside the exit handler, if any.
    let top = recorded.groups.first().filter(|group| matches!(group.kind, GroupKind::ExitHandler { .. })).map(|_| 0);
    let recursive: Vec<u32> = (recorded.groups.iter())
        .filter_map(|group| match &group.kind {
            GroupKind::Graph(call) => call.recursive_ref,
            _ => None,
        })
        .collect();
    let in_recursive_graph = |task: &RecordedTask| {
        let mut group = task.group;
        while let Some(index) = group {
            if recursive.contains(&index) {
                return true;
            }
            group = recorded.groups[index as usize].parent;
        }
        false
    };

    let mut out = recorded.clone();
    // By (image, command): the build step's task index.
    let mut builds: HashMap<(String, Vec<String>), u32> = HashMap::new();
    // By component: the component running the built binary, and its build step.
    let mut rewritten: HashMap<*const Component, (Arc<Component>, u32)> = HashMap::new();
    let mut steps = Vec::new();
    for (index, task) in recorded.tasks.iter().enumerate() {
        let Op::Component { component, args } = &task.op else { continue };
        if exit_task == Some(index as u32) || in_recursive_graph(task) {
            continue;
        }
        let (component, build) = match rewritten.entry(Arc::as_ptr(component)) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(new) => {
                let Some(step) = build_step(component) else { continue };
                let container = &component.spec.implementation.container;
                let command: Vec<String> =
                    container.literal_command().unwrap_or_default().into_iter().map(str::to_owned).collect();
                let next = (recorded.tasks.len() + steps.len()) as u32;
                let build = *builds.entry((container.image.clone(), command)).or_insert_with(|| {
                    steps.push(RecordedTask {
                        op: Op::Container(step),
                        after: Vec::new(),
                        settings: TaskSettings {
                            display_name: Some(format!("build {}", component.spec.name)),
                            ..TaskSettings::default()
                        },
                        group: top,
                        after_groups: Vec::new(),
                        pvolumes: Vec::new(),
                    });
                    next
                });
                new.insert((Arc::new(running_built(component)), build))
            }
        };
        let mut args = args.clone();
        args.push(Arg::Value(ValueRef::Output(OutputRef {
            recording: recorded.recording,
            task: *build,
            name: PROGRAM_OUTPUT,
        })));
        out.tasks[index].op = Op::Component { component: Arc::clone(component), args };
    }
    if steps.is_empty() {
        return None;
    }
    // Appended, so the user's tasks keep their indexes and names (a build step
    // named like a task of the user's gets the `-2`).
    out.tasks.extend(steps);
    Some(out)
}

/// The step building `component`'s program, if its container builds one and
/// the program input's name is free.
fn build_step(component: &Component) -> Option<ContainerOp> {
    let container = &component.spec.implementation.container;
    let command = container.literal_command()?;
    let program = split_command(&command)?;
    let taken = component.spec.inputs.iter().any(|input| {
        input_path(&input.name) == input_path(PROGRAM_INPUT) || k8s_name(&input.name) == k8s_name(PROGRAM_INPUT)
    });
    if taken {
        return None;
    }
    let script = format!("{}mkdir -p \"$(dirname \"$1\")\"\ncp \"{}\" \"$1\"\n", program.build, program.binary);
    Some(
        ContainerOp::new(format!("build {}", component.spec.name), &container.image)
            .command(["sh", "-ec", &script, program.source])
            .arguments([PROGRAM_PATH])
            .file_output(PROGRAM_OUTPUT, PROGRAM_PATH),
    )
}

/// `component` running the binary its build step made, from its input file,
/// with its usual arguments.
fn running_built(component: &Component) -> Component {
    let mut spec = component.spec.clone();
    let name = &component.spec.name;
    // Argo fails a task whose input artifact is missing before it starts; this
    // covers a file that arrives empty-handed in another runner.
    let missing = shell_quote(&format!(
        "kfp-rs: the program of component {name} is missing: it comes from the step `build {name}`, which builds it at the start of the run; see that step's log"
    ));
    // A copy, made executable: an artifact store need not keep the file's mode.
    let script = format!(
        "[ -s \"$0\" ] || {{ echo {missing} >&2; exit 1; }}\n\
         dir=$(mktemp -d)\n\
         cp \"$0\" \"$dir/component\"\n\
         chmod +x \"$dir/component\"\n\
         exec \"$dir/component\" \"$@\"\n"
    );
    spec.implementation.container.command = vec![
        Placeholder::Literal("sh".to_owned()),
        Placeholder::Literal("-ec".to_owned()),
        Placeholder::Literal(script),
        Placeholder::InputPath { input_path: PROGRAM_INPUT.to_owned() },
    ];
    spec.inputs.push(InputSpec {
        name: PROGRAM_INPUT.to_owned(),
        description: Some(format!("The program, built once per run by the step `build {name}`.")),
        ..InputSpec::default()
    });
    // The in-process program no longer matches the container's command.
    Component { spec, local: None, ..component.clone() }
}

/// `text` as one single-quoted shell word.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}
