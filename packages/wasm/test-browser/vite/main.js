// Bundled by Vite: decodes fixtures on two Web Workers (the pool) and publishes digests for the test.
import { createCodec } from '@jpegkit/core';
import '@jpegkit/wasm';

async function sha256(bytes) {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function run() {
  const codec = await createCodec({ backends: ['wasm'], strict: true, init: { threads: 2 } });
  const names = ['photo-420.jpg', 'photo-444.jpg', 'photo-422.jpg', 'photo-420-progressive.jpg'];
  const files = await Promise.all(
    names.map(async (n) => new Uint8Array(await (await fetch(`/fixtures/jpeg/${n}`)).arrayBuffer())),
  );
  const images = await codec.decodeBatch(files);
  const result = {
    device: codec.available[0].caps.device,
    digests: await Promise.all(images.map((img) => sha256(img.data))),
  };
  await codec.dispose();
  return result;
}

window.jpegkitResult = run().catch((error) => ({ error: `${error.code ?? ''} ${error.message}` }));
