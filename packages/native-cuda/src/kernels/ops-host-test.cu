// The CPU harness of the pixel-op kernels: runs an op program (lib/ops-program.ts) on an image with the same
// runner as the addon (ops-program.h) and the same per-pixel functions as the kernels (ops-math.cuh), called in
// plain host loops — no GPU, no kernel launches. Built by scripts/build-ops-host-test.sh (nvcc, host only) and
// driven by lib/ops.test.ts, which compares its output with core's reference ops.
//
//   ops-host-test PROGRAM INPUT OUTPUT [WIDTH HEIGHT FORMAT]
//     PROGRAM  the op program, little-endian float64s
//     INPUT    a binary PPM (P6) or PGM (P5); or, with WIDTH HEIGHT FORMAT (0–6, as PixelFormat), tight raw pixels
//     OUTPUT   the result's tight raw pixels (planes back to back for planar formats)
//   prints "WIDTH HEIGHT FORMAT" of the result on stdout; exits 1 with the reason on stderr.
//
// The addon build compiles every src/kernels/*.cu; this file is empty there (JPEGKIT_OPS_HOST_TEST unset).
#if defined(JPEGKIT_OPS_HOST_TEST)

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <list>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "../ops-program.h"
#include "host-test-io.h"
#include "ops-math.cuh"
#include "ops-tiles.cuh"

namespace jpegkit {
namespace {

class HostExec {
 public:
  using Buffer = std::shared_ptr<std::vector<uint8_t>>;
  using Image = OpsImageOf<Buffer>;

  std::string NewImage(int width, int height, int format, Image* out) {
    out->width = width;
    out->height = height;
    out->format = format;
    out->pitch = static_cast<size_t>(width) * opsformat::BytesPerPixel(format);  // tight, as core's results
    // Poisoned, so a pixel the op forgets to write shows up in the comparison.
    out->memory = std::make_shared<std::vector<uint8_t>>(out->pitch * height * opsformat::Planes(format), 0xA5);
    return "";
  }
  uint8_t* Data(const Buffer& buffer) { return buffer->data(); }
  std::string Scratch(size_t floats, float** out) {
    floats_.emplace_back(floats, std::nanf(""));
    *out = floats_.back().data();
    return "";
  }
  std::string Upload(const std::vector<int32_t>& values, const int32_t** out) {
    ints_.push_back(values);
    *out = ints_.back().data();
    return "";
  }
  std::string Upload(const std::vector<double>& values, const double** out) {
    doubles_.push_back(values);
    *out = doubles_.back().data();
    return "";
  }

  // The kernels' grids, as loops: every (x, y) a thread would get; the tiled kernels' blocks phase by phase, each
  // phase over every thread of the block (the barriers between them).
  std::string Run(const ResizeParams& p) {
    if (p.tileRows > 0) {
      const size_t bytes = opsmath::ResizeSharedBytes(p.hTaps, p.src.channels, p.tileRows, p.tileCols);
      opsmath::WithChannels(p.src.channels, [&](auto channels) {
        constexpr int kC = decltype(channels)::value;
        Tiles(p, opsmath::kResizeTileH, bytes, [&p](int tx, int ty, void* shared) {
          const opsmath::ResizeShared s = opsmath::ResizeSharedAt(p, shared);
          ForThreads(opsmath::kResizeThreads, [&](int t) { opsmath::ResizeTileStage<kC>(p, tx, ty, t, s); });
          ForThreads(opsmath::kResizeThreads, [&](int t) { opsmath::ResizeTileHorizontal<kC>(p, tx, ty, t, s); });
          ForThreads(opsmath::kResizeThreads, [&](int t) { opsmath::ResizeTileVertical<kC>(p, tx, ty, t, s); });
        });
      });
      return "";
    }
    if (!p.copy) {
      for (int y = 0; y < p.src.height; ++y)
        for (int x = 0; x < p.resizeWidth; ++x) opsmath::ResizeHorizontal(p, x, y);
    }
    for (int y = 0; y < p.dst.height; ++y)
      for (int x = 0; x < p.dst.width; ++x) opsmath::ResizeVertical(p, x, y);
    return "";
  }
  std::string Run(const SharpenParams& p) {
    if (opsmath::SharpenTiled(p)) {
      opsmath::WithChannels(p.src.channels, [&](auto channels) {
        constexpr int kC = decltype(channels)::value;
        const size_t bytes = opsmath::SharpenSharedBytes(p.radius, p.src.channels);
        Tiles(p, opsmath::kSharpenTileH, bytes, [&p](int tx, int ty, void* shared) {
          const opsmath::SharpenShared s = opsmath::SharpenSharedAt(p, shared);
          ForThreads(opsmath::kSharpenThreads, [&](int t) { opsmath::SharpenTileStage<kC>(p, tx, ty, t, s); });
          ForThreads(opsmath::kSharpenThreads, [&](int t) { opsmath::SharpenTileHorizontal<kC>(p, tx, t, s); });
          ForThreads(opsmath::kSharpenThreads, [&](int t) { opsmath::SharpenTileVertical<kC>(p, tx, ty, t, s); });
        });
      });
      return "";
    }
    for (int y = 0; y < p.src.height; ++y)
      for (int x = 0; x < p.src.width; ++x) opsmath::SharpenHorizontal(p, x, y);
    for (int y = 0; y < p.dst.height; ++y)
      for (int x = 0; x < p.dst.width; ++x) opsmath::SharpenVertical(p, x, y);
    return "";
  }
  std::string Run(const RemapParams& p) { return Each(p, opsmath::RemapPixel); }
  std::string Run(const AdjustParams& p) { return Each(p, opsmath::AdjustPixel); }
  std::string Run(const ConvertParams& p) { return Each(p, opsmath::ConvertPixel); }

