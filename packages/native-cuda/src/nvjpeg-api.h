// The slice of nvJPEG's C API this addon uses, declared here (after the nvJPEG documentation) so that the addon
// builds without nvjpeg.h and loads without libnvjpeg: the library is dlopen'ed at run time (loader.cc) and
// called through the function table below. Keep the values in step with NVIDIA's header.
#pragma once

#include <cuda_runtime_api.h>
#include <library_types.h>

#include <cstddef>
#include <string>

extern "C" {

#define JPEGKIT_NVJPEG_MAX_COMPONENT 4

typedef enum {
  NVJPEG_STATUS_SUCCESS = 0,
  NVJPEG_STATUS_NOT_INITIALIZED = 1,
  NVJPEG_STATUS_INVALID_PARAMETER = 2,
  NVJPEG_STATUS_BAD_JPEG = 3,
  NVJPEG_STATUS_JPEG_NOT_SUPPORTED = 4,
  NVJPEG_STATUS_ALLOCATOR_FAILURE = 5,
  NVJPEG_STATUS_EXECUTION_FAILED = 6,
  NVJPEG_STATUS_ARCH_MISMATCH = 7,
  NVJPEG_STATUS_INTERNAL_ERROR = 8,
  NVJPEG_STATUS_IMPLEMENTATION_NOT_SUPPORTED = 9,
  NVJPEG_STATUS_INCOMPLETE_BITSTREAM = 10,
} nvjpegStatus_t;

typedef enum {
  NVJPEG_CSS_444 = 0,
  NVJPEG_CSS_422 = 1,
  NVJPEG_CSS_420 = 2,
  NVJPEG_CSS_440 = 3,
  NVJPEG_CSS_411 = 4,
  NVJPEG_CSS_410 = 5,
  NVJPEG_CSS_GRAY = 6,
  NVJPEG_CSS_410V = 7,
  NVJPEG_CSS_UNKNOWN = -1,
} nvjpegChromaSubsampling_t;

typedef enum {
  NVJPEG_OUTPUT_UNCHANGED = 0,
  NVJPEG_OUTPUT_YUV = 1,
  NVJPEG_OUTPUT_Y = 2,
  NVJPEG_OUTPUT_RGB = 3,
  NVJPEG_OUTPUT_BGR = 4,
  NVJPEG_OUTPUT_RGBI = 5,
  NVJPEG_OUTPUT_BGRI = 6,
} nvjpegOutputFormat_t;

typedef enum {
  NVJPEG_INPUT_RGB = 3,
  NVJPEG_INPUT_BGR = 4,
  NVJPEG_INPUT_RGBI = 5,
  NVJPEG_INPUT_BGRI = 6,
} nvjpegInputFormat_t;

typedef enum {
  NVJPEG_BACKEND_DEFAULT = 0,
  NVJPEG_BACKEND_HYBRID = 1,
  NVJPEG_BACKEND_GPU_HYBRID = 2,
  NVJPEG_BACKEND_HARDWARE = 3,
  NVJPEG_BACKEND_GPU_HYBRID_DEVICE = 4,
  NVJPEG_BACKEND_HARDWARE_DEVICE = 5,
  NVJPEG_BACKEND_LOSSLESS_JPEG = 6,
} nvjpegBackend_t;

typedef enum {
  NVJPEG_ENCODING_UNKNOWN = 0x0,
  NVJPEG_ENCODING_BASELINE_DCT = 0xc0,
  NVJPEG_ENCODING_EXTENDED_SEQUENTIAL_DCT_HUFFMAN = 0xc1,
  NVJPEG_ENCODING_PROGRESSIVE_DCT_HUFFMAN = 0xc2,
  NVJPEG_ENCODING_LOSSLESS_HUFFMAN = 0xc3,
} nvjpegJpegEncoding_t;

#define JPEGKIT_NVJPEG_FLAGS_DEFAULT 0u

typedef struct {
  unsigned char* channel[JPEGKIT_NVJPEG_MAX_COMPONENT];
  size_t pitch[JPEGKIT_NVJPEG_MAX_COMPONENT];
} nvjpegImage_t;

typedef int (*tDevMalloc)(void**, size_t);
typedef int (*tDevFree)(void*);
typedef int (*tPinnedMalloc)(void**, size_t, unsigned int flags);
typedef int (*tPinnedFree)(void*);
typedef struct {
  tDevMalloc dev_malloc;
  tDevFree dev_free;
} nvjpegDevAllocator_t;
typedef struct {
  tPinnedMalloc pinned_malloc;
  tPinnedFree pinned_free;
} nvjpegPinnedAllocator_t;

typedef struct nvjpegHandle* nvjpegHandle_t;
typedef struct nvjpegJpegState* nvjpegJpegState_t;
typedef struct nvjpegEncoderState* nvjpegEncoderState_t;
typedef struct nvjpegEncoderParams* nvjpegEncoderParams_t;
typedef struct nvjpegBufferPinned* nvjpegBufferPinned_t;
typedef struct nvjpegBufferDevice* nvjpegBufferDevice_t;
typedef struct nvjpegJpegStream* nvjpegJpegStream_t;
typedef struct nvjpegDecodeParams* nvjpegDecodeParams_t;
typedef struct nvjpegJpegDecoder* nvjpegJpegDecoder_t;

}  // extern "C"

