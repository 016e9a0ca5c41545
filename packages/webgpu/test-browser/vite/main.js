// Bundled by Vite: decodes fixtures on the webgpu backend (navigator.gpu) and publishes digests for the test.
import { createCodec } from '@jpegkit/core';
import '@jpegkit/wasm';
import '../../dist/index.js';

async function sha256(bytes) {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function fixture(name) {
  return new Uint8Array(await (await fetch(`/fixtures/jpeg/${name}`)).arrayBuffer());
}

async function run() {
  const codec = await createCodec({ backends: ['webgpu'], strict: true, init: { threads: 2 } });
  const names = ['photo-420.jpg', 'photo-422.jpg', 'photo-cmyk.jpg', 'photo-420-progressive.jpg'];
  const files = await Promise.all(names.map(fixture));
  const images = await codec.decodeBatch(files);
  const gray = await codec.decode(await fixture('photo-gray.jpg'), { format: 'gray' });
  const scaled = await codec.decode(files[0], { scale: 0.25 });
  const device = await codec.decode(files[1], { location: 'device' });
  const downloaded = await device.download();
  device.release();
  const result = {
    gpu: typeof navigator.gpu,
    device: codec.available[0].caps.device,
    backends: [
      ...images.map((img) => img.backend ?? img.code),
      gray.backend,
      scaled.backend,
      device.location,
    ],
    digests: await Promise.all(images.map((img) => sha256(img.data))),
    gray: await sha256(gray.data),
    scaled: await sha256(scaled.data),
    downloaded: await sha256(downloaded.data),
  };
  await codec.dispose();
  return result;
}

window.jpegkitResult = run().catch((error) => ({ error: `${error.code ?? ''} ${error.message}` }));
