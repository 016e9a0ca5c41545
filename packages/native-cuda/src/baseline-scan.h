// Reads what our GPU Huffman decoder (kernels/huffman.h) needs from a single-scan sequential Huffman-coded
// 8-bit JPEG: the frame, quantisation and Huffman tables, and the scan's entropy-coded data with byte stuffing
// removed, split at its restart markers. The C++ twin of packages/webgpu/src/entropy/baseline-scan.ts.
//
// Only files libjpeg-turbo reads without a single warning are taken: anything unusual (another marker where
// none is expected, restart markers out of sequence, several scans, a JFIF major version other than 1, an
// unknown Adobe transform, a table libjpeg would refuse) gives the reason, and the image goes to another route.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "jpeg-headers.h"
#include "kernels/huffman.h"

namespace jpegkit {

// A component's block grid (jpeg-headers.h), its tables' slots and its quantisation table.
struct ScanComponentFacts : ComponentGrid {
  int dcSlot = 0, acSlot = 0;
  uint16_t quant[64] = {};  // natural order
};

struct BaselineScanFacts {
  int width = 0, height = 0;
  int components = 0;  // 1 (gray) or 3 (YCbCr)
  int maxH = 1, maxV = 1;
  ScanComponentFacts component[3];
  int restartInterval = 0;  // MCUs per interval, 0 when none
  int mcusPerRow = 0, totalMcus = 0, blocksInMcu = 1;
  size_t entropyStart = 0;  // first byte of the entropy-coded data in the file
  HuffTable tables[kHuffTables];
  // From UnstuffScan:
  std::vector<uint32_t> intervalStarts;  // byte offset of each interval in the unstuffed data, then the end
};

// Parses the headers up to the scan. False with the reason when the image is not one we take.
bool ParseBaselineScan(const uint8_t* bytes, size_t length, BaselineScanFacts* facts, std::string* reason);

// Copies the entropy-coded data into `out` (room for `length - facts.entropyStart` bytes) without byte
// stuffing and restart markers, recording where each interval starts. False with the reason when the markers
// are not what libjpeg expects (out of sequence, missing, extra, no EOI). Returns the data's size in `*bytes`.
bool UnstuffScan(const uint8_t* data, size_t length, BaselineScanFacts* facts, uint8_t* out, size_t* bytes,
                 std::string* reason);

// Fills the GpuScan fields that follow from the facts (not the device pointers or firstChunk).
void DescribeScan(const BaselineScanFacts& facts, GpuScan* scan);

// Writes image `image`'s chunks (every interval cut into chunks of `chunkBits`, at least one per interval),
// padded with image -1 to a multiple of kChunkThreads so that each thread block's chunks are one image's, at
// `out` (room for `room` chunks; at most data bits / chunkBits + intervals + kChunkThreads are written, as data bits
// ≤ 8 · intervalStarts.back()); returns how many, or 0 when they would not fit.
size_t WriteChunks(const std::vector<uint32_t>& intervalStarts, int image, int chunkBits, GpuChunk* out, size_t room);

// Chunk size and pass 0's lead-in for a call decoding `totalBits` of entropy-coded data: 1,024-bit chunks with a
// 1,024-bit lead-in up to 4 Mbit (one 1080p photo), else 2,048 with 1,024. Measured on an H200 (1080p 4:2:0 q90,
// passes queued without readbacks): one image decodes in 1.29 ms with 1,024-bit chunks against 1.54 with 2,048
// (shorter per-thread work, though more passes of about one chunk's decode each); batches of 16 over 8 streams
// reach 4,560 images/s with 2,048 and a 1,024 lead-in against 3,920 with 1,024 (fewer passes), batches of 128
// 9,240 (8,810 with 4,096). Data that resynchronises slowly needs more passes with small chunks: q100 fixtures take
// up to 13 passes at 1,024 bits, 7 at 2,048.
int ChooseChunkBits(uint64_t totalBits);
int ChooseLeadBits(int chunkBits);

// A call with pass 0 candidates (kernels/huffman.h: calls whose chunks times candidates fit on the GPU at once)
// takes shorter chunks: a later pass seldom decodes then, so the chunk's length (with the lead-in, pass 0's) is
// what one image waits for. Measured on an H200, one 1080p photo each (four of the set), decode → device p50:
// 512 with a 512 lead-in 0.62–0.76 ms; with 1,024 0.67–0.75; 384 with 768 0.62–0.81; 256 with 768 up to 2.3 ms
// (chains of unsettled chunks grow as chunks shrink, to 32 passes).

constexpr int kCandidateChunkBits = 512, kCandidateLeadBits = 512;

// Whether every component of the scan uses the same DC and AC tables (the block of the MCU never matters then).
bool SharedTables(const BaselineScanFacts& facts);

}  // namespace jpegkit
