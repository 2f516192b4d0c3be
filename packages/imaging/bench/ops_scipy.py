"""Peer timings for `npm run bench:ops`: the same operations in scipy.ndimage on the same input.

Usage: python3 ops_scipy.py <dir> nx ny nz sx sy sz runs
Reads <dir>/img.i16 and <dir>/mask.u8 (x fastest), writes <dir>/scipy.json with median seconds,
and a few results (<dir>/scipy_edt.f32, scipy_gauss.f32) for the agreement check.
"""
import json
import sys
import time

import numpy as np
from scipy import ndimage

d, nx, ny, nz, sx, sy, sz, runs = sys.argv[1], *map(int, sys.argv[2:5]), *map(float, sys.argv[5:8]), int(sys.argv[8])
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
out = {}
results = {}
for name, fn in ops.items():
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        results[name] = fn()
        times.append(time.perf_counter() - t)
    out[name] = float(np.median(times))
out["cc26_count"] = int(results["connectedComponents26"])
out["cc6_count"] = int(results["connectedComponents6"])
out["dilate_voxels"] = int(results["dilate3mm"].sum())
out["fill_voxels"] = int(results["fillHoles"].sum())
results["distanceToMask"].astype(np.float32).tofile(f"{d}/scipy_edt.f32")
results["gaussianSmooth2mm"].astype(np.float32).tofile(f"{d}/scipy_gauss.f32")
json.dump(out, open(f"{d}/scipy.json", "w"))
