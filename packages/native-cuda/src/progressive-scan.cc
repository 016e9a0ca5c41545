// See progressive-scan.h. The decoding rules follow ITU T.81 Annex G (G.1.2) as libjpeg-turbo applies them to
// valid data; where libjpeg would go on without a word on corrupt data (a run past the end of the band) we refuse.
#include "progressive-scan.h"

#include <algorithm>
#include <climits>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include "kernels/huffman-math.cuh"

namespace jpegkit {

namespace {

constexpr size_t kPadding = 8;  // zero bytes after each scan's data: a 32-bit load never leaves the buffer

// An MSB-first bit reader over unstuffed data: up to 64 bits held, refilled 32 at a time. Loads past `limit`
// (only corrupt data gets there: the scan's end is checked after each interval) see zeros.
class HostBits {
 public:
  HostBits(const uint8_t* data, size_t at, size_t limit) : data_(data), at_(at), limit_(limit) {}

  // The next 32 bits, most significant first.
  uint32_t Peek() {
    if (n_ < 32) Refill();
    return static_cast<uint32_t>(acc_ >> 32);
  }
  // Consumes t ≤ 31 bits (after a Peek).
  void Skip(uint32_t t) {
    acc_ <<= t;
    n_ -= static_cast<int>(t);
  }
  uint32_t Bit() {
    if (n_ < 1) Refill();
    const uint32_t bit = static_cast<uint32_t>(acc_ >> 63);
    acc_ <<= 1;
    --n_;
    return bit;
  }
  // 1 ≤ count ≤ 16 bits as a number.
  uint32_t Bits(uint32_t count) {
    if (n_ < static_cast<int>(count)) Refill();
    const uint32_t value = static_cast<uint32_t>(acc_ >> (64 - count));
    acc_ <<= count;
    n_ -= static_cast<int>(count);
    return value;
  }
  // Bits consumed from the start of the data.
  uint64_t Position() const { return static_cast<uint64_t>(at_) * 8 - static_cast<uint64_t>(n_); }

 private:
  void Refill() {
    uint32_t word = 0;
    if (at_ + 4 <= limit_) {
      std::memcpy(&word, data_ + at_, 4);
      word = __builtin_bswap32(word);
    }
    acc_ |= static_cast<uint64_t>(word) << (32 - n_);
    at_ += 4;
    n_ += 32;
  }

  const uint8_t* data_;
  size_t at_, limit_;
  uint64_t acc_ = 0;
  int n_ = 0;
};

// One scan's decoding: its MCUs interval by interval, each block by the scan's kind.
class ScanDecoder {
 public:
  ScanDecoder(const ProgressiveFrame& frame, const ProgressiveScan& scan, int16_t* const coefficients[3])
      : frame_(frame), scan_(scan), h_(scan.header) {
    for (int s = 0; s < h_.count; ++s) planes_[s] = coefficients[h_.component[s]];
  }

  bool Run(std::string* reason) {
    const size_t intervals = scan_.intervalStarts.size() - 1;
    const int perInterval = scan_.restartInterval == 0 ? scan_.mcus : scan_.restartInterval;
    const uint8_t* data = frame_.data.data() + scan_.dataAt;
    const size_t limit = scan_.intervalStarts.back() + kPadding;
    for (size_t i = 0; i < intervals; ++i) {
      HostBits bits(data, scan_.intervalStarts[i], limit);
      dc_[0] = dc_[1] = dc_[2] = dc_[3] = 0;
      eobrun_ = 0;
      const int first = static_cast<int>(i) * perInterval;
      const int last = std::min(scan_.mcus, first + perInterval);
      if (!Mcus(bits, first, last)) return Refuse(reason, failure_);
      // libjpeg reads on to the next marker: bits over in the last byte are dropped, whole bytes are a warning
      // (extraneous data), and bits needed past the marker another (premature end).
      const uint64_t end = static_cast<uint64_t>(scan_.intervalStarts[i + 1]) * 8;
      const uint64_t at = bits.Position();
      if (at > end) return Refuse(reason, "entropy-coded data ending early (libjpeg would warn)");
      if (at + 8 <= end) return Refuse(reason, "bytes left over after a scan's data (libjpeg would warn)");
    }
    return true;
  }

