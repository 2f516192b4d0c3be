/**
 * Rasteriser for the phantom: paints tissue classes into label buffers with a per-class
 * priority (a voxel takes the new class when its priority is ≥ the current one), so the
 * painting order only matters between classes of equal priority. Primitives: axial 2-D
 * ellipses and capsules (per slice), and 3-D shapes evaluated in a vertebra's local frame.
 * Written by hand: no package rasterises anatomical primitives into a label grid.
 */
import type { Vec3 } from '@rachis/imaging';
import type { Frame } from './anatomy.js';
import { TISSUE } from './params.js';

const PRIORITY = new Uint8Array(16);
PRIORITY[TISSUE.air] = 0;
PRIORITY[TISSUE.subcutaneousFat] = 1;
PRIORITY[TISSUE.visceralFat] = 2;
PRIORITY[TISSUE.muscle] = 2;
PRIORITY[TISSUE.imat] = 3;
PRIORITY[TISSUE.organ] = 3;
PRIORITY[TISSUE.lung] = 3;
PRIORITY[TISSUE.bowelGas] = 3;
PRIORITY[TISSUE.vessel] = 4;
PRIORITY[TISSUE.disc] = 5;
PRIORITY[TISSUE.cortical] = 6;
PRIORITY[TISSUE.trabecular] = 7;
PRIORITY[TISSUE.cancellous] = 7;
PRIORITY[TISSUE.csf] = 8;

export class Canvas {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  readonly sx: number;
  readonly sy: number;
  readonly sz: number;
  /** World position of voxel (0,0,0) (identity direction). */
  readonly origin: Vec3;
  readonly tissue: Uint8Array;
  readonly vert: Uint8Array;
  readonly part: Uint8Array;

  constructor(size: Vec3, spacing: Vec3, origin: Vec3) {
    [this.nx, this.ny, this.nz] = size;
    [this.sx, this.sy, this.sz] = spacing;
    this.origin = origin;
    const n = this.nx * this.ny * this.nz;
    this.tissue = new Uint8Array(n);
    this.vert = new Uint8Array(n);
    this.part = new Uint8Array(n);
  }

  zOf(k: number): number {
    return this.origin[2] + k * this.sz;
  }

  paint(idx: number, cls: number, vert: number, part: number): void {
    if (PRIORITY[cls]! >= PRIORITY[this.tissue[idx]!]!) {
      this.tissue[idx] = cls;
      this.vert[idx] = vert;
      this.part[idx] = part;
    }
  }

  /** Fill an axial ellipse on slice k without priority (for the nested body layers). */
  fillEllipse(k: number, cx: number, cy: number, rx: number, ry: number, cls: number, usePriority: boolean): void {
    if (rx <= 0 || ry <= 0) return;
    const { nx, ny, sx, sy } = this;
    const j0 = Math.max(0, Math.ceil((cy - ry - this.origin[1]) / sy));
    const j1 = Math.min(ny - 1, Math.floor((cy + ry - this.origin[1]) / sy));
    const base = k * nx * ny;
    for (let j = j0; j <= j1; j++) {
      const dy = (this.origin[1] + j * sy - cy) / ry;
      const w = 1 - dy * dy;
      if (w <= 0) continue;
      const half = rx * Math.sqrt(w);
      const i0 = Math.max(0, Math.ceil((cx - half - this.origin[0]) / sx));
      const i1 = Math.min(nx - 1, Math.floor((cx + half - this.origin[0]) / sx));
      if (i1 < i0) continue;
      const row = base + j * nx;
      if (!usePriority) {
        this.tissue.fill(cls, row + i0, row + i1 + 1);
      } else {
        for (let i = i0; i <= i1; i++) this.paint(row + i, cls, 0, 0);
      }
    }
  }

  /**
   * Axial 2-D capsule (segment with radius) on slice k; voxels deeper than `shell` mm inside
   * get `inner`, the rest `outer`.
   */
  capsule2D(k: number, a: [number, number], b: [number, number], r: number, shell: number, outer: number, inner: number, part: number): void {
    const { nx, ny, sx, sy } = this;
    const i0 = Math.max(0, Math.floor((Math.min(a[0], b[0]) - r - this.origin[0]) / sx));
    const i1 = Math.min(nx - 1, Math.ceil((Math.max(a[0], b[0]) + r - this.origin[0]) / sx));
    const j0 = Math.max(0, Math.floor((Math.min(a[1], b[1]) - r - this.origin[1]) / sy));
    const j1 = Math.min(ny - 1, Math.ceil((Math.max(a[1], b[1]) + r - this.origin[1]) / sy));
    const ex = b[0] - a[0];
    const ey = b[1] - a[1];
    const len2 = ex * ex + ey * ey || 1;
    const r2 = r * r;
    const rin = Math.max(0, r - shell);
    const rin2 = rin * rin;
    const base = k * nx * ny;
    for (let j = j0; j <= j1; j++) {
      const py = this.origin[1] + j * sy - a[1];
      for (let i = i0; i <= i1; i++) {
        const px = this.origin[0] + i * sx - a[0];
        const t = Math.min(1, Math.max(0, (px * ex + py * ey) / len2));
        const dx = px - t * ex;
        const dy = py - t * ey;
        const d2 = dx * dx + dy * dy;
        if (d2 > r2) continue;
        this.paint(base + j * nx + i, d2 <= rin2 ? inner : outer, 0, part);
      }
    }
  }

