// See baseline-scan.h.
#include "baseline-scan.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace jpegkit {

namespace {

// libjpeg's jpeg_natural_order: the natural index of each zigzag position.
constexpr uint8_t kNaturalOrder[64] = {
    0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,  12, 19, 26, 33, 40, 48,
    41, 34, 27, 20, 13, 6,  7,  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
    30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

inline int U16(const uint8_t* p) { return (p[0] << 8) | p[1]; }

bool Refuse(std::string* reason, const std::string& why) {
  if (reason != nullptr) *reason = why;
  return false;
}

struct Frame {
  bool seen = false;
  int width = 0, height = 0, count = 0;
  int id[4] = {}, h[4] = {}, v[4] = {}, tq[4] = {};
};

struct Spec {
  bool present = false;
  uint8_t counts[16] = {};
  uint8_t symbols[256] = {};
  int total = 0;
};

}  // namespace

bool DeriveHuffTable(const uint8_t counts[16], const uint8_t* symbols, int symbolCount, bool isDc, HuffTable* out,
                     std::string* reason) {
  int sizes[257];
  int n = 0;
  for (int l = 1; l <= 16; ++l) {
    if (n + counts[l - 1] > 256) return Refuse(reason, "a Huffman table with more than 256 codes");
    for (int i = 0; i < counts[l - 1]; ++i) sizes[n++] = l;
  }
  if (symbolCount < n) return Refuse(reason, "a Huffman table with fewer symbols than codes");
  // Canonical codes, checked as jdhuff.c does: no code may overflow its length.
  int codes[256];
  int code = 0, p = 0, si = n > 0 ? sizes[0] : 0;
  while (p < n) {
    while (p < n && sizes[p] == si) codes[p++] = code++;
    if (code >= (1 << si)) return Refuse(reason, "a Huffman table whose codes overflow their lengths");
    code <<= 1;
    ++si;
  }
  std::memset(out, 0, sizeof(HuffTable));
  p = 0;
  for (int l = 1; l <= 16; ++l) {
    if (counts[l - 1] > 0) {
      out->valoffset[l] = p - codes[p];
      p += counts[l - 1];
      // jdhuff.c's test `code <= maxcode[l]` on the first l bits, as a bound on the 16-bit window.
      out->limit[l] = ((codes[p - 1] + 1) << (16 - l)) - 1;
    } else {
      out->limit[l] = -1;
    }
  }
  for (int i = 0; i < n; ++i) {
    if (isDc && symbols[i] > 15) return Refuse(reason, "a DC Huffman table with a symbol above 15");
    out->symbols[i] = symbols[i];
  }
  for (int i = 0; i < (1 << kHuffLookBits); ++i) out->lookup[i] = 0;  // longer codes
  for (int i = 0; i < n && sizes[i] <= kHuffLookBits; ++i) {
    const uint32_t l = static_cast<uint32_t>(sizes[i]);
    const uint32_t entry = ((l + (symbols[i] & 15u)) << 16) | (l << 8) | symbols[i];
    const int first = codes[i] << (kHuffLookBits - static_cast<int>(l));
    for (int j = 0; j < (1 << (kHuffLookBits - static_cast<int>(l))); ++j) out->lookup[first + j] = entry;
  }
  return true;
}

bool ParseBaselineScan(const uint8_t* bytes, size_t length, BaselineScanFacts* facts, std::string* reason) {
  const size_t n = length;
  if (n < 4 || bytes[0] != 0xff || bytes[1] != 0xd8) return Refuse(reason, "no SOI marker");
  bool quantSeen[4] = {};
  uint16_t quant[4][64];
  Spec dc[4], ac[4];
  int restartInterval = 0;
  bool jfif = false;
  int adobe = -1;
  Frame frame;
  size_t pos = 2;
  for (;;) {
    if (pos + 4 > n || bytes[pos] != 0xff) return Refuse(reason, "data between markers");
    while (pos < n && bytes[pos] == 0xff) ++pos;
    if (pos >= n) return Refuse(reason, "truncated headers");
    const int marker = bytes[pos++];
    if (pos + 2 > n) return Refuse(reason, "truncated headers");
    const size_t segment = static_cast<size_t>(U16(bytes + pos));
    const size_t end = pos + segment;
    if (segment < 2 || end > n) return Refuse(reason, "a segment running past the end");
    const uint8_t* body = bytes + pos + 2;
    const size_t bodyLength = segment - 2;
    if (marker == 0xc0 || marker == 0xc1) {
      if (frame.seen) return Refuse(reason, "two frame headers");
      if (bodyLength < 6 || body[0] != 8) return Refuse(reason, "not an 8-bit frame");
      const int count = body[5];
      if (segment != static_cast<size_t>(8 + 3 * count) || count < 1) return Refuse(reason, "a malformed SOF");
      if (count != 1 && count != 3) return Refuse(reason, std::to_string(count) + " components");
      frame.seen = true;
      frame.height = U16(body + 1);
      frame.width = U16(body + 3);
      frame.count = count;
      for (int c = 0; c < count; ++c) {
        frame.id[c] = body[6 + 3 * c];
        frame.h[c] = body[7 + 3 * c] >> 4;
        frame.v[c] = body[7 + 3 * c] & 15;
        frame.tq[c] = body[8 + 3 * c];
      }
    } else if (marker == 0xc4) {
      size_t at = 0;
      while (at < bodyLength) {
        const int tc = body[at] >> 4, th = body[at] & 15;
        if (tc > 1 || th > 3 || at + 17 > bodyLength) return Refuse(reason, "a malformed DHT");
        int total = 0;
        for (int i = 0; i < 16; ++i) total += body[at + 1 + i];
        if (total > 256 || at + 17 + total > bodyLength) return Refuse(reason, "a malformed DHT");
        Spec& spec = tc == 0 ? dc[th] : ac[th];
        spec.present = true;
        std::memcpy(spec.counts, body + at + 1, 16);
        std::memcpy(spec.symbols, body + at + 17, total);
        spec.total = total;
        at += 17 + total;
      }
    } else if (marker == 0xdb) {
      size_t at = 0;
      while (at < bodyLength) {
        const int pq = body[at] >> 4, tq = body[at] & 15;
        const size_t size = pq == 0 ? 64 : 128;
        if (pq > 1 || tq > 3 || at + 1 + size > bodyLength) return Refuse(reason, "a malformed DQT");
        for (int k = 0; k < 64; ++k) {
          quant[tq][kNaturalOrder[k]] =
              static_cast<uint16_t>(pq == 0 ? body[at + 1 + k] : U16(body + at + 1 + 2 * k));
        }
        quantSeen[tq] = true;
        at += 1 + size;
      }
    } else if (marker == 0xdd) {
      if (segment != 4) return Refuse(reason, "a malformed DRI");
      restartInterval = U16(body);
    } else if (marker == 0xe0) {
      if (segment >= 16 && std::memcmp(body, "JFIF\0", 5) == 0) {
        jfif = true;
        if (body[5] != 1) return Refuse(reason, "a JFIF major version other than 1");
      }
    } else if (marker == 0xee) {
      if (segment >= 14 && std::memcmp(body, "Adobe", 5) == 0) adobe = body[11];
    } else if ((marker & 0xf0) == 0xe0 || marker == 0xfe) {
      // Other application segments and comments: nothing the decoder uses.
    } else if (marker == 0xda) {
      if (!frame.seen) return Refuse(reason, "a scan before the frame header");
      if (frame.width == 0 || frame.height == 0) return Refuse(reason, "an empty image");
      // Colour space as jdapimin.c's default_decompress_parms decides it; we decode gray and YCbCr.
      if (frame.count == 3) {
        bool rgb = false;
        if (!jfif && adobe >= 0) {
          if (adobe == 0) rgb = true;
          else if (adobe != 1) return Refuse(reason, "Adobe transform " + std::to_string(adobe));
        } else if (!jfif) {
          rgb = frame.id[0] == 82 && frame.id[1] == 71 && frame.id[2] == 66;
        }
        if (rgb) return Refuse(reason, "an RGB-coded JPEG");
      }
      for (int c = 0; c < frame.count; ++c) {
        if (frame.h[c] < 1 || frame.h[c] > 4 || frame.v[c] < 1 || frame.v[c] > 4) {
          return Refuse(reason, "bad sampling factors");
        }
        for (int d = 0; d < c; ++d) {
          if (frame.id[d] == frame.id[c]) return Refuse(reason, "repeated component ids");
        }
      }
      const int scanCount = body[0];
      if (scanCount != frame.count || bodyLength != static_cast<size_t>(4 + 2 * scanCount)) {
        return Refuse(reason, "a scan that does not hold every component");
      }
      facts->width = frame.width;
      facts->height = frame.height;
      facts->components = frame.count;
      facts->restartInterval = restartInterval;
      facts->maxH = *std::max_element(frame.h, frame.h + frame.count);
      facts->maxV = *std::max_element(frame.v, frame.v + frame.count);
      std::memset(facts->tables, 0, sizeof facts->tables);
      for (int s = 0; s < scanCount; ++s) {
        if (body[1 + 2 * s] != frame.id[s]) return Refuse(reason, "scan components out of frame order");
        ScanComponentFacts& c = facts->component[s];
        c.dcSlot = body[2 + 2 * s] >> 4;
        c.acSlot = body[2 + 2 * s] & 15;
        if (c.dcSlot > 3 || c.acSlot > 3 || !dc[c.dcSlot].present || !ac[c.acSlot].present) {
          return Refuse(reason, "component " + std::to_string(s) + ": a Huffman table is missing");
        }
        const Spec& d = dc[c.dcSlot];
        const Spec& a = ac[c.acSlot];
        if (!DeriveHuffTable(d.counts, d.symbols, d.total, true, &facts->tables[c.dcSlot], reason) ||
            !DeriveHuffTable(a.counts, a.symbols, a.total, false, &facts->tables[4 + c.acSlot], reason)) {
          return false;
        }
        if (frame.tq[s] > 3 || !quantSeen[frame.tq[s]]) {
          return Refuse(reason, "component " + std::to_string(s) + ": its quantisation table is missing");
        }
        std::memcpy(c.quant, quant[frame.tq[s]], sizeof c.quant);
        c.h = frame.h[s];
        c.v = frame.v[s];
        c.widthInBlocks = (frame.width * c.h + facts->maxH * 8 - 1) / (facts->maxH * 8);
        c.heightInBlocks = (frame.height * c.v + facts->maxV * 8 - 1) / (facts->maxV * 8);
        c.blocksPerRow = (c.widthInBlocks + c.h - 1) / c.h * c.h;
        c.blockRows = (c.heightInBlocks + c.v - 1) / c.v * c.v;
      }
      const uint8_t* tail = bytes + end - 3;
      if (tail[0] != 0 || tail[1] != 63 || tail[2] != 0) return Refuse(reason, "not a sequential scan");
      if (frame.count == 1) {
        facts->blocksInMcu = 1;
        facts->mcusPerRow = facts->component[0].widthInBlocks;
        facts->totalMcus = facts->mcusPerRow * facts->component[0].heightInBlocks;
      } else {
        int blocks = 0;
        for (int c = 0; c < frame.count; ++c) blocks += frame.h[c] * frame.v[c];
        if (blocks > kMaxMcuBlocks) return Refuse(reason, "more than 10 blocks in an MCU");
        facts->blocksInMcu = blocks;
        facts->mcusPerRow = (frame.width + facts->maxH * 8 - 1) / (facts->maxH * 8);
        facts->totalMcus = facts->mcusPerRow * ((frame.height + facts->maxV * 8 - 1) / (facts->maxV * 8));
      }
      facts->entropyStart = end;
      return true;
    } else {
      char name[8];
      std::snprintf(name, sizeof name, "0x%02x", marker);
      return Refuse(reason, std::string("marker ") + name + " (not a sequential Huffman JPEG)");
    }
    pos = end;
  }
}

bool UnstuffScan(const uint8_t* bytes, size_t length, BaselineScanFacts* facts, uint8_t* out, size_t* outBytes,
                 std::string* reason) {
  std::vector<uint32_t>& starts = facts->intervalStarts;
  starts.assign(1, 0);
  size_t o = 0, i = facts->entropyStart;
  bool ended = false;
  while (i < length) {
    // Runs without 0xFF are copied whole (0xFF is rare in entropy-coded data).
    const void* ff = std::memchr(bytes + i, 0xff, length - i);
    const size_t run = (ff == nullptr ? length : static_cast<size_t>(static_cast<const uint8_t*>(ff) - bytes)) - i;
    std::memcpy(out + o, bytes + i, run);
    o += run;
    i += run;
    if (i >= length) break;
    size_t j = i + 1;
    while (j < length && bytes[j] == 0xff) ++j;
    if (j >= length) break;
    const int m = bytes[j];
    if (m == 0x00) {
      out[o++] = 0xff;
    } else if (m >= 0xd0 && m <= 0xd7) {
      if (m != 0xd0 + static_cast<int>((starts.size() - 1) & 7)) {
        return Refuse(reason, "restart markers out of sequence");
      }
      starts.push_back(static_cast<uint32_t>(o));
    } else if (m == 0xd9) {
      ended = true;
      break;
    } else {
      char name[8];
      std::snprintf(name, sizeof name, "0x%02x", m);
      return Refuse(reason, std::string("marker ") + name + " after the scan");
    }
    i = j + 1;
  }
  if (!ended) return Refuse(reason, "no EOI marker after the scan");
  const size_t intervals = facts->restartInterval == 0
                               ? 1
                               : (static_cast<size_t>(facts->totalMcus) + facts->restartInterval - 1) /
                                     static_cast<size_t>(facts->restartInterval);
  if (starts.size() != intervals) return Refuse(reason, "restart markers missing or extra");
  if (o >= (size_t{1} << 29)) return Refuse(reason, "more than 512 MiB of entropy-coded data");
  starts.push_back(static_cast<uint32_t>(o));
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
    const uint64_t bits = static_cast<uint64_t>(intervalStarts[j + 1] - intervalStarts[j]) * 8;
    const int count = std::max<int>(1, static_cast<int>((bits + chunkBits - 1) / chunkBits));
    if (n + static_cast<size_t>(count) > room) return 0;
    for (int place = 0; place < count; ++place) {
      out[n++] = GpuChunk{image, static_cast<int32_t>(j), place, place + 1 == count ? 1 : 0};
    }
  }
  while (n % kChunkThreads != 0) {
    if (n >= room) return 0;
    out[n++] = GpuChunk{-1, 0, 0, 1};
  }
  return n;
}

int ChooseChunkBits(uint64_t totalBits) { return totalBits <= (uint64_t{1} << 22) ? 1024 : 2048; }

int ChooseLeadBits(int chunkBits) { return chunkBits >= 2048 ? 1024 : chunkBits; }

}  // namespace jpegkit