 private:
  bool Fail(const char* why) {
    failure_ = why;
    return false;
  }

  int16_t* Block(int s, int row, int col) const {
    const ComponentGrid& g = frame_.component[h_.component[s]];
    return planes_[s] + (static_cast<size_t>(row) * g.blocksPerRow + col) * 64;
  }

  bool Mcus(HostBits& bits, int first, int last) {
    const bool dc = h_.ss == 0;
    if (h_.count == 1) {
      // Non-interleaved: one block per MCU, over the component's blocks with image data.
      const ComponentGrid& g = frame_.component[h_.component[0]];
      int row = first / g.widthInBlocks, col = first % g.widthInBlocks;
      for (int m = first; m < last; ++m) {
        int16_t* block = Block(0, row, col);
        const bool ok = dc ? DcBlock(bits, 0, block) : h_.ah == 0 ? AcFirst(bits, block) : AcRefine(bits, block);
        if (!ok) return false;
        if (++col == g.widthInBlocks) {
          col = 0;
          ++row;
        }
      }
      return true;
    }
    // Interleaved (DC scans only): each component's h × v blocks per MCU, in scan order.
    const int mcusPerRow = (frame_.width + frame_.maxH * 8 - 1) / (frame_.maxH * 8);
    for (int m = first; m < last; ++m) {
      const int mx = m % mcusPerRow, my = m / mcusPerRow;
      for (int s = 0; s < h_.count; ++s) {
        const ComponentGrid& g = frame_.component[h_.component[s]];
        for (int by = 0; by < g.v; ++by) {
          for (int bx = 0; bx < g.h; ++bx) {
            if (!DcBlock(bits, s, Block(s, my * g.v + by, mx * g.h + bx))) return false;
          }
        }
      }
    }
    return true;
  }

  // DC first (the difference, added to the component's prediction, scaled by Al) or refinement (one bit).
  bool DcBlock(HostBits& bits, int s, int16_t* block) {
    if (h_.ah != 0) {
      if (bits.Bit() != 0) block[0] = static_cast<int16_t>(block[0] | (1 << h_.al));
      return true;
    }
    const uint32_t window = bits.Peek();
    const uint32_t look = huff::DecodeSymbol(scan_.tables[s], window);
    const uint32_t length = (look >> 8) & 0xff, size = look & 15;
    if (length == 0) return Fail("a bad Huffman code (libjpeg would warn)");
    const int32_t diff = huff::Extend(window, length, size);
    bits.Skip(length + size);
    const int32_t last = dc_[s];
    if ((last >= 0 && diff > INT_MAX - last) || (last < 0 && diff < INT_MIN - last)) {
      return Fail("a DC value out of range (libjpeg refuses it)");
    }
    dc_[s] = last + diff;
    block[0] = static_cast<int16_t>(static_cast<uint16_t>(static_cast<uint32_t>(dc_[s]) << h_.al));
    return true;
  }

  // AC first: the band's values scaled by Al, or a run of blocks whose band is all zero (end-of-band run).
  bool AcFirst(HostBits& bits, int16_t* block) {
    if (eobrun_ > 0) {
      --eobrun_;
      return true;
    }
    const HuffTable& table = scan_.tables[0];
    for (int k = h_.ss; k <= h_.se; ++k) {
      const uint32_t window = bits.Peek();
      const uint32_t look = huff::DecodeSymbol(table, window);
      const uint32_t length = (look >> 8) & 0xff, r = (look >> 4) & 15, size = look & 15;
      if (length == 0) return Fail("a bad Huffman code (libjpeg would warn)");
      if (size != 0) {
        k += static_cast<int>(r);
        if (k > h_.se) return Fail("a coefficient past the end of the band");
        const int32_t value = huff::Extend(window, length, size);
        bits.Skip(length + size);
        block[kNaturalOrder[k]] = static_cast<int16_t>(static_cast<uint16_t>(static_cast<uint32_t>(value) << h_.al));
      } else if (r == 15) {
        bits.Skip(length);
        k += 15;
      } else {
        bits.Skip(length);
        eobrun_ = (1u << r) - 1;
        if (r != 0) eobrun_ += bits.Bits(r);
        break;
      }
    }
    return true;
  }

