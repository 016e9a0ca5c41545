// See progressive-scan.h. The decoding rules follow ITU T.81 Annex G (G.1.2) as libjpeg-turbo applies them to
// valid data; where libjpeg would go on without a word on corrupt data (a run past the end of the band) we refuse.
#include "progressive-scan.h"

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "kernels/huffman-math.cuh"

namespace jpegkit {

namespace {

#define JK_ALWAYS_INLINE inline __attribute__((always_inline))

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
  // 1 ≤ count ≤ 32 bits as a number.
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

// Bit k set where zigzag coefficient k of the block is nonzero.
inline uint64_t NonzeroMask(const int16_t* block) {
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  uint64_t mask = 0;
  for (int i = 0; i < 4; ++i) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * i + 8));
    const __m128i zeros = _mm_packs_epi16(_mm_cmpeq_epi16(a, zero), _mm_cmpeq_epi16(b, zero));
    mask |= static_cast<uint64_t>(~static_cast<uint32_t>(_mm_movemask_epi8(zeros)) & 0xffffu) << (16 * i);
  }
  return mask;
#else
  uint64_t mask = 0;
  for (int k = 0; k < 64; ++k) mask |= static_cast<uint64_t>(block[k] != 0) << k;
  return mask;
#endif
}

// Bits k..63 (none for k = 64).
inline uint64_t From(int k) { return k >= 64 ? 0 : ~uint64_t{0} << k; }

// Scans decoded at once follow each other block row by block row: a scan publishes how far it has got (in its
// rows: block rows of its component, MCU rows when interleaved), and a scan whose band meets an earlier one's
// waits, before each row, until that one is past it.
struct ScanProgress {
  std::atomic<int> rows{0};
};
constexpr int kScanDone = 1 << 24;  // what a finished scan publishes: past any row

// One scan's decoding: its MCUs interval by interval, each block by the scan's kind.
class ScanDecoder {
 public:
  ScanDecoder(const ProgressiveFrame& frame, int scan, int16_t* const blocks[3], int16_t* const dc[3],
              ScanProgress* progress, const std::atomic<bool>* failed)
      : frame_(frame),
        scan_(frame.scans[scan]),
        h_(scan_.header),
        progress_(progress),
        own_(progress[scan]),
        failed_(failed) {
    for (int s = 0; s < h_.count; ++s) {
      blocks_[s] = blocks[h_.component[s]];
      dcs_[s] = dc[h_.component[s]];
    }
    band_ = From(h_.ss) & (h_.se == 63 ? ~uint64_t{0} : (uint64_t{1} << (h_.se + 1)) - 1);
  }

  bool Run(std::string* reason) {
    const bool ok = Decode(reason);
    if (ok) own_.rows.store(kScanDone, std::memory_order_release);
    return ok;
  }

