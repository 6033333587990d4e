// Where the builds put their outputs (see CMakePresets.json).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DESKGATE_BIN = process.env.DESKGATE_BIN ?? path.join(ROOT, 'build/native/bin/deskgate');
export const WASM_DIR = process.env.DESKGATE_WASM_DIR ?? path.join(ROOT, 'build/wasm');
