"""The big_pipeline workload compiled by kfp 2 (2.17.3), for the KFP v2 side-by-side in benches/README.md.

    python3 -m venv ~/.cache/kfp-rs/kfp-2.17.3 && ~/.cache/kfp-rs/kfp-2.17.3/bin/pip install kfp==2.17.3
    ~/.cache/kfp-rs/kfp-2.17.3/bin/python benches/kfp2_big_pipeline.py 1000 [OUT.yaml]

Same DAG as examples/big_pipeline.rs: task 0 is add(a, b); task i is
add(task i-1, task j) with j = max(0, i - 1 - i % 7). Prints the time to build
the DAG (running the pipeline function, which kfp 2 does at decoration), to
compile it to pipeline IR and write the YAML, in milliseconds.
"""
import sys
import time

from kfp import compiler, dsl


@dsl.component(base_image="python:3.11")
def add(value_1: int, value_2: int) -> int:
    return value_1 + value_2


def main():
    tasks = int(sys.argv[1])
    out = sys.argv[2] if len(sys.argv) > 2 else "big_pipeline_kfp2.yaml"

    def big_pipeline(a: int, b: int):
        outputs = []
        for i in range(tasks):
            if i == 0:
                task = add(value_1=a, value_2=b)
            else:
                task = add(value_1=outputs[i - 1], value_2=outputs[max(0, i - 1 - i % 7)])
            outputs.append(task.output)

    start = time.perf_counter()
    pipeline = dsl.pipeline(name="big pipeline")(big_pipeline)
    built = time.perf_counter()
    compiler.Compiler().compile(pipeline, out)
    written = time.perf_counter()
    ms = lambda seconds: seconds * 1000
    print(f"tasks: {tasks}")
    print(f"build: {ms(built - start):.0f} ms")
    print(f"compile + write: {ms(written - built):.0f} ms")
    print(f"total: {ms(written - start):.0f} ms")


if __name__ == "__main__":
    main()
