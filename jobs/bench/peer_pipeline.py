#!/usr/bin/python3
"""The single-machine peer of issue 9, goal 3: pandas + scikit-learn doing what the product does on the
UCI Online Retail file (ingest, clean, RFM-style features, logistic regression and gradient boosting),
timed step by step. Benchmark-only: not part of the product, not run by CI.

Protocol (../shared/data/README.md): population = customers with at least one non-cancelled invoice
before as_of; features from the invoice lines before as_of; label = a non-cancelled invoice in
[as_of, as_of + 90 days). Train on as_of 2011-03-01, 04-01, 05-01, 06-01; test out of time on 2011-09-01.

    /usr/bin/python3 jobs/bench/peer_pipeline.py --input ../shared/data/online-retail/online_retail_2010-2011.csv.gz
    /usr/bin/python3 jobs/bench/peer_pipeline.py --input target/benchmark/work/online-retail-x20/input --copies 20 \
        --csv target/benchmark/results.csv

Uses Debian's python3-pandas and python3-sklearn (/usr/bin/python3).
"""
import argparse
import csv
import datetime
import glob
import os
import resource
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

TRAIN_AS_OF = ["2011-03-01", "2011-04-01", "2011-05-01", "2011-06-01"]
TEST_AS_OF = "2011-09-01"
HORIZON = pd.Timedelta(days=90)
SEED = 42
# The columns of target/benchmark/results.csv (com.customervalue.bench.BenchRow.COLUMNS); an existing
# file's own header wins, so both writers stay in step.
COLUMNS = ["date", "cores", "memory_gib", "git_commit", "mode", "size", "stage", "measure", "wall_seconds",
           "input_rows", "rows_per_second", "peak_heap_mb", "shuffle_read_bytes", "shuffle_write_bytes",
           "shuffle_bytes", "spill_bytes", "peak_execution_memory_mb", "task_busy_seconds", "no_task_share",
           "driver_memory", "note"]
# Counts and amounts are heavy-tailed: the linear model sees their log.
SKEWED = ["frequency", "monetary", "avg_order_value", "lines", "distinct_products", "spend_90d",
          "orders_90d", "returns", "returned_amount", "months_active", "avg_unit_price"]


def input_files(path):
    """A file, or the part files of a folder the harness wrote."""
    if os.path.isdir(path):
        files = sorted(glob.glob(os.path.join(path, "part-*.csv*")))
        if not files:
            sys.exit(f"no part-*.csv files in {path}")
        return files
    if not os.path.isfile(path):
        sys.exit(f"cannot read {path}: no such file or folder")
    return [path]


def read(path):
    dtypes = {"InvoiceNo": str, "StockCode": str, "Description": str, "Quantity": "int64",
              "UnitPrice": "float64", "CustomerID": "float64", "Country": str, "InvoiceDate": str}
    frames = [pd.read_csv(f, dtype=dtypes) for f in input_files(path)]
    lines = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    lines["InvoiceDate"] = pd.to_datetime(lines["InvoiceDate"], format="%Y-%m-%d %H:%M:%S")
    return lines


def clean(lines):
    """Exact duplicate lines and lines without a customer go; cancellations (invoice numbers starting with C)
    are kept apart as returns; sales keep a positive quantity and price."""
    lines = lines.drop_duplicates()
    lines = lines[lines["CustomerID"].notna()]
    cancelled = lines["InvoiceNo"].str.startswith("C")
    lines = lines.assign(amount=lines["Quantity"] * lines["UnitPrice"],
                         month=lines["InvoiceDate"].dt.year * 12 + lines["InvoiceDate"].dt.month)
    sales = lines[~cancelled & (lines["Quantity"] > 0) & (lines["UnitPrice"] > 0)]
    returns = lines[cancelled]
    return sales, returns


def snapshot(sales, returns, as_of):
    """One row per customer with a sale before as_of: RFM-style features and the 90-day label."""
    as_of = pd.Timestamp(as_of)
    before = sales[sales["InvoiceDate"] < as_of]
    g = before.groupby("CustomerID")
    orders = before.groupby(["CustomerID", "InvoiceNo"], sort=False)["amount"].sum()
    by_order = orders.groupby(level=0)
    recent = before[before["InvoiceDate"] >= as_of - HORIZON].groupby("CustomerID")
    last, first = g["InvoiceDate"].max(), g["InvoiceDate"].min()
    f = pd.DataFrame({
        "recency_days": (as_of - last).dt.days,
        "tenure_days": (as_of - first).dt.days,
        "frequency": g["InvoiceNo"].nunique(),
        "monetary": g["amount"].sum(),
        "lines": g.size(),
        "distinct_products": g["StockCode"].nunique(),
        "avg_unit_price": g["UnitPrice"].mean(),
        "months_active": g["month"].nunique(),
        "largest_order": by_order.max(),
        "is_uk": g["Country"].first().eq("United Kingdom").astype(int),
    })
    f["avg_order_value"] = f["monetary"] / f["frequency"]
    f["spend_90d"] = recent["amount"].sum().reindex(f.index, fill_value=0.0)
    f["orders_90d"] = recent["InvoiceNo"].nunique().reindex(f.index, fill_value=0)
    r = returns[returns["InvoiceDate"] < as_of].groupby("CustomerID")
    f["returns"] = r["InvoiceNo"].nunique().reindex(f.index, fill_value=0)
    f["returned_amount"] = (-r["amount"].sum()).reindex(f.index, fill_value=0.0)
    window = sales[(sales["InvoiceDate"] >= as_of) & (sales["InvoiceDate"] < as_of + HORIZON)]
    f["label"] = f.index.isin(window["CustomerID"].unique()).astype(int)
    f["as_of"] = as_of
    return f


