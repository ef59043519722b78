"""Workflow size of the big pipeline, side by side: kfp 1.8.22, kfp-rs in kfp's shape, kfp-rs with shared templates.

Usage, from the repo root (results in benches/README.md, "Size: what a cluster takes"):

    python3 benches/sizes.py [--kfp-python PATH] [--skip-kfp]

Needs PyYAML (the kfp venv has it: the script runs itself with the venv's python when python3 lacks it).
kfp 1.8.22 is run with the venv at ~/.cache/kfp-rs/kfp-1.8.22 (or --kfp-python, or $KFP_PYTHON); create it with

    python3 -m venv ~/.cache/kfp-rs/kfp-1.8.22 && ~/.cache/kfp-rs/kfp-1.8.22/bin/pip install kfp==1.8.22

Without it the kfp row says SKIPPED. Takes about half a minute (kfp compiles 1,000 tasks in ~15 s).

The workload is examples/big_pipeline.rs (and benches/kfp_big_pipeline.py, the same DAG for kfp). For each form it
prints the Workflow's bytes as a cluster measures them: compact JSON as Go's encoding/json writes it, YAML aliases
expanded; Argo refuses a Workflow over 1 MiB of it (MAX_WORKFLOW_SIZE = 1,048,576 bytes). kfp's YAML is measured
here: loaded with PyYAML, written with json.dumps(separators=(',', ':'), ensure_ascii=False) in UTF-8, plus 5 bytes
for each '<', '>', '&' (Go writes \\u003c) and 3 for each U+2028, U+2029. kfp-rs's bytes are the ones the example
prints (kfp::argo::size::json_bytes), checked here against the same PyYAML measure at the first size.

The largest N whose Workflow fits in 1 MiB is found by a linear fit through two sizes (100 and 1,000 tasks), then
verified by compiling: kfp-rs at N (fits) and N + 1 (over; with shared templates the default compile refuses it),
searching around the fit if it is off; kfp at N and N + 1 the same way (a few seconds each at that size).

Not part of `cargo test`: cargo does not run scripts in benches/.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

LIMIT = 1024 * 1024  # Argo's MAX_WORKFLOW_SIZE
SIZES = (100, 1000)  # the two sizes of the linear fit
SHARED_AT_LEAST = 3500  # what shared templates must fit
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KFP_PYTHON = Path.home() / ".cache/kfp-rs/kfp-1.8.22/bin/python"


def go_json_bytes(yaml_path):
    """The bytes of the YAML file's content as Go's encoding/json writes it, aliases expanded."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(yaml_path, encoding="utf-8") as f:
        data = yaml.load(f, Loader=loader)
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    # Outside strings JSON has none of these characters, so each is in a string and Go escapes it.
    html = sum(text.count(c) for c in "<>&")
    separators = text.count("\u2028") + text.count("\u2029")
    return len(text.encode("utf-8")) + 5 * html + 3 * separators


