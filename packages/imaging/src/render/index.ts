/** Rendering of 2-D views and key images: `import { … } from '@rachis/imaging/render'`. */
export { WINDOWS, windowTo8bit, autoWindow, labelColour, cssColour, type CtWindow, type RGB } from './colours.js';
export {
  planeGrid, curvedGrid, pixelToWorld, worldToPixel, worldBounds, spacingAlong, slabOffsets,
  type Plane, type ReformatGrid, type GridOptions,
} from './grid.js';
export {
  reformat, curvedReformat, curvedSagittal, reformatLabels, sampleGrid,
  type Image2D, type ReformatOptions, type SampleOptions, type SlabMode,
} from './reformat.js';
export { composeView, encodePng, type RgbImage, type LegendEntry, type ComposeOptions } from './compose.js';
export {
  renderSpineKeyViews, renderSpineKeyImages, renderAxialOverlay, renderAxialOverlayRgb, renderView, labelCentroidsMm,
  type SpineKeyImageOptions, type SpineKeyViews, type AxialPosition, type AxialOverlayOptions, type ViewOptions,
} from './key-images.js';
