// Decodes a fixture with the wasm backend in the page and publishes the result for the test to read.
import { createCodec } from '@jpegkit/core';
import '@jpegkit/wasm';

async function sha256(bytes) {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function run() {
  const codec = await createCodec({ backends: ['wasm'], strict: true, init: { threads: 0 } });
  const bytes = new Uint8Array(await (await fetch('/fixtures/jpeg/photo-420.jpg')).arrayBuffer());
  const img = await codec.decode(bytes);
  const thumb = await codec.pipeline(bytes).resize({ width: 40 }).toJpeg({ quality: 80 });
  const result = {
    backend: img.backend,
    width: img.width,
    height: img.height,
    pixels: await sha256(img.data),
    thumbBytes: thumb.length,
    gpu: typeof navigator.gpu,
  };
  await codec.dispose();
  return result;
}

window.jpegkitResult = run().catch((error) => ({ error: `${error.code ?? ''} ${error.message}` }));
