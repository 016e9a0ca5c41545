// Host-only test harness of our baseline JPEG encoder: the kernels' __host__ __device__ steps (encode-math.cuh)
// run one block after another, so the bytes can be checked against cjpeg's on machines without a GPU. Built by
// scripts/build-host-test.sh encode with -DJPEGKIT_ENCODE_HOST_TEST; in the addon build it compiles to nothing.
//
//   encode-host-test INPUT.ppm|pgm OUTPUT.jpg [--quality Q] [--sampling 4:4:4|4:2:2|4:2:0|gray] [--bgra]
//
// --bgra reads the PPM's pixels through a 4-byte B,G,R,A copy (the layouts the GPU takes other than RGB).
#ifdef JPEGKIT_ENCODE_HOST_TEST

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../encode-plan.h"
#include "encode-math.cuh"
#include "host-test-io.h"

namespace jpegkit {
namespace {

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "encode-host-test: %s\n", message.c_str());
  std::exit(1);
}

struct PlainOr {
  JK_ENC_FN void operator()(uint32_t* word, uint32_t value) const { *word |= value; }
};

// The whole file, as the kernels make it: coefficients, offsets, codes, padding, stuffing; then the markers. Each
// block's steps run for its eight lanes in turn, as the kernels' lanes run them between their __syncwarp()s.
std::vector<uint8_t> Encode(const EncodePlan& plan, EncodeImage image) {
  const EncodeLayout& layout = plan.layout;
  constexpr int kLanes = enc::kBlockLanes;
  const int64_t blocks = DescribeEncodeImage(plan, 0, &image);
  std::vector<int16_t> coef(static_cast<size_t>(blocks) * 64);
  std::vector<uint32_t> acBits(static_cast<size_t>(blocks));
  // In the coefficients kernel's order (component by component), so its mapping is checked too.
  for (int64_t t = 0; t < blocks; ++t) {
    const int64_t s = enc::ScanIndexOf(layout, image, t);
    const enc::BlockPlace place = enc::SourceOf(layout, image, s);
    enc::BlockLanes lanes{};
    for (int lane = 0; lane < kLanes; ++lane) enc::RowPass(layout, image, place, lane, lanes);
    for (int lane = 0; lane < kLanes; ++lane) enc::ColumnPass(layout, place, kZigzagOf, lane, lanes);
    for (int lane = 0; lane < kLanes; ++lane) enc::NonzeroPass(lane, lanes);
    const uint64_t mask = enc::NonzeroMask(lanes);
    const uint32_t* ac = layout.ac[layout.table[place.component]];
    for (int lane = 0; lane < kLanes; ++lane) acBits[s] += enc::LaneAcBits(ac, lanes.zigzag, mask, lane);
    std::memcpy(&coef[s * 64], lanes.zigzag, sizeof lanes.zigzag);
  }
  std::vector<uint64_t> offsets(static_cast<size_t>(blocks));
  uint64_t bits = 0;
  for (int64_t s = 0; s < blocks; ++s) {
    offsets[s] = bits;
    bits += enc::BlockBits(layout, coef.data(), acBits.data(), s);
  }
  std::vector<uint32_t> words(static_cast<size_t>(bits / 32 + 2), 0);
  for (int64_t s = 0; s < blocks; ++s) {
    enc::BlockLanes lanes{};
    std::memcpy(lanes.zigzag, &coef[s * 64], sizeof lanes.zigzag);
    for (int lane = 0; lane < kLanes; ++lane) enc::NonzeroPass(lane, lanes);
    const uint64_t mask = enc::NonzeroMask(lanes);
    const uint32_t* ac = layout.ac[layout.table[layout.blockComponent[s % layout.blocksInMcu]]];
    uint32_t laneBits[kLanes];
    for (int lane = 0; lane < kLanes; ++lane) laneBits[lane] = enc::LaneAcBits(ac, lanes.zigzag, mask, lane);
    for (int lane = 0; lane < kLanes; ++lane) {
      enc::EmitLane(layout, coef.data(), s, lanes.zigzag, mask, laneBits, lane, words.data(), offsets[s], PlainOr{});
    }
  }
  std::vector<uint8_t> coded(words.size() * 4);
  for (size_t i = 0; i < words.size(); ++i) {
    for (int k = 0; k < 4; ++k) coded[i * 4 + k] = static_cast<uint8_t>(words[i] >> (24 - 8 * k));
  }
  const int64_t n = enc::PadCodedBytes(coded.data(), bits);
  std::vector<uint8_t> out;
  AppendJpegHeader(plan, image.width, image.height, &out);
  for (int64_t i = 0; i < n; ++i) {
    out.push_back(coded[i]);
    if (coded[i] == 0xFF) out.push_back(0);
  }
  out.push_back(0xFF);
  out.push_back(0xD9);
  return out;
}

}  // namespace
}  // namespace jpegkit

