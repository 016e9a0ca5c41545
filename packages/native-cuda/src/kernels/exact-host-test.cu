// Host-only test harness of the exact decode mode: the same __host__ __device__ functions the kernels run
// (exact-math.cuh), called from host code, so exactness against djpeg is checked on machines without a GPU.
// Built by scripts/build-exact-host-test.sh with -DJPEGKIT_EXACT_HOST_TEST; in the addon build (every .cu
// under src/kernels) this file compiles to nothing.
//
//   exact-host-test DUMP OUT.pnm [--gray]
//
// DUMP (little-endian, written by lib/exact.test.ts from @jpegkit/wasm's readCoefficients):
//   "JKCOEF1\0", int32 width, height, components, maxH, maxV,
//   per component: int32 h, v, blocksPerRow, blockRows; uint16 quant[64] (natural order);
//                  int16 coefficients[blocksPerRow · blockRows · 64] (block rows, 64 per block, natural order).
// OUT: binary PPM (3 components) or PGM (1 component, or --gray: component 0 alone, as djpeg -grayscale).
#ifdef JPEGKIT_EXACT_HOST_TEST

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "exact-math.cuh"
#include "exact.h"

namespace {

bool ReadAll(const char* path, std::vector<uint8_t>* out) {
  FILE* file = std::fopen(path, "rb");
  if (file == nullptr) return false;
  uint8_t chunk[1 << 16];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, file)) > 0) out->insert(out->end(), chunk, chunk + n);
  std::fclose(file);
  return true;
}

struct Reader {
  const std::vector<uint8_t>& bytes;
  size_t at = 0;
  bool ok = true;
  template <typename T>
  T Get() {
    T value{};
    if (at + sizeof(T) > bytes.size()) {
      ok = false;
      return value;
    }
    std::memcpy(&value, bytes.data() + at, sizeof(T));
    at += sizeof(T);
    return value;
  }
};

int Fail(const std::string& message) {
  std::fprintf(stderr, "exact-host-test: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace jpegkit;
  if (argc < 3) return Fail("usage: exact-host-test DUMP OUT.pnm [--gray]");
  const bool grayOut = argc > 3 && std::strcmp(argv[3], "--gray") == 0;
  std::vector<uint8_t> bytes;
  if (!ReadAll(argv[1], &bytes)) return Fail(std::string("cannot read ") + argv[1]);
  if (bytes.size() < 8 || std::memcmp(bytes.data(), "JKCOEF1", 8) != 0) return Fail("not a JKCOEF1 dump");
  Reader in{bytes, 8};
  const int width = in.Get<int32_t>(), height = in.Get<int32_t>(), count = in.Get<int32_t>();
  const int maxH = in.Get<int32_t>(), maxV = in.Get<int32_t>();
  if (!in.ok || width <= 0 || height <= 0 || (count != 1 && count != 3) || maxH <= 0 || maxV <= 0) {
    return Fail("bad frame header");
  }

  std::vector<std::vector<uint8_t>> planes(count);
  ExactFrame frame{};
  frame.width = width;
  frame.height = height;
  frame.outPlanes = count == 1 || grayOut ? 1 : 3;
  for (int c = 0; c < count; ++c) {
    const int h = in.Get<int32_t>(), v = in.Get<int32_t>();
    const int blocksPerRow = in.Get<int32_t>(), blockRows = in.Get<int32_t>();
    int16_t quant[64];
    for (int i = 0; i < 64; ++i) quant[i] = static_cast<int16_t>(in.Get<uint16_t>());  // ISLOW_MULT_TYPE
    if (!in.ok || blocksPerRow <= 0 || blockRows <= 0) return Fail("bad component header");
    const size_t values = static_cast<size_t>(blocksPerRow) * blockRows * 64;
    if (in.at + values * 2 > bytes.size()) return Fail("dump is truncated");
    std::vector<int16_t> coefficients(values);
    std::memcpy(coefficients.data(), bytes.data() + in.at, values * 2);
    in.at += values * 2;

    const int64_t pitch = static_cast<int64_t>(blocksPerRow) * 8;
    planes[c].assign(static_cast<size_t>(pitch) * blockRows * 8, 0);
    for (int row = 0; row < blockRows; ++row) {
      for (int col = 0; col < blocksPerRow; ++col) {
        exact::IdctIslowBlock(coefficients.data() + (static_cast<size_t>(row) * blocksPerRow + col) * 64, quant,
                              planes[c].data() + row * 8 * pitch + col * 8, pitch);
      }
    }
    ExactPlane& plane = frame.planes[c];
    plane.data = planes[c].data();
    plane.pitch = pitch;
    plane.widthIn = static_cast<int>((static_cast<int64_t>(width) * h + maxH - 1) / maxH);
    plane.heightIn = static_cast<int>((static_cast<int64_t>(height) * v + maxV - 1) / maxV);
    std::string reason;
    if (!PlanUpsample(h, v, maxH, maxV, plane.widthIn, &plane, &reason)) return Fail(reason);
    if (plane.widthIn > blocksPerRow * 8 || plane.heightIn > blockRows * 8) return Fail("plane smaller than the frame");
  }

  const int64_t planeSize = static_cast<int64_t>(width) * height;
  std::vector<uint8_t> planar(static_cast<size_t>(planeSize) * frame.outPlanes);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      exact::ExactPixel(frame, x, y, planar.data() + static_cast<int64_t>(y) * width + x, planeSize);
    }
  }

  FILE* out = std::fopen(argv[2], "wb");
  if (out == nullptr) return Fail(std::string("cannot write ") + argv[2]);
  std::fprintf(out, "P%d\n%d %d\n255\n", frame.outPlanes == 1 ? 5 : 6, width, height);
  std::vector<uint8_t> interleaved(static_cast<size_t>(planeSize) * frame.outPlanes);
  for (int64_t i = 0; i < planeSize; ++i) {
    for (int p = 0; p < frame.outPlanes; ++p) interleaved[i * frame.outPlanes + p] = planar[p * planeSize + i];
  }
  const bool written = std::fwrite(interleaved.data(), 1, interleaved.size(), out) == interleaved.size();
  return std::fclose(out) == 0 && written ? 0 : Fail("write failed");
}

#endif  // JPEGKIT_EXACT_HOST_TEST
