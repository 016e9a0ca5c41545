// File helpers of the host test harnesses (ops-host-test.cu, encode-host-test.cu): whole files in, binary
// PPM/PGM headers parsed.
#pragma once

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace jpegkit {
namespace hosttest {

// The file's bytes; false when it cannot be read.
inline bool ReadFileBytes(const char* path, std::vector<uint8_t>* out) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  out->assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  return true;
}

// A binary PPM (P6, 3 channels) or PGM (P5, 1 channel) with maxval 255 whose pixels follow the header; sets the
// size, channels and where the pixels start. Returns "" or what is wrong.
inline std::string ParsePnm(const std::vector<uint8_t>& bytes, long* width, long* height, int* channels,
                            size_t* dataAt) {
  if (bytes.size() < 2 || bytes[0] != 'P' || (bytes[1] != '5' && bytes[1] != '6')) return "not a binary PPM/PGM";
  size_t pos = 2;
  auto next = [&](long* value) {
    while (pos < bytes.size()) {
      if (bytes[pos] == '#') {
        while (pos < bytes.size() && bytes[pos] != '\n') ++pos;
      } else if (std::isspace(bytes[pos])) {
        ++pos;
      } else {
        break;
      }
    }
    bool any = false;
    *value = 0;
    while (pos < bytes.size() && std::isdigit(bytes[pos]) && *value < (1L << 24)) {
      *value = *value * 10 + (bytes[pos++] - '0');
      any = true;
    }
    return any;
  };
  long maxval = 0;
  if (!next(width) || !next(height) || !next(&maxval)) return "bad PNM header";
  if (maxval != 255 || *width < 1 || *height < 1) return "only 8-bit PPM/PGM";
  *channels = bytes[1] == '6' ? 3 : 1;
  *dataAt = pos + 1;  // the single whitespace after maxval
  if (bytes.size() < *dataAt + static_cast<size_t>(*width) * *height * *channels) return "PNM data truncated";
  return "";
}

}  // namespace hosttest
}  // namespace jpegkit
