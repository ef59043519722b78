#!/bin/sh
# Local run time of the big pipeline (examples/big_pipeline.rs): wall time and the CPU of the whole process tree
# (the runner and every rustc it starts), for `kfp run-local --no-cache` (each program built once in the run
# directory), a cold program cache and a warm one. KFP=path/to/kfp measures another build of the binary: one from
# before the program cache (every task builds its program) is measured once per size, as `per-task`.
# Usage: benches/local_run.sh [TASKS...]   (default: 40 400)
set -eu
cd "$(dirname "$0")/.."
cargo build --quiet --release --bin kfp --example big_pipeline
kfp=${KFP:-target/release/kfp}
modes="no-cache cold warm"
"$kfp" run-local --help | grep -q -- --no-cache || modes=per-task
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for tasks in ${@:-40 400}; do
    target/release/examples/big_pipeline "$tasks" "$work/big$tasks.yaml" >/dev/null
    for mode in $modes; do
        case $mode in
            per-task) flags= ;;
            no-cache) flags=--no-cache ;;
            cold) flags= ; rm -rf "$work/cache" ;;
            warm) flags= ;;
        esac
        /usr/bin/time -f "$tasks tasks, $mode: wall %e s, CPU %U s user + %S s system" \
            env XDG_CACHE_HOME="$work/cache" "$kfp" run-local "$work/big$tasks.yaml" -p a=1 -p b=2 $flags \
            --run-dir "$work/run-$tasks-$mode" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
        tail -n 1 "$work/err"
    done
done
