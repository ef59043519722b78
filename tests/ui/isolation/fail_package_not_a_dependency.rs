use kfp::prelude::*;

// The body compiles in this crate too, so `rand` must be a dependency of it:
// one error, at the entry, naming the line to add (not one at each use of `rand`).
#[component(packages_to_install = ["rand@0.8[small_rng]"])]
fn roll(sides: u32) -> u32 {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::SmallRng::seed_from_u64(7);
    rng.gen_range(1..=sides)
}

#[pipeline]
fn dice() {
    roll_op(6);
}

fn main() {
    kfp::Compiler::new().compile_to_string(dice).unwrap();
}
