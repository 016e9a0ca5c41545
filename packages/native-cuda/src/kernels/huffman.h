// Our own GPU Huffman decoder (the `kernels` decode route): entropy decoding of sequential Huffman-coded 8-bit
// JPEGs on the SMs, into the quantised coefficients the exact IDCT reads (exact.h), so the pixels equal
// djpeg -dct int. Plain C++ (no CUDA syntax): the .cc side (src/baseline-scan.cc, src/kernel-decode.cc)
// builds these structures; huffman-math.cuh holds the arithmetic, huffman.cu the kernels.
//
// The scheme is the WGSL decoder's (packages/webgpu/src/shaders/entropy-selfsync.wgsl), after Weißenberger &
// Schmidt, "Accelerating JPEG decompression on GPUs" (2021); our own code. Every restart interval's
// entropy-coded data (byte stuffing removed on the host) is cut into chunks of `chunkBits`; one thread per
// chunk. `sync` passes: each chunk decodes from its entry state (bit position, block of the MCU, coefficient
// index) to the first symbol boundary at or past its end and records that exit, which is the next chunk's
// entry in the following pass; an interval's first chunk's entry is exact, and Huffman codes resynchronise
// within a few symbols — bits do; the block of the MCU can stay wrong for thousands of bits when components'
// tables differ, hence pass 0's candidates for small calls (below) — and a pass in which no exit changes
// proves every entry exact. A pass re-decodes only the chunks whose entry changed. `starts`: per image,
// segmented prefix sums of the blocks starting in each chunk and of their DC differences give each chunk's
// first block and DC predictions. `decode`: each chunk (each half of one, in calls with candidates) decodes its
// blocks into the coefficient planes.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