namespace jpegkit {

// Function pointers into libnvjpeg. `required` ones must all resolve for the library to count as loaded;
// optional ones (newer or informational entry points) may be null.
struct NvjpegApi {
  // library and handles
  nvjpegStatus_t (*CreateEx)(nvjpegBackend_t, nvjpegDevAllocator_t*, nvjpegPinnedAllocator_t*, unsigned int,
                             nvjpegHandle_t*);
  nvjpegStatus_t (*CreateSimple)(nvjpegHandle_t*);
  nvjpegStatus_t (*Destroy)(nvjpegHandle_t);
  nvjpegStatus_t (*JpegStateCreate)(nvjpegHandle_t, nvjpegJpegState_t*);
  nvjpegStatus_t (*JpegStateDestroy)(nvjpegJpegState_t);
  nvjpegStatus_t (*GetImageInfo)(nvjpegHandle_t, const unsigned char*, size_t, int*, nvjpegChromaSubsampling_t*,
                                 int*, int*);
  // single-image and batched decode
  nvjpegStatus_t (*Decode)(nvjpegHandle_t, nvjpegJpegState_t, const unsigned char*, size_t, nvjpegOutputFormat_t,
                           nvjpegImage_t*, cudaStream_t);
  nvjpegStatus_t (*DecodeBatchedInitialize)(nvjpegHandle_t, nvjpegJpegState_t, int, int, nvjpegOutputFormat_t);
  nvjpegStatus_t (*DecodeBatched)(nvjpegHandle_t, nvjpegJpegState_t, const unsigned char* const*, const size_t*,
                                  nvjpegImage_t*, cudaStream_t);
  // decoupled decode
  nvjpegStatus_t (*DecoderCreate)(nvjpegHandle_t, nvjpegBackend_t, nvjpegJpegDecoder_t*);
  nvjpegStatus_t (*DecoderDestroy)(nvjpegJpegDecoder_t);
  nvjpegStatus_t (*DecoderStateCreate)(nvjpegHandle_t, nvjpegJpegDecoder_t, nvjpegJpegState_t*);
  nvjpegStatus_t (*BufferPinnedCreate)(nvjpegHandle_t, nvjpegPinnedAllocator_t*, nvjpegBufferPinned_t*);
  nvjpegStatus_t (*BufferPinnedDestroy)(nvjpegBufferPinned_t);
  nvjpegStatus_t (*BufferDeviceCreate)(nvjpegHandle_t, nvjpegDevAllocator_t*, nvjpegBufferDevice_t*);
  nvjpegStatus_t (*BufferDeviceDestroy)(nvjpegBufferDevice_t);
  nvjpegStatus_t (*StateAttachPinnedBuffer)(nvjpegJpegState_t, nvjpegBufferPinned_t);
  nvjpegStatus_t (*StateAttachDeviceBuffer)(nvjpegJpegState_t, nvjpegBufferDevice_t);
  nvjpegStatus_t (*JpegStreamCreate)(nvjpegHandle_t, nvjpegJpegStream_t*);
  nvjpegStatus_t (*JpegStreamDestroy)(nvjpegJpegStream_t);
  nvjpegStatus_t (*JpegStreamParse)(nvjpegHandle_t, const unsigned char*, size_t, int, int, nvjpegJpegStream_t);
  nvjpegStatus_t (*JpegStreamGetFrameDimensions)(nvjpegJpegStream_t, unsigned int*, unsigned int*);
  nvjpegStatus_t (*JpegStreamGetComponentsNum)(nvjpegJpegStream_t, unsigned int*);
  nvjpegStatus_t (*DecodeParamsCreate)(nvjpegHandle_t, nvjpegDecodeParams_t*);
  nvjpegStatus_t (*DecodeParamsDestroy)(nvjpegDecodeParams_t);
  nvjpegStatus_t (*DecodeParamsSetOutputFormat)(nvjpegDecodeParams_t, nvjpegOutputFormat_t);
  nvjpegStatus_t (*DecodeJpegHost)(nvjpegHandle_t, nvjpegJpegDecoder_t, nvjpegJpegState_t, nvjpegDecodeParams_t,
                                   nvjpegJpegStream_t);
  nvjpegStatus_t (*DecodeJpegTransferToDevice)(nvjpegHandle_t, nvjpegJpegDecoder_t, nvjpegJpegState_t,
                                               nvjpegJpegStream_t, cudaStream_t);
  nvjpegStatus_t (*DecodeJpegDevice)(nvjpegHandle_t, nvjpegJpegDecoder_t, nvjpegJpegState_t, nvjpegImage_t*,
                                     cudaStream_t);
  // encode
  nvjpegStatus_t (*EncoderStateCreate)(nvjpegHandle_t, nvjpegEncoderState_t*, cudaStream_t);
  nvjpegStatus_t (*EncoderStateDestroy)(nvjpegEncoderState_t);
  nvjpegStatus_t (*EncoderParamsCreate)(nvjpegHandle_t, nvjpegEncoderParams_t*, cudaStream_t);
  nvjpegStatus_t (*EncoderParamsDestroy)(nvjpegEncoderParams_t);
  nvjpegStatus_t (*EncoderParamsSetQuality)(nvjpegEncoderParams_t, const int, cudaStream_t);
  nvjpegStatus_t (*EncoderParamsSetSamplingFactors)(nvjpegEncoderParams_t, const nvjpegChromaSubsampling_t,
                                                    cudaStream_t);
  nvjpegStatus_t (*EncoderParamsSetOptimizedHuffman)(nvjpegEncoderParams_t, const int, cudaStream_t);
  nvjpegStatus_t (*EncodeImage)(nvjpegHandle_t, nvjpegEncoderState_t, const nvjpegEncoderParams_t,
                                const nvjpegImage_t*, nvjpegInputFormat_t, int, int, cudaStream_t);
  nvjpegStatus_t (*EncodeYUV)(nvjpegHandle_t, nvjpegEncoderState_t, const nvjpegEncoderParams_t,
                              const nvjpegImage_t*, nvjpegChromaSubsampling_t, int, int, cudaStream_t);
  nvjpegStatus_t (*EncodeRetrieveBitstream)(nvjpegHandle_t, nvjpegEncoderState_t, unsigned char*, size_t*,
                                            cudaStream_t);

