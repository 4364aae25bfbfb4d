#!/usr/bin/env python3
"""Rollup test (issue 6, item 6): DuckDB runs tests/rollup/rollup.sql over a 100k-row
posts file written by the project's generator, and the app's native engine (the `bench`
binary's `--kpis` mode) must give the same KPIs, overall and per group, on the rollup as
on the raw posts.

usage: python3 tests/rollup/test_rollup.py [--posts N]
Skips (exit 0, with a message) when the duckdb package cannot be imported or installed.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TOLERANCE = 1e-9


def import_duckdb():
    try:
        import duckdb  # noqa: F401
        return duckdb
    except ImportError:
        pass
    install = [sys.executable, "-m", "pip", "install", "--quiet", "duckdb"]
    for extra in ([], ["--user"], ["--break-system-packages"]):
        if subprocess.run(install + extra, capture_output=True).returncode == 0:
            try:
                import duckdb  # noqa: F811
                return duckdb
            except ImportError:
                continue
    return None


def cargo_run(binary, *args):
    out = subprocess.run(
        ["cargo", "run", "--release", "--quiet", "--bin", binary, "--", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.exit(f"{binary} failed:\n{out.stderr}")
    return out.stdout


def kpis(directory):
    return json.loads(cargo_run("bench", "--kpis", directory))


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=1e-9)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=100_000)
    args = parser.parse_args()
    duckdb = import_duckdb()
    if duckdb is None:
        print("SKIP: the duckdb Python package is not available and could not be installed")
        return 0
    work = tempfile.mkdtemp(prefix="kpi-rollup-")
    try:
        raw_dir = os.path.join(work, "raw")
        rollup_dir = os.path.join(work, "rollup")
        os.makedirs(rollup_dir)
        cargo_run("gen", "--out", raw_dir, "--posts", str(args.posts))
        for table in ("campaigns.csv", "creators.csv"):
            shutil.copy(os.path.join(raw_dir, table), rollup_dir)
        with open(os.path.join(HERE, "rollup.sql"), encoding="utf-8") as f:
            query = f.read().strip().rstrip(";")
        con = duckdb.connect()
        posts_csv = os.path.join(raw_dir, "posts.csv").replace("'", "''")
        con.execute(f"CREATE VIEW posts AS SELECT * FROM read_csv_auto('{posts_csv}')")
        out_csv = os.path.join(rollup_dir, "posts.csv").replace("'", "''")
        con.execute(f"COPY ({query}) TO '{out_csv}' (HEADER, DELIMITER ',')")
        raw_rows = con.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
        rolled = con.execute(f"SELECT COUNT(*), SUM(post_count) FROM ({query})").fetchone()
        print(f"raw posts rows: {raw_rows}; rollup rows: {rolled[0]} holding {rolled[1]} posts")
        assert rolled[1] == raw_rows, "post_count of the rollup must add up to the raw rows"
        assert rolled[0] < raw_rows, "the rollup must have fewer rows than the raw file"

        raw, rollup = kpis(raw_dir), kpis(rollup_dir)
        failures = []
        compared = 0
        for scope, values in raw.items():
            other = rollup.get(scope)
            if other is None:
                failures.append(f"{scope}: missing in the rollup's results")
                continue
            for kpi, value in values.items():
                compared += 1
                if not close(value, other.get(kpi)):
                    failures.append(f"{scope} {kpi}: raw {value} vs rollup {other.get(kpi)}")
        for failure in failures[:40]:
            print("FAIL", failure)
        print(f"compared {compared} KPI values over {len(raw)} scopes; {len(failures)} differ")
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