class Ours:
    """kfp-rs: examples/big_pipeline, built once in release and run directly (milliseconds a run)."""

    def __init__(self, workdir):
        self.workdir = workdir
        out = subprocess.run(
            ["cargo", "build", "--release", "--example", "big_pipeline", "--message-format=json"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        self.exe = next(
            msg["executable"]
            for msg in map(json.loads, out.splitlines())
            if msg.get("reason") == "compiler-artifact" and msg.get("executable") and msg["target"]["name"] == "big_pipeline"
        )

    def measure(self, tasks, shared, keep=False):
        """(JSON bytes, refused, YAML path): refused when the compile refused the Workflow (shared, over 1 MiB)."""
        path = os.path.join(self.workdir, f"ours-{'shared' if shared else 'kfp'}-{tasks}.yaml")
        args = [self.exe, str(tasks), path] + (["--share-templates"] if shared else [])
        run = subprocess.run(args, cwd=self.workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if run.returncode == 0:
            bytes_ = int(re.search(r"^json: (\d+) bytes", run.stdout, re.M).group(1))
            return bytes_, False, path
        refused = re.search(r"TooLarge \{ pipeline: .*?bytes: (\d+), limit: (\d+)", run.stderr)
        if not refused:
            sys.exit(f"big_pipeline {tasks} failed:\n{run.stdout}{run.stderr}")
        return int(refused.group(1)), True, None


class Kfp:
    """kfp 1.8.22: benches/kfp_big_pipeline.py with the venv's python."""

    def __init__(self, python, workdir):
        self.python, self.workdir = python, workdir

    def measure(self, tasks):
        path = os.path.join(self.workdir, f"kfp-{tasks}.yaml")
        run = subprocess.run(
            [self.python, str(ROOT / "benches/kfp_big_pipeline.py"), str(tasks), path],
            cwd=self.workdir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        if run.returncode != 0:
            sys.exit(f"kfp_big_pipeline.py {tasks} failed:\n{run.stdout}{run.stderr}")
        seconds = float(re.search(r"build \+ compile \+ write: (\d+) ms", run.stdout).group(1)) / 1000
        return go_json_bytes(path), seconds


def fit(points):
    """bytes = fixed + per_task * N through two (N, bytes) points; the largest N with bytes <= LIMIT."""
    (n1, b1), (n2, b2) = points
    per_task = (b2 - b1) / (n2 - n1)
    fixed = b1 - per_task * n1
    return fixed, per_task, int((LIMIT - fixed) // per_task)


def largest_fitting(bytes_at, guess):
    """The largest N with bytes_at(N) <= LIMIT, searched from guess (bytes grow with N). Returns (N, measured)."""
    measured = {}

    def at(n):
        if n not in measured:
            measured[n] = bytes_at(n)
        return measured[n]

    # Bracket: low fits, high does not, widening from the guess; then bisect.
    low, high, step = guess, guess + 1, 1
    while at(low) > LIMIT:
        low, step = max(1, low - step), step * 2
    while at(high) <= LIMIT:
        low, high, step = high, high + step, step * 2
    while high - low > 1:
        mid = (low + high) // 2
        if at(mid) <= LIMIT:
            low = mid
        else:
            high = mid
    return low, measured


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kfp-python", default=os.environ.get("KFP_PYTHON", str(DEFAULT_KFP_PYTHON)))
    parser.add_argument("--skip-kfp", action="store_true", help="measure kfp-rs only")
    options = parser.parse_args()

    try:
        import yaml  # noqa: F401
    except ImportError:
        if Path(options.kfp_python).exists() and Path(sys.executable).resolve() != Path(options.kfp_python).resolve():
            os.execv(options.kfp_python, [options.kfp_python, __file__] + sys.argv[1:])
        sys.exit("PyYAML is missing: pip install pyyaml, or create the kfp venv (see the top of this file)")

    rows = []
    with tempfile.TemporaryDirectory(prefix="kfp-rs-sizes-") as workdir:
        ours = Ours(workdir)
        for shared in (False, True):
            name = "kfp-rs, shared templates" if shared else "kfp-rs, kfp's shape"
            points = []
            for tasks in SIZES:
                bytes_, refused, path = ours.measure(tasks, shared)
                assert not refused, f"{name}: {tasks} tasks refused"
                points.append((tasks, bytes_))
                if tasks == SIZES[0]:
                    # The example's count against the PyYAML measure applied to kfp.
                    python_bytes = go_json_bytes(path)
                    assert python_bytes == bytes_, f"{name}: the example says {bytes_} bytes, PyYAML {python_bytes}"
            fixed, per_task, guess = fit(points)
            largest, measured = largest_fitting(lambda n: ours.measure(n, shared)[0], guess)
            over = ours.measure(largest + 1, shared)
            check = f"{largest:,} tasks: {measured[largest]:,} bytes; {largest + 1:,}: {over[0]:,} bytes"
            if shared:
                check += ", refused by the compile" if over[1] else ", NOT refused (a bug)"
            rows.append((name, points, fixed, per_task, guess, largest, check, len(measured)))
            if shared:
                bytes_, refused, _ = ours.measure(SHARED_AT_LEAST, True)
                shared_check = (
                    f"shared templates fit {SHARED_AT_LEAST:,} tasks: "
                    f"{'yes' if largest >= SHARED_AT_LEAST and not refused else 'NO'} "
                    f"({SHARED_AT_LEAST:,} tasks compile to {bytes_:,} bytes{', refused' if refused else ''}; "
                    f"up to {largest:,} fit)"
                )

        if options.skip_kfp or not Path(options.kfp_python).exists():
            why = "--skip-kfp" if options.skip_kfp else f"no venv: {options.kfp_python} is missing"
            rows.insert(0, ("kfp 1.8.22", None, f"SKIPPED kfp ({why})"))
        else:
            kfp = Kfp(options.kfp_python, workdir)
            points, seconds = [], []
            for tasks in SIZES:
                bytes_, took = kfp.measure(tasks)
                points.append((tasks, bytes_))
                seconds.append(took)
            fixed, per_task, guess = fit(points)
            largest, measured = largest_fitting(lambda n: kfp.measure(n)[0], guess)
            over = kfp.measure(largest + 1)[0]
            check = f"{largest:,} tasks: {measured[largest]:,} bytes; {largest + 1:,}: {over:,} bytes"
            rows.insert(0, ("kfp 1.8.22", points, fixed, per_task, guess, largest, check, len(measured)))
            kfp_times = ", ".join(f"{n:,} tasks {s:.1f} s" for n, s in zip(SIZES, seconds))

    print(f"\nWorkflow JSON bytes as a cluster measures them; limit {LIMIT:,} bytes (1 MiB, Argo's MAX_WORKFLOW_SIZE)\n")
    header = ("form", "bytes/task at 100", "bytes/task at 1,000", "fit: fixed + per task", "largest N in 1 MiB")
    widths = (26, 18, 20, 24, 19)
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    for row in rows:
        if row[1] is None:
            print(f"{row[0].ljust(widths[0])}  {row[2]}")
            continue
        name, points, fixed, per_task, guess, largest, _, _ = row
        cells = (
            name,
            f"{points[0][1] / points[0][0]:,.0f}",
            f"{points[1][1] / points[1][0]:,.0f}",
            f"{fixed:,.0f} + {per_task:,.1f} N",
            f"{largest:,}",
        )
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths)))
    print("\nverified by compiling:")
    for row in rows:
        if row[1] is None:
            continue
        name, _, _, _, guess, largest, check, compiles = row
        print(f"  {name}: fit says {guess:,}, compiles say {largest:,} ({compiles} sizes compiled around the fit): {check}")
    print(f"  {shared_check}")
    if rows[0][1] is not None:
        print(f"  kfp 1.8.22 compile times: {kfp_times}")
    print(f"  kfp-rs's JSON bytes (the example's count) agree with the PyYAML measure at {SIZES[0]} tasks")


if __name__ == "__main__":
    main()
