// See encode-plan.h. Tables from ITU T.81 Annex K (K.1 quantisation, K.3 Huffman), scaled as libjpeg's
// jcparam.c does (jpeg_set_quality without force_baseline); codes assigned as in Annex C (jchuff.c's jpeg_make_c_derived_tbl); compute_reciprocal as in
// jcdctmgr.c. Our own code.
#include "encode-plan.h"

#include <cstring>

namespace jpegkit {

namespace {

constexpr uint8_t kZigzag[64] = {0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,
                                 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6,  7,  14, 21, 28,
                                 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
                                 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

// Annex K.1, natural order.
constexpr uint8_t kLumaQuant[64] = {16, 11, 10, 16, 24,  40,  51,  61,  12, 12, 14, 19, 26,  58,  60,  55,
                                    14, 13, 16, 24, 40,  57,  69,  56,  14, 17, 22, 29, 51,  87,  80,  62,
                                    18, 22, 37, 56, 68,  109, 103, 77,  24, 35, 55, 64, 81,  104, 113, 92,
                                    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
constexpr uint8_t kChromaQuant[64] = {17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
                                      24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
                                      99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
                                      99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99};

// Annex K.3: code counts per length 1…16, then the symbols.
struct HuffSpec {
  uint8_t counts[16];
  uint8_t symbols[162];
  int symbolCount;
};

const HuffSpec kDcLuma = {{0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 12};
const HuffSpec kDcChroma = {
    {0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 12};
const HuffSpec kAcLuma = {
    {0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d},
    {0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14,
     0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09,
     0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a,
     0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65,
     0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88,
     0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9,
     0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca,
     0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea,
     0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa},
    162};
const HuffSpec kAcChroma = {
    {0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77},
    {0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32,
     0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16,
     0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39,
     0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64,
     0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86,
     0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
     0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8,
     0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9,
     0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa},
    162};

// Canonical codes in order of length (Annex C), as (size << 16) | code by symbol.
void MakeCodes(const HuffSpec& spec, uint32_t* table, int tableSize) {
  std::memset(table, 0, sizeof(uint32_t) * tableSize);
  uint32_t code = 0;
  int k = 0;
  for (int length = 1; length <= 16; ++length) {
    for (int i = 0; i < spec.counts[length - 1]; ++i) table[spec.symbols[k++]] = (length << 16) | code++;
    code <<= 1;
  }
}

int HighestBit(uint32_t v) {  // flss: 1-based position of the highest set bit
  int n = 0;
  while (v != 0) {
    ++n;
    v >>= 1;
  }
  return n;
}

EncodeDivisor Reciprocal(uint32_t divisor) {
  const int b = HighestBit(divisor) - 1;
  int r = 16 + b;
  uint32_t fq = static_cast<uint32_t>((uint64_t{1} << r) / divisor);
  const uint32_t fr = static_cast<uint32_t>((uint64_t{1} << r) % divisor);
  uint32_t c = divisor / 2;
  if (fr == 0) {
    fq >>= 1;
    --r;
  } else if (fr <= divisor / 2) {
    ++c;
  } else {
    ++fq;
  }
  return EncodeDivisor{fq, c, static_cast<uint32_t>(r)};
}

void AppendHuffman(const HuffSpec& spec, int id, std::vector<uint8_t>* out) {
  const int length = 2 + 1 + 16 + spec.symbolCount;
  out->insert(out->end(), {0xFF, 0xC4, static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length),
                           static_cast<uint8_t>(id)});
  out->insert(out->end(), spec.counts, spec.counts + 16);
  out->insert(out->end(), spec.symbols, spec.symbols + spec.symbolCount);
}

}  // namespace

std::string MakeEncodePlan(int quality, EncodeSampling sampling, EncodePlan* plan) {
  if (quality < 1 || quality > 100) return "quality must be 1…100";
  *plan = EncodePlan{};
  plan->quality = quality;
  plan->sampling = sampling;
  EncodeLayout& l = plan->layout;
  // jpeg_quality_scaling, then jpeg_add_quant_table without force_baseline (as cjpeg and our wasm backend call it:
  // below quality 25 some entries pass 255, and the file gets 16-bit tables and an extended-sequential SOF1).
  const int scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  for (int t = 0; t < 2; ++t) {
    const uint8_t* base = t == 0 ? kLumaQuant : kChromaQuant;
    for (int i = 0; i < 64; ++i) {
      long value = (static_cast<long>(base[i]) * scale + 50) / 100;
      if (value <= 0) value = 1;
      if (value > 32767) value = 32767;
      plan->quant[t][i] = static_cast<uint16_t>(value);
      l.divisors[t][i] = Reciprocal(static_cast<uint32_t>(value) << 3);
    }
  }
  MakeCodes(kDcLuma, l.dc[0], 16);
  MakeCodes(kDcChroma, l.dc[1], 16);
  MakeCodes(kAcLuma, l.ac[0], 256);
  MakeCodes(kAcChroma, l.ac[1], 256);
  const bool gray = sampling == EncodeSampling::kGray;
  l.components = gray ? 1 : 3;
  l.h[0] = sampling == EncodeSampling::k422 || sampling == EncodeSampling::k420 ? 2 : 1;
  l.v[0] = sampling == EncodeSampling::k420 ? 2 : 1;
  for (int c = 1; c < 3; ++c) {
    l.h[c] = 1;
    l.v[c] = 1;
  }
  l.table[0] = 0;
  l.table[1] = l.table[2] = 1;
  l.hmax = l.h[0];
  l.vmax = l.v[0];
  int j = 0;
  for (int c = 0; c < l.components; ++c) {
    l.componentStart[c] = j;
    for (int y = 0; y < l.v[c]; ++y) {
      for (int x = 0; x < l.h[c]; ++x, ++j) {
        l.blockComponent[j] = c;
        l.blockX[j] = x;
        l.blockY[j] = y;
      }
    }
  }
  l.blocksInMcu = j;
  return "";
}

int64_t DescribeEncodeImage(const EncodePlan& plan, int64_t firstBlock, EncodeImage* image) {
  const EncodeLayout& l = plan.layout;
  const int64_t w = image->width, h = image->height;
  for (int c = 0; c < 3; ++c) {
    // jdiv_round_up(image_width · h, max_h · 8), as jcmaster.c sizes each component.
    image->blocksWide[c] = c < l.components ? static_cast<int32_t>((w * l.h[c] + l.hmax * 8 - 1) / (l.hmax * 8)) : 0;
    image->blocksHigh[c] = c < l.components ? static_cast<int32_t>((h * l.v[c] + l.vmax * 8 - 1) / (l.vmax * 8)) : 0;
  }
  image->mcuCols = static_cast<int32_t>((w + l.hmax * 8 - 1) / (l.hmax * 8));
  image->mcuRows = static_cast<int32_t>((h + l.vmax * 8 - 1) / (l.vmax * 8));
  image->firstBlock = firstBlock;
  image->blocks = static_cast<int64_t>(image->mcuCols) * image->mcuRows * l.blocksInMcu;
  return image->blocks;
}

void AppendJpegHeader(const EncodePlan& plan, int width, int height, std::vector<uint8_t>* out) {
  const EncodeLayout& l = plan.layout;
  // SOI; JFIF 1.01, no density unit, 1:1, no thumbnail.
  out->insert(out->end(), {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0});
  const int tables = l.components == 1 ? 1 : 2;
  bool wide = false;                  // any 16-bit table: SOF1, as jcmarker.c writes it
  for (int t = 0; t < tables; ++t) {  // one DQT segment per table, zigzag order, 16-bit entries if one needs them
    bool prec = false;
    for (int k = 0; k < 64; ++k) prec = prec || plan.quant[t][k] > 255;
    wide = wide || prec;
    const int length = 2 + 1 + 64 * (prec ? 2 : 1);
    out->insert(out->end(), {0xFF, 0xDB, static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length),
                             static_cast<uint8_t>((prec ? 0x10 : 0) | t)});
    for (int k = 0; k < 64; ++k) {
      const uint16_t q = plan.quant[t][kZigzag[k]];
      if (prec) out->push_back(static_cast<uint8_t>(q >> 8));
      out->push_back(static_cast<uint8_t>(q));
    }
  }
  const int sofLength = 8 + 3 * l.components;
  out->insert(out->end(), {0xFF, static_cast<uint8_t>(wide ? 0xC1 : 0xC0), 0, static_cast<uint8_t>(sofLength), 8,
                           static_cast<uint8_t>(height >> 8),
                           static_cast<uint8_t>(height), static_cast<uint8_t>(width >> 8), static_cast<uint8_t>(width),
                           static_cast<uint8_t>(l.components)});
  for (int c = 0; c < l.components; ++c) {
    out->insert(out->end(), {static_cast<uint8_t>(c + 1), static_cast<uint8_t>((l.h[c] << 4) | l.v[c]),
                             static_cast<uint8_t>(l.table[c])});
  }
  AppendHuffman(kDcLuma, 0x00, out);
  AppendHuffman(kAcLuma, 0x10, out);
  if (tables == 2) {
    AppendHuffman(kDcChroma, 0x01, out);
    AppendHuffman(kAcChroma, 0x11, out);
  }
  const int sosLength = 6 + 2 * l.components;
  out->insert(out->end(), {0xFF, 0xDA, 0, static_cast<uint8_t>(sosLength), static_cast<uint8_t>(l.components)});
  for (int c = 0; c < l.components; ++c) {
    out->insert(out->end(), {static_cast<uint8_t>(c + 1), static_cast<uint8_t>((l.table[c] << 4) | l.table[c])});
  }
  out->insert(out->end(), {0, 63, 0});
}

}  // namespace jpegkit
