// The parameters of one component that encode-sample.wgsl (colour conversion, downsampling) and
// fdct-quantize.wgsl (FDCT, quantisation) both read; dct-coefficients.ts writes them in this order.

struct Params {
  imageWidth: u32,
  imageHeight: u32,
  // 0: Y (also gray), 1: Cb, 2: Cr.
  kind: u32,
  // jinit_downsampler's choice: 0 fullsize, 1 h2v1, 2 h2v2, 3 int_downsample.
  method: u32,
  // Input pixels per output sample across and down: max_h_samp_factor / h, max_v_samp_factor / v.
  hExpand: u32,
  vExpand: u32,
  // The last downsampled row made from image rows: ceil(height / max_v) · v − 1.
  lastRow: u32,
  // Plane size in samples: blocksPerRow · 8 by blockRows · 8.
  planeWidth: u32,
  planeHeight: u32,
  widthInBlocks: u32,
  heightInBlocks: u32,
  blocksPerRow: u32,
  blockRows: u32,
  // Where this component's coefficients start in the output, in u32 words (fdct-quantize.wgsl).
  outOffset: u32,
  _pad0: u32,
  _pad1: u32,
}
