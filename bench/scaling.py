#!/usr/bin/env python3
"""How the cost of three inputs a user controls grows: questions in a form,
rows in a collected CSV, and rows matched by `--previous`. Each is run at n
and 4n; a linear cost gives a ratio near 4, a quadratic one near 16.

    cargo build --release
    python3 bench/scaling.py            # median of 3 runs each
"""

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUS = ROOT / "target" / "release" / "mus"
EXAMPLE = ROOT / "examples" / "eksempelstyrelsen.yaml"
HEADER = "file,employee,manager,unit,date,goal,activities,when,follow_up\n"


def timed(args, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def questions(work, n):
    config = work / f"q{n}.yaml"
    lines = ["workplace: X", "year: 2027", "custom_topics:", "  - id: mange", "    title: Mange", "    questions:"]
    lines += [f"      - Hvordan går det med opgave {i}?" for i in range(n)]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = work / f"q{n}-out"
    return [str(MUS), "generate", str(config), "-o", str(out), "--force"]


def collected(work, n):
    csv = work / f"c{n}.csv"
    with csv.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        for i in range(n):
            f.write(f"f{i // 3}.docx,Person {i // 3},Leder,Enhed {i % 40},2027-03-01,Mål {i},Kursus,Foråret,September\n")
    return [str(MUS), "report", str(csv), str(EXAMPLE), "--format", "json"]


def previous(work, n):
    roster = work / f"r{n}.csv"
    last = work / f"p{n}.csv"
    roster.write_text("navn,enhed\n" + "".join(f"Person {i},Enhed {i % 40}\n" for i in range(n)), encoding="utf-8")
    with last.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        for i in range(n):
            f.write(f"f{i}.docx,Person {i},Leder,Enhed {i % 40},2026-03-01,Mål {i},Kursus,Foråret,September\n")
    out = work / f"p{n}-out"
    return [str(MUS), "generate", str(EXAMPLE), "--roster", str(roster), "--previous", str(last), "-o", str(out), "--force"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cases = [
        ("questions with note boxes, `generate`", questions, 4_000),
        ("rows of a collected CSV, `report`", collected, 25_000),
        ("roster rows matched with `--previous`", previous, 5_000),
    ]
    print(f"machine: {os.cpu_count()} cores; median of {args.runs} runs\n")
    print("| input | n | time at n (s) | time at 4n (s) | ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for label, make, n in cases:
            small = timed(make(work, n), args.runs)
            large = timed(make(work, 4 * n), args.runs)
            print(f"| {label} | {n:,} | {small:.2f} | {large:.2f} | {large / small:.1f} |")


if __name__ == "__main__":
    main()
