"""Peer timings for `npm run bench:ops`: the same operations in scipy.ndimage on the same input.

Usage: python3 ops_scipy.py <dir> nx ny nz sx sy sz runs op
Reads <dir>/img.i16 and <dir>/mask.u8 (x fastest), times one op, writes <dir>/scipy-<op>.json
with median wall and CPU seconds and a summary of the result; the EDT and Gaussian results
go to <dir>/scipy_<op>.f32 for the agreement check. One op per process so that the caller
can interleave Rachis and scipy runs (the shared machine's load drifts).
"""
import json
import sys
import time

import numpy as np
from scipy import ndimage

d, nx, ny, nz, sx, sy, sz, runs, op = sys.argv[1], *map(int, sys.argv[2:5]), *map(float, sys.argv[5:8]), int(sys.argv[8]), sys.argv[9]
img = np.fromfile(f"{d}/img.i16", dtype=np.int16).reshape(nz, ny, nx)
mask = np.fromfile(f"{d}/mask.u8", dtype=np.uint8).reshape(nz, ny, nx).astype(bool)
sampling = (sz, sy, sx)


def ellipsoid(r_mm):
    rad = [int(np.floor(r_mm / s)) for s in sampling]
    zz, yy, xx = np.ogrid[-rad[0]:rad[0] + 1, -rad[1]:rad[1] + 1, -rad[2]:rad[2] + 1]
    return (zz * sz) ** 2 + (yy * sy) ** 2 + (xx * sx) ** 2 <= r_mm ** 2 * (1 + 1e-6)


se = ellipsoid(3.0)
ops = {
    "threshold": lambda: (img >= 300) & (img <= 10000),
    "connectedComponents26": lambda: ndimage.label(mask, structure=np.ones((3, 3, 3)))[1],
    "connectedComponents6": lambda: ndimage.label(mask)[1],
    "distanceToMask": lambda: ndimage.distance_transform_edt(~mask, sampling=sampling),
    "dilate3mm": lambda: ndimage.binary_dilation(mask, structure=se),
    "fillHoles": lambda: ndimage.binary_fill_holes(mask),
    "gaussianSmooth2mm": lambda: ndimage.gaussian_filter(img.astype(np.float32), sigma=[2.0 / s for s in sampling], mode="nearest", truncate=4.0),
    "statistics": lambda: (img[mask].mean(), img[mask].std(), np.percentile(img[mask], [5, 50, 95])),
}
fn = ops[op]
walls, cpus = [], []
result = fn()  # warm-up, as on the Node side
for _ in range(runs):
    t, c = time.perf_counter(), time.process_time()
    result = fn()
    walls.append(time.perf_counter() - t)
    cpus.append(time.process_time() - c)
out = {"wall": float(np.median(walls)), "cpu": float(np.median(cpus))}
if op.startswith("connectedComponents"):
    out["count"] = int(result)
elif op in ("dilate3mm", "fillHoles"):
    out["voxels"] = int(result.sum())
elif op in ("distanceToMask", "gaussianSmooth2mm"):
    result.astype(np.float32).tofile(f"{d}/scipy_{op}.f32")
json.dump(out, open(f"{d}/scipy-{op}.json", "w"))
