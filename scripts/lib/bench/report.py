#!/usr/bin/env python3
"""Turns a bench run's rows into the console table and the markdown report.

Usage: report.py RUN_DIR TEMPLATE OUT.md
RUN_DIR/results.tsv: SECTION, FIGURE, UNIT, OP (le|ge|-), TARGET, VALUE; one row per run, grouped here by
(SECTION, FIGURE) in first-seen order. RUN_DIR/facts.tsv: KEY, VALUE. The template's {{facts}} and
{{table SECTION}} lines are replaced; a section without rows says so.
"""
import re
import statistics
import sys
from collections import OrderedDict

run_dir, template, out = sys.argv[1:4]


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


figures = OrderedDict()
for section, figure, unit, op, target, value in read_tsv(run_dir + "/results.tsv"):
    figures.setdefault((section, figure), {"unit": unit, "op": op, "target": target, "values": []})
    figures[(section, figure)]["values"].append(float(value))
facts = read_tsv(run_dir + "/facts.tsv")


def fmt(v):
    if v == int(v) and abs(v) >= 10:
        return "%d" % v
    return ("%.3f" % v).rstrip("0").rstrip(".") if abs(v) < 10 else "%.1f" % v


def row(f):
    vals = f["values"]
    med = statistics.median(vals)
    spread = fmt(min(vals)) + " – " + fmt(max(vals)) if len(vals) > 1 else "—"
    if f["op"] == "-":
        target, met = "—", "—"
    else:
        t = float(f["target"])
        target = ("≤ " if f["op"] == "le" else "≥ ") + fmt(t) + " " + f["unit"]
        met = "yes" if (med <= t if f["op"] == "le" else med >= t) else "**no**"
    return fmt(med) + " " + f["unit"], spread, str(len(vals)), target, met


def cell(text):
    """A markdown table cell: a figure name may hold a shell pipeline, whose | would split the row."""
    return text.replace("|", "\\|")


def table(section):
    rows = [(fig, row(f)) for (sec, fig), f in figures.items() if sec == section]
    if not rows:
        return "_Not measured in this run._"
    lines = ["| figure | median | min – max | runs | target | met |", "|---|---:|---:|---:|---|---|"]
    for fig, (med, spread, n, target, met) in rows:
        lines.append("| %s | %s | %s | %s | %s | %s |" % (cell(fig), med, spread, n, target, met))
    return "\n".join(lines)


with open(template, encoding="utf-8") as f:
    text = f.read()
text = text.replace("{{facts}}", "\n".join("| %s | %s |" % (k, v) for k, v in facts))
text = re.sub(r"\{\{table (\w+)\}\}", lambda m: table(m.group(1)), text)
with open(out, "w", encoding="utf-8") as f:
    f.write(text)

# the console table
width = max([len(s + ": " + fig) for s, fig in figures] + [20])
print()
print("%-*s  %14s  %17s  %4s  %16s  %s" % (width, "figure", "median", "min – max", "runs", "target", "met"))
for (section, fig), f in figures.items():
    med, spread, n, target, met = row(f)
    print("%-*s  %14s  %17s  %4s  %16s  %s" % (width, section + ": " + fig, med, spread, n, target,
                                                met.replace("**", "")))
