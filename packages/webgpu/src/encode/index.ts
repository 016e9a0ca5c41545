// JPEG encoding of GPU pixels: colour conversion, downsampling, FDCT and quantisation on the GPU, Huffman coding
// through @jpegkit/wasm's coefficient writer.
export { encodeGpuPixels } from './encode-jpeg.js';
export { computeDctCoefficients } from './dct-coefficients.js';
export type { CoefficientOptions } from './dct-coefficients.js';
export { quantTablesForQuality } from './quant-tables.js';
