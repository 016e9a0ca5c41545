// Chroma upsampling + colour conversion, fused: one invocation per output pixel reads the component planes the
// IDCT wrote and writes one GpuPixels word (RGBA8, R in the low byte; gray as R = G = B). Bit for bit what
// libjpeg-turbo 2.1.5 does for `djpeg -dct int` (written from jdsample.c with do_fancy_upsampling, the context
// rows jdmainct.c provides, jdcolor.c's fixed-point tables and cmyk.h; our own code, as the cuda backend's
// exact-math.cuh).

// params layout (i32 words):
//   [0] width, [1] height (output pixels), [2] colour mode (COLOR_*), [3] component count
//   component c at 8 + 8c: [plane offset, pitch, downsampled width, downsampled height, method (UPSAMPLE_*),
//                           horizontal expansion, vertical expansion, 0]
@group(0) @binding(0) var<storage, read> planes: array<u32>;
@group(0) @binding(1) var<storage, read> params: array<i32>;
@group(0) @binding(2) var<storage, read_write> pixels: array<u32>;

const UPSAMPLE_BOX: i32 = 0; // fullsize, int_upsample and the box h2v1/h2v2_upsample: replication
const UPSAMPLE_H2V1_FANCY: i32 = 1;
const UPSAMPLE_H1V2_FANCY: i32 = 2;
const UPSAMPLE_H2V2_FANCY: i32 = 3;

const COLOR_GRAY: i32 = 0; // component 0 as gray (gray JPEGs, and djpeg -grayscale of YCbCr)
const COLOR_YCC: i32 = 1;
const COLOR_RGB: i32 = 2;
const COLOR_CMYK: i32 = 3;
const COLOR_YCCK: i32 = 4;
const COLOR_RGB_GRAY: i32 = 5; // rgb_gray_convert: an RGB JPEG decoded to gray

struct Plane {
  offset: i32,
  pitch: i32,
  width_in: i32,
  height_in: i32,
  method: i32,
  h_expand: i32,
  v_expand: i32,
}

fn plane(c: i32) -> Plane {
  let at = 8 + 8 * c;
  return Plane(params[at], params[at + 1], params[at + 2], params[at + 3], params[at + 4], params[at + 5],
               params[at + 6]);
}

fn sample(p: Plane, x: i32, y: i32) -> i32 {
  return i32(planes[p.offset + y * p.pitch + x]);
}

// 3 × the nearer row + the further one (the row above for even outputs, below for odd ones), with the context
// rows jdmainct.c provides: the first row is its own "above", rows past the last real one repeat it.
fn column_sum(p: Plane, x: i32, y: i32) -> i32 {
  let row = y >> 1u;
  var other = min(row + 1, p.height_in - 1);
  if ((y & 1) == 0) { other = max(row - 1, 0); }
  return sample(p, x, row) * 3 + sample(p, x, other);
}

fn upsample(p: Plane, x: i32, y: i32) -> i32 {
  switch (p.method) {
    case UPSAMPLE_H2V1_FANCY: { // h2v1_fancy_upsample: triangle filter along the row, biases +1 / +2, edge columns pass through.
      let i = x >> 1u;
      let nearer = sample(p, i, y) * 3;
      if ((x & 1) == 0) {
        if (i == 0) { return sample(p, 0, y); }
        return (nearer + sample(p, i - 1, y) + 1) >> 2u;
      }
      if (i == p.width_in - 1) { return sample(p, i, y); }
      return (nearer + sample(p, i + 1, y) + 2) >> 2u;
    }
    case UPSAMPLE_H1V2_FANCY: { // h1v2_fancy_upsample: bias 1 towards the row above, 2 towards the row below.
      return (column_sum(p, x, y) + select(2, 1, (y & 1) == 0)) >> 2u;
    }
    case UPSAMPLE_H2V2_FANCY: { // h2v2_fancy_upsample: column sums, then 3 × nearer + further column, biases +8 / +7.
      let i = x >> 1u;
      let own = column_sum(p, i, y);
      if ((x & 1) == 0) {
        if (i == 0) { return (own * 4 + 8) >> 4u; }
        return (own * 3 + column_sum(p, i - 1, y) + 8) >> 4u;
      }
      if (i == p.width_in - 1) { return (own * 4 + 7) >> 4u; }
      return (own * 3 + column_sum(p, i + 1, y) + 7) >> 4u;
    }
    default: {
      return sample(p, x / p.h_expand, y / p.v_expand);
    }
  }
}

