#!/usr/bin/env python3
"""NumPy batch-map SOM: the same-run baseline for `refine-poi bench som` (BENCHMARKS.md).

Per epoch: BMUs by ||w||^2 - 2 x.w through an SGEMM over row chunks (argmin: the lowest index wins
a tie), per-unit sums with bincount, then Gaussian neighbourhood smoothing
w_j = sum_k h(j,k) S_k / sum_k h(j,k) c_k on a rectangular lattice (a unit without weight keeps its
prototype). The regime takes the same options as `bench som` and the same defaults (the SDK's):
--init pca (the plane of the two leading principal components, scaled to sqrt(eigenvalue), the
longer lattice side on the first component, each component's largest coordinate positive) or
random (distinct samples; NumPy's generator, so not the same rows as the SDK's), --radius-decay
linear|exponential|asymptotic from --radius-start (half the longer side, at least 1) to
--radius-end (1). --init-codebook starts from a codebook file instead (for example the one
`bench som --init-codebook-out` wrote), so both tools start from the same prototypes.
TE: best and second-best unit by a stable sort of the same scores (lowest index first among equal
scores). Prints the BENCHMARKS.md JSON line (plus per-epoch median/min/max and the regime).

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


def pca_init(x, rows, cols):
    """The SDK's PCA initialization (org.refinepoi.som.train.Initialization.PCA)."""
    xd = x.astype(np.float64)
    mean = xd.mean(axis=0)
    centred = xd - mean
    cov = centred.T @ centred / max(1, len(x) - 1)
    vals, vecs = np.linalg.eigh(cov)
    order = np.argsort(vals)[::-1][:2]
    comps = []
    for k in order:
        v = vecs[:, k]
        if v[np.argmax(np.abs(v))] < 0:
            v = -v
        comps.append((np.sqrt(max(0.0, vals[k])), v))
    while len(comps) < 2:
        comps.append((0.0, np.zeros(x.shape[1])))
    r, c = np.divmod(np.arange(rows * cols), cols)

    def scale(v):
        lo, hi = v.min(), v.max()
        return 2 * (v - lo) / (hi - lo) - 1 if hi > lo else np.zeros_like(v, dtype=np.float64)

    u, v = scale(c.astype(np.float64)), scale(r.astype(np.float64))
    x_first = (c.max() - c.min()) >= (r.max() - r.min())
    a, b = (u, v) if x_first else (v, u)
    w = mean[None, :] + a[:, None] * comps[0][0] * comps[0][1] + b[:, None] * comps[1][0] * comps[1][1]
    return w.astype(np.float32)


def radius_at(decay, start, end, e, epochs):
    if epochs == 1:
        return start
    t = e / (epochs - 1)
    if decay == "linear":
        return start + (end - start) * t
    if decay == "exponential":
        return start * (end / start) ** t
    return start / (1 + (start / end - 1) * t)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--rows", type=int, default=32)
    p.add_argument("--cols", type=int, default=32)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--init", choices=["pca", "random"], default="pca")
    p.add_argument("--init-codebook", help="start from this (rows*cols) x d .npy codebook")
    p.add_argument("--radius-decay", choices=["linear", "exponential", "asymptotic"],
                   default="linear")
    p.add_argument("--radius-start", type=float)
    p.add_argument("--radius-end", type=float, default=1.0)
    a = p.parse_args()
    x = np.load(a.data).astype(np.float32, copy=False)
    n, d = x.shape
    m = a.rows * a.cols
    if a.init_codebook:
        w0 = np.load(a.init_codebook).astype(np.float32)
        if w0.shape != (m, d):
            raise SystemExit(f"--init-codebook is {w0.shape}, expected {(m, d)}")
        init = "file"
    elif a.init == "pca":
        w0 = pca_init(x, a.rows, a.cols)
        init = "pca"
    else:
        rng = np.random.default_rng(a.seed)
        w0 = x[rng.choice(n, size=m, replace=n < m)].copy()
        init = "random"
    r, c = np.divmod(np.arange(m), a.cols)
    sq = ((r[:, None] - r[None, :]) ** 2 + (c[:, None] - c[None, :]) ** 2).astype(np.float32)
    start = a.radius_start if a.radius_start is not None else max(1.0, max(a.rows, a.cols) / 2.0)
    end = a.radius_end

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
        radius = radius_at(a.radius_decay, start, end, e, a.epochs)
        e0 = time.perf_counter()
        w = epoch(w, radius)
        times.append(time.perf_counter() - e0)
    train = time.perf_counter() - t0
    cpu = time.process_time() - c0
    b = bmus(x, w)
    qe = float(np.mean(np.linalg.norm(x - w[b], axis=1)))
    # Second best for TE: a stable sort, so among equal scores the lowest index comes first.
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
        "epochs": a.epochs, "init": init, "neighbourhood": "gaussian",
        "radius_decay": a.radius_decay, "radius_start": start, "radius_end": end, "seed": a.seed,
        "train_s": train, "s_per_epoch": train / a.epochs,
        "s_per_epoch_median": ts[len(ts) // 2], "s_per_epoch_min": ts[0],
        "s_per_epoch_max": ts[-1], "cpu_s_per_epoch": cpu / a.epochs, "qe": qe, "te": te_err / n}))


if __name__ == "__main__":
    main()
