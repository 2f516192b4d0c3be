/**
 * Orthonormal frame of one vertebral body: centre, column axis, anterior axis (see VertebraFrame).
 */
import type { Vec3 } from '@rachis/imaging';
import type { VertebraResult } from '@rachis/spine';
import { add, cross, dot, norm, sub, unit, type BodyVoxels } from './body-mask.js';
import type { VertebraFrame } from './types.js';

const MAX_NEIGHBOUR_GAP_MM = 60;

/** Frame of one body. `above`/`below` are the neighbouring bodies' centroids when present. */
export function vertebraFrame(body: BodyVoxels, vertebra: VertebraResult, above?: Vec3, below?: Vec3): VertebraFrame {
  const c = body.centroidMm;
  let superior: Vec3 = [0, 0, 1];
  let axisSource: VertebraFrame['axisSource'] = 'image-superior';
  const near = (p?: Vec3) => (p && norm(sub(p, c)) < MAX_NEIGHBOUR_GAP_MM ? p : undefined);
  const a = near(above);
  const b = near(below);
  if (a || b) {
    superior = unit(sub(a ?? c, b ?? c));
    axisSource = 'neighbours';
  }
  if (superior[2] < 0) superior = [-superior[0], -superior[1], -superior[2]];
  const orthogonal = (v: Vec3): Vec3 => add(v, superior, -dot(v, superior));
  let ant = orthogonal(sub(c, vertebra.centroidMm)); // the whole-vertebra centroid lies behind the body
  if (norm(ant) < 3) ant = orthogonal([0, -1, 0]); // no posterior elements: LPS anterior is −P
  const anterior = unit(ant);
  return { centreMm: c, superior, anterior, lateral: cross(superior, anterior), axisSource };
}

