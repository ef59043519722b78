#!/usr/bin/env bash
# The macro's cost to a user's edit-compile loop: a crate with 100 #[component]s
# and a pipeline using them, against the same crate with plain functions (and
# with plain functions plus one component, so that both link the compiler).
# Builds each once, then edits the body of one function and times the
# incremental debug rebuild, RUNS times. Crates go to target/macro_cost/.
#
#   benches/macro_cost/run.sh [RUNS]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
root="$repo/target/macro_cost"
runs=${1:-5}
export CARGO_TARGET_DIR="$root/target"

generate() { # generate NAME with_macro|plain
  local dir="$root/$1" kind=$2
  mkdir -p "$dir/src"
  cat > "$dir/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
kfp = { path = "$repo", default-features = false }
TOML
  {
    [ "$kind" = with_macro ] && echo "use kfp::prelude::*;"
    for i in $(seq 0 99); do
      [ "$kind" = with_macro ] && echo "#[component]"
      echo "pub fn step_$i(value_1: i64, value_2: i64) -> i64 { value_1 + value_2 * $i }"
    done
    if [ "$kind" = with_macro ]; then
      echo "#[pipeline(name = \"hundred\")]"
      echo "pub fn hundred(a: i64) {"
      echo "    let mut last = step_0_op(a, 1).output();"
      for i in $(seq 1 98); do echo "    last = step_${i}_op(last, a).output();"; done
      echo "    step_99_op(last, a);"
      echo "}"
      echo "fn main() { kfp::Compiler::new().compile_to_string(hundred).unwrap(); }"
    else
      # The same binary size matters: link the compiler in too (one component).
      [ "$kind" = plain_linked ] && printf '%s\n' "use kfp::prelude::*;" "#[component]" \
        "pub fn one(value: i64) -> i64 { value }" "#[pipeline]" "pub fn single() { one_op(1); }"
      echo "fn main() {"
      [ "$kind" = plain_linked ] && echo "    kfp::Compiler::new().compile_to_string(single).unwrap();"
      echo "    let mut last = step_0(1, 1);"
      for i in $(seq 1 98); do echo "    last = step_$i(last, 1);"; done
      echo "    println!(\"{}\", step_99(last, 1));"
      echo "}"
    fi
  } > "$dir/src/main.rs"
}

now_ms() { date +%s%3N; }

measure() { # measure NAME
  local dir="$root/$1" total=0
  cargo build --quiet --offline --manifest-path "$dir/Cargo.toml"
  for run in $(seq 1 "$runs"); do
    # Edit one function's body: the change a user makes between builds.
    sed -i "s/value_2 \* 50[0-9]* }/value_2 * 50$run }/" "$dir/src/main.rs"
    local start end
    start=$(now_ms)
    cargo build --quiet --offline --manifest-path "$dir/Cargo.toml"
    end=$(now_ms)
    total=$((total + end - start))
  done
  echo "$1: $((total / runs)) ms per rebuild after editing one function (mean of $runs)"
}

generate with_macro with_macro
generate plain plain
generate plain_linked plain_linked
measure plain
measure plain_linked
measure with_macro
