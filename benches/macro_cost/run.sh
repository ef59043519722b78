#!/usr/bin/env bash
# The macro's cost to a user's edit-compile loop: a crate with 100 #[component]s
# and a pipeline using them, against the same crate with plain functions (and
# with plain functions plus one component, so that both link the compiler).
# Builds each once, then edits the body of one function and times the
# incremental debug rebuild, RUNS times with an edit that changes the file's
# length and RUNS times with one that keeps it. Crates go to target/macro_cost/.
#
#   benches/macro_cost/run.sh [RUNS]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
root="$repo/target/macro_cost"
runs=${1:-5}
export CARGO_TARGET_DIR="$root/target"

generate() { # generate NAME with_macro|with_macro_split|plain|plain_linked
  local dir="$root/$1" kind=$2 split=false
  [ "$kind" = with_macro_split ] && kind=with_macro split=true
  rm -rf "$dir/src"
  mkdir -p "$dir/src"
  # Same dependency versions as the repo's own build.
  cp "$repo/Cargo.lock" "$dir/Cargo.lock"
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
  if $split; then
    # The components in ten files of ten, the pipeline in main.rs.
    local k
    for k in $(seq 0 9); do
      { echo "use kfp::prelude::*;"; sed -n "$((2 + 20 * k)),$((21 + 20 * k))p" "$dir/src/main.rs"; } > "$dir/src/part_$k.rs"
    done
    {
      echo "use kfp::prelude::*;"
      for k in $(seq 0 9); do echo "mod part_$k;" "use part_$k::*;"; done
      sed -n '202,$p' "$dir/src/main.rs"
    } > "$dir/src/main.rs.new"
    mv "$dir/src/main.rs.new" "$dir/src/main.rs"
  fi
}

now_ms() { date +%s%3N; }

measure() { # measure NAME [FILE]: FILE holds step_50 (default main.rs)
  local dir="$root/$1" file="$root/$1/src/${2:-main.rs}" grow=0 keep=0 run start end
  cargo build --quiet --manifest-path "$dir/Cargo.toml"
  for run in $(seq 1 "$runs"); do
    # Edit one function's body, the change a user makes between builds: one
    # digit more each time, so the file's length changes, as most edits do.
    sed -i "s/value_2 \* 50[0-9]* }/value_2 * 50$(printf '%*s' "$run" '' | tr ' ' 1) }/" "$file"
    start=$(now_ms)
    cargo build --quiet --offline --manifest-path "$dir/Cargo.toml"
    end=$(now_ms)
    grow=$((grow + end - start))
  done
  for run in $(seq 1 "$runs"); do
    # The same edit keeping the file's length: the last digit changes.
    sed -i "s/value_2 \* 50\([0-9]*\)[0-9] }/value_2 * 50\1$run }/" "$file"
    start=$(now_ms)
    cargo build --quiet --offline --manifest-path "$dir/Cargo.toml"
    end=$(now_ms)
    keep=$((keep + end - start))
  done
  echo "$1: $((grow / runs)) ms per rebuild after an edit that changes the file's length, $((keep / runs)) ms after one that keeps it (mean of $runs each)"
}

generate with_macro with_macro
generate with_macro_split with_macro_split
generate plain plain
generate plain_linked plain_linked
measure plain
measure plain_linked
measure with_macro
measure with_macro_split part_5.rs
