"""The big_pipeline workload compiled by kfp 1.8.22, for the side-by-side in benches/README.md.

    python3 -m venv /tmp/kfp1 && /tmp/kfp1/bin/pip install kfp==1.8.22
    /tmp/kfp1/bin/python benches/kfp_big_pipeline.py 1000 [OUT.yaml]

Same DAG as examples/big_pipeline.rs: task 0 is add(a, b); task i is
add(task i-1, task j) with j = max(0, i - 1 - i % 7). Prints the time to build
the DAG and compile + write it, in milliseconds.
"""
import sys
import time

import kfp
from kfp import dsl
from kfp.components import create_component_from_func


def add(value_1: int, value_2: int) -> int:
    return value_1 + value_2


add_op = create_component_from_func(add)


def main():
    tasks = int(sys.argv[1])
    out = sys.argv[2] if len(sys.argv) > 2 else "big_pipeline_kfp.yaml"

    @dsl.pipeline(name="big pipeline")
    def big_pipeline(a: int, b: int):
        outputs = []
        for i in range(tasks):
            if i == 0:
                task = add_op(a, b)
            else:
                task = add_op(outputs[i - 1], outputs[max(0, i - 1 - i % 7)])
            outputs.append(task.output)

    start = time.perf_counter()
    kfp.compiler.Compiler().compile(big_pipeline, out)
    total = (time.perf_counter() - start) * 1000
    print(f"tasks: {tasks}")
    print(f"build + compile + write: {total:.0f} ms")


if __name__ == "__main__":
    main()