namespace jpegkit {

// Bits of the lookahead table (libjpeg uses 8; codes of up to this length decode in one lookup).
constexpr int kHuffLookBits = 9;

// A Huffman table in decoding form (jdhuff.c's jpeg_make_d_derived_tbl: the symbols in code order and valoffset
// per code length; in place of maxcode, `limit`: the largest 16-bit window whose first l bits are a code of
// length l or less, -1 where no code has length l), plus the lookahead table for codes of up to kHuffLookBits
// bits: (total << 16) | (length << 8) | symbol, where total = length + the symbol's extra bits (its low four
// bits, for DC and AC alike), so a decoder moves on by one field; 0 where the code is longer.
struct HuffTable {
  int32_t limit[18];
  int32_t valoffset[18];
  uint32_t lookup[1 << kHuffLookBits];
  uint8_t symbols[256];
};

// Tables per image: DC slots 0–3, then AC slots 0–3.
constexpr int kHuffTables = 8;
constexpr int kMaxMcuBlocks = 10;

// One image's scan as the kernels read it (in device memory, one per image of a call).
struct alignas(16) GpuScan {
  const uint8_t* data;            // entropy-coded bytes, stuffing and markers removed; 4-byte aligned, ≥ 8 bytes after
  uint32_t dataWords;             // 32-bit words readable at `data` (reads past them see zeros)
  const uint32_t* intervalStarts;  // byte offset of each restart interval in `data`, then the end
  int16_t* coefficients[4];       // per component: blockRows × blocksPerRow blocks of 64 (natural order)
  int32_t blocksPerRow[4];
  int32_t h[4], v[4];             // blocks of the component in one MCU (1 × 1 for a single-component scan)
  int32_t dcTable[4], acTable[4];  // table index (AC: 4 + slot)
  int32_t mcuComponent[kMaxMcuBlocks], mcuCol[kMaxMcuBlocks], mcuRow[kMaxMcuBlocks];
  int32_t blocksInMcu, mcusPerRow, totalBlocks, intervalBlocks;
  int32_t sharedTables;  // 1 when every component uses the same tables (the block of the MCU never matters)
  int32_t firstChunk;    // index of the image's first chunk in the call
  HuffTable tables[kHuffTables];
};

// A chunk of a call: its image (-1 for padding, so each thread block's chunks belong to one image), its
// restart interval and its place there; `last` when it is its interval's final chunk.
struct GpuChunk {
  int32_t image;
  int32_t interval;
  int32_t place;
  int32_t last;
};

// A decoder state between symbols: bit position in the image's data, block of the MCU, coefficient index.
struct HuffEntry {
  uint32_t bit;
  uint32_t blockAndK;  // (block of the MCU << 8) | k
};

// Words per chunk of the `counts` array: blocks starting in the chunk, then DC sums by position from its first block.
constexpr int kCountWords = 1 + kMaxMcuBlocks;
// Words per chunk of the `starts` array: first block, DC predictions of components 0–3.
constexpr int kStartWords = 5;
constexpr int kMaxSyncPasses = 32;
// Passes queued at once (a call that has not settled after them queues more); rounds, with candidates (most
// calls settle by round 3).
constexpr int kPassRound = 12, kRoundGroup = 4;
// Status bits per image: data libjpeg would warn about; chunks that did not settle within the queued passes; data
// unstuffed on the GPU (unstuff.h) with a 0xFF that is not stuffing (the host unstuffs it instead).
constexpr uint32_t kFlagged = 1, kUnsettled = 2, kUnclean = 4;
// Chunks per thread block (a call pads each image's chunks to a multiple of this).
constexpr int kChunkThreads = 128;
// Words of the `tiles` scratch per thread block of chunks.
constexpr int kTileWordsPerTile = 16;

// Pass 0's candidates (calls the GPU has room to spare for, images whose components' Huffman tables differ): a
// guess that starts in the wrong block of the MCU decodes with the wrong tables and seldom finds its way back, so
// it stays wrong until the chain of exact exits reaches it, a pass per chunk, each a whole chunk's decode. Pass 0
// therefore also decodes each chunk from its guess's bit as though each other block of the MCU came next, and
// keeps every candidate's entry (its state at the chunk's start), exit and counts in a slot of its own; two more
// slots per chunk, the decoded slots, hold its decodes from exits of the chunk before (a round writes the one the
// chunk did not take). `entry.bit` is kNoCandidate where a slot holds nothing.
//
// Such a call settles in rounds rather than passes. Round r: (r ≥ 1) every chunk whose taken slot's entry differs
// from the exit of the slot the chunk before took decodes again from that exit, into a decoded slot; then the
// resolve step links each chunk's slots to the next chunk's (the slot whose entry is the exit) and composes the
// links from each interval's exact first chunk (a segmented scan), so each chunk takes the slot its chain reaches
// (`slots`). Where a link misses, the chain goes on from the next chunk's slot 0 marked off the exact chain;
// changed[r] counts the chunks so marked, and a round that marks none settled the call: then each chunk's slot
// becomes its result (used, exits[0], counts) for the starts and the decode pass. Each round puts at least the
// first chunk of every broken chain on the exact one, and the chunks after it mostly hold their exact entry among
// their slots already: the GPU benchmark's photos settle in 0–4 rounds where the passes took up to 22 (a pass per
// chunk along a broken chain).

// Where a chunk's second half starts, for calls with candidates (the decode pass splits each chunk between two
// threads): the first symbol boundary at or past the chunk's middle, with the blocks started before it and their
// DC sums by position (kCountWords, as `counts`). `entry.bit` is kNoCandidate where the chunk ends first.
struct HuffMid {
  HuffEntry entry;
  uint32_t counts[kCountWords];
};

struct alignas(16) HuffCandidate {
  HuffEntry entry, exit;  // one 16-byte load
  uint32_t counts[kCountWords];
  HuffMid mid;
};
constexpr uint32_t kNoCandidate = 0xffffffffu;

struct HuffmanCall {
  const GpuScan* scans;    // device
  const GpuChunk* chunks;  // device, `chunkCount` (padded)
  int32_t chunkCount, chunkBits, images;
  int32_t leadBits;  // pass 0 starts a chunk's guess this many bits early, so it is usually exact at the chunk
  int32_t passes;    // passes (rounds) queued so far (at most kMaxSyncPasses); those after a settled one return at once
  int32_t candidateCount;      // candidates per chunk (0: none; pass 0 is then the sync kernel's)
  HuffCandidate* candidates;   // device: candidateCount + 2 slots per chunk (huff::SlotsOf), when candidateCount > 0
  uint64_t* links;             // device: per chunk, its slots' links to the next chunk's (huff::LinkOf)
  uint32_t* slots;             // device: per chunk, the slot the last round's resolve step took (with its miss bit)
  HuffMid* mids;               // device: per chunk, where its second half starts (calls with candidates; else null)
  const int32_t* imageChunks;  // device: first chunk of each image, then chunkCount (images + 1)
  HuffEntry* exits[2];     // double-buffered by pass (rounds use exits[0])
  HuffEntry* used;         // the entry each chunk last decoded from
  uint32_t* counts;        // kCountWords per chunk
  uint32_t* starts;        // kStartWords per chunk
  uint32_t* tiles;         // kTileWordsPerTile per thread block of chunks (the scans' aggregates and prefixes)
  uint32_t* changed;       // kMaxSyncPasses counters: exits changed by each pass, chunks off the chain after each round
  uint32_t* status;        // per image: kFlagged, kUnsettled (the image goes elsewhere)
};

// One sync pass (pass 0 guesses every entry inside an interval), or with candidates one round (round 0 is the
// first resolve step); queue passes 0 … call.passes − 1 back to back (rounds from 0 after the candidates kernel).
cudaError_t LaunchHuffmanSync(const HuffmanCall& call, int pass, cudaStream_t stream);
// Every round (or pass) up to call.passes − 1, stopping at the settled one, and the starts, in one cooperative
// launch, when the call's thread blocks fit on the device at once (`*launched`); otherwise nothing is queued and
// the caller queues the rounds (passes) and the starts.
cudaError_t LaunchHuffmanSettle(const HuffmanCall& call, cudaStream_t stream, bool* launched);
// Pass 0 with candidates (call.candidateCount of them per chunk, the first being the sync kernel's own guess);
// the rounds follow.
cudaError_t LaunchHuffmanCandidates(const HuffmanCall& call, cudaStream_t stream);
// Threads of the candidates kernel this device keeps resident at once (0 when it cannot tell): a call whose chunks
// times candidates fit in them costs pass 0 no more time with candidates than without.
int HuffmanResidentThreads();
// Each chunk's first block and DC predictions from the settled pass's (round's) counts.
cudaError_t LaunchHuffmanStarts(const HuffmanCall& call, cudaStream_t stream);
// Decodes every chunk into the coefficient planes (whole blocks: no zeroing needed) from the settled pass, two
// threads per chunk where the call keeps `mids`; marks every image kUnsettled when no pass settled.
cudaError_t LaunchHuffmanDecode(const HuffmanCall& call, cudaStream_t stream);

}  // namespace jpegkit
