// Copies src/shaders/*.wgsl next to the compiled JS (dist/shaders/), where the runtime loads them from.
import { cpSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../src/shaders/', import.meta.url));
const to = fileURLToPath(new URL('../dist/shaders/', import.meta.url));
mkdirSync(to, { recursive: true });
cpSync(from, to, { recursive: true, filter: (p) => !p.includes('.') || p.endsWith('.wgsl') });
