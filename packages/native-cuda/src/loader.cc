// dlopen of libnvjpeg: the addon never links it, so it loads (and reports why it cannot work) on machines
// without nvJPEG. The first load's outcome is kept for the life of the process.
#include <dlfcn.h>
#include <link.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "nvjpeg-api.h"

namespace jpegkit {

const char* const kNvjpegNotFound =
    "libnvjpeg.so.13 not found (install CUDA 13's nvJPEG: the libnvjpeg-13 package, or put it on LD_LIBRARY_PATH)";

namespace {

struct LoadState {
  std::once_flag once;
  NvjpegApi api{};
  std::atomic<bool> ok{false};
  std::string reason;
  std::string detail;
  std::string path;
};

LoadState& State() {
  static LoadState* state = new LoadState();  // never destroyed: worker threads may still read it at exit
  return *state;
}

// Where to look, in order: an explicit override, the soname (ld.so's search: LD_LIBRARY_PATH, ld.so.cache),
// the unversioned dev symlink, then the usual toolkit folders, which are often not in ld.so.cache.
std::vector<std::string> Candidates() {
  std::vector<std::string> names;
  if (const char* override_path = std::getenv("JPEGKIT_NVJPEG_PATH"); override_path && *override_path) {
    names.emplace_back(override_path);
  }
  names.emplace_back("libnvjpeg.so.13");
  names.emplace_back("libnvjpeg.so");
  std::vector<std::string> dirs;
  if (const char* home = std::getenv("CUDA_HOME"); home && *home) dirs.emplace_back(std::string(home) + "/lib64");
  if (const char* path = std::getenv("CUDA_PATH"); path && *path) dirs.emplace_back(std::string(path) + "/lib64");
  dirs.emplace_back("/usr/local/cuda/lib64");
  dirs.emplace_back("/usr/local/cuda-13/lib64");
  dirs.emplace_back("/usr/local/cuda/targets/x86_64-linux/lib");
  dirs.emplace_back("/usr/lib/x86_64-linux-gnu");
  for (const auto& dir : dirs) names.push_back(dir + "/libnvjpeg.so.13");
  return names;
}

template <typename Fn>
bool Bind(void* lib, const char* symbol, Fn* slot, std::vector<std::string>* missing) {
  void* address = dlsym(lib, symbol);
  *slot = reinterpret_cast<Fn>(address);
  if (address == nullptr && missing != nullptr) missing->emplace_back(symbol);
  return address != nullptr;
}

void Load(LoadState* s) {
  void* lib = nullptr;
  std::string errors;
  for (const auto& name : Candidates()) {
    dlerror();
    lib = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib != nullptr) {
      s->path = name;
      break;
    }
    const char* why = dlerror();
    if (!errors.empty()) errors += "; ";
    errors += why ? why : name + ": unknown dlopen failure";
  }
  if (lib == nullptr) {
    s->reason = kNvjpegNotFound;
    s->detail = errors;
    return;
  }
  if (struct link_map* map = nullptr; dlinfo(lib, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name && *map->l_name) {
    s->path = map->l_name;
  }

  NvjpegApi& a = s->api;
  std::vector<std::string> missing;
  Bind(lib, "nvjpegCreateEx", &a.CreateEx, &missing);
  Bind(lib, "nvjpegCreateSimple", &a.CreateSimple, &missing);
  Bind(lib, "nvjpegDestroy", &a.Destroy, &missing);
  Bind(lib, "nvjpegJpegStateCreate", &a.JpegStateCreate, &missing);
  Bind(lib, "nvjpegJpegStateDestroy", &a.JpegStateDestroy, &missing);
  Bind(lib, "nvjpegGetImageInfo", &a.GetImageInfo, &missing);
  Bind(lib, "nvjpegDecode", &a.Decode, &missing);
  Bind(lib, "nvjpegDecodeBatchedInitialize", &a.DecodeBatchedInitialize, &missing);
  Bind(lib, "nvjpegDecodeBatched", &a.DecodeBatched, &missing);
  Bind(lib, "nvjpegDecoderCreate", &a.DecoderCreate, &missing);
  Bind(lib, "nvjpegDecoderDestroy", &a.DecoderDestroy, &missing);
  Bind(lib, "nvjpegDecoderStateCreate", &a.DecoderStateCreate, &missing);
  Bind(lib, "nvjpegBufferPinnedCreate", &a.BufferPinnedCreate, &missing);
  Bind(lib, "nvjpegBufferPinnedDestroy", &a.BufferPinnedDestroy, &missing);
  Bind(lib, "nvjpegBufferDeviceCreate", &a.BufferDeviceCreate, &missing);
  Bind(lib, "nvjpegBufferDeviceDestroy", &a.BufferDeviceDestroy, &missing);
  Bind(lib, "nvjpegStateAttachPinnedBuffer", &a.StateAttachPinnedBuffer, &missing);
  Bind(lib, "nvjpegStateAttachDeviceBuffer", &a.StateAttachDeviceBuffer, &missing);
  Bind(lib, "nvjpegJpegStreamCreate", &a.JpegStreamCreate, &missing);
  Bind(lib, "nvjpegJpegStreamDestroy", &a.JpegStreamDestroy, &missing);
  Bind(lib, "nvjpegJpegStreamParse", &a.JpegStreamParse, &missing);
  Bind(lib, "nvjpegJpegStreamGetFrameDimensions", &a.JpegStreamGetFrameDimensions, &missing);
  Bind(lib, "nvjpegJpegStreamGetComponentsNum", &a.JpegStreamGetComponentsNum, &missing);
  Bind(lib, "nvjpegDecodeParamsCreate", &a.DecodeParamsCreate, &missing);
  Bind(lib, "nvjpegDecodeParamsDestroy", &a.DecodeParamsDestroy, &missing);
  Bind(lib, "nvjpegDecodeParamsSetOutputFormat", &a.DecodeParamsSetOutputFormat, &missing);
  Bind(lib, "nvjpegDecodeJpegHost", &a.DecodeJpegHost, &missing);
  Bind(lib, "nvjpegDecodeJpegTransferToDevice", &a.DecodeJpegTransferToDevice, &missing);
  Bind(lib, "nvjpegDecodeJpegDevice", &a.DecodeJpegDevice, &missing);
  Bind(lib, "nvjpegEncoderStateCreate", &a.EncoderStateCreate, &missing);
  Bind(lib, "nvjpegEncoderStateDestroy", &a.EncoderStateDestroy, &missing);
  Bind(lib, "nvjpegEncoderParamsCreate", &a.EncoderParamsCreate, &missing);
  Bind(lib, "nvjpegEncoderParamsDestroy", &a.EncoderParamsDestroy, &missing);
  Bind(lib, "nvjpegEncoderParamsSetQuality", &a.EncoderParamsSetQuality, &missing);
  Bind(lib, "nvjpegEncoderParamsSetSamplingFactors", &a.EncoderParamsSetSamplingFactors, &missing);
  Bind(lib, "nvjpegEncoderParamsSetOptimizedHuffman", &a.EncoderParamsSetOptimizedHuffman, &missing);
  Bind(lib, "nvjpegEncodeImage", &a.EncodeImage, &missing);
  Bind(lib, "nvjpegEncodeYUV", &a.EncodeYUV, &missing);
  Bind(lib, "nvjpegEncodeRetrieveBitstream", &a.EncodeRetrieveBitstream, &missing);
  Bind(lib, "nvjpegGetProperty", &a.GetProperty, nullptr);
  Bind(lib, "nvjpegGetHardwareDecoderInfo", &a.GetHardwareDecoderInfo, nullptr);
  Bind(lib, "nvjpegDecodeBatchedSupported", &a.DecodeBatchedSupported, nullptr);
  Bind(lib, "nvjpegEncoderParamsSetEncoding", &a.EncoderParamsSetEncoding, nullptr);
  Bind(lib, "nvjpegJpegStreamParseHeader", &a.JpegStreamParseHeader, nullptr);

  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    s->reason = s->path + " lacks " + list + " (an nvJPEG older than CUDA 13's? install libnvjpeg-13)";
    s->detail = "dlsym failed for " + list;
    dlclose(lib);
    a = NvjpegApi{};
    return;
  }
  s->ok = true;  // the library stays loaded for the life of the process
}

}  // namespace

const NvjpegApi* LoadNvjpeg(std::string* reason, std::string* detail) {
  LoadState& s = State();
  std::call_once(s.once, [&s] { Load(&s); });
  if (s.ok) return &s.api;
  if (reason) *reason = s.reason;
  if (detail) *detail = s.detail;
  return nullptr;
}

const NvjpegApi* Nvjpeg() {
  LoadState& s = State();
  // Only meaningful after LoadNvjpeg; call_once has completed (with a happens-before) by then.
  return s.ok ? &s.api : nullptr;
}

std::string NvjpegVersion() {
  const NvjpegApi* api = Nvjpeg();
  if (api == nullptr || api->GetProperty == nullptr) return "";
  int major = 0, minor = 0, patch = 0;
  if (api->GetProperty(MAJOR_VERSION, &major) != NVJPEG_STATUS_SUCCESS) return "";
  api->GetProperty(MINOR_VERSION, &minor);
  api->GetProperty(PATCH_LEVEL, &patch);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

std::string NvjpegPath() { return State().path; }

}  // namespace jpegkit