  /**
   * Visit every voxel inside the world-space axis-aligned box that bounds `frame` ± extents
   * (local half-extents along l, a, h), calling fn(idx, l, a, h) with local coordinates.
   */
  forLocalBox(frame: Frame, lo: Vec3, hi: Vec3, fn: (idx: number, l: number, a: number, h: number) => void): void {
    let min: [number, number, number] = [Infinity, Infinity, Infinity];
    let max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
    for (let c = 0; c < 8; c++) {
      const l = c & 1 ? hi[0] : lo[0];
      const a = c & 2 ? hi[1] : lo[1];
      const h = c & 4 ? hi[2] : lo[2];
      for (let d = 0; d < 3; d++) {
        const w = frame.c[d]! + l * frame.l[d]! + a * frame.a[d]! + h * frame.h[d]!;
        min[d] = Math.min(min[d]!, w);
        max[d] = Math.max(max[d]!, w);
      }
    }
    min = [min[0] - this.origin[0], min[1] - this.origin[1], min[2] - this.origin[2]];
    max = [max[0] - this.origin[0], max[1] - this.origin[1], max[2] - this.origin[2]];
    const i0 = Math.max(0, Math.floor(min[0] / this.sx));
    const i1 = Math.min(this.nx - 1, Math.ceil(max[0] / this.sx));
    const j0 = Math.max(0, Math.floor(min[1] / this.sy));
    const j1 = Math.min(this.ny - 1, Math.ceil(max[1] / this.sy));
    const k0 = Math.max(0, Math.floor(min[2] / this.sz));
    const k1 = Math.min(this.nz - 1, Math.ceil(max[2] / this.sz));
    const { l: L, a: A, h: H, c: C } = frame;
    for (let k = k0; k <= k1; k++) {
      const wz = this.origin[2] + k * this.sz - C[2];
      for (let j = j0; j <= j1; j++) {
        const wy = this.origin[1] + j * this.sy - C[1];
        const row = (k * this.ny + j) * this.nx;
        for (let i = i0; i <= i1; i++) {
          const wx = this.origin[0] + i * this.sx - C[0];
          const l = wx * L[0] + wy * L[1] + wz * L[2];
          const a = wx * A[0] + wy * A[1] + wz * A[2];
          const h = wx * H[0] + wy * H[1] + wz * H[2];
          fn(row + i, l, a, h);
        }
      }
    }
  }

  /**
   * Capsule in a local frame from p to q (local l, a, h), radius r, stretched by `kh` along h
   * (posterior elements are taller than wide). Shell of `shell` mm painted `outer`, core `inner`.
   */
  capsuleLocal(f: Frame, p: Vec3, q: Vec3, r: number, kh: number, shell: number, outer: number, inner: number, vert: number, part: number): void {
    const lo: Vec3 = [Math.min(p[0], q[0]) - r, Math.min(p[1], q[1]) - r, Math.min(p[2], q[2]) - r * kh];
    const hi: Vec3 = [Math.max(p[0], q[0]) + r, Math.max(p[1], q[1]) + r, Math.max(p[2], q[2]) + r * kh];
    const e: Vec3 = [q[0] - p[0], q[1] - p[1], (q[2] - p[2]) / kh];
    const len2 = e[0] * e[0] + e[1] * e[1] + e[2] * e[2] || 1;
    const r2 = r * r;
    const rin = Math.max(0, r - shell);
    const rin2 = rin * rin;
    this.forLocalBox(f, lo, hi, (idx, l, a, h) => {
      const x = l - p[0];
      const y = a - p[1];
      const z = (h - p[2]) / kh;
      const t = Math.min(1, Math.max(0, (x * e[0] + y * e[1] + z * e[2]) / len2));
      const dx = x - t * e[0];
      const dy = y - t * e[1];
      const dz = z - t * e[2];
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 > r2) return;
      this.paint(idx, d2 <= rin2 ? inner : outer, vert, part);
    });
  }
}
