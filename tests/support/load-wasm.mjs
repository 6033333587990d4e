// Loads a module of build/wasm/ in Node the way ENVIRONMENT.md describes:
// shim __dirname for Emscripten 3.1.6's Node path and hand it the bytes.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WASM_DIR } from './paths.mjs';

// `name`: "deskgate" (the whole module), "deskgate-signin" or "deskgate-records".
export async function loadDeskgate(name = 'deskgate') {
  globalThis.__dirname ??= WASM_DIR;
  const { default: create } = await import(pathToFileURL(path.join(WASM_DIR, `${name}.js`)).href);
  return create({ wasmBinary: fs.readFileSync(path.join(WASM_DIR, `${name}.wasm`)) });
}
