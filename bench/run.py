#!/usr/bin/env python3
"""Benchmark: personal interview forms from a roster, `mus` against docxtpl.

Makes a synthetic roster (made-up names) of N rows, times
`mus generate --roster` on it, and makes the same forms with docxtpl from a
template that is our own form with Jinja tags in the info block. Prints a
Markdown table: median wall time of several runs, forms per second, peak
memory (max RSS) and the size of one form.

Needs: a release build (`cargo build --release`), GNU time (/usr/bin/time),
and `pip install docxtpl python-docx`.

Usage: python3 bench/run.py [--sizes 100,1000,10000] [--docxtpl-sizes 100,1000] [--runs 5]
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MUS = os.path.join(ROOT, "target", "release", "mus")
CONFIG = os.path.join(ROOT, "examples", "eksempelstyrelsen.yaml")

FIRST = ["Anna", "Søren", "Mette", "Jørgen", "Åse", "Lars", "Camilla", "Mads", "Sofie", "Niels", "Ida", "Bo"]
LAST = ["Hansen", "Jensen", "Nielsen", "Ærø", "Pedersen", "Kristensen", "Østergaard", "Larsen", "Bæk"]
TOPICS = ["", "innovation", "mobilitet,innovation"]


def make_roster(path, rows, with_topics=True):
    rng = random.Random(rows)
    with open(path, "w", encoding="utf-8") as f:
        f.write("navn;leder;enhed;dato" + (";tilvalg" if with_topics else "") + "\n")
        for i in range(rows):
            line = f"{rng.choice(FIRST)} {rng.choice(LAST)};Leder {i % 50};Enhed {i % 7};2027-02-{1 + i % 28:02d}"
            if with_topics:
                line += ";" + rng.choice(TOPICS)
            f.write(line + "\n")


def make_distinct_roster(path, rows):
    """A roster where nearly everyone has a name of their own, as in a real
    workplace (make_roster's 108 names make namesakes of almost everyone):
    2,000 managers, 40 units."""
    rng = random.Random(rows)
    middle = ["", "Marie ", "Louise ", "Bach ", "Holm ", "Juul ", "Kirk ", "Lund ", "Møller ", "Vang "]
    letters = "abcdefghijklmnoprstuvy"
    seen = set()
    with open(path, "w", encoding="utf-8") as f:
        f.write("navn;leder;enhed;dato;tilvalg\n")
        while len(seen) < rows:
            name = f"{rng.choice(FIRST)} {rng.choice(middle)}{rng.choice(LAST)} " + "".join(
                rng.choice(letters) for _ in range(6)
            ).capitalize()
            if name in seen:
                continue
            i = len(seen)
            seen.add(name)
            f.write(f"{name};Leder {i % 2000};Kontor for enhed {i % 40};2027-02-{1 + i % 28:02d};{rng.choice(TOPICS)}\n")


def timed(cmd):
    """Wall seconds and max RSS (KB) of one run of cmd."""
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stderr}")
    rss = int(out.stderr.strip().splitlines()[-1])
    return wall, rss


def bench_mus(work, rows, runs):
    roster = os.path.join(work, f"roster-{rows}.csv")
    make_roster(roster, rows)
    walls, rss = [], []
    for run in range(runs):
        # A new folder each run: deleting thousands of files just before a
        # run makes the disk busy and the timing noisy.
        out = os.path.join(work, f"mus-out-{rows}-{run}")
        wall, peak = timed([MUS, "generate", CONFIG, "--roster", roster, "-o", out])
        walls.append(wall)
        rss.append(peak)
    sizes = [os.path.getsize(os.path.join(out, f)) for f in os.listdir(out) if f.startswith("samtaleskema-")]
    return statistics.median(walls), max(rss), max(sizes)


DOCXTPL_SCRIPT = r"""
import csv, sys, os
from docxtpl import DocxTemplate
template, roster, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
with open(roster, encoding="utf-8") as f:
    for i, row in enumerate(csv.DictReader(f, delimiter=";")):
        tpl = DocxTemplate(template)
        tpl.render({"navn": row["navn"], "leder": row["leder"], "enhed": row["enhed"], "dato": row["dato"]})
        tpl.save(os.path.join(out, f"samtaleskema-{i}.docx"))
"""


def make_docxtpl_template(work):
    """Our own form, with Jinja tags in the info block's value cells."""
    import docx

    out = os.path.join(work, "form")
    subprocess.run([MUS, "generate", CONFIG, "-o", out], check=True, capture_output=True)
    document = docx.Document(os.path.join(out, "samtaleskema.docx"))
    info = document.tables[0]
    for row, tag in zip(info.rows, ["navn", "leder", "enhed", "dato"]):
        row.cells[1].paragraphs[0].text = "{{ " + tag + " }}"
    path = os.path.join(work, "template.docx")
    document.save(path)
    return path


def bench_docxtpl(work, template, rows, runs):
    roster = os.path.join(work, f"roster-plain-{rows}.csv")
    make_roster(roster, rows, with_topics=False)
    script = os.path.join(work, "docxtpl_forms.py")
    with open(script, "w") as f:
        f.write(DOCXTPL_SCRIPT)
    walls, rss = [], []
    for run in range(runs):
        out = os.path.join(work, f"docxtpl-out-{rows}-{run}")
        wall, peak = timed([sys.executable, script, template, roster, out])
        walls.append(wall)
        rss.append(peak)
    sizes = [os.path.getsize(os.path.join(out, f)) for f in os.listdir(out)]
    return statistics.median(walls), max(rss), max(sizes)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--docxtpl-sizes", default="100,1000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--docxtpl-runs", type=int, default=3)
    parser.add_argument("--work", default=None, help="folder for the output (default: the system's temp folder)")
    args = parser.parse_args()
    if not os.path.exists(MUS):
        sys.exit("build first: cargo build --release")
    with tempfile.TemporaryDirectory(dir=args.work) as work:
        print(f"machine: {os.cpu_count()} cores, {platform()}")
        print()
        print("| tool | forms | median wall (s) | forms/s | peak memory (MB) | largest form (KB) |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        results = {}
        for rows in [int(n) for n in args.sizes.split(",") if n]:
            wall, rss, size = bench_mus(work, rows, args.runs)
            results[("mus", rows)] = wall
            print(f"| mus | {rows} | {wall:.2f} | {rows / wall:.0f} | {rss / 1024:.1f} | {size / 1024:.1f} |", flush=True)
        template = make_docxtpl_template(work)
        for rows in [int(n) for n in args.docxtpl_sizes.split(",") if n]:
            wall, rss, size = bench_docxtpl(work, template, rows, args.docxtpl_runs)
            results[("docxtpl", rows)] = wall
            print(f"| docxtpl | {rows} | {wall:.2f} | {rows / wall:.0f} | {rss / 1024:.1f} | {size / 1024:.1f} |", flush=True)
        print()
        for rows in sorted({r for (_, r) in results}):
            if ("mus", rows) in results and ("docxtpl", rows) in results:
                ratio = results[("docxtpl", rows)] / results[("mus", rows)]
                print(f"{rows} forms: mus is {ratio:.0f}x the throughput of docxtpl")


def platform():
    try:
        with open("/proc/cpuinfo") as f:
            model = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        model = "unknown CPU"
    return model


if __name__ == "__main__":
    main()