  // AC refinement: a correction bit for each coefficient already nonzero that the block's symbols pass over, new
  // coefficients of ±2^Al placed after their runs of zeros, and within an end-of-band run correction bits only.
  bool AcRefine(HostBits& bits, int16_t* block) {
    const int p1 = 1 << h_.al, m1 = -p1;
    const auto correct = [&](int16_t* c) {
      if (bits.Bit() != 0 && (*c & p1) == 0) *c = static_cast<int16_t>(*c + (*c >= 0 ? p1 : m1));
    };
    int k = h_.ss;
    if (eobrun_ == 0) {
      const HuffTable& table = scan_.tables[0];
      for (; k <= h_.se; ++k) {
        const uint32_t look = huff::DecodeSymbol(table, bits.Peek());
        const uint32_t length = (look >> 8) & 0xff, size = look & 15;
        int r = static_cast<int>((look >> 4) & 15);
        if (length == 0) return Fail("a bad Huffman code (libjpeg would warn)");
        bits.Skip(length);
        int value = 0;
        if (size != 0) {
          if (size != 1) return Fail("a refinement value of more than one bit (libjpeg would warn)");
          value = bits.Bit() != 0 ? p1 : m1;
        } else if (r != 15) {
          eobrun_ = 1u << r;
          if (r != 0) eobrun_ += bits.Bits(static_cast<uint32_t>(r));
          break;
        }
        do {
          int16_t* c = block + kNaturalOrder[k];
          if (*c != 0) {
            correct(c);
          } else if (--r < 0) {
            break;
          }
          ++k;
        } while (k <= h_.se);
        if (value != 0) {
          if (k > h_.se) return Fail("a coefficient past the end of the band");
          block[kNaturalOrder[k]] = static_cast<int16_t>(value);
        }
      }
    }
    if (eobrun_ > 0) {
      for (; k <= h_.se; ++k) {
        int16_t* c = block + kNaturalOrder[k];
        if (*c != 0) correct(c);
      }
      --eobrun_;
    }
    return true;
  }

