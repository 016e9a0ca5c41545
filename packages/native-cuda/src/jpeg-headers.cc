// See jpeg-headers.h.
#include "jpeg-headers.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "kernels/huffman-math.cuh"

namespace jpegkit {

namespace {

inline int U16(const uint8_t* p) { return (p[0] << 8) | p[1]; }

}  // namespace

std::string MarkerName(int marker) {
  char name[8];
  std::snprintf(name, sizeof name, "0x%02x", marker & 0xff);
  return name;
}

bool Refuse(std::string* reason, const std::string& why) {
  if (reason != nullptr) *reason = why;
  return false;
}

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

bool ReadHeaders(const uint8_t* bytes, size_t length, size_t* pos, HeaderState* state, ScanHeader* scan, bool* eoi,
                 std::string* reason) {
  const size_t n = length;
  FrameHeader& frame = state->frame;
  size_t at = *pos;
  *eoi = false;
  for (;;) {
    if (at + 2 > n || bytes[at] != 0xff) return Refuse(reason, "data between markers");
    while (at < n && bytes[at] == 0xff) ++at;
    if (at >= n) return Refuse(reason, "truncated headers");
    const int marker = bytes[at++];
    if (marker == 0xd9) {
      *eoi = true;
      *pos = at;
      return true;
    }
    if (at + 2 > n) return Refuse(reason, "truncated headers");
    const size_t segment = static_cast<size_t>(U16(bytes + at));
    const size_t end = at + segment;
    if (segment < 2 || end > n) return Refuse(reason, "a segment running past the end");
    const uint8_t* body = bytes + at + 2;
    const size_t bodyLength = segment - 2;
    if (marker == 0xc0 || marker == 0xc1 || marker == 0xc2) {
      if (frame.seen) return Refuse(reason, "two frame headers");
      if (bodyLength < 6 || body[0] != 8) return Refuse(reason, "not an 8-bit frame");
      const int count = body[5];
      if (segment != static_cast<size_t>(8 + 3 * count) || count < 1) return Refuse(reason, "a malformed SOF");
      if (count != 1 && count != 3) return Refuse(reason, std::to_string(count) + " components");
      frame.seen = true;
      frame.marker = marker;
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
      size_t i = 0;
      while (i < bodyLength) {
        const int tc = body[i] >> 4, th = body[i] & 15;
        if (tc > 1 || th > 3 || i + 17 > bodyLength) return Refuse(reason, "a malformed DHT");
        int total = 0;
        for (int k = 0; k < 16; ++k) total += body[i + 1 + k];
        if (total > 256 || i + 17 + total > bodyLength) return Refuse(reason, "a malformed DHT");
        HuffSpec& spec = tc == 0 ? state->dc[th] : state->ac[th];
        spec.present = true;
        std::memcpy(spec.counts, body + i + 1, 16);
        std::memcpy(spec.symbols, body + i + 17, total);
        spec.total = total;
        i += 17 + total;
      }
    } else if (marker == 0xdb) {
      size_t i = 0;
      while (i < bodyLength) {
        const int pq = body[i] >> 4, tq = body[i] & 15;
        const size_t size = pq == 0 ? 64 : 128;
        if (pq > 1 || tq > 3 || i + 1 + size > bodyLength) return Refuse(reason, "a malformed DQT");
        for (int k = 0; k < 64; ++k) {
          state->quant[tq][huff::kNatural[k]] =
              static_cast<uint16_t>(pq == 0 ? body[i + 1 + k] : U16(body + i + 1 + 2 * k));
        }
        state->quantSeen[tq] = true;
        i += 1 + size;
      }
    } else if (marker == 0xdd) {
      if (segment != 4) return Refuse(reason, "a malformed DRI");
      state->restartInterval = U16(body);
    } else if (marker == 0xe0) {
      if (segment >= 16 && std::memcmp(body, "JFIF\0", 5) == 0) {
        state->jfif = true;
        if (body[5] != 1) return Refuse(reason, "a JFIF major version other than 1");
      }
    } else if (marker == 0xee) {
      if (segment >= 14 && std::memcmp(body, "Adobe", 5) == 0) state->adobe = body[11];
    } else if ((marker & 0xf0) == 0xe0 || marker == 0xfe) {
      // Other application segments and comments: nothing the decoder uses.
    } else if (marker == 0xda) {
      if (!frame.seen) return Refuse(reason, "a scan before the frame header");
      const int count = body[0];
      if (count < 1 || count > 4 || bodyLength != static_cast<size_t>(4 + 2 * count)) {
        return Refuse(reason, "a malformed SOS");
      }
      scan->count = count;
      int previous = -1;
      for (int s = 0; s < count; ++s) {
        int c = 0;
        while (c < frame.count && frame.id[c] != body[1 + 2 * s]) ++c;
        if (c == frame.count) return Refuse(reason, "a scan component the frame does not have");
        if (c <= previous) return Refuse(reason, "scan components out of frame order");
        previous = c;
        scan->component[s] = c;
        scan->dcSlot[s] = body[2 + 2 * s] >> 4;
        scan->acSlot[s] = body[2 + 2 * s] & 15;
      }
      scan->ss = body[1 + 2 * count];
      scan->se = body[2 + 2 * count];
      scan->ah = body[3 + 2 * count] >> 4;
      scan->al = body[3 + 2 * count] & 15;
      *pos = end;
      return true;
    } else {
      return Refuse(reason, "marker " + MarkerName(marker) + " (not a Huffman-coded JPEG we read)");
    }
    at = end;
  }
}

bool CheckFrame(const HeaderState& state, std::string* reason) {
  const FrameHeader& frame = state.frame;
  if (frame.width == 0 || frame.height == 0) return Refuse(reason, "an empty image");
  // Colour space as jdapimin.c's default_decompress_parms decides it; we decode gray and YCbCr.
  if (frame.count == 3) {
    bool rgb = false;
    if (!state.jfif && state.adobe >= 0) {
      if (state.adobe == 0) rgb = true;
      else if (state.adobe != 1) return Refuse(reason, "Adobe transform " + std::to_string(state.adobe));
    } else if (!state.jfif) {
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
  return true;
}

bool UnstuffEntropy(const uint8_t* bytes, size_t length, size_t start, uint8_t* out, size_t* outBytes,
                    std::vector<uint32_t>* starts, size_t* markerAt, int* marker, std::string* reason) {
  starts->assign(1, 0);
  *marker = -1;
  *markerAt = length;
  size_t o = 0, i = start;
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
      if (m != 0xd0 + static_cast<int>((starts->size() - 1) & 7)) {
        return Refuse(reason, "restart markers out of sequence");
      }
      starts->push_back(static_cast<uint32_t>(o));
    } else {
      *marker = m;
      *markerAt = i;
      break;
    }
    i = j + 1;
  }
  if (o >= (size_t{1} << 29)) return Refuse(reason, "more than 512 MiB of entropy-coded data");
  starts->push_back(static_cast<uint32_t>(o));
  *outBytes = o;
  return true;
}

bool RawEntropySize(const uint8_t* bytes, size_t length, size_t start, size_t* rawBytes) {
  if (length < start + 2 || bytes[length - 2] != 0xff || bytes[length - 1] != 0xd9) return false;
  *rawBytes = length - 2 - start;
  return true;
}

int MaxH(const FrameHeader& frame) { return *std::max_element(frame.h, frame.h + frame.count); }
int MaxV(const FrameHeader& frame) { return *std::max_element(frame.v, frame.v + frame.count); }

int McusPerRow(const FrameHeader& frame) { return (frame.width + MaxH(frame) * 8 - 1) / (MaxH(frame) * 8); }

int McuRows(const FrameHeader& frame) { return (frame.height + MaxV(frame) * 8 - 1) / (MaxV(frame) * 8); }

int BlocksInMcu(const FrameHeader& frame, const ScanHeader& scan) {
  int blocks = 0;
  for (int s = 0; s < scan.count; ++s) blocks += frame.h[scan.component[s]] * frame.v[scan.component[s]];
  return blocks;
}

size_t IntervalsOf(int64_t mcus, int restartInterval) {
  return restartInterval == 0 ? 1 : static_cast<size_t>((mcus + restartInterval - 1) / restartInterval);
}

ComponentGrid GridOfComponent(const FrameHeader& frame, int c) {
  const int maxH = MaxH(frame), maxV = MaxV(frame);
  ComponentGrid g;
  g.h = frame.h[c];
  g.v = frame.v[c];
  g.widthInBlocks = (frame.width * g.h + maxH * 8 - 1) / (maxH * 8);
  g.heightInBlocks = (frame.height * g.v + maxV * 8 - 1) / (maxV * 8);
  g.blocksPerRow = (g.widthInBlocks + g.h - 1) / g.h * g.h;
  g.blockRows = (g.heightInBlocks + g.v - 1) / g.v * g.v;
  return g;
}

}  // namespace jpegkit
