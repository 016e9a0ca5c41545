// The arithmetic of our GPU Huffman decoder (huffman.h): what libjpeg-turbo 2.1.5's jdhuff.c computes for valid
// data (canonical codes through maxcode's limits / valoffset, HUFF_EXTEND, jpeg_natural_order with its safety entries
// for runs past 63; our own code), per chunk of a scan. Every function is __host__ __device__: the kernels
// (huffman.cu) and the host test harness (huffman-host-test.cu, checked against djpeg on machines without a
// GPU) run the same code.
#pragma once

#include <cstdint>

#include "huffman.h"

#if defined(__CUDACC__)
#define JK_HUFF_FN __host__ __device__ __forceinline__
#else
#define JK_HUFF_FN inline
#endif

namespace jpegkit {
namespace huff {

// jpeg_natural_order, with 16 extra entries so that a run past position 63 lands on 63 as in libjpeg (the decode
// kernel copies the device's into shared memory: a warp's lanes index it at random).
#define JK_NATURAL_ORDER                                                                                         \
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, \
      28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, \
      61, 54, 47, 55, 62, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63
constexpr uint8_t kNatural[80] = {JK_NATURAL_ORDER};
#if defined(__CUDACC__)
__constant__ const uint8_t kNaturalDevice[80] = {JK_NATURAL_ORDER};
#endif

JK_HUFF_FN uint32_t BigEndian(uint32_t word) {
#if defined(__CUDA_ARCH__)
  return __byte_perm(word, 0, 0x0123);
#else
  return __builtin_bswap32(word);
#endif
}

// A bit reader over the data's big-endian 32-bit words: the word holding the next bit and the word after it,
// byte-swapped, plus the next one as loaded (swapped only when it moves up, 32 bits later: swapping it at the
// load made every refill wait for memory — ncu put a fifth of the decode pass's stall samples on that swap); a
// 32-bit window is one funnel shift. Reads past `limit` words (only corrupt data or a wrong guess gets there) see
// zeros.
struct BitReader {
  const uint32_t* words;
  uint32_t limit;
  uint32_t next;     // index of the word after `pending`
  uint32_t w0, w1;   // w0 holds the next unread bit, `shift` bits in
  uint32_t pending;  // the word after w1, as stored
  uint32_t shift;    // 0–31
  uint32_t bit;      // position of the next unread bit
};

JK_HUFF_FN uint32_t StoredWordAt(const BitReader& r, uint32_t i) { return i < r.limit ? r.words[i] : 0u; }

JK_HUFF_FN void BitsStart(BitReader& r, const GpuScan& scan, uint32_t bit) {
  r.words = reinterpret_cast<const uint32_t*>(scan.data);
  r.limit = scan.dataWords;
  const uint32_t w = bit >> 5;
  r.w0 = BigEndian(StoredWordAt(r, w));
  r.w1 = BigEndian(StoredWordAt(r, w + 1));
  r.pending = StoredWordAt(r, w + 2);
  r.next = w + 3;
  r.shift = bit & 31;
  r.bit = bit;
}

// The next 32 bits, most significant first (each symbol consumes at most 31 of them).
JK_HUFF_FN uint32_t BitsPeek(const BitReader& r) {
#if defined(__CUDA_ARCH__)
  return __funnelshift_l(r.w1, r.w0, r.shift);
#else
  return r.shift == 0 ? r.w0 : (r.w0 << r.shift) | (r.w1 >> (32 - r.shift));
#endif
}

// Consumes n ≤ 31 bits.
JK_HUFF_FN void BitsSkip(BitReader& r, uint32_t n) {
  r.bit += n;
  r.shift += n;
  if (r.shift >= 32) {
    r.shift -= 32;
    r.w0 = r.w1;
    r.w1 = BigEndian(r.pending);
    r.pending = StoredWordAt(r, r.next++);
  }
}

// The symbol whose code starts `window`, as a lookahead entry (huffman.h): (total << 16) | (length << 8) |
// symbol. A code longer than the lookahead's is the shortest length whose limit the 16-bit window is within
// (jdhuff.c's loop over maxcode, without a loop: the lanes of a warp stay together); no code of up to 16 bits
// (libjpeg warns: corrupt data) is length 0, total 16.
JK_HUFF_FN uint32_t DecodeSymbol(const HuffTable& table, uint32_t window) {
  uint32_t look = table.lookup[window >> (32 - kHuffLookBits)];
  if (look == 0) {
    const int32_t w16 = static_cast<int32_t>(window >> 16);
    uint32_t l = 0;
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
    for (int n = 16; n > kHuffLookBits; --n) {
      if (w16 <= table.limit[n]) l = static_cast<uint32_t>(n);
    }
    const uint32_t symbol = table.symbols[((w16 >> (16 - l)) + table.valoffset[l]) & 0xff];
    look = l == 0 ? 16u << 16 : ((l + (symbol & 15u)) << 16) | (l << 8) | symbol;
  }
  return look;
}

// HUFF_EXTEND of the `s` bits after a code of `length` bits at the top of `window` (length + s ≤ 31).
JK_HUFF_FN int32_t Extend(uint32_t window, uint32_t length, uint32_t s) {
  if (s == 0) return 0;
  const int32_t x = static_cast<int32_t>((window << length) >> (32 - s));
  return x < (1 << (s - 1)) ? x + static_cast<int32_t>(0xffffffffu << s) + 1 : x;
}

// The coefficient index after an AC symbol with run `r` and size `s` at index k (jdhuff.c's decode_mcu loop): a
// value lands at k + r, ZRL skips 16, EOB ends the block (64 or more: the block is done).
JK_HUFF_FN int NextAcIndex(int k, uint32_t r, uint32_t s) {
  if (s != 0) return k + static_cast<int>(r) + 1;
  return r == 15 ? k + 16 : 64;
}

// One chunk of a `sync` pass: decodes from `entry` to the first symbol boundary at or past `chunkEnd`, counting
// the blocks that start on the way and summing their DC differences by position from the chunk's first block.
// Codes longer than 16 bits (only met from a wrong guess, or in corrupt data) consume 16 bits. One symbol per
// iteration, DC and AC alike (a DC symbol is its size, at most 15): a warp's lanes are at different places in
// their blocks, and a branch per kind of symbol made every warp run both.
//
// kSumsInRegisters: the DC sums by position live in registers (each DC symbol adds to all of them, selected by
// position) rather than in an array indexed by position (local memory: a load and a store per DC symbol). The
// cooperative loop, few blocks and latency-bound, runs faster with registers; the one-launch-per-pass kernel of
// large calls faster with the array (fewer registers, more resident blocks: +12% on batches of 128 1080p photos,
// H200).
//
// With `mid`, also records the state at the first symbol boundary at or past `midBit` (huffman.h's HuffMid).
template <bool kSumsInRegisters = false>
JK_HUFF_FN HuffEntry SyncChunk(const GpuScan& scan, const HuffTable* tables, HuffEntry entry, uint32_t chunkEnd,
                               uint32_t* blocksOut, uint32_t dc[kMaxMcuBlocks], uint32_t midBit = 0,
                               HuffMid* mid = nullptr) {
  BitReader bits;
  BitsStart(bits, scan, entry.bit);
  int b = static_cast<int>(entry.blockAndK >> 8);
  int k = static_cast<int>(entry.blockAndK & 0xff);
  if (b >= scan.blocksInMcu) b = 0;
  uint32_t blocks = 0;
  int phase = 0;
  uint32_t sum[kMaxMcuBlocks];
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
  for (int i = 0; i < kMaxMcuBlocks; ++i) sum[i] = 0;
  int c = scan.mcuComponent[b];
  const HuffTable* dcTable = tables + scan.dcTable[c];
  const HuffTable* acTable = tables + scan.acTable[c];
  bool midOpen = mid != nullptr;
  while (bits.bit < chunkEnd) {
    if (midOpen && bits.bit >= midBit) {
      midOpen = false;
      mid->entry = HuffEntry{bits.bit, (static_cast<uint32_t>(b) << 8) | static_cast<uint32_t>(k)};
      mid->counts[0] = blocks;
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
      for (int i = 0; i < kMaxMcuBlocks; ++i) mid->counts[1 + i] = sum[i];
    }
    const uint32_t window = BitsPeek(bits);
    const bool isDc = k == 0;
    const uint32_t look = DecodeSymbol(isDc ? *dcTable : *acTable, window);
    BitsSkip(bits, look >> 16);
    const uint32_t symbol = look & 0xff, length = (look >> 8) & 31, s = symbol & 15;
    if (isDc) {
      const uint32_t diff = length != 0 ? static_cast<uint32_t>(Extend(window, length, s)) : 0u;
      if (kSumsInRegisters) {
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
        for (int i = 0; i < kMaxMcuBlocks; ++i) sum[i] += i == phase ? diff : 0u;
      } else {
        sum[phase] += diff;
      }
      ++blocks;
      phase = phase + 1 == scan.blocksInMcu ? 0 : phase + 1;
      k = 1;
    } else {
      k = NextAcIndex(k, symbol >> 4, s);
    }
    if (k >= 64) {
      k = 0;
      b = b + 1 == scan.blocksInMcu ? 0 : b + 1;
      c = scan.mcuComponent[b];
      dcTable = tables + scan.dcTable[c];
      acTable = tables + scan.acTable[c];
    }
  }
  if (midOpen) mid->entry = HuffEntry{kNoCandidate, 0};
  for (int i = 0; i < kMaxMcuBlocks; ++i) dc[i] = sum[i];
  *blocksOut = blocks;
  return HuffEntry{bits.bit, (static_cast<uint32_t>(b) << 8) | static_cast<uint32_t>(k)};
}

// Whether two entries are the same decoder state (the block of the MCU only counts when tables differ by component).
JK_HUFF_FN bool SameEntry(const HuffEntry& a, const HuffEntry& b, bool sharedTables) {
  if (a.bit != b.bit) return false;
  if (sharedTables) return (a.blockAndK & 0xff) == (b.blockAndK & 0xff);
  return a.blockAndK == b.blockAndK;
}

// What a `decode` chunk needs besides the scan: its entry, where it stops, its first block and DC predictions.
struct DecodeSpan {
  HuffEntry entry;
  bool last;            // its interval's final chunk: stops after the interval's last block
  uint32_t nextBit;     // otherwise: the next chunk's entry bit (decode the blocks starting before it)
  uint32_t nextBlock;   // and the block that chunk starts with
  uint32_t endBit;      // the interval's end (bits past it are an error)
  uint32_t firstBlock;  // the first block starting in this chunk, numbered in the scan
  uint32_t totalBlock;  // the block after the interval's last
  int32_t dc[4];        // DC predictions of each component at firstBlock
};

// Decodes the blocks starting in a chunk into the scan's coefficient planes, which the call zeroed: each value
// goes straight to its place (a block of its own per lane, flushed at the block's end, made every warp wait
// for the flushes of whichever lane ended a block). False when libjpeg would warn: a code longer than 16 bits,
// bits needed past the interval's end, a block count that disagrees with the next chunk's start, whole bytes
// left at the interval's end.
JK_HUFF_FN bool DecodeChunk(const GpuScan& scan, const HuffTable* tables, const DecodeSpan& span,
                            const uint8_t* natural) {
  BitReader bits;
  BitsStart(bits, scan, span.entry.bit);
  int b = static_cast<int>(span.entry.blockAndK >> 8);
  int k = static_cast<int>(span.entry.blockAndK & 0xff);
  if (b >= scan.blocksInMcu) b = 0;
  // A block that started in the chunk before is skipped (that chunk writes it; its tables are right: exact,
  // or the same for every component).
  bool skipping = k != 0;
  int c = scan.mcuComponent[b];
  const HuffTable* dcTable = tables + scan.dcTable[c];
  const HuffTable* acTable = tables + scan.acTable[c];
  // The next block to start: g in the scan, its place in the MCU, the MCU's column and row.
  uint32_t g = span.firstBlock;
  const uint32_t bim = static_cast<uint32_t>(scan.blocksInMcu);
  const uint32_t mcusPerRow = static_cast<uint32_t>(scan.mcusPerRow);
  uint32_t place = g % bim, mcu = g / bim;
  uint32_t mcuCol = mcu % mcusPerRow, mcuRow = mcu / mcusPerRow;
  int32_t dc0 = span.dc[0], dc1 = span.dc[1], dc2 = span.dc[2], dc3 = span.dc[3];
  int16_t* out = nullptr;
  for (;;) {
    if (k == 0) {
      // A block starts: stop before the next chunk's first block (or after the interval's last).
      if (span.last ? g >= span.totalBlock : bits.bit >= span.nextBit) break;
      if (g >= span.totalBlock) return false;
      c = scan.mcuComponent[place];
      dcTable = tables + scan.dcTable[c];
      acTable = tables + scan.acTable[c];
      const uint32_t row = mcuRow * static_cast<uint32_t>(scan.v[c]) + static_cast<uint32_t>(scan.mcuRow[place]);
      const uint32_t col = mcuCol * static_cast<uint32_t>(scan.h[c]) + static_cast<uint32_t>(scan.mcuCol[place]);
      out = scan.coefficients[c] + (static_cast<int64_t>(row) * scan.blocksPerRow[c] + col) * 64;
    }
    const uint32_t window = BitsPeek(bits);
    const bool isDc = k == 0;
    const uint32_t look = DecodeSymbol(isDc ? *dcTable : *acTable, window);
    const uint32_t symbol = look & 0xff, length = (look >> 8) & 31;
    if (length == 0) return false;
    const uint32_t s = symbol & 15, r = isDc ? 0u : symbol >> 4;
    BitsSkip(bits, look >> 16);
    int32_t value = Extend(window, length, s);
    if (isDc) {
      if (c == 0) value = dc0 = static_cast<int32_t>(static_cast<uint32_t>(dc0) + static_cast<uint32_t>(value));
      else if (c == 1) value = dc1 = static_cast<int32_t>(static_cast<uint32_t>(dc1) + static_cast<uint32_t>(value));
      else if (c == 2) value = dc2 = static_cast<int32_t>(static_cast<uint32_t>(dc2) + static_cast<uint32_t>(value));
      else value = dc3 = static_cast<int32_t>(static_cast<uint32_t>(dc3) + static_cast<uint32_t>(value));
    }
    if (!skipping && (isDc || s != 0)) out[isDc ? 0 : natural[k + static_cast<int>(r)]] = static_cast<int16_t>(value);
    k = isDc ? 1 : NextAcIndex(k, r, s);
    if (k >= 64) {
      k = 0;
      if (skipping) {
        skipping = false;
        continue;
      }
      if (bits.bit > span.endBit) return false;
      ++g;
      if (++place == bim) {
        place = 0;
        if (++mcuCol == mcusPerRow) {
          mcuCol = 0;
          ++mcuRow;
        }
      }
    }
  }
  if (span.last) {
    // Whole bytes left before the interval's marker (or EOI) are extraneous data to libjpeg (a warning).
    return g == span.totalBlock && (bits.bit + 7) / 8 == span.endBit / 8;
  }
  return g == span.nextBlock;
}

// --- one chunk of each kernel (huffman.cu runs one thread per chunk; the host harness loops) ------------------

#if defined(__CUDA_ARCH__)
#define JK_HUFF_ADD(p, v) atomicAdd((p), (v))
#define JK_HUFF_OR(p, v) atomicOr((p), (v))
#else
#define JK_HUFF_ADD(p, v) (*(p) += (v))
#define JK_HUFF_OR(p, v) (*(p) |= (v))
#endif

// The chunks an interval of `bytes` bytes is cut into (at least one), and the record that pads an image's chunks
// to whole thread blocks: WriteChunks (src/baseline-scan.cc) cuts by them, the unstuffing kernels (unstuff.cuh)
// recut by them once the unstuffed size is known.
JK_HUFF_FN uint32_t ChunksOf(uint32_t bytes, int chunkBits) {
  const uint64_t bits = static_cast<uint64_t>(bytes) * 8, size = static_cast<uint64_t>(chunkBits);
  return bits == 0 ? 1u : static_cast<uint32_t>((bits + size - 1) / size);
}
JK_HUFF_FN GpuChunk PaddingChunk() { return GpuChunk{-1, 0, 0, 1}; }

JK_HUFF_FN HuffEntry IntervalEntry(const GpuScan& scan, const GpuChunk& chunk, int chunkBits) {
  return HuffEntry{scan.intervalStarts[chunk.interval] * 8 + static_cast<uint32_t>(chunk.place) * chunkBits, 0};
}

JK_HUFF_FN uint32_t ChunkEnd(const GpuScan& scan, const GpuChunk& chunk, int chunkBits) {
  const uint32_t end = scan.intervalStarts[chunk.interval + 1] * 8;
  const uint32_t start =
      scan.intervalStarts[chunk.interval] * 8 + static_cast<uint32_t>(chunk.place + 1) * chunkBits;
  return start < end ? start : end;
}

// Where a chunk's second half starts, at the earliest (huffman.h's HuffMid).
JK_HUFF_FN uint32_t ChunkMiddle(const GpuScan& scan, const GpuChunk& chunk, int chunkBits) {
  return IntervalEntry(scan, chunk, chunkBits).bit + static_cast<uint32_t>(chunkBits) / 2;
}

// Passes are queued without waiting for their counters: pass `pass` has work only while the pass before it
// changed some exit (pass 1 always runs). A pass that changed no exit settled every entry.
JK_HUFF_FN bool PassNeeded(const HuffmanCall& call, int pass) { return pass < 2 || call.changed[pass - 1] != 0; }

// The first pass that changed no exit (its exits are final), or -1 when none of the `call.passes` queued did.
JK_HUFF_FN int SettledPass(const HuffmanCall& call) {
  for (int p = 1; p < call.passes; ++p) {
    if (call.changed[p] == 0) return p;
  }
  return -1;
}

// With candidates, rounds instead of passes (huffman.h): round `round` has work only while the one before left
// chunks off the exact chain (round 0, the first resolve, always runs); a round that left none settled the call.
JK_HUFF_FN bool RoundNeeded(const HuffmanCall& call, int round) { return round == 0 || call.changed[round - 1] != 0; }

// Which of `exits` holds each chunk's final exit once the call settled: -1 while it has not.
JK_HUFF_FN int SettledExits(const HuffmanCall& call) {
  if (call.candidateCount > 0) {
    for (int r = 0; r < call.passes; ++r) {
      if (call.changed[r] == 0) return 0;
    }
    return -1;
  }
  const int pass = SettledPass(call);
  return pass < 0 ? -1 : pass & 1;
}

// Slots per chunk of `call.candidates`: its candidates, then its two decoded slots (huffman.h).
JK_HUFF_FN int SlotsOf(const HuffmanCall& call) { return call.candidateCount + 2; }

JK_HUFF_FN HuffCandidate& SlotOf(const HuffmanCall& call, int index, int slot) {
  return call.candidates[static_cast<int64_t>(index) * SlotsOf(call) + slot];
}

// Pass `pass` ≥ 1 of chunk `index` (calls without candidates), when its entry (the exit the chunk before reached in
// the pass before) is the one it last decoded from: copies its exit and returns false; true when SyncAt has to
// decode it.
JK_HUFF_FN bool SyncNeedsDecode(const HuffmanCall& call, int index, int pass) {
  const GpuChunk chunk = call.chunks[index];
  if (chunk.image < 0 || (chunk.place == 0 && chunk.last)) return false;
  if (chunk.place != 0) {
    const HuffEntry entry = call.exits[(pass + 1) & 1][index - 1];
    if (!SameEntry(entry, call.used[index], call.scans[chunk.image].sharedTables != 0)) return true;
  }
  call.exits[pass & 1][index] = call.exits[(pass + 1) & 1][index];
  return false;
}

// Pass 0's guess of the entry of a chunk inside its interval: decodes from `leadBits` before the chunk (or from
// the interval's exact start) up to it, starting as though block `block` of the MCU came next.
template <bool kSumsInRegisters = false>
JK_HUFF_FN HuffEntry GuessEntry(const HuffmanCall& call, const GpuScan& scan, const GpuChunk& chunk, uint32_t block,
                                uint32_t k = 0) {
  const uint32_t at = IntervalEntry(scan, chunk, call.chunkBits).bit;
  const uint32_t intervalStart = scan.intervalStarts[chunk.interval] * 8;
  const uint32_t lead = static_cast<uint32_t>(call.leadBits);
  uint32_t unused[kMaxMcuBlocks];
  return SyncChunk<kSumsInRegisters>(scan, scan.tables,
                                     HuffEntry{at - intervalStart > lead ? at - lead : intervalStart, (block << 8) | k}, at,
                                     &unused[0], unused);
}

// Pass `pass` of chunk `index` (of `scan`'s image). Pass 0 runs for every chunk and starts each one inside an
// interval from a guess (its first bit, an MCU's first block); a later pass runs only for the chunks
// SyncNeedsDecode picks (never an interval's first), from the exit the chunk before reached in the pass before.
// `changed[pass]` counts the exits that differ from the pass before.
template <bool kSumsInRegisters = false>
JK_HUFF_FN void SyncAt(const HuffmanCall& call, const GpuScan& scan, int index, int pass) {
  const GpuChunk chunk = call.chunks[index];
  if (chunk.image < 0) return;
  uint32_t* counts = call.counts + static_cast<int64_t>(index) * kCountWords;
  // An interval in one chunk (pass 0 only): exact from the start, and nothing after it needs its exit.
  // With candidates (pass 0 only) it also keeps where the chunk's second half starts.
  HuffMid* mid = call.mids != nullptr ? call.mids + index : nullptr;
  if (chunk.place == 0 && chunk.last) {
    call.used[index] = IntervalEntry(scan, chunk, call.chunkBits);
    for (int i = 0; i < kCountWords; ++i) counts[i] = 0;
    if (mid != nullptr) mid->entry = HuffEntry{kNoCandidate, 0};
    return;
  }
  const HuffEntry* previous = call.exits[(pass + 1) & 1];
  HuffEntry entry;
  if (pass > 0) {
    entry = previous[index - 1];
  } else if (chunk.place == 0) {
    entry = IntervalEntry(scan, chunk, call.chunkBits);
  } else {
    entry = GuessEntry<kSumsInRegisters>(call, scan, chunk, 0);
  }
  uint32_t blocks, dc[kMaxMcuBlocks];
  const HuffEntry exit = SyncChunk<kSumsInRegisters>(scan, scan.tables, entry, ChunkEnd(scan, chunk, call.chunkBits),
                                                     &blocks, dc, ChunkMiddle(scan, chunk, call.chunkBits), mid);
  call.used[index] = entry;
  call.exits[pass & 1][index] = exit;
  counts[0] = blocks;
  for (int i = 0; i < kMaxMcuBlocks; ++i) counts[1 + i] = dc[i];
  if (pass > 0 && !chunk.last && !SameEntry(exit, previous[index], scan.sharedTables != 0)) {
    JK_HUFF_ADD(call.changed + pass, 1u);
  }
}

// `out` as chunk `chunk`'s decode from `entry`: its exit, counts and where its second half starts (a candidate's
// slot, or a decoded slot).
template <bool kSumsInRegisters = false>
JK_HUFF_FN void DecodeIntoSlot(const HuffmanCall& call, const GpuScan& scan, const GpuChunk& chunk, HuffEntry entry,
                               HuffCandidate& out) {
  uint32_t blocks, dc[kMaxMcuBlocks];
  out.entry = entry;
  out.exit = SyncChunk<kSumsInRegisters>(scan, scan.tables, entry, ChunkEnd(scan, chunk, call.chunkBits), &blocks, dc,
                                         ChunkMiddle(scan, chunk, call.chunkBits), &out.mid);
  out.counts[0] = blocks;
  for (int i = 0; i < kMaxMcuBlocks; ++i) out.counts[1 + i] = dc[i];
}

// How many candidates an image's chunks have (at most `most`): when the components' tables differ, every block of
// the MCU from a block's start, then each again from inside a block (k = 1); else the guess alone (the block of
// the MCU never matters then).
JK_HUFF_FN int CandidatesOf(bool sharedTables, int blocksInMcu, int most) {
  if (sharedTables) return 1;
  const int all = blocksInMcu * 2;
  return all < most ? all : most;
}

JK_HUFF_FN int CandidatesOf(const GpuScan& scan, int most) {
  return CandidatesOf(scan.sharedTables != 0, scan.blocksInMcu, most);
}

// Pass 0 of chunk `index` from candidate `j` (huffman.h): candidate 0 is SyncAt's pass 0 (its guess from the MCU's
// first block), recorded as a candidate too; candidate j ≥ 1 guesses from the same bit with block j mod
// blocksInMcu of the MCU next, at coefficient j / blocksInMcu. An interval's first chunk (exact entry) records
// its one run as candidate 0; candidates an image does not have record none.
template <bool kSumsInRegisters = false>
JK_HUFF_FN void CandidateAt(const HuffmanCall& call, const GpuScan& scan, int index, int j) {
  const GpuChunk chunk = call.chunks[index];
  if (chunk.image < 0) return;
  HuffCandidate& out = SlotOf(call, index, j);
  if (j == 0) {
    SyncAt<kSumsInRegisters>(call, scan, index, 0);
    SlotOf(call, index, call.candidateCount).entry = HuffEntry{kNoCandidate, 0};  // no decoded slots yet
    SlotOf(call, index, call.candidateCount + 1).entry = HuffEntry{kNoCandidate, 0};
  }
  if (j >= (chunk.place == 0 ? 1 : CandidatesOf(scan, call.candidateCount))) {
    out.entry = HuffEntry{kNoCandidate, 0};
    return;
  }
  if (j == 0) {
    out.entry = call.used[index];
    out.exit = call.exits[0][index];
    const uint32_t* counts = call.counts + static_cast<int64_t>(index) * kCountWords;
    for (int i = 0; i < kCountWords; ++i) out.counts[i] = counts[i];
    out.mid = call.mids[index];
    return;
  }
  const uint32_t bim = static_cast<uint32_t>(scan.blocksInMcu);
  DecodeIntoSlot<kSumsInRegisters>(
      call, scan, chunk,
      GuessEntry<kSumsInRegisters>(call, scan, chunk, static_cast<uint32_t>(j) % bim, static_cast<uint32_t>(j) / bim),
      out);
}

// --- rounds (huffman.h): each chunk's exact slot, by composing the links; decoding where they break ------------

// A link: for each slot j of a chunk (byte j), the slot of the next chunk whose entry is j's exit, or where none
// is (or j is empty), slot 0 with kMissBit set. Slot 0 of an interval's first chunk is exact, so the links composed
// from there name each chunk's slot; the chunks past a miss bit are on a guessed chain, which usually meets the
// exact one again within a chunk or two — so the chunk where it broke decodes from its predecessor's exit in the
// next round, and the chunks after it most often find slots that already hold their exact decode.
using CandidateLink = uint64_t;
constexpr CandidateLink kIdentityLink = 0x0706050403020100ull;
constexpr uint32_t kMissBit = 8;
constexpr int kMaxSlots = 8;
constexpr int kMaxCandidates = kMaxSlots - 2;

// `nextSlot` ≥ 0: the next chunk's decoded slot being written in this round, from `nextEntry` (a round's decode
// step links its chunks before every decode is written: the entry is known before).
JK_HUFF_FN CandidateLink LinkOf(const HuffmanCall& call, int index, int nextSlot = -1, HuffEntry nextEntry = {}) {
  const GpuChunk chunk = call.chunks[index];
  if (chunk.image < 0 || chunk.last) return kIdentityLink;  // a segment's end: the next chunk starts its own
  const bool shared = call.scans[chunk.image].sharedTables != 0;
  const int k = SlotsOf(call);
  const HuffCandidate* own = &SlotOf(call, index, 0);
  const HuffCandidate* next = own + k;
  // Every entry and exit read first (independent loads), then compared.
  HuffEntry exits[kMaxSlots], entries[kMaxSlots];
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
  for (int j = 0; j < kMaxSlots; ++j) {
    if (j < k) {
      exits[j] = own[j].entry.bit == kNoCandidate ? HuffEntry{kNoCandidate, 0} : own[j].exit;
      entries[j] = j == nextSlot ? nextEntry : next[j].entry;
    }
  }
  // Unrolled to the most slots (the arrays stay in registers); the last match wins, as any does.
  CandidateLink link = 0;
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
  for (int j = 0; j < kMaxSlots; ++j) {
    uint32_t to = kMissBit;
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
    for (int m = 0; m < kMaxSlots; ++m) {
      if (j < k && m < k && exits[j].bit != kNoCandidate && entries[m].bit != kNoCandidate &&
          SameEntry(exits[j], entries[m], shared)) {
        to = static_cast<uint32_t>(m);
      }
    }
    link |= static_cast<CandidateLink>(to) << (8 * j);
  }
  return link;
}

// `first` then `second`: the slot `second` links to from the one `first` links to, with a miss bit where either
// missed (two byte permutes on the GPU: the segmented scan composes links at every step).
JK_HUFF_FN CandidateLink ThenLink(CandidateLink first, CandidateLink second) {
  constexpr CandidateLink kMissBits = 0x0808080808080808ull;
#if defined(__CUDA_ARCH__)
  const CandidateLink slots = first & 0x0707070707070707ull;
  const uint32_t lo = static_cast<uint32_t>(slots), hi = static_cast<uint32_t>(slots >> 32);
  // Byte indices (0–7) as the permute's selector nibbles.
  const uint32_t selectLo = (lo & 0xfu) | ((lo >> 4) & 0xf0u) | ((lo >> 8) & 0xf00u) | ((lo >> 12) & 0xf000u);
  const uint32_t selectHi = (hi & 0xfu) | ((hi >> 4) & 0xf0u) | ((hi >> 8) & 0xf00u) | ((hi >> 12) & 0xf000u);
  const uint32_t s0 = static_cast<uint32_t>(second), s1 = static_cast<uint32_t>(second >> 32);
  return (static_cast<CandidateLink>(__byte_perm(s0, s1, selectLo)) |
          (static_cast<CandidateLink>(__byte_perm(s0, s1, selectHi)) << 32)) |
         (first & kMissBits);
#else
  CandidateLink out = first & kMissBits;
  for (int j = 0; j < kMaxSlots; ++j) {
    const uint32_t via = static_cast<uint32_t>(first >> (8 * j)) & 7u;
    out |= ((second >> (8 * via)) & 255u) << (8 * j);
  }
  return out;
#endif
}

// Chunk `index` takes slot `to & 7` of the composed links as a round's result (an interval's first chunk, slot 0:
// its exact decode); the caller counts those with a miss bit (off the exact chain) in changed[round].
JK_HUFF_FN void TakeSlot(const HuffmanCall& call, int index, uint32_t to) { call.slots[index] = to; }

JK_HUFF_FN const HuffCandidate& TakenSlot(const HuffmanCall& call, int index) {
  return SlotOf(call, index, static_cast<int>(call.slots[index] & 7u));
}

// Round r ≥ 1 of chunk `index`: whether the exit of the slot the chunk before took differs from the entry of the
// slot it took (the chain broke here, or upstream of here): then it decodes again from that exit (`*entry`), into
// its decoded slot.
JK_HUFF_FN bool RoundNeedsDecode(const HuffmanCall& call, int index, HuffEntry* entry) {
  const GpuChunk chunk = call.chunks[index];
  if (chunk.image < 0 || chunk.place == 0) return false;
  *entry = TakenSlot(call, index - 1).exit;
  return !SameEntry(*entry, TakenSlot(call, index).entry, call.scans[chunk.image].sharedTables != 0);
}

// The decoded slot a round's decode of chunk `index` writes: the one it did not take, so that the slot it took
// stays as it was while the chunk before reads it in the same step.
JK_HUFF_FN int DecodedSlotOf(const HuffmanCall& call, int index) {
  return static_cast<int>(call.slots[index] & 7u) == call.candidateCount ? call.candidateCount + 1
                                                                         : call.candidateCount;
}

template <bool kSumsInRegisters = false>
JK_HUFF_FN void DecodeSlotAt(const HuffmanCall& call, const GpuScan& scan, int index, const HuffEntry& entry) {
  DecodeIntoSlot<kSumsInRegisters>(call, scan, call.chunks[index], entry,
                                   SlotOf(call, index, DecodedSlotOf(call, index)));
}

// Once the call settled, each chunk's slot as its result for the starts and the decode pass: entry, exit (into
// exits[0]) and counts. An interval's first chunk has its own from pass 0 already.
JK_HUFF_FN void UseTakenSlot(const HuffmanCall& call, int index) {
  const GpuChunk chunk = call.chunks[index];
  if (call.candidateCount <= 0 || chunk.image < 0 || chunk.place == 0) return;
  const HuffCandidate& slot = TakenSlot(call, index);
  call.used[index] = slot.entry;
  call.exits[0][index] = slot.exit;
  uint32_t* counts = call.counts + static_cast<int64_t>(index) * kCountWords;
  for (int i = 0; i < kCountWords; ++i) counts[i] = slot.counts[i];
  call.mids[index] = slot.mid;
}

// Adds DC sums kept by position in the MCU — sums[p] for the blocks at position (firstBlock + p) mod blocksInMcu —
// to per-component totals, modulo 2^32 (the starts' DC scan; a split chunk's DC predictions, int32_t).
template <typename T>
JK_HUFF_FN void AddDcSumsByComponent(const GpuScan& scan, uint32_t firstBlock, const uint32_t* sums, T byComponent[4]) {
  const uint32_t bim = static_cast<uint32_t>(scan.blocksInMcu);
  const uint32_t place = firstBlock % bim;
  for (uint32_t p = 0; p < bim && p < static_cast<uint32_t>(kMaxMcuBlocks); ++p) {
    uint32_t at = place + p;
    if (at >= bim) at -= bim;
    T& total = byComponent[scan.mcuComponent[at]];
    total = static_cast<T>(static_cast<uint32_t>(total) + sums[p]);
  }
}

// The decode pass of chunk `index` once the call settled (its final exits in call.exits[buffer], SettledExits) and
// the starts are known — where the call keeps `mids`, half `half` of it: the first half decodes the blocks that
// start before the middle's entry, the second the rest from there (none when the chunk ended before its middle).
// Flags the image in `status` when libjpeg would warn.
JK_HUFF_FN void DecodeAt(const HuffmanCall& call, const GpuScan& scan, int index, int buffer, const uint8_t* natural,
                         int half = 0) {
  const GpuChunk chunk = call.chunks[index];
  if (chunk.image < 0) return;
  HuffMid mid;
  mid.entry.bit = kNoCandidate;
  if (call.mids != nullptr) mid = call.mids[index];
  const bool split = mid.entry.bit != kNoCandidate;
  if (half == 1 && !split) return;
  DecodeSpan span;
  span.entry = call.used[index];
  span.last = chunk.last != 0;
  span.nextBit = 0;
  span.nextBlock = 0;
  if (!span.last) {
    span.nextBit = call.exits[buffer][index].bit;
    span.nextBlock = call.starts[static_cast<int64_t>(index + 1) * kStartWords];
  }
  span.endBit = scan.intervalStarts[chunk.interval + 1] * 8;
  const uint32_t* start = call.starts + static_cast<int64_t>(index) * kStartWords;
  span.firstBlock = start[0];
  const uint32_t total = static_cast<uint32_t>(chunk.interval + 1) * scan.intervalBlocks;
  span.totalBlock = total < static_cast<uint32_t>(scan.totalBlocks) ? total : scan.totalBlocks;
  for (int c = 0; c < 4; ++c) span.dc[c] = static_cast<int32_t>(start[1 + c]);
  if (split) {
    const uint32_t midBlock = span.firstBlock + mid.counts[0];
    if (half == 0) {
      span.last = false;
      span.nextBit = mid.entry.bit;
      span.nextBlock = midBlock;
    } else {
      // The DC predictions there: the chunk's, plus the first half's sums by the component of each position.
      AddDcSumsByComponent(scan, span.firstBlock, mid.counts + 1, span.dc);
      span.entry = mid.entry;
      span.firstBlock = midBlock;
    }
  }
  if (!DecodeChunk(scan, scan.tables, span, natural)) JK_HUFF_OR(call.status + chunk.image, kFlagged);
}

}  // namespace huff
}  // namespace jpegkit