// jdcolor.c at SCALEBITS 16: FIX(1.40200), FIX(1.77200), FIX(0.71414), FIX(0.34414), ONE_HALF.
const CR_R: i32 = 91881;
const CB_B: i32 = 116130;
const CR_G: i32 = 46802;
const CB_G: i32 = 22554;
const ONE_HALF: i32 = 32768;
// rgb_gray_convert's FIX(0.29900), FIX(0.58700), FIX(0.11400).
const R_Y: i32 = 19595;
const G_Y: i32 = 38470;
const B_Y: i32 = 7471;

// ycc_rgb_convert, unclamped (the caller clamps as sample_range_limit does).
fn ycc_to_rgb(y: i32, cb: i32, cr: i32) -> vec3<i32> {
  let xb = cb - 128;
  let xr = cr - 128;
  let r = y + ((CR_R * xr + ONE_HALF) >> 16u);
  let g = y + ((-CB_G * xb + ONE_HALF - CR_G * xr) >> 16u);
  let b = y + ((CB_B * xb + ONE_HALF) >> 16u);
  return vec3<i32>(r, g, b);
}

// cmyk.h's cmyk_to_rgb (round(v · k / 255) in doubles), exactly, in integers.
fn mul_div255(v: i32, k: i32) -> i32 {
  let t = v * k + 128;
  return (t + (t >> 8u)) >> 8u;
}

fn pack_rgb(rgb: vec3<i32>) -> u32 {
  let c = vec3<u32>(clamp(rgb, vec3<i32>(0), vec3<i32>(255)));
  return c.x | (c.y << 8u) | (c.z << 16u) | 0xff000000u;
}

fn pack_gray(v: i32) -> u32 {
  let g = u32(clamp(v, 0, 255));
  return g | (g << 8u) | (g << 16u) | 0xff000000u;
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let width = params[0];
  let height = params[1];
  let x = i32(gid.x);
  let y = i32(gid.y);
  if (x >= width || y >= height) { return; }
  let mode = params[2];
  let c0 = upsample(plane(0), x, y);
  var word: u32;
  if (mode == COLOR_GRAY) {
    word = pack_gray(c0);
  } else {
    let c1 = upsample(plane(1), x, y);
    let c2 = upsample(plane(2), x, y);
    switch (mode) {
      case COLOR_YCC: { word = pack_rgb(ycc_to_rgb(c0, c1, c2)); }
      case COLOR_RGB: { word = pack_rgb(vec3<i32>(c0, c1, c2)); }
      case COLOR_CMYK: {
        let k = upsample(plane(3), x, y);
        word = pack_rgb(vec3<i32>(mul_div255(c0, k), mul_div255(c1, k), mul_div255(c2, k)));
      }
      case COLOR_YCCK: {
        // ycck_cmyk_convert: CMY = 255 − the YCC → RGB result, range-limited; K passes through.
        let k = upsample(plane(3), x, y);
        let cmy = clamp(vec3<i32>(255) - ycc_to_rgb(c0, c1, c2), vec3<i32>(0), vec3<i32>(255));
        word = pack_rgb(vec3<i32>(mul_div255(cmy.x, k), mul_div255(cmy.y, k), mul_div255(cmy.z, k)));
      }
      case COLOR_RGB_GRAY, default: {
        word = pack_gray((R_Y * c0 + G_Y * c1 + B_Y * c2 + ONE_HALF) >> 16u);
      }
    }
  }
  pixels[u32(y * width + x)] = word;
}
