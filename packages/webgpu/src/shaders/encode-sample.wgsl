// The first half of JPEG encoding on the GPU, bit-exact with libjpeg-turbo's compressor: colour conversion
// (jccolor.c rgb_ycc_convert / rgb_gray_convert, 16-bit fixed point) and downsampling (jcsample.c, without
// smoothing) of one component into a plane of 8-bit samples, 4 to a u32, padded to whole blocks as libjpeg pads
// it: columns past the image repeat the last one (expand_right_edge), rows past the last row group repeat the
// image's last row (jcprepct.c before downsampling), and downsampled rows past the last row group repeat the
// last downsampled row (jcprepct.c after downsampling).

#include "encode-params.wgsl"

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> pixels: array<u32>;
@group(0) @binding(2) var<storage, read_write> plane: array<u32>;

// jccolor.c's tables are linear in the sample, so each entry is FIX(weight) · sample, computed directly.
fn converted(x: u32, y: u32) -> i32 {
  let cx = min(x, params.imageWidth - 1u);
  let cy = min(y, params.imageHeight - 1u);
  let p = pixels[cy * params.imageWidth + cx];
  let r = i32(p & 255u);
  let g = i32((p >> 8u) & 255u);
  let b = i32((p >> 16u) & 255u);
  switch (params.kind) {
    case 1u: {
      // Cb: −FIX(0.16874)·R − FIX(0.33126)·G + FIX(0.5)·B + CBCR_OFFSET + ONE_HALF − 1
      return (-11059 * r - 21709 * g + 32768 * b + (128 << 16) + 32767) >> 16u;
    }
    case 2u: {
      // Cr: FIX(0.5)·R − FIX(0.41869)·G − FIX(0.08131)·B + CBCR_OFFSET + ONE_HALF − 1
      return (32768 * r - 27439 * g - 5329 * b + (128 << 16) + 32767) >> 16u;
    }
    default: {
      // Y: FIX(0.299)·R + FIX(0.587)·G + FIX(0.114)·B + ONE_HALF
      return (19595 * r + 38470 * g + 7471 * b + 32768) >> 16u;
    }
  }
}

// Downsampled sample (sx, sy) of the component.
fn sampleAt(sx: u32, sy: u32) -> i32 {
  let ry = min(sy, params.lastRow);
  switch (params.method) {
    case 0u: {
      return converted(sx, ry);
    }
    case 1u: {
      // h2v1_downsample: bias 0, 1, 0, 1 … across the row.
      return (converted(2u * sx, ry) + converted(2u * sx + 1u, ry) + i32(sx & 1u)) >> 1u;
    }
    case 2u: {
      // h2v2_downsample: bias 1, 2, 1, 2 … across the row.
      let top = converted(2u * sx, 2u * ry) + converted(2u * sx + 1u, 2u * ry);
      let bottom = converted(2u * sx, 2u * ry + 1u) + converted(2u * sx + 1u, 2u * ry + 1u);
      return (top + bottom + 1 + i32(sx & 1u)) >> 2u;
    }
    default: {
      // int_downsample: the rounded mean of hExpand × vExpand pixels.
      var sum = 0;
      for (var v = 0u; v < params.vExpand; v++) {
        for (var h = 0u; h < params.hExpand; h++) {
          sum += converted(sx * params.hExpand + h, ry * params.vExpand + v);
        }
      }
      let count = i32(params.hExpand * params.vExpand);
      return (sum + count / 2) / count;
    }
  }
}

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let quads = params.planeWidth / 4u;
  if (id.x >= quads || id.y >= params.planeHeight) {
    return;
  }
  let sx = id.x * 4u;
  var word = 0u;
  for (var i = 0u; i < 4u; i++) {
    word |= u32(sampleAt(sx + i, id.y)) << (8u * i);
  }
  plane[id.y * quads + id.x] = word;
}
