// An op program: the list of pixel ops a pipeline runs, as lib/ops-program.ts encodes it (a Float64Array), and
// the one runner that executes it — on the GPU (ops.cc: pooled device blocks, the ops-*.cu kernels on a stream)
// or on the CPU (kernels/ops-host-test.cu: host vectors, the same per-pixel functions in loops). Header-only,
// plain C++17, no Node and no CUDA, so both compile it.
//
// Layout (every number a double; weights are float32 values, exact in a double):
//   header  [kOpsMagic, kOpsVersion, stepCount, inputWidth, inputHeight, inputFormat]
//   step    [opcode, payloadLength, payload…]
//   resize  1: [resizeW, resizeH, outW, outH, offsetX, offsetY, linear, copy, bg0, bg1, bg2, bg3, hTaps, vTaps,
//              hStart[resizeW], hCount[resizeW], hWeights[resizeW·hTaps], vStart[resizeH], vCount[resizeH],
//              vWeights[resizeH·vTaps], (linear) srgbToLinear[256]]   — no tables when copy (taps 0)
//   sharpen 2: [radius, amount, threshold, weights[2·radius + 1]]
//   remap   3: [mode, x, y, outW, outH]   (mode 0 crop at (x, y), 1–8 orientation)
//   adjust  4: [table[256]]
//   convert 5: [format]
// Formats are numbered as PixelFormat: rgb 0, rgba 1, bgr 2, bgra 3, gray 4, rgb-planar 5, bgr-planar 6.
// Every index is checked against the image it applies to before anything runs, so a wrong program is an error
// message, never an out-of-bounds read on the device.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/ops-params.h"
#include "kernels/ops-tiles.cuh"

namespace jpegkit {

constexpr double kOpsMagic = 0x4a4b4f50;  // "JKOP"
constexpr double kOpsVersion = 1;
enum OpsOpcode { kOpsResize = 1, kOpsSharpen = 2, kOpsRemap = 3, kOpsAdjust = 4, kOpsConvert = 5 };

namespace opsformat {
inline int Channels(int f) { return f == 4 ? 1 : (f == 1 || f == 3) ? 4 : 3; }
inline bool Planar(int f) { return f == 5 || f == 6; }
inline int BytesPerPixel(int f) { return Planar(f) ? 1 : Channels(f); }
inline int Planes(int f) { return Planar(f) ? 3 : 1; }
inline int Alpha(int f) { return (f == 1 || f == 3) ? 3 : -1; }
inline bool Valid(int f) { return f >= 0 && f <= 6; }
// What each channel holds, in storage order: 'r', 'g', 'b', 'a', 'y' (core's CHANNEL_ROLES).
inline const char* Roles(int f) {
  static const char* const kRoles[] = {"rgb", "rgba", "bgr", "bgra", "y", "rgb", "bgr"};
  return kRoles[f];
}
}  // namespace opsformat

// An image as the runner sees it: the executor's buffer plus geometry (planes `pitch * height` apart).
template <class Buffer>
struct OpsImageOf {
  Buffer memory;
  int width = 0, height = 0, format = 0;
  size_t pitch = 0;
};

// Reads the program's numbers one at a time with bounds and type checks.
class OpsReader {
 public:
  OpsReader(const double* data, size_t length) : data_(data), length_(length) {}
  bool Int(int64_t min, int64_t max, int64_t* out) {
    if (pos_ >= length_) return false;
    const double v = data_[pos_++];
    // In range first, so the conversion is defined; then whole (a cast, not floor: a libm call per value).
    if (!(v >= static_cast<double>(min) && v <= static_cast<double>(max))) return false;
    const int64_t whole = static_cast<int64_t>(v);
    if (static_cast<double>(whole) != v) return false;
    *out = whole;
    return true;
  }
  bool Int32(int min, int max, int* out) {
    int64_t v = 0;
    if (!Int(min, max, &v)) return false;
    *out = static_cast<int>(v);
    return true;
  }
  bool Number(double min, double max, double* out) {
    if (pos_ >= length_) return false;
    const double v = data_[pos_++];
    if (!(v >= min && v <= max)) return false;
    *out = v;
    return true;
  }
  size_t position() const { return pos_; }
  bool done() const { return pos_ == length_; }

