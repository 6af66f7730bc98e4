#!/usr/bin/env python3
"""NumPy batch-map SOM: the same-run baseline for `refine-poi bench som` (BENCHMARKS.md).

Per epoch: BMUs by ||w||^2 - 2 x.w through an SGEMM over row chunks (argmin, lowest index on
ties), per-unit sums with bincount, then Gaussian neighbourhood smoothing
w_j = sum_k h(j,k) S_k / sum_k h(j,k) c_k on a rectangular lattice, radius linear from
max(rows, cols)/2 to 1. Prints the BENCHMARKS.md JSON line (plus per-epoch median/min/max).

usage: numpy_batch_som.py --data X.npy --rows 32 --cols 32 --epochs 5 --seed 7
"""
import argparse
import json
import time

import numpy as np


def bmus(x, w, chunk=8192):
    wn = np.einsum("ij,ij->i", w, w)
    out = np.empty(len(x), dtype=np.int64)
    for s in range(0, len(x), chunk):
        scores = wn[None, :] - 2.0 * (x[s:s + chunk] @ w.T)
        out[s:s + chunk] = np.argmin(scores, axis=1)
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--rows", type=int, default=32)
    p.add_argument("--cols", type=int, default=32)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--warmup", type=int, default=1)
    a = p.parse_args()
    x = np.load(a.data).astype(np.float32, copy=False)
    n, d = x.shape
    m = a.rows * a.cols
    rng = np.random.default_rng(a.seed)
    w0 = x[rng.choice(n, size=m, replace=n < m)].copy()
    r, c = np.divmod(np.arange(m), a.cols)
    sq = ((r[:, None] - r[None, :]) ** 2 + (c[:, None] - c[None, :]) ** 2).astype(np.float32)
    start = max(1.0, max(a.rows, a.cols) / 2.0)

    def epoch(w, radius):
        b = bmus(x, w)
        counts = np.bincount(b, minlength=m).astype(np.float32)
        sums = np.zeros((m, d), dtype=np.float32)

        for j in range(d):
            sums[:, j] = np.bincount(b, weights=x[:, j], minlength=m)
        h = np.exp(-sq / np.float32(2 * radius * radius))
        num = h @ sums
        den = h @ counts
        nw = w.copy()
        ok = den > 0
        nw[ok] = num[ok] / den[ok, None]
        return nw

    w = w0
    for e in range(a.warmup):
        epoch(w0, start)
    times = []
    c0 = time.process_time()
    t0 = time.perf_counter()
    for e in range(a.epochs):
        radius = start if a.epochs == 1 else start + (1.0 - start) * e / (a.epochs - 1)
        e0 = time.perf_counter()
        w = epoch(w, radius)
        times.append(time.perf_counter() - e0)
    train = time.perf_counter() - t0
    cpu = time.process_time() - c0
    b = bmus(x, w)
    qe = float(np.mean(np.linalg.norm(x - w[b], axis=1)))
    # second best for TE
    wn = np.einsum("ij,ij->i", w, w)
    te_err = 0
    for s in range(0, n, 8192):
        scores = wn[None, :] - 2.0 * (x[s:s + 8192] @ w.T)
        two = np.argsort(scores, axis=1, kind="stable")[:, :2]
        r1, c1 = np.divmod(two[:, 0], a.cols)
        r2, c2 = np.divmod(two[:, 1], a.cols)
        te_err += int(np.sum(np.maximum(np.abs(r1 - r2), np.abs(c1 - c2)) > 1))
    ts = sorted(times)
    print(json.dumps({
        "impl": "numpy-" + np.__version__, "n": n, "d": d, "rows": a.rows, "cols": a.cols,
        "epochs": a.epochs, "train_s": train, "s_per_epoch": train / a.epochs,
        "s_per_epoch_median": ts[len(ts) // 2], "s_per_epoch_min": ts[0],
        "s_per_epoch_max": ts[-1], "cpu_s_per_epoch": cpu / a.epochs, "qe": qe, "te": te_err / n}))


if __name__ == "__main__":
    main()
