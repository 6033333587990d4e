// Starts a real `deskgate serve` on an ephemeral port with a temporary
// database, and stops it when the test is done.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DESKGATE_BIN, WASM_DIR } from './paths.mjs';
import { track } from './processes.mjs';

// `prepare(dbPath)` runs before the server starts (demo data, say).
export async function startServer({ args = [], prepare } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskgate-test-'));
  if (prepare) prepare(path.join(dir, 'test.db'));
  // --wasm-dir: the module from WASM_DIR (DESKGATE_WASM_DIR can point at
  // another build), not the path compiled into the binary.
  const child = track(spawn(DESKGATE_BIN, ['serve', '--port', '0', '--db', path.join(dir, 'test.db'),
    '--wasm-dir', WASM_DIR, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });

  let stdout = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 10000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = stdout.match(/serving at (http:\/\/\S+?)\/?\s/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${stderr}`));
    });
  });

  child.stdout.on('data', (chunk) => { stdout += chunk; });
  return {
    url,
    dir,
    dbPath: path.join(dir, 'test.db'),
    // The first-run setup link, once the server has printed it.
    async setupLink() {
      for (let i = 0; i < 50; i++) {
        const match = stdout.match(/(http:\/\/\S+\/setup\.html#token=\S+)/);
        if (match) return match[1];
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('no setup link printed');
    },
    // Stops the server; a server that does not exit cleanly on SIGTERM
    // (a crash, or a sanitizer report in an instrumented build) fails the test.
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
      if (child.exitCode !== 0) {
        throw new Error(`deskgate exited with ${child.exitCode ?? child.signalCode}: ${stderr.slice(-4000)}`);
      }
      return child.exitCode;
    },
  };
}