def log1p_skewed(x):
    out = x.copy()
    for c in SKEWED:
        if c in out:
            out[c] = np.log1p(out[c].clip(lower=0))
    return out


class Timer:
    def __init__(self):
        self.steps = []

    def step(self, name, fn, rows=None):
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
        n = rows(result) if rows else -1
        self.steps.append((name, seconds, n))
        print(f"[peer] {name:<14} {seconds:9.2f} s" + (f" {n:12d} rows" if n >= 0 else ""), flush=True)
        return result


def append_csv(path, steps, copies, commit, notes):
    exists = os.path.exists(path) and os.path.getsize(path) > 0
    header = COLUMNS
    if exists:
        with open(path, newline="") as f:
            header = next(csv.reader(f))
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    date = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    with open(path, "a", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, extrasaction="ignore")
        if not exists:
            writer.writeheader()
        for name, seconds, rows in steps:
            writer.writerow({
                "date": date, "cores": os.cpu_count(), "memory_gib": f"{memory_gib:.1f}", "git_commit": commit,
                "mode": "peer", "size": copies, "stage": name, "measure": "peer", "wall_seconds": f"{seconds:.3f}",
                "input_rows": rows, "rows_per_second": f"{rows / seconds:.0f}" if rows >= 0 and seconds > 0 else -1,
                # Python has no JVM heap: the process's peak resident memory, the same for every step.
                "peak_heap_mb": f"{peak_rss_mb:.1f}", "shuffle_read_bytes": 0, "shuffle_write_bytes": 0,
                "shuffle_bytes": 0, "spill_bytes": 0, "peak_execution_memory_mb": -1, "task_busy_seconds": -1,
                "no_task_share": -1, "driver_memory": "",
                "note": notes.get(name, ""),
            })


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", required=True, help="the Online Retail CSV, or a folder of part-*.csv.gz")
    parser.add_argument("--copies", type=int, default=1, help="copies the input holds (for the CSV's size column)")
    parser.add_argument("--csv", help="append one row per step to this benchmark CSV")
    parser.add_argument("--commit", default="unknown", help="git commit for the CSV")
    args = parser.parse_args()
    print(f"[peer] pandas {pd.__version__}, scikit-learn {sklearn.__version__}, numpy {np.__version__}", flush=True)

    t = Timer()
    total_start = time.perf_counter()
    lines = t.step("read", lambda: read(args.input), len)
    read_rows = len(lines)
    sales, returns = t.step("clean", lambda: clean(lines), lambda r: read_rows)
    del lines

    def features():
        train = pd.concat([snapshot(sales, returns, d) for d in TRAIN_AS_OF])
        test = snapshot(sales, returns, TEST_AS_OF)
        return train, test
    train, test = t.step("features", features, lambda r: len(r[0]) + len(r[1]))
    cols = [c for c in train.columns if c not in ("label", "as_of")]
    x_train, y_train, x_test, y_test = train[cols], train["label"], test[cols], test["label"]
    print(f"[peer] train {len(train)} rows ({y_train.mean():.1%} return), test {TEST_AS_OF} {len(test)} customers"
          f" ({y_test.mean():.1%} return)", flush=True)

    logistic = make_pipeline(FunctionTransformer(log1p_skewed), StandardScaler(),
                             LogisticRegression(max_iter=2000, random_state=SEED))
    gbt = GradientBoostingClassifier(random_state=SEED)
    t.step("fit_logistic", lambda: logistic.fit(x_train, y_train), lambda r: len(x_train))
    t.step("fit_gbt", lambda: gbt.fit(x_train, y_train), lambda r: len(x_train))
    probs = t.step("score", lambda: {n: m.predict_proba(x_test)[:, 1] for n, m in
                                     (("logistic", logistic), ("gbt", gbt))}, lambda r: 2 * len(x_test))
    total = time.perf_counter() - total_start
    t.steps.append(("total", total, read_rows))
    notes = {}
    for name, p in probs.items():
        auc, loss = roc_auc_score(y_test, p), log_loss(y_test, p)
        notes[f"fit_{name}"] = f"roc_auc={auc:.4f} log_loss={loss:.4f} test_rows={len(y_test)}"
        print(f"[peer] {name:<8} out-of-time ROC-AUC {auc:.4f}  log loss {loss:.4f}", flush=True)
    notes["total"] = "; ".join(f"{n}: {notes['fit_' + n]}" for n in probs)
    print(f"[peer] total          {total:9.2f} s (read through score)", flush=True)
    if args.csv:
        append_csv(args.csv, t.steps, args.copies, args.commit, notes)


if __name__ == "__main__":
    main()