 private:
  bool Decode(std::string* reason) {
    const size_t intervals = scan_.intervalStarts.size() - 1;
    const int perInterval = scan_.restartInterval == 0 ? scan_.mcus : scan_.restartInterval;
    const uint8_t* data = frame_.data.data() + scan_.dataAt;
    const size_t limit = scan_.intervalStarts.back() + kPadding;
    for (size_t i = 0; i < intervals; ++i) {
      HostBits bits(data, scan_.intervalStarts[i], limit);
      prediction_[0] = prediction_[1] = prediction_[2] = prediction_[3] = 0;
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

  bool Fail(const char* why) {
    failure_ = why;
    return false;
  }

  // Waits until every earlier scan whose band meets this one's has finished component c's first `rows` block
  // rows; false when another scan has failed (its rows will not come).
  bool WaitRows(int c, int rows) {
    for (int t : scan_.after) {
      const ScanHeader& prior = frame_.scans[t].header;
      int i = 0;
      while (i < prior.count && prior.component[i] != c) ++i;
      if (i == prior.count) continue;
      const int64_t perUnit = prior.count > 1 ? frame_.component[c].v : 1;
      while (progress_[t].rows.load(std::memory_order_acquire) * perUnit < rows) {
        if (failed_->load(std::memory_order_relaxed)) return Fail("another scan failed");
        std::this_thread::yield();
      }
    }
    return true;
  }

  size_t BlockIndex(int s, int row, int col) const {
    return static_cast<size_t>(row) * frame_.component[h_.component[s]].blocksPerRow + col;
  }

  enum Kind { kDc, kAcFirst, kAcRefine };

  bool Mcus(HostBits& bits, int first, int last) {
    if (h_.count > 1) return Interleaved(bits, first, last);
    if (h_.ss == 0) return Single<kDc>(bits, first, last);
    return h_.ah == 0 ? Single<kAcFirst>(bits, first, last) : Single<kAcRefine>(bits, first, last);
  }

  // Non-interleaved: one block per MCU, over the component's blocks with image data. The reader is a local copy
  // (so that it lives in registers: through a reference every bit read went through memory).
  template <Kind kKind>
  bool Single(HostBits& shared, int first, int last) {
    HostBits bits = shared;
    const int c = h_.component[0];
    const ComponentGrid& g = frame_.component[c];
    int row = first / g.widthInBlocks, col = first % g.widthInBlocks;
    bool ok = WaitRows(c, row + 1);
    for (int m = first; m < last && ok; ++m) {
      if (col == 0 && m != first) ok = WaitRows(c, row + 1);
      const size_t index = BlockIndex(0, row, col);
      if (kKind == kDc) ok = DcBlock(bits, 0, dcs_[0] + index);
      else if (kKind == kAcFirst) ok = AcFirst(bits, blocks_[0] + index * 64);
      else ok = AcRefine(bits, blocks_[0] + index * 64);
      if (++col == g.widthInBlocks) {
        col = 0;
        ++row;
        own_.rows.store(row, std::memory_order_release);
      }
    }
    shared = bits;
    return ok;
  }

  // Interleaved (DC scans only): each component's h × v blocks per MCU, in scan order.
  bool Interleaved(HostBits& shared, int first, int last) {
    HostBits bits = shared;
    const int mcusPerRow = frame_.mcusPerRow;
    int mx = first % mcusPerRow, my = first / mcusPerRow;
    for (int m = first; m < last; ++m) {
      if (m == first || mx == 0) {
        for (int s = 0; s < h_.count; ++s) {
          if (!WaitRows(h_.component[s], (my + 1) * frame_.component[h_.component[s]].v)) return false;
        }
      }
      for (int s = 0; s < h_.count; ++s) {
        const ComponentGrid& g = frame_.component[h_.component[s]];
        for (int by = 0; by < g.v; ++by) {
          int16_t* dc = dcs_[s] + BlockIndex(s, my * g.v + by, mx * g.h);
          for (int bx = 0; bx < g.h; ++bx) {
            if (!DcBlock(bits, s, dc + bx)) return false;
          }
        }
      }
      if (++mx == mcusPerRow) {
        mx = 0;
        ++my;
        own_.rows.store(my, std::memory_order_release);
      }
    }
    shared = bits;
    return true;
  }

  // DC first (the difference, added to the component's prediction, scaled by Al) or refinement (one bit).
  JK_ALWAYS_INLINE bool DcBlock(HostBits& bits, int s, int16_t* dc) {
    if (h_.ah != 0) {
      if (bits.Bit() != 0) *dc = static_cast<int16_t>(*dc | (1 << h_.al));
      return true;
    }
    const uint32_t window = bits.Peek();
    const uint32_t look = huff::DecodeSymbol(scan_.tables[s], window);
    const uint32_t length = (look >> 8) & 0xff, size = look & 15;
    if (length == 0) return Fail("a bad Huffman code (libjpeg would warn)");
    const int32_t diff = huff::Extend(window, length, size);
    bits.Skip(length + size);
    const int32_t last = prediction_[s];
    if ((last >= 0 && diff > INT_MAX - last) || (last < 0 && diff < INT_MIN - last)) {
      return Fail("a DC value out of range (libjpeg refuses it)");
    }
    prediction_[s] = last + diff;
    *dc = static_cast<int16_t>(static_cast<uint16_t>(static_cast<uint32_t>(prediction_[s]) << h_.al));
    return true;
  }

  // AC first: the band's values scaled by Al, or a run of blocks whose band is all zero (end-of-band run). A scan
  // that codes its band for the first time writes the zeros too (nothing else does).
  JK_ALWAYS_INLINE bool AcFirst(HostBits& bits, int16_t* block) {
    if (scan_.fill) std::memset(block + h_.ss, 0, static_cast<size_t>(h_.se - h_.ss + 1) * sizeof(int16_t));
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
        block[k] = static_cast<int16_t>(static_cast<uint16_t>(static_cast<uint32_t>(value) << h_.al));
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
  // The band's nonzero coefficients are a bit mask: runs of zeros and the coefficients to correct are found
  // from it rather than one coefficient at a time.
  JK_ALWAYS_INLINE bool AcRefine(HostBits& bits, int16_t* block) {
    const int p1 = 1 << h_.al, m1 = -p1;
    // (A band short of 1–63 reads only its own coefficients: another scan may be writing the others.)
    uint64_t nonzero = 0;
    if (h_.ss == 1 && h_.se == 63) {
      nonzero = NonzeroMask(block) & band_;
    } else {
      for (int k = h_.ss; k <= h_.se; ++k) nonzero |= static_cast<uint64_t>(block[k] != 0) << k;
    }
    // One correction bit per coefficient of `which`, in order, up to 31 from each 32-bit window; a set bit adds
    // 2^Al to the magnitude of a coefficient that lacks it (branch-free: the bits are noise to a branch predictor).
    const auto correct = [&](uint64_t which) {
      while (which != 0) {
        const uint32_t window = bits.Peek();
        uint32_t used = 0;
        do {
          const int i = __builtin_ctzll(which);
          which &= which - 1;
          const int c = block[i];
          const int sign = c >> 31;  // 0 or -1
          const uint32_t bit = (window >> (31 - used)) & 1u;
          const int apply = -static_cast<int>(bit & static_cast<uint32_t>((c & p1) == 0));
          block[i] = static_cast<int16_t>(c + (((p1 ^ sign) - sign) & apply));
          ++used;
        } while (which != 0 && used < 31);
        bits.Skip(used);
      }
    };
    int k = h_.ss;
    if (eobrun_ == 0) {
      const HuffTable& table = scan_.tables[0];
      while (k <= h_.se) {
        const uint32_t look = huff::DecodeSymbol(table, bits.Peek());
        const uint32_t length = (look >> 8) & 0xff, size = look & 15, r = (look >> 4) & 15;
        if (length == 0) return Fail("a bad Huffman code (libjpeg would warn)");
        bits.Skip(length);
        int value = 0;
        if (size != 0) {
          if (size != 1) return Fail("a refinement value of more than one bit (libjpeg would warn)");
          value = bits.Bit() != 0 ? p1 : m1;
        } else if (r != 15) {
          eobrun_ = 1u << r;
          if (r != 0) eobrun_ += bits.Bits(r);
          break;
        }
        // The zero coefficient after r others (from k on): the nonzero ones on the way get correction bits.
        const uint64_t ahead = band_ & From(k);
        uint64_t zeros = ~nonzero & ahead;
        for (uint32_t i = 0; i < r && zeros != 0; ++i) zeros &= zeros - 1;
        if (zeros == 0) {
          // Past the band: libjpeg corrects the rest and would place a new value outside it.
          correct(nonzero & ahead);
          if (value != 0) return Fail("a coefficient past the end of the band");
          k = h_.se + 1;
          break;
        }
        const int t = __builtin_ctzll(zeros);
        correct(nonzero & ahead & ~From(t));
        if (value != 0) {
          block[t] = static_cast<int16_t>(value);
          nonzero |= uint64_t{1} << t;
        }
        k = t + 1;
      }
    }
    if (eobrun_ > 0) {
      correct(nonzero & From(k));
      --eobrun_;
    }
    return true;
  }

  const ProgressiveFrame& frame_;
  const ProgressiveScan& scan_;
  const ScanHeader& h_;
  ScanProgress* progress_;
  ScanProgress& own_;
  const std::atomic<bool>* failed_;
  int16_t* blocks_[4] = {};
  int16_t* dcs_[4] = {};
  uint64_t band_ = 0;
  int32_t prediction_[4] = {};
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
      frame->maxH = MaxH(f);
      frame->maxV = MaxV(f);
      frame->mcusPerRow = McusPerRow(f);
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
    for (int s = 0; s < header.count; ++s) {
      const int c = header.component[s];
      if (!dcBand && coefBits[c][0] < 0) return Refuse(reason, "an AC scan before the DC one (libjpeg would warn)");
      // An AC first scan either codes its whole band for the first time (and writes its zeros: nothing else
      // does) or codes again what earlier ones coded (libjpeg then keeps what it does not overwrite).
      if (!dcBand && header.ah == 0) {
        int fresh = 0;
        for (int k = header.ss; k <= header.se; ++k) fresh += coefBits[c][k] < 0 ? 1 : 0;
        if (fresh != 0 && fresh != header.se - header.ss + 1) {
          return Refuse(reason, "an AC scan whose band is partly coded already");
        }
        scan.fill = fresh != 0;
      }
      for (int k = header.ss; k <= header.se; ++k) {
        if (header.ah != std::max(coefBits[c][k], 0)) {
          return Refuse(reason, "an inconsistent progression (libjpeg would warn)");
        }
        coefBits[c][k] = header.al;
      }
      // Tables: DC first scans decode DC differences, AC scans (first and refinement) AC symbols.
      if (!dcBand || header.ah == 0) {
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
    }
    if (header.count == 1) {
      const ComponentGrid& g = frame->component[header.component[0]];
      scan.mcus = g.widthInBlocks * g.heightInBlocks;
    } else {
      if (BlocksInMcu(f, header) > kMaxMcuBlocks) return Refuse(reason, "more than 10 blocks in an MCU");
      scan.mcus = frame->mcusPerRow * McuRows(f);
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
    if (scan.intervalStarts.size() != IntervalsOf(scan.mcus, scan.restartInterval) + 1) {
      return Refuse(reason, "restart markers missing or extra");
    }
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
  return static_cast<int>(std::max(1u, std::min(cores, 8u)));
}

bool DecodeProgressive(const ProgressiveFrame& frame, int16_t* const blocks[3], int16_t* const dc[3], int threads,
                       std::string* reason) {
  // What no scan writes: the DC of blocks a non-interleaved DC scan leaves out, and every coefficient of the
  // blocks past the image data (whole MCUs) — zero, as libjpeg's coefficient buffer starts.
  for (int c = 0; c < frame.components; ++c) {
    const ComponentGrid& g = frame.component[c];
    std::memset(dc[c], 0, frame.Blocks(c) * sizeof(int16_t));
    for (int row = 0; row < g.blockRows; ++row) {
      int16_t* line = blocks[c] + static_cast<size_t>(row) * g.blocksPerRow * 64;
      const int from = row < g.heightInBlocks ? g.widthInBlocks : 0;
      std::memset(line + static_cast<size_t>(from) * 64, 0,
                  static_cast<size_t>(g.blocksPerRow - from) * 64 * sizeof(int16_t));
    }
  }
  const int scans = static_cast<int>(frame.scans.size());
  threads = std::max(1, std::min(threads, scans));
  // Threads take the scans in file order: every scan a running one waits for has started before it (on
  // another thread, or done), so the earliest running scan never waits.
  std::unique_ptr<ScanProgress[]> progress(new ScanProgress[scans]);
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::string failure;
  const auto work = [&] {
    for (;;) {
      const int scan = next.fetch_add(1);
      if (scan >= scans || failed.load()) return;
      std::string why;
      if (!ScanDecoder(frame, scan, blocks, dc, progress.get(), &failed).Run(&why)) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!failed.exchange(true)) failure = "scan " + std::to_string(scan) + ": " + why;
      }
    }
  };
  std::vector<std::thread> helpers;
  for (int i = 1; i < threads; ++i) helpers.emplace_back(work);
  work();
  for (std::thread& t : helpers) t.join();
  if (failed.load()) return Refuse(reason, failure);
  return true;
}

}  // namespace jpegkit
