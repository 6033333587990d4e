// Loads build/wasm/deskgate.js in Node the way ENVIRONMENT.md describes:
// shim __dirname for Emscripten 3.1.6's Node path and hand it the bytes.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WASM_DIR } from './paths.mjs';

export async function loadDeskgate() {
  globalThis.__dirname ??= WASM_DIR;
  const { default: createDeskgate } = await import(pathToFileURL(path.join(WASM_DIR, 'deskgate.js')).href);
  return createDeskgate({ wasmBinary: fs.readFileSync(path.join(WASM_DIR, 'deskgate.wasm')) });
}
