// QR symbols from deskgate read back by a real decoder (zbarimg, from
// Debian's zbar-tools): every version 1–40 at every level, with byte,
// URI, numeric and alphanumeric payloads. The native CLI draws each symbol
// and the WebAssembly build must produce the same modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadDeskgate } from '../support/load-wasm.mjs';
import { DESKGATE_BIN } from '../support/paths.mjs';

const run = promisify(execFile);
const dg = await loadDeskgate();
const LEVELS = ['L', 'M', 'Q', 'H'];
const SCALE = 3;  // zbar needs at least 2 pixels per module on large symbols

// A deterministic pseudo-random generator, so failures can be reproduced.
function prng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const random = prng(0xdeca);

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const makers = {
  bytes: (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256))),
  uri: (n) => {
    const base = 'otpauth://totp/Helpdesk:agent@example.com?secret=';
    const tail = Array.from({ length: Math.max(0, n - base.length) },
      () => 'abcdefghijklmnopqrstuvwxyz0123456789-_~'[Math.floor(random() * 39)]).join('');
    return Buffer.from((base + tail).slice(0, n));
  },
  numeric: (n) => Buffer.from(Array.from({ length: n }, () => String(Math.floor(random() * 10))).join('')),
  alnum: (n) => Buffer.from(Array.from({ length: n }, () => ALNUM[Math.floor(random() * 45)]).join('')),
};
const MODES = Object.keys(makers);

const versionOf = (payload, level) => dg.qrVersion(new Uint8Array(payload), level);

// For each level and kind, one long random source string; a payload is a
// prefix of it. The version a prefix needs grows with its length, so a
// binary search finds each version's longest prefix.
function prefixBoundaries(source, level) {
  const longest = [0];  // longest[v]: the longest prefix that fits version v
  for (let version = 1; version <= 40; version++) {
    let lo = longest[version - 1], hi = source.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const v = versionOf(source.subarray(0, mid), level);
      if (v !== -1 && v <= version) lo = mid; else hi = mid - 1;
    }
    longest.push(lo);
  }
  return longest;
}

// One payload per (version, level), in a kind that rotates with the version,
// longer than what fits the version below; then random extra payloads.
function buildCases() {
  const cases = [];
  for (const level of LEVELS) {
    for (const kind of MODES) {
      const source = makers[kind](7100);
      const longest = prefixBoundaries(source, level);
      for (let version = 1; version <= 40; version++) {
        if (MODES[(version + LEVELS.indexOf(level)) % MODES.length] !== kind) continue;
        const least = longest[version - 1] + 1;
        const n = least + Math.floor(random() * (longest[version] - least + 1));
        cases.push({ kind, level, version, payload: source.subarray(0, n) });
      }
    }
  }
  for (let i = 0; cases.length < 520; i++) {
    const kind = MODES[i % MODES.length];
    const level = LEVELS[(i >> 2) % 4];
    const n = 1 + Math.floor(random() ** 3 * 1200);
    cases.push({ kind, level, version: null, payload: makers[kind](n) });
  }
  return cases;
}

function readPbm(file) {
  const data = fs.readFileSync(file);
  const header = data.toString('latin1', 0, 32).match(/^P4\n(\d+) (\d+)\n/);
  assert.ok(header, 'PBM header');
  return { width: Number(header[1]), offset: header[0].length, data };
}

// Samples the centre of each module of a PBM drawn at SCALE.
function modulesFromPbm({ width, offset, data }) {
  const size = width / SCALE - 8;
  const rowBytes = Math.ceil(width / 8);
  const modules = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const px = (x + 4) * SCALE + 1, py = (y + 4) * SCALE + 1;
      modules[y * size + x] = (data[offset + py * rowBytes + (px >> 3)] >> (7 - (px & 7))) & 1;
    }
  }
  return { size, modules };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskgate-qr-'));
const cases = buildCases();

test('the cases cover every version at every level, 500 symbols or more', () => {
  assert.ok(cases.length >= 500);
  for (const level of LEVELS) {
    const versions = new Set(cases.filter((c) => c.level === level).map((c) => versionOf(c.payload, level)));
    for (let v = 1; v <= 40; v++) assert.ok(versions.has(v), `version ${v} at level ${level}`);
  }
});

test('zbarimg decodes every symbol to its exact payload; WASM draws the same modules', async () => {
  const failures = [];
  let next = 0;
  async function worker() {
    while (next < cases.length) {
      const index = next++;
      const c = cases[index];
      const file = path.join(dir, `${index}.pbm`);
      // The CLI drops one trailing newline: append one so every byte arrives.
      const cli = spawnSync(DESKGATE_BIN, ['qr', '--ecl', c.level, '--format', 'pbm', '--scale', String(SCALE)],
        { input: Buffer.concat([c.payload, Buffer.from('\n')]) });
      if (cli.status !== 0) { failures.push(`${index}: CLI ${cli.stderr}`); continue; }
      fs.writeFileSync(file, cli.stdout);

      const native = modulesFromPbm(readPbm(file));
      const wasm = dg.qrMatrix(new Uint8Array(c.payload), c.level);
      if (wasm.size !== native.size || !Buffer.from(wasm.modules).equals(Buffer.from(native.modules))) {
        failures.push(`${index}: WASM and native modules differ (${c.kind}, ${c.level})`);
      }
      const expectedVersion = c.version ?? wasm.version;
      if (native.size !== 17 + 4 * expectedVersion) failures.push(`${index}: size ${native.size}`);

      const decoded = await run('zbarimg', ['--raw', '-q', '-Sbinary', file], { encoding: 'buffer' })
        .then((r) => r.stdout, () => null);
      // With -Sbinary zbarimg prints the payload's bytes exactly, no newline.
      if (!decoded || !decoded.equals(c.payload)) {
        failures.push(`${index}: decode mismatch (${c.kind}, ${c.level}, ${c.payload.length} bytes, v${wasm.version})`);
      }
      fs.rmSync(file);
    }
  }
  await Promise.all([worker(), worker()]);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(failures, []);
});