int main(int argc, char** argv) {
  using namespace jpegkit;
  if (argc < 3) Die("usage: encode-host-test INPUT.ppm|pgm OUTPUT.jpg [--quality Q] [--sampling 4:4:4|4:2:2|4:2:0|gray] [--bgra]");
  int quality = 75;
  std::string sampling = "4:2:0";
  bool bgra = false;
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quality" && i + 1 < argc) quality = std::atoi(argv[++i]);
    else if (arg == "--sampling" && i + 1 < argc) sampling = argv[++i];
    else if (arg == "--bgra") bgra = true;
    else Die("unknown argument " + arg);
  }
  std::vector<uint8_t> bytes;
  if (!hosttest::ReadFileBytes(argv[1], &bytes)) Die(std::string("cannot read ") + argv[1]);
  long width = 0, height = 0;
  int channels = 0;
  size_t at = 0;
  const std::string error = hosttest::ParsePnm(bytes, &width, &height, &channels, &at);
  if (!error.empty()) Die(error);
  EncodeSampling mode = EncodeSampling::k420;
  if (sampling == "4:4:4") mode = EncodeSampling::k444;
  else if (sampling == "4:2:2") mode = EncodeSampling::k422;
  else if (sampling == "gray" || channels == 1) mode = EncodeSampling::kGray;
  else if (sampling != "4:2:0") Die("unknown sampling " + sampling);
  EncodePlan plan;
  const std::string planned = MakeEncodePlan(quality, mode, &plan);
  if (!planned.empty()) Die(planned);
  std::vector<uint8_t> pixels(bytes.begin() + at, bytes.begin() + at + width * height * channels);
  EncodeImage image{};
  image.width = static_cast<int32_t>(width);
  image.height = static_cast<int32_t>(height);
  image.gray = channels == 1;
  image.step = channels;
  image.offset[0] = 0;
  image.offset[1] = channels == 3 ? 1 : 0;
  image.offset[2] = channels == 3 ? 2 : 0;
  if (bgra && channels == 3) {
    std::vector<uint8_t> four(static_cast<size_t>(width) * height * 4);
    for (long i = 0; i < width * height; ++i) {
      four[i * 4] = pixels[i * 3 + 2];
      four[i * 4 + 1] = pixels[i * 3 + 1];
      four[i * 4 + 2] = pixels[i * 3];
      four[i * 4 + 3] = 255;
    }
    pixels.swap(four);
    image.step = 4;
    image.offset[0] = 2;
    image.offset[2] = 0;
  }
  image.base = pixels.data();
  image.rowPitch = static_cast<int64_t>(width) * image.step;
  const std::vector<uint8_t> jpeg = Encode(plan, image);
  FILE* file = std::fopen(argv[2], "wb");
  if (file == nullptr || std::fwrite(jpeg.data(), 1, jpeg.size(), file) != jpeg.size() || std::fclose(file) != 0) {
    Die(std::string("cannot write ") + argv[2]);
  }
  return 0;
}

#endif  // JPEGKIT_ENCODE_HOST_TEST