  // optional
  nvjpegStatus_t (*GetProperty)(libraryPropertyType, int*);
  nvjpegStatus_t (*GetHardwareDecoderInfo)(nvjpegHandle_t, unsigned int*, unsigned int*);
  nvjpegStatus_t (*DecodeBatchedSupported)(nvjpegHandle_t, nvjpegJpegStream_t, int*);
  nvjpegStatus_t (*JpegStreamParseHeader)(nvjpegHandle_t, const unsigned char*, size_t, nvjpegJpegStream_t);
  nvjpegStatus_t (*EncoderParamsSetEncoding)(nvjpegEncoderParams_t, nvjpegJpegEncoding_t, cudaStream_t);
};

// The reason every failed load reports, word for word (the TS side and the tests match on it).
extern const char* const kNvjpegNotFound;

// Loads libnvjpeg once per process (later calls return the first outcome). On failure returns null and sets
// `reason` (one sentence for users) and `detail` (what dlopen/dlsym said).
const NvjpegApi* LoadNvjpeg(std::string* reason, std::string* detail);

// The loaded table, or null when LoadNvjpeg has not succeeded.
const NvjpegApi* Nvjpeg();

// "13.0.1" from nvjpegGetProperty, or "" when unknown. Valid after a successful LoadNvjpeg.
std::string NvjpegVersion();

// The file the library was loaded from (dlinfo), or the name that was asked for.
std::string NvjpegPath();

}  // namespace jpegkit
