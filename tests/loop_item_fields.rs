//! Fields of loop items under KFP v1, against kfp 1.8.22's compile of the same
//! pipeline (tests/fixtures/loop_item_fields.py): `field!` on a struct item and
//! `LoopItem::field` on a JSON object item, as arguments and in conditions, become
//! kfp 1.8's `<item>-subvar-<field>` parameters set from `{{item.<field>}}`; and the
//! Workflow runs locally, each condition reading its own item's field.

mod common;

use common::run::Scratch;
use kfp::dsl::{condition, parallel_for, Compare};
use kfp::prelude::*;
use kfp::run::{Phase, RunOptions};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[component]
pub fn say(text: String) {
    println!("{text}");
}

#[derive(Serialize, Deserialize)]
pub struct Shard {
    id: String,
    size: String,
}

fn shard(id: &str, size: &str) -> Shard {
    Shard { id: id.to_owned(), size: size.to_owned() }
}

#[pipeline(name = "loop item fields")]
pub fn loop_item_fields(#[default(vec![shard("a", "big"), shard("b", "small")])] shards: Vec<Shard>) {
    parallel_for(shards, |shard| {
        say_op(kfp::field!(shard.id));
        condition(kfp::field!(shard.size).eq("big"), || {
            say_op(kfp::field!(shard.id));
        });
    });
    parallel_for(vec![json!({"id": "c", "size": "big"}), json!({"id": "d", "size": "small"})], |shard| {
        condition(shard.field::<String>("size").eq("small"), || {
            say_op(shard.field::<String>("id"));
        });
    });
}

#[test]
fn equivalent_to_kfp() {
    let ours = kfp::Compiler::new().compile_to_string(loop_item_fields).unwrap();
    let golden = common::read_fixture(&common::fixtures_dir().join("loop_item_fields.kfp.yaml"));
    common::assert_equivalent(&ours, &golden, "loop_item_fields");
    common::assert_schema_valid(&ours, "loop_item_fields");
}

#[test]
fn each_condition_reads_its_own_items_field_when_run() {
    let dir = Scratch::new("v1-loop-item-fields");
    let report = loop_item_fields.run_local(&RunOptions::new(dir.join("run"))).unwrap();
    let ran = report.tasks.iter().filter(|task| task.template.starts_with("say") && task.phase == Phase::Succeeded);
    assert_eq!(ran.count(), 4, "every shard's id once, a's again (big), d's (small): {report:#?}");
    let mut skipped: Vec<&str> = (report.tasks.iter())
        .filter(|task| task.phase == Phase::Skipped)
        .filter_map(|task| task.message.as_deref())
        .collect();
    skipped.sort_unstable();
    assert_eq!(
        skipped,
        [r#"when `"big" == "small"` was false"#, r#"when `"small" == "big"` was false"#],
        "{report:#?}"
    );
}
