// Prepended to the ES-module glue (--extern-pre-js). Emscripten's Node code path calls require() and reads
// __dirname, neither of which exists in an ES module; process.getBuiltinModule (Node >= 20.16) supplies them
// without an import statement that browser bundlers would have to resolve. Elsewhere both stay inert.
var require =
  typeof process === 'object' && process !== null && typeof process.getBuiltinModule === 'function'
    ? (id) => process.getBuiltinModule(id)
    : undefined;
var __dirname = require ? require('path').dirname(require('url').fileURLToPath(import.meta.url)) : '';