 private:
  template <class F>
  static void ForThreads(int threads, F f) {
    for (int t = 0; t < threads; ++t) f(t);
  }
  // Every tile of p.dst, with its shared memory poisoned (NaN floats, 0xFF words) so that a phase reading what
  // another did not write shows up.
  template <class P, class F>
  static void Tiles(const P& p, int tileH, size_t sharedBytes, F tile) {
    std::vector<double> shared((sharedBytes + sizeof(double) - 1) / sizeof(double));
    for (int ty = 0; ty * tileH < p.dst.height; ++ty) {
      for (int tx = 0; tx * opsmath::kTileW < p.dst.width; ++tx) {
        std::memset(shared.data(), 0xFF, shared.size() * sizeof(double));
        tile(tx, ty, shared.data());
      }
    }
  }
  template <class P, class F>
  std::string Each(const P& p, F pixel) {
    for (int y = 0; y < p.dst.height; ++y)
      for (int x = 0; x < p.dst.width; ++x) pixel(p, x, y);
    return "";
  }

  std::list<std::vector<float>> floats_;
  std::list<std::vector<int32_t>> ints_;
  std::list<std::vector<double>> doubles_;
};

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "ops-host-test: %s\n", message.c_str());
  std::exit(1);
}

std::vector<uint8_t> ReadFile(const char* path) {
  std::vector<uint8_t> bytes;
  if (!hosttest::ReadFileBytes(path, &bytes)) Die(std::string("cannot read ") + path);
  return bytes;
}

// Binary PPM/PGM with maxval 255 into a tight rgb/gray image.
void ReadPnm(const std::vector<uint8_t>& bytes, HostExec* ex, HostExec::Image* image) {
  long width = 0, height = 0;
  int channels = 0;
  size_t at = 0;
  const std::string error = hosttest::ParsePnm(bytes, &width, &height, &channels, &at);
  if (!error.empty()) Die(error);
  ex->NewImage(static_cast<int>(width), static_cast<int>(height), channels == 3 ? 0 : 4, image);
  if (bytes.size() < at + image->memory->size()) Die("PNM data truncated");
  std::memcpy(image->memory->data(), bytes.data() + at, image->memory->size());
}

}  // namespace
}  // namespace jpegkit

int main(int argc, char** argv) {
  using namespace jpegkit;
  if (argc != 4 && argc != 7) Die("usage: ops-host-test PROGRAM INPUT OUTPUT [WIDTH HEIGHT FORMAT]");
  const std::vector<uint8_t> programBytes = ReadFile(argv[1]);
  if (programBytes.size() % sizeof(double) != 0) Die("the program is not a list of float64s");
  std::vector<double> program(programBytes.size() / sizeof(double));
  std::memcpy(program.data(), programBytes.data(), programBytes.size());

  HostExec ex;
  HostExec::Image input;
  const std::vector<uint8_t> inputBytes = ReadFile(argv[2]);
  if (argc == 7) {
    const int width = std::atoi(argv[4]), height = std::atoi(argv[5]), format = std::atoi(argv[6]);
    if (width < 1 || height < 1 || !opsformat::Valid(format)) Die("bad WIDTH HEIGHT FORMAT");
    ex.NewImage(width, height, format, &input);
    if (inputBytes.size() != input.memory->size()) Die("raw input is not WIDTH x HEIGHT of FORMAT");
    std::memcpy(input.memory->data(), inputBytes.data(), inputBytes.size());
  } else {
    ReadPnm(inputBytes, &ex, &input);
  }

  HostExec::Image output;
  const std::string error = RunOpsProgram(ex, program.data(), program.size(), input, &output);
  if (!error.empty()) Die(error);
  std::ofstream out(argv[3], std::ios::binary);
  out.write(reinterpret_cast<const char*>(output.memory->data()), static_cast<std::streamsize>(output.memory->size()));
  if (!out) Die(std::string("cannot write ") + argv[3]);
  std::printf("%d %d %d\n", output.width, output.height, output.format);
  return 0;
}

#endif  // JPEGKIT_OPS_HOST_TEST
