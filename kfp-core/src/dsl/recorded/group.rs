//! Groups of a recorded pipeline: conditions, loops, the exit handler, graph
//! component calls and sub-graphs (built by [`crate::dsl::condition`] and its kin).

use crate::dsl::marker::{OutputRef, ValueRef};

/// One group of a recorded pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// kfp's name for it (`condition-1`); a compiler names the group's step after it.
    pub name: String,
    /// What it does.
    pub kind: GroupKind,
    /// The group it is in; `None` for a group directly in the pipeline.
    pub parent: Option<u32>,
    /// Tasks and groups it runs after (`.after()` on a graph component).
    pub after: Vec<Node>,
    /// The name KFP v2 shows for it, if not [`Group::name`] (kfp 2's `ExitHandler(name=...)`).
    pub display_name: Option<String>,
}

/// A task or a group of a recorded pipeline, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    /// A task.
    Task(u32),
    /// A group.
    Group(u32),
}

/// What a group does.
#[derive(Clone, Debug, PartialEq)]
pub enum GroupKind {
    /// Runs its tasks only when the condition holds.
    Condition(Condition),
    /// Runs its tasks once per item.
    ParallelFor(Loop),
    /// Runs the exit task (a task index) when its tasks end, however they end.
    ExitHandler {
        /// The task that runs on exit.
        exit_task: u32,
    },
    /// A graph component: a named sub-DAG, which may call itself.
    Graph(GraphCall),
    /// A sub-DAG running at most `parallelism` of its tasks at once (kfp's `dsl.SubGraph`).
    SubGraph {
        /// At most this many tasks at once (at least 1).
        parallelism: u32,
    },
    /// kfp 2's `condition-branches-N`: holds a `dsl.If` followed by `dsl.Elif`s or a
    /// `dsl.Else` (the branches, in order), and the `dsl.OneOf`s picked from them.
    ConditionBranches {
        /// Each `dsl.OneOf` made of outputs of the branches, in the order made.
        one_ofs: Vec<Vec<OutputRef>>,
    },
    /// A `dsl.Elif` or `dsl.Else`: runs when all its conditions hold.
    Branch(Vec<BranchCondition>),
}

/// One condition of a `dsl.Elif` or `dsl.Else`: an earlier branch's, negated, or its own.
#[derive(Clone, Debug, PartialEq)]
pub struct BranchCondition {
    /// The comparison.
    pub condition: Condition,
    /// Whether the branch runs when it does not hold (an earlier branch's condition).
    pub negated: bool,
}

/// One call of a graph component.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphCall {
    /// The graph component's name (the Rust function's, as kfp takes the Python one's).
    pub function: String,
    /// Its arguments, by parameter name.
    pub arguments: Vec<(String, ValueRef)>,
    /// For a call inside the graph's own body: the group of the call being
    /// recorded, whose body this call runs again.
    pub recursive_ref: Option<u32>,
}

/// A loop's items and settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Loop {
    /// What it iterates over.
    pub items: LoopItems,
    /// The number in a static list's loop argument name (`loop-item-param-1`).
    pub code: Option<u32>,
    /// At most this many iterations at once; 0 for no limit.
    pub parallelism: u32,
    /// A dynamic list declared to hold untyped JSON objects (`Vec<serde_json::Value>`), which kfp 2
    /// types `Dict` when the body reads their fields.
    pub object_items: bool,
}

/// The items of a loop.
#[derive(Clone, Debug, PartialEq)]
pub enum LoopItems {
    /// A static list (`withItems`), each item as JSON.
    Static(Vec<serde_json::Value>),
    /// A JSON list in a pipeline parameter or task output (`withParam`).
    Value(ValueRef),
}

/// A comparison deciding whether a condition's tasks run.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// Left operand.
    pub left: Operand,
    /// Operator.
    pub operator: Operator,
    /// Right operand.
    pub right: Operand,
}

/// One side of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// A constant, as text.
    Constant(String),
    /// A pipeline value.
    Value(ValueRef),
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Operator {
    /// The operator's symbol (`==`, `<=`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Eq => "==",
            Operator::Ne => "!=",
            Operator::Lt => "<",
            Operator::Le => "<=",
            Operator::Gt => ">",
            Operator::Ge => ">=",
        }
    }

    /// The operator that holds exactly when this one does not (`==` and `!=`, `<` and `>=`).
    pub fn negated(self) -> Operator {
        match self {
            Operator::Eq => Operator::Ne,
            Operator::Ne => Operator::Eq,
            Operator::Lt => Operator::Ge,
            Operator::Le => Operator::Gt,
            Operator::Gt => Operator::Le,
            Operator::Ge => Operator::Lt,
        }
    }
}

impl BranchCondition {
    /// The comparison that must hold for the branch to run: the condition, or its
    /// negation (`a == b` negated is `a != b`).
    pub fn required(&self) -> Condition {
        let operator = if self.negated { self.condition.operator.negated() } else { self.condition.operator };
        Condition { operator, ..self.condition.clone() }
    }
}