  const ProgressiveFrame& frame_;
  const ProgressiveScan& scan_;
  const ScanHeader& h_;
  int16_t* planes_[4] = {};
  int32_t dc_[4] = {};
  uint32_t eobrun_ = 0;
  const char* failure_ = "";
};

// Whether two scans' bands meet: a component in common and coefficients in common.
bool Meet(const ScanHeader& a, const ScanHeader& b) {
  if (a.se < b.ss || b.se < a.ss) return false;
  for (int i = 0; i < a.count; ++i) {
    for (int j = 0; j < b.count; ++j) {
      if (a.component[i] == b.component[j]) return true;
    }
  }
  return false;
}

}  // namespace

bool ParseProgressive(const uint8_t* bytes, size_t length, ProgressiveFrame* frame, std::string* reason) {
  if (length < 4 || bytes[0] != 0xff || bytes[1] != 0xd8) return Refuse(reason, "no SOI marker");
  HeaderState state;
  size_t pos = 2;
  // libjpeg's coef_bits: per component and coefficient, the Al of the last scan that coded it (-1: none yet).
  int coefBits[3][64];
  std::fill(&coefBits[0][0], &coefBits[0][0] + 3 * 64, -1);
  bool latched[3] = {};
  // Each scan's unstuffed data is at most its coded bytes; each is followed by kPadding zero bytes, and a scan
  // header takes at least 10 bytes of the file.
  frame->data.assign(length + (length / 10 + 1) * kPadding, 0);
  size_t dataEnd = 0;
  frame->scans.clear();
  for (;;) {
    ScanHeader header;
    bool eoi = false;
    if (!ReadHeaders(bytes, length, &pos, &state, &header, &eoi, reason)) return false;
    if (eoi) break;
    const FrameHeader& f = state.frame;
    if (frame->scans.empty()) {
      if (f.marker != 0xc2) return Refuse(reason, "not a progressive JPEG");
      if (!CheckFrame(state, reason)) return false;
      frame->width = f.width;
      frame->height = f.height;
      frame->components = f.count;
      frame->maxH = *std::max_element(f.h, f.h + f.count);
      frame->maxV = *std::max_element(f.v, f.v + f.count);
      for (int c = 0; c < f.count; ++c) frame->component[c] = GridOfComponent(f, c);
    }
    if (frame->scans.size() >= 1000) return Refuse(reason, "more than 1,000 scans");
    // jdphuff.c's start_pass_phuff_decoder: an impossible band or approximation is an error, a scan that does not
    // follow the component's progression a warning.
    const bool dcBand = header.ss == 0;
    if ((dcBand && header.se != 0) || (!dcBand && (header.ss > header.se || header.se > 63 || header.count != 1)) ||
        (header.ah != 0 && header.al != header.ah - 1) || header.al > 13) {
      return Refuse(reason, "an invalid progression (libjpeg refuses it)");
    }
    ProgressiveScan scan;
    scan.header = header;
    int blocksInMcu = 0;
    for (int s = 0; s < header.count; ++s) {
      const int c = header.component[s];
      if (!dcBand && coefBits[c][0] < 0) return Refuse(reason, "an AC scan before the DC one (libjpeg would warn)");
      for (int k = header.ss; k <= header.se; ++k) {
        if (header.ah != std::max(coefBits[c][k], 0)) {
          return Refuse(reason, "an inconsistent progression (libjpeg would warn)");
        }
        coefBits[c][k] = header.al;
      }
      // Tables: DC first scans decode DC differences, AC scans (first and refinement) AC symbols.
      if (dcBand ? header.ah == 0 : true) {
        const int slot = dcBand ? header.dcSlot[s] : header.acSlot[s];
        const HuffSpec* spec = slot > 3 ? nullptr : dcBand ? &state.dc[slot] : &state.ac[slot];
        if (spec == nullptr || !spec->present) {
          return Refuse(reason, "component " + std::to_string(c) + ": a Huffman table is missing");
        }
        if (!DeriveHuffTable(spec->counts, spec->symbols, spec->total, dcBand, &scan.tables[s], reason)) return false;
      }
      // jdinput.c latches a component's quantisation table at its first scan.
      if (!latched[c]) {
        if (f.tq[c] > 3 || !state.quantSeen[f.tq[c]]) {
          return Refuse(reason, "component " + std::to_string(c) + ": its quantisation table is missing");
        }
        std::memcpy(frame->quant[c], state.quant[f.tq[c]], sizeof frame->quant[c]);
        latched[c] = true;
      }
      blocksInMcu += frame->component[c].h * frame->component[c].v;
    }
    if (header.count == 1) {
      const ComponentGrid& g = frame->component[header.component[0]];
      scan.mcus = g.widthInBlocks * g.heightInBlocks;
    } else {
      if (blocksInMcu > kMaxMcuBlocks) return Refuse(reason, "more than 10 blocks in an MCU");
      scan.mcus = ((f.width + frame->maxH * 8 - 1) / (frame->maxH * 8)) *
                  ((f.height + frame->maxV * 8 - 1) / (frame->maxV * 8));
    }
    scan.restartInterval = state.restartInterval;
    // The data, up to the next marker (restart markers in sequence, one per interval).
    size_t bytesOut = 0, markerAt = 0;
    int marker = -1;
    scan.dataAt = dataEnd;
    if (!UnstuffEntropy(bytes, length, pos, frame->data.data() + dataEnd, &bytesOut, &scan.intervalStarts, &markerAt,
                        &marker, reason)) {
      return false;
    }
    if (marker < 0) return Refuse(reason, "no EOI marker (libjpeg would warn)");
    const size_t intervals = scan.restartInterval == 0 ? 1
                                                       : (static_cast<size_t>(scan.mcus) + scan.restartInterval - 1) /
                                                             static_cast<size_t>(scan.restartInterval);
    if (scan.intervalStarts.size() != intervals + 1) return Refuse(reason, "restart markers missing or extra");
    dataEnd += bytesOut + kPadding;
    pos = markerAt;
    for (size_t t = 0; t < frame->scans.size(); ++t) {
      if (Meet(frame->scans[t].header, header)) scan.after.push_back(static_cast<int>(t));
    }
    frame->scans.push_back(std::move(scan));
  }
  if (frame->scans.empty()) return Refuse(reason, "no scan before EOI");
  for (int c = 0; c < frame->components; ++c) {
    for (int k = 0; k < 64; ++k) {
      if (coefBits[c][k] != 0) {
        return Refuse(reason, "scans that leave coefficients unrefined (libjpeg smooths such images' blocks)");
      }
    }
  }
  frame->data.resize(dataEnd);
  return true;
}

int ProgressiveThreads(const ProgressiveFrame& frame) {
  // JPEGKIT_CUDA_PROGRESSIVE_THREADS (1–16) sets it, for measurements.
  static const int forced = [] {
    const char* value = std::getenv("JPEGKIT_CUDA_PROGRESSIVE_THREADS");
    return value == nullptr ? 0 : std::max(0, std::min(std::atoi(value), 16));
  }();
  if (forced > 0) return forced;
  size_t values = 0;
  for (int c = 0; c < frame.components; ++c) values += frame.Values(c);
  if (values < (size_t{1} << 20)) return 1;  // under ~16k blocks: threads cost more than they save
  const unsigned cores = std::thread::hardware_concurrency();
  return static_cast<int>(std::max(1u, std::min(cores, 4u)));
}

bool DecodeProgressive(const ProgressiveFrame& frame, int16_t* const coefficients[3], int threads,
                       std::string* reason) {
  const int scans = static_cast<int>(frame.scans.size());
  threads = std::max(1, std::min(threads, scans));
  std::mutex mutex;
  std::condition_variable wake;
  std::vector<char> started(scans, 0), done(scans, 0);
  int zeroed = 0;
  bool failed = false;
  std::string failure;
  // Each thread zeroes its share of the planes, then (once every share is zero) takes the first scan not started
  // whose earlier scans of the same bands are done.
  const auto work = [&](int index) {
    for (int c = 0; c < frame.components; ++c) {
      const size_t values = frame.Values(c);
      const size_t from = values * index / threads, to = values * (index + 1) / threads;
      std::memset(coefficients[c] + from, 0, (to - from) * sizeof(int16_t));
    }
    std::unique_lock<std::mutex> lock(mutex);
    if (++zeroed == threads) wake.notify_all();
    wake.wait(lock, [&] { return zeroed == threads; });
    for (;;) {
      int next = -1;
      bool remaining = false;
      for (int s = 0; s < scans && next < 0; ++s) {
        if (started[s]) continue;
        remaining = true;
        bool ready = true;
        for (int t : frame.scans[s].after) ready = ready && done[t];
        if (ready) next = s;
      }
      if (failed || !remaining) return;
      if (next < 0) {
        wake.wait(lock);
        continue;
      }
      started[next] = 1;
      lock.unlock();
      std::string why;
      const bool ok = ScanDecoder(frame, frame.scans[next], coefficients).Run(&why);
      lock.lock();
      done[next] = 1;
      if (!ok && !failed) {
        failed = true;
        failure = "scan " + std::to_string(next) + ": " + why;
      }
      wake.notify_all();
    }
  };
  std::vector<std::thread> helpers;
  for (int i = 1; i < threads; ++i) helpers.emplace_back(work, i);
  work(0);
  for (std::thread& t : helpers) t.join();
  if (failed) return Refuse(reason, failure);
  return true;
}

}  // namespace jpegkit
