// The marker segments of a JPEG as our decoders read them (baseline-scan.h: one sequential scan for the GPU
// Huffman decoder; progressive-scan.h: every scan of a progressive JPEG, on the CPU): the frame header, the
// quantisation and Huffman tables as each segment leaves them, the restart interval, and what decides the colour
// space (JFIF, Adobe). Anything libjpeg-turbo would warn about or refuse gives the reason instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/huffman.h"

namespace jpegkit {

struct FrameHeader {
  bool seen = false;
  int marker = 0;  // SOF0, SOF1 or SOF2
  int width = 0, height = 0, count = 0;
  int id[4] = {}, h[4] = {}, v[4] = {}, tq[4] = {};
};

// One DHT table as defined (code counts per length, symbols).
struct HuffSpec {
  bool present = false;
  uint8_t counts[16] = {};
  uint8_t symbols[256] = {};
  int total = 0;
};

// What the segments read so far define.
struct HeaderState {
  FrameHeader frame;
  bool quantSeen[4] = {};
  uint16_t quant[4][64] = {};  // natural order
  HuffSpec dc[4], ac[4];
  int restartInterval = 0;  // MCUs per interval, 0 when none
  bool jfif = false;
  int adobe = -1;  // the Adobe segment's transform, -1 when there is none
};

// A scan header as read (SOS): its components as indices into the frame, table slots, band and approximation.
struct ScanHeader {
  int count = 0;
  int component[4] = {};
  int dcSlot[4] = {}, acSlot[4] = {};
  int ss = 0, se = 63, ah = 0, al = 0;
};

// Reads the segments from `*pos` (at a marker) up to and including the next SOS (then `*scan` is filled, `*eoi`
// false and `*pos` is the first byte of its entropy-coded data) or EOI (`*eoi` true). Takes SOF0, SOF1 and SOF2
// (8-bit, 1 or 3 components), DHT, DQT, DRI, APPn and COM; any other marker, a second frame header, a scan before
// the frame or a malformed segment gives the reason.
bool ReadHeaders(const uint8_t* bytes, size_t length, size_t* pos, HeaderState* state, ScanHeader* scan, bool* eoi,
                 std::string* reason);

// At the first scan: the frame is gray or YCbCr (as jdapimin.c's default_decompress_parms decides), its sampling
// factors are 1–4 and its component ids distinct. False with the reason otherwise.
bool CheckFrame(const HeaderState& state, std::string* reason);

// The derived table for a DHT (counts of codes of length 1–16, symbols), or false with libjpeg's reason.
bool DeriveHuffTable(const uint8_t counts[16], const uint8_t* symbols, int symbolCount, bool isDc, HuffTable* out,
                     std::string* reason);

// Frame component c's block grid: blocks with image data and whole MCUs, as jdinput.c's initial_setup sizes them.
struct ComponentGrid {
  int h = 1, v = 1;
  int widthInBlocks = 0, heightInBlocks = 0;  // blocks with image data
  int blocksPerRow = 0, blockRows = 0;        // whole MCUs
};
ComponentGrid GridOfComponent(const FrameHeader& frame, int c);

// The frame's largest sampling factors (jdinput.c's max_h_samp_factor, max_v_samp_factor).
int MaxH(const FrameHeader& frame);
int MaxV(const FrameHeader& frame);

// The frame's interleaved MCU grid: MCUs per row and MCU rows (jdinput.c's MCUs_per_row, total_iMCU_rows).
int McusPerRow(const FrameHeader& frame);
int McuRows(const FrameHeader& frame);

// Blocks in one MCU of an interleaved scan: each of its components' h × v.
int BlocksInMcu(const FrameHeader& frame, const ScanHeader& scan);

// Restart intervals of a scan of `mcus` MCUs (one when `restartInterval` is 0: no restart markers).
size_t IntervalsOf(int64_t mcus, int restartInterval);

// Copies the entropy-coded data from `start` into `out` (room for `length - start` bytes) without byte stuffing
// and restart markers, up to the first other marker: `*markerAt` is where it starts (its first 0xFF), `*marker`
// its code (-1 when the data runs to the end without one). `*starts` gets the byte offset in `out` of each
// restart interval, then the end (`*outBytes`). False with the reason when the restart markers are out of sequence
// or the data reaches 512 MiB.
bool UnstuffEntropy(const uint8_t* bytes, size_t length, size_t start, uint8_t* out, size_t* outBytes,
                    std::vector<uint32_t>* starts, size_t* markerAt, int* marker, std::string* reason);

// For unstuffing on the GPU (kernels/unstuff.h), which takes the entropy-coded data as it is: when the file ends
// with the EOI marker, the data's size from `start` up to it. False when the file does not end with EOI.
bool RawEntropySize(const uint8_t* bytes, size_t length, size_t start, size_t* rawBytes);

// "0xc2" for a marker code.
std::string MarkerName(int marker);

// Sets *reason (when given) and returns false.
bool Refuse(std::string* reason, const std::string& why);

}  // namespace jpegkit