 private:
  const double* data_;
  size_t length_;
  size_t pos_ = 0;
};

// One axis's contribution table, checked: 0 ≤ start, 1 ≤ count ≤ taps, start + count ≤ srcSize.
struct OpsTable {
  int taps = 0;
  std::vector<int32_t> start, count;
  std::vector<double> weights;  // taps × dstSize, tap-major; float32 values (core's), as doubles for the FP64 sums
};

inline bool ReadOpsTable(OpsReader* in, int taps, int dstSize, int srcSize, OpsTable* table) {
  table->taps = taps;
  table->start.resize(dstSize);
  table->count.resize(dstSize);
  table->weights.resize(static_cast<size_t>(dstSize) * taps);
  for (int d = 0; d < dstSize; ++d) {
    if (!in->Int32(0, srcSize - 1, &table->start[d])) return false;
  }
  for (int d = 0; d < dstSize; ++d) {
    if (!in->Int32(1, taps, &table->count[d]) || table->start[d] + table->count[d] > srcSize) return false;
  }
  // The program lists each output's taps in turn; the kernels read them tap-major (weights[k · dstSize + d]).
  for (int d = 0; d < dstSize; ++d) {
    for (int k = 0; k < taps; ++k) {
      double v = 0;
      if (!in->Number(-1e6, 1e6, &v)) return false;
      table->weights[static_cast<size_t>(k) * dstSize + d] = static_cast<float>(v);
    }
  }
  return true;
}

// The view the per-pixel functions take of an image whose bytes start at `base`.
inline OpsImage OpsViewOf(uint8_t* base, int width, int height, int format, size_t pitch) {
  OpsImage view{};
  view.base = base;
  view.channels = opsformat::Channels(format);
  view.step = opsformat::BytesPerPixel(format);
  view.rowPitch = static_cast<int64_t>(pitch);
  view.width = width;
  view.height = height;
  view.alpha = opsformat::Alpha(format);
  const int64_t plane = static_cast<int64_t>(pitch) * height;
  for (int c = 0; c < view.channels; ++c) view.offset[c] = opsformat::Planar(format) ? c * plane : c;
  return view;
}

// core's convertImage as per-channel sources (see ConvertParams).
inline void ConvertPlan(int from, int to, ConvertParams* p) {
  const char* src = opsformat::Roles(from);
  const char* dst = opsformat::Roles(to);
  auto find = [&](char role) {
    for (int i = 0; src[i] != 0; ++i) {
      if (src[i] == role) return i;
    }
    return role == 'a' ? -1 : 0;  // gray input: r, g and b all read the one channel
  };
  p->rgb[0] = find('r');
  p->rgb[1] = find('g');
  p->rgb[2] = find('b');
  for (int c = 0; c < 4; ++c) {
    p->kind[c] = 0;
    p->from[c] = 0;
  }
  for (int c = 0; dst[c] != 0; ++c) {
    const char role = dst[c];
    if (role == 'y') {
      p->kind[c] = from == 4 ? 0 : 1;  // gray → gray copies
      p->from[c] = 0;
    } else if (role == 'a') {
      const int a = find('a');
      p->kind[c] = a >= 0 ? 0 : 2;
      p->from[c] = a >= 0 ? a : 0;
    } else {
      p->from[c] = find(role);
    }
  }
}

// Runs `program` on `input` with executor `ex`, which provides:
//   using Buffer = …;                                          an image's memory
//   std::string NewImage(int w, int h, int format, OpsImageOf<Buffer>* out)   (sets memory and pitch)
//   uint8_t* Data(const Buffer&)
//   std::string Scratch(size_t floats, float** out)             float scratch alive until the run ends
//   std::string Upload(const std::vector<int32_t>&, const int32_t** out), and for double
//   std::string Run(const ResizeParams&) and for SharpenParams, RemapParams, AdjustParams, ConvertParams
// Every image it makes stays alive in `ex` until the run ends (the device executor frees nothing mid-stream).
// The input is never written. On success *output is the last image (the input itself when there are no steps).
template <class Exec>
std::string RunOpsProgram(Exec& ex, const double* program, size_t length,
                          const OpsImageOf<typename Exec::Buffer>& input,
                          OpsImageOf<typename Exec::Buffer>* output) {
  using Image = OpsImageOf<typename Exec::Buffer>;
  OpsReader in(program, length);
  int64_t magic = 0, version = 0, steps = 0, width = 0, height = 0, format = 0;
  if (!in.Int(0, 1LL << 40, &magic) || magic != static_cast<int64_t>(kOpsMagic) || !in.Int(1, 1000, &version) ||
      version != static_cast<int64_t>(kOpsVersion)) {
    return "not an op program (or one of another version)";
  }
  if (!in.Int(0, 1000, &steps) || !in.Int(1, 1 << 30, &width) || !in.Int(1, 1 << 30, &height) ||
      !in.Int(0, 6, &format)) {
    return "bad op program header";
  }
  if (width != input.width || height != input.height || format != input.format) {
    return "the op program was made for another image (" + std::to_string(width) + "x" + std::to_string(height) +
           " format " + std::to_string(format) + ")";
  }
  Image current = input;
  for (int64_t step = 0; step < steps; ++step) {
    const std::string where = "op " + std::to_string(step) + ": ";
    int64_t opcode = 0, payload = 0;
    if (!in.Int(1, 5, &opcode) || !in.Int(0, 1LL << 40, &payload)) return where + "bad opcode";
    const size_t end = in.position() + static_cast<size_t>(payload);
    if (end > length) return where + "truncated";
    const int fmt = current.format;
    const OpsImage src = OpsViewOf(ex.Data(current.memory), current.width, current.height, fmt, current.pitch);
    Image next;
    std::string error;
    switch (opcode) {
      case kOpsResize: {
        int resizeW = 0, resizeH = 0, outW = 0, outH = 0, offX = 0, offY = 0, linear = 0, copy = 0, hTaps = 0,
            vTaps = 0;
        int bg[4] = {0, 0, 0, 0};
        if (!in.Int32(1, 1 << 30, &resizeW) || !in.Int32(1, 1 << 30, &resizeH) || !in.Int32(1, 65535, &outW) ||
            !in.Int32(1, 65535, &outH) || !in.Int32(-65535, 1 << 30, &offX) || !in.Int32(-65535, 1 << 30, &offY) ||
            !in.Int32(0, 1, &linear) || !in.Int32(0, 1, &copy) || !in.Int32(0, 255, &bg[0]) ||
            !in.Int32(0, 255, &bg[1]) || !in.Int32(0, 255, &bg[2]) || !in.Int32(0, 255, &bg[3]) ||
            !in.Int32(0, 1 << 20, &hTaps) || !in.Int32(0, 1 << 20, &vTaps)) {
          return where + "bad resize parameters";
        }
        if (copy && (resizeW != current.width || resizeH != current.height)) return where + "copy of another size";
        ResizeParams p{};
        OpsTable h, v;
        if (!copy) {
          if (hTaps < 1 || vTaps < 1 || !ReadOpsTable(&in, hTaps, resizeW, current.width, &h) ||
              !ReadOpsTable(&in, vTaps, resizeH, current.height, &v)) {
            return where + "bad resize weight tables";
          }
        }
        if (linear && !copy) {
          for (float& entry : p.srgbToLinear) {
            double e = 0;
            if (!in.Number(0, 255, &e)) return where + "bad sRGB table";
            entry = static_cast<float>(e);
          }
        }
        if ((error = ex.NewImage(outW, outH, fmt, &next)).size()) return where + error;
        p.src = src;
        p.dst = OpsViewOf(ex.Data(next.memory), outW, outH, fmt, next.pitch);
        p.resizeWidth = resizeW;
        p.resizeHeight = resizeH;
        p.offsetX = offX;
        p.offsetY = offY;
        p.linear = linear;
        p.copy = copy;
        p.hTaps = hTaps;
        p.vTaps = vTaps;
        // The background in the format's channel order; channels past the format's count are unused.
        for (int c = 0; c < 4; ++c) p.background[c] = static_cast<uint8_t>(bg[c]);
        if (!copy) {
          // One kernel when the tiles' source windows fit (no intermediate in global memory), else two passes.
          std::vector<int32_t> spans;
          int cols = 0, rows = 0;
          if (opsmath::PlanResizeTiles(p, h.start, h.count, v.start, v.count, &spans, &cols, &rows)) {
            if ((error = ex.Upload(spans, &p.tileSpans)).size()) return where + error;
            p.tileCols = cols;
            p.tileRows = rows;
          } else if ((error = ex.Scratch(static_cast<size_t>(current.height) * resizeW * src.channels, &p.mid))
                         .size()) {
            return where + error;
          }
          if ((error = ex.Upload(h.start, &p.hStart)).size() || (error = ex.Upload(h.count, &p.hCount)).size() ||
              (error = ex.Upload(h.weights, &p.hWeights)).size() || (error = ex.Upload(v.start, &p.vStart)).size() ||
              (error = ex.Upload(v.count, &p.vCount)).size() || (error = ex.Upload(v.weights, &p.vWeights)).size()) {
            return where + error;
          }
        }
        error = ex.Run(p);
        break;
      }
      case kOpsSharpen: {
        int radius = 0;
        SharpenParams p{};
        if (!in.Int32(1, 30, &radius) || !in.Number(0, 10, &p.amount) || !in.Number(0, 255, &p.threshold)) {
          return where + "bad sharpen parameters";
        }
        std::vector<double> weights(2 * radius + 1);  // float32 values
        for (double& w : weights) {
          double value = 0;
          if (!in.Number(0, 1, &value)) return where + "bad sharpen weights";
          w = static_cast<float>(value);
        }
        if ((error = ex.NewImage(current.width, current.height, fmt, &next)).size()) return where + error;
        p.src = src;
        p.dst = OpsViewOf(ex.Data(next.memory), current.width, current.height, fmt, next.pitch);
        p.radius = radius;
        // The one-kernel path (ops-tiles.cuh) keeps its intermediate in shared memory.
        if ((!opsmath::SharpenTiled(p) &&
             (error = ex.Scratch(static_cast<size_t>(current.width) * current.height * src.channels, &p.mid))
                 .size()) ||
            (error = ex.Upload(weights, &p.weights)).size()) {
          return where + error;
        }
        error = ex.Run(p);
        break;
      }
      case kOpsRemap: {
        RemapParams p{};
        int outW = 0, outH = 0;
        if (!in.Int32(0, 8, &p.mode) || !in.Int32(0, 1 << 30, &p.x) || !in.Int32(0, 1 << 30, &p.y) ||
            !in.Int32(1, 1 << 30, &outW) || !in.Int32(1, 1 << 30, &outH)) {
          return where + "bad remap parameters";
        }
        const bool swap = p.mode >= 5;
        const bool fits = p.mode == 0 ? p.x + outW <= current.width && p.y + outH <= current.height
                                      : outW == (swap ? current.height : current.width) &&
                                            outH == (swap ? current.width : current.height);
        if (!fits) return where + "remap size does not fit the image";
        if ((error = ex.NewImage(outW, outH, fmt, &next)).size()) return where + error;
        p.src = src;
        p.dst = OpsViewOf(ex.Data(next.memory), outW, outH, fmt, next.pitch);
        error = ex.Run(p);
        break;
      }
      case kOpsAdjust: {
        AdjustParams p{};
        for (uint8_t& entry : p.table) {
          int value = 0;
          if (!in.Int32(0, 255, &value)) return where + "bad adjust table";
          entry = static_cast<uint8_t>(value);
        }
        if ((error = ex.NewImage(current.width, current.height, fmt, &next)).size()) return where + error;
        p.src = src;
        p.dst = OpsViewOf(ex.Data(next.memory), current.width, current.height, fmt, next.pitch);
        error = ex.Run(p);
        break;
      }
      case kOpsConvert: {
        int to = 0;
        if (!in.Int32(0, 6, &to)) return where + "bad convert format";
        ConvertParams p{};
        ConvertPlan(fmt, to, &p);
        if ((error = ex.NewImage(current.width, current.height, to, &next)).size()) return where + error;
        p.src = src;
        p.dst = OpsViewOf(ex.Data(next.memory), current.width, current.height, to, next.pitch);
        error = ex.Run(p);
        break;
      }
      default:
        return where + "unknown opcode";
    }
    if (!error.empty()) return where + error;
    if (in.position() != end) return where + "payload length does not match";
    current = next;
  }
  if (!in.done()) return "trailing numbers after the last op";
  *output = current;
  return "";
}

}  // namespace jpegkit
