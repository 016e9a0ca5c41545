// The host side of our baseline JPEG encoder (kernels/encode-kernels.h): the tables a quality and a sampling
// make (libjpeg's jpeg_set_quality as cjpeg calls it, the standard Huffman tables), each image's block grid,
// and the marker segments cjpeg writes around the entropy-coded data. Plain C++: the addon and the host test
// harness share it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/encode-kernels.h"

namespace jpegkit {

enum class EncodeSampling { k444, k422, k420, kGray };

// The tables and MCU of a call, and the quantisation tables (natural order) for the DQT segments.
struct EncodePlan {
  EncodeLayout layout;
  uint16_t quant[2][64];
  int quality;
  EncodeSampling sampling;
};

// quality 1…100; sampling as the output's (gray: one component). Returns "" or why not.
std::string MakeEncodePlan(int quality, EncodeSampling sampling, EncodePlan* plan);

// Fills the block grid of `image` (pixels and width/height set by the caller) for the plan's layout; `firstBlock`
// is where its blocks start in the call's arrays. Returns the number of blocks.
int64_t DescribeEncodeImage(const EncodePlan& plan, int64_t firstBlock, EncodeImage* image);

// Worst-case entropy-coded bits of one block (every AC coefficient coded, longest codes): bounds the arena.
constexpr int64_t kMaxBlockBits = 20 + 63 * 26;

// SOI, JFIF APP0, DQT, SOF0 (SOF1 with 16-bit tables), DHT, SOS — what cjpeg writes before the entropy-coded
// data (then FF D9).
void AppendJpegHeader(const EncodePlan& plan, int width, int height, std::vector<uint8_t>* out);

}  // namespace jpegkit
