// See baseline-scan.h.
#include "baseline-scan.h"

#include <cstring>

#include "kernels/huffman-math.cuh"

namespace jpegkit {

bool ParseBaselineScan(const uint8_t* bytes, size_t length, BaselineScanFacts* facts, std::string* reason) {
  if (length < 4 || bytes[0] != 0xff || bytes[1] != 0xd8) return Refuse(reason, "no SOI marker");
  HeaderState state;
  ScanHeader scan;
  size_t pos = 2;
  bool eoi = false;
  if (!ReadHeaders(bytes, length, &pos, &state, &scan, &eoi, reason)) return false;
  if (eoi) return Refuse(reason, "no scan before EOI");
  const FrameHeader& frame = state.frame;
  if (frame.marker == 0xc2) return Refuse(reason, "marker 0xc2 (progressive, not a sequential Huffman JPEG)");
  if (!CheckFrame(state, reason)) return false;
  if (scan.count != frame.count) return Refuse(reason, "a scan that does not hold every component");
  facts->width = frame.width;
  facts->height = frame.height;
  facts->components = frame.count;
  facts->restartInterval = state.restartInterval;
  facts->maxH = MaxH(frame);
  facts->maxV = MaxV(frame);
  std::memset(facts->tables, 0, sizeof facts->tables);
  for (int s = 0; s < scan.count; ++s) {
    ScanComponentFacts& c = facts->component[s];
    c.dcSlot = scan.dcSlot[s];
    c.acSlot = scan.acSlot[s];
    if (c.dcSlot > 3 || c.acSlot > 3 || !state.dc[c.dcSlot].present || !state.ac[c.acSlot].present) {
      return Refuse(reason, "component " + std::to_string(s) + ": a Huffman table is missing");
    }
    const HuffSpec& d = state.dc[c.dcSlot];
    const HuffSpec& a = state.ac[c.acSlot];
    if (!DeriveHuffTable(d.counts, d.symbols, d.total, true, &facts->tables[c.dcSlot], reason) ||
        !DeriveHuffTable(a.counts, a.symbols, a.total, false, &facts->tables[4 + c.acSlot], reason)) {
      return false;
    }
    if (frame.tq[s] > 3 || !state.quantSeen[frame.tq[s]]) {
      return Refuse(reason, "component " + std::to_string(s) + ": its quantisation table is missing");
    }
    std::memcpy(c.quant, state.quant[frame.tq[s]], sizeof c.quant);
    static_cast<ComponentGrid&>(c) = GridOfComponent(frame, s);
  }
  if (scan.ss != 0 || scan.se != 63 || scan.ah != 0 || scan.al != 0) return Refuse(reason, "not a sequential scan");
  if (frame.count == 1) {
    facts->blocksInMcu = 1;
    facts->mcusPerRow = facts->component[0].widthInBlocks;
    facts->totalMcus = facts->mcusPerRow * facts->component[0].heightInBlocks;
  } else {
    facts->blocksInMcu = BlocksInMcu(frame, scan);
    if (facts->blocksInMcu > kMaxMcuBlocks) return Refuse(reason, "more than 10 blocks in an MCU");
    facts->mcusPerRow = McusPerRow(frame);
    facts->totalMcus = facts->mcusPerRow * McuRows(frame);
  }
  facts->entropyStart = pos;
  return true;
}

bool UnstuffScan(const uint8_t* bytes, size_t length, BaselineScanFacts* facts, uint8_t* out, size_t* outBytes,
                 std::string* reason) {
  std::vector<uint32_t>& starts = facts->intervalStarts;
  size_t o = 0, markerAt = 0;
  int marker = -1;
  if (!UnstuffEntropy(bytes, length, facts->entropyStart, out, &o, &starts, &markerAt, &marker, reason)) return false;
  if (marker != 0xd9) {
    if (marker < 0) return Refuse(reason, "no EOI marker after the scan");
    return Refuse(reason, "marker " + MarkerName(marker) + " after the scan");
  }
  if (starts.size() != IntervalsOf(facts->totalMcus, facts->restartInterval) + 1) {
    return Refuse(reason, "restart markers missing or extra");
  }
  *outBytes = o;
  return true;
}

bool SharedTables(const BaselineScanFacts& facts) {
  for (int c = 1; c < facts.components; ++c) {
    const ScanComponentFacts& k = facts.component[c];
    if (k.dcSlot != facts.component[0].dcSlot || k.acSlot != facts.component[0].acSlot) {
      return false;
    }
  }
  return true;
}

void DescribeScan(const BaselineScanFacts& facts, GpuScan* scan) {
  const bool single = facts.components == 1;
  int j = 0;
  for (int c = 0; c < facts.components; ++c) {
    const ScanComponentFacts& f = facts.component[c];
    scan->blocksPerRow[c] = f.blocksPerRow;
    scan->h[c] = single ? 1 : f.h;
    scan->v[c] = single ? 1 : f.v;
    scan->dcTable[c] = f.dcSlot;
    scan->acTable[c] = 4 + f.acSlot;
    for (int by = 0; by < scan->v[c]; ++by) {
      for (int bx = 0; bx < scan->h[c]; ++bx, ++j) {
        scan->mcuComponent[j] = c;
        scan->mcuCol[j] = bx;
        scan->mcuRow[j] = by;
      }
    }
  }
  scan->blocksInMcu = facts.blocksInMcu;
  scan->mcusPerRow = facts.mcusPerRow;
  scan->totalBlocks = facts.totalMcus * facts.blocksInMcu;
  scan->intervalBlocks = (facts.restartInterval == 0 ? facts.totalMcus : facts.restartInterval) * facts.blocksInMcu;
  scan->sharedTables = SharedTables(facts) ? 1 : 0;
  std::memcpy(scan->tables, facts.tables, sizeof scan->tables);
}

size_t WriteChunks(const std::vector<uint32_t>& intervalStarts, int image, int chunkBits, GpuChunk* out, size_t room) {
  const size_t intervals = intervalStarts.size() - 1;
  size_t n = 0;
  for (size_t j = 0; j < intervals; ++j) {
    const int count = static_cast<int>(huff::ChunksOf(intervalStarts[j + 1] - intervalStarts[j], chunkBits));
    if (n + static_cast<size_t>(count) > room) return 0;
    for (int place = 0; place < count; ++place) {
      out[n++] = GpuChunk{image, static_cast<int32_t>(j), place, place + 1 == count ? 1 : 0};
    }
  }
  while (n % kChunkThreads != 0) {
    if (n >= room) return 0;
    out[n++] = huff::PaddingChunk();
  }
  return n;
}

int ChooseChunkBits(uint64_t totalBits) { return totalBits <= (uint64_t{1} << 22) ? 1024 : 2048; }

int ChooseLeadBits(int chunkBits) { return chunkBits >= 2048 ? 1024 : chunkBits; }

}  // namespace jpegkit
