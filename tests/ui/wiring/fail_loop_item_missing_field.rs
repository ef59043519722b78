use kfp::dsl::parallel_for;
use kfp::prelude::*;

#[component]
fn say(text: String) {
    println!("{text}");
}

#[derive(serde::Serialize, serde::Deserialize)]
pub struct Shard {
    id: String,
}

#[pipeline]
fn my_pipeline(shards: Vec<Shard>) {
    parallel_for(shards, |shard| {
        // The item's struct has no field `name`.
        say_op(kfp::field!(shard.name));
    });
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
