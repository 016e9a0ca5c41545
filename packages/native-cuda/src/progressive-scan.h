// Progressive Huffman-coded 8-bit JPEGs, entropy-decoded on the CPU into quantised coefficients for the exact
// kernels (exact-pixels.h): what libjpeg-turbo 2.1.5's jdphuff.c computes for valid data (DC first and refinement
// scans, AC spectral selection with end-of-band runs, AC successive approximation), in our own code. Scans whose
// bands do not meet (another component, or other coefficients) decode at once on several threads, and so do
// those whose bands meet, one block row behind the other: a typical YCbCr file's ten scans then take about as
// long as the largest one (the last refinement of Y, a quarter of the data).
//
// As baseline-scan.h, only files libjpeg reads without a single warning are taken (an inconsistent progression,
// a bad Huffman code, data that ends early or leaves bytes over, restart markers out of place …): anything else
// gives the reason and the image goes to another route. So are files whose scans leave a coefficient of some
// component unrefined: libjpeg smooths such images' blocks (jdcoefct.c's block smoothing), which the exact
// kernels do not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "jpeg-headers.h"
#include "kernels/huffman.h"

namespace jpegkit {

struct ProgressiveScan {
  ScanHeader header;
  int restartInterval = 0;  // MCUs per interval (the DRI in force), 0 when none
  int mcus = 0;             // MCUs in the scan
  size_t dataAt = 0;        // the scan's unstuffed data in ProgressiveFrame::data
  std::vector<uint32_t> intervalStarts;  // byte offsets from dataAt of each interval, then the end
  HuffTable tables[4];                   // per scan component: DC (DC first scans) or AC (AC scans)
  bool fill = false;                     // an AC first scan coding its band for the first time: writes zeros too
  std::vector<int> after;                // earlier scans whose bands this one's meet (decoded first)
};

struct ProgressiveFrame {
  int width = 0, height = 0;
  int components = 0;  // 1 (gray) or 3 (YCbCr)
  int maxH = 1, maxV = 1;
  int mcusPerRow = 0;  // of interleaved scans
  ComponentGrid component[3];
  uint16_t quant[3][64] = {};  // natural order, as each component's first scan found them (jdinput.c latches)
  std::vector<ProgressiveScan> scans;
  std::vector<uint8_t> data;  // every scan's entropy-coded data, unstuffed, each followed by 8 zero bytes

  // Blocks of component c (whole MCUs), and its coefficient values (64 per block).
  size_t Blocks(int c) const { return static_cast<size_t>(component[c].blocksPerRow) * component[c].blockRows; }
  size_t Values(int c) const { return Blocks(c) * 64; }
};

// Reads every header and scan of a progressive JPEG (SOF2) and unstuffs the scans' data. False with the reason when
// it is not one we take (see above).
bool ParseProgressive(const uint8_t* bytes, size_t length, ProgressiveFrame* frame, std::string* reason);

// Decodes every scan on up to `threads` threads (1: the caller's alone) into component c's `blocks[c]` (Values(c)
// values: each block's AC coefficients in zigzag order, entry 0 unused) and `dc[c]` (Blocks(c) DC values) — a
// layout that keeps the DC scans on a small array and lets the AC refinement find a block's nonzero coefficients
// as one bit mask; kernels/exact.h's LaunchNaturalFromZigzag (exact-math.cuh's NaturalCoefficient) makes natural
// order of it. Neither needs zeroing first. False with the reason when the data is not what libjpeg reads without
// a warning.
bool DecodeProgressive(const ProgressiveFrame& frame, int16_t* const blocks[3], int16_t* const dc[3], int threads,
                       std::string* reason);

// Threads worth using for a frame: 1 for small images, else up to the machine's cores (at most 8).
int ProgressiveThreads(const ProgressiveFrame& frame);

}  // namespace jpegkit
