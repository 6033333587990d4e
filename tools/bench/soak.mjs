// Soak: mixed load on one server over loopback for a while (default 10
// minutes), the server's RSS sampled every 10 s. Load, all at once:
//   - list reads (GET /api/assets at random offsets, every sort),
//   - sign-ins with a password and an authenticator code (TOTP users),
//   - inline edits (GET a row, PATCH it with If-Match),
//   - a bulk change over a filter every few seconds,
//   - GET /metrics now and then (as Prometheus would).
// Passes when no request got a 5xx (or failed to connect) and RSS stays
// flat (RssAnon at the end within 50 MB of its value after the first minute).
//   node tools/bench/soak.mjs [--minutes N] [--assets N]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { addUser, apiClient, apiLogin, enrollTotp, PASSWORD, setMfa, totpCode } from '../../tests/support/mfa.mjs';
import { DESKGATE_BIN } from '../../tests/support/paths.mjs';
import { startServer } from '../../tests/support/server.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const minutes = arg('minutes', 10);
const assets = arg('assets', 100000);
const TOTP_USERS = 40;

const server = await startServer({
  prepare: (db) => execFileSync(DESKGATE_BIN, ['seed', '--assets', String(assets), '--software', '1000', '--db', db]),
});
const pid = Number(execFileSync('pgrep', ['-f', `serve --port 0 --db ${server.dbPath}`], { encoding: 'utf8' }).trim().split('\n')[0]);
// RssAnon is the server's own memory (heap, stacks); RssFile is the
// database mapped into it (mmap, shared with the page cache), which grows
// with the pages read and is given back under pressure.
const statusMb = (field) => Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  .match(new RegExp(`${field}:\\s+(\\d+)`))[1]) / 1024;
const rssMb = () => statusMb('RssAnon');

// People: an Administrator for edits and bulk, TOTP users for sign-ins.
addUser(server, { email: 'admin@example.com', role: 'Administrator' });
const { client: admin } = await apiLogin(server, 'agent', 'admin@example.com');
await setMfa(admin, 'agent', { authenticator_app: true, enforcement: 'next_login' });
const totp = [];
for (let i = 0; i < TOTP_USERS; i++) {
  const email = `agent${i}@example.com`;
  addUser(server, { email, role: 'Administrator' });
  const { client } = await apiLogin(server, 'agent', email);
  // The enrollment used this step's code; the next sign-in waits for a new one.
  totp.push({ email, secret: (await enrollTotp(client, 'agent')).secret, lastStep: Math.floor(Date.now() / 30000) });
}

const stats = new Map();  // kind → {count, errors, statuses, times}
function record(kind, status, ms) {
  const s = stats.get(kind) ?? { count: 0, fivexx: 0, statuses: {}, times: [] };
  s.count++;
  s.statuses[status] = (s.statuses[status] ?? 0) + 1;
  if (status >= 500 || status === 0) s.fivexx++;
  s.times.push(ms);
  stats.set(kind, s);
}
async function timed(kind, fn) {
  const start = performance.now();
  let status = 0;
  try {
    status = await fn();
  } catch {
    status = 0;  // no answer at all
  }
  record(kind, status, performance.now() - start);
  return status;
}

const deadline = Date.now() + minutes * 60000;
const running = () => Date.now() < deadline;
const sorts = ['name', 'asset_tag', 'type', 'impact', 'updated_at', 'location', 'managed_by_group'];
const randomInt = (n) => Math.floor(Math.random() * n);

async function reader() {
  while (running()) {
    const sort = sorts[randomInt(sorts.length)];
    await timed('list read', async () => (await admin.call('GET',
      `/api/assets?limit=50&offset=${randomInt(assets)}&sort=${sort}`)).status);
  }
}

async function signIns() {
  while (running()) {
    const step = Math.floor(Date.now() / 30000);
    const person = totp.find((p) => p.lastStep < step);
    if (!person) {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    person.lastStep = step;
    const client = apiClient(server);
    const login = await timed('sign-in: password', async () =>
      (await client.call('POST', '/api/agent/login', { email: person.email, password: PASSWORD })).status);
    if (login !== 200) continue;
    await timed('sign-in: TOTP', async () =>
      (await client.call('POST', '/api/agent/mfa/verify', { method: 'totp', code: totpCode(person.secret) })).status);
  }
}

async function editor() {
  while (running()) {
    const id = 1 + randomInt(assets);
    const row = await admin.call('GET', `/api/assets/${id}`);
    record('inline edit: read', row.status, 0);
    if (row.status !== 200) continue;
    await timed('inline edit: PATCH', async () => {
      const res = await fetch(`${server.url}/api/assets/${id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', Cookie: admin.cookie, 'If-Match': `"${row.body.version}"` },
        body: JSON.stringify({ notes: `soak ${Date.now()}` }),
      });
      await res.arrayBuffer();
      return res.status === 412 ? 200 : res.status;  // a lost race with the bulk is fine
    });
  }
}

async function bulk() {
  const impacts = ['low', 'medium', 'high'];
  for (let i = 0; running(); i++) {
    await timed('bulk change', async () => (await admin.call('POST', '/api/assets/bulk', {
      selection: { filter: { q: `${randomInt(10)}${randomInt(10)}${randomInt(10)}` }, except: [] },
      change: { impact: impacts[i % 3] },
    })).status);
    await new Promise((r) => setTimeout(r, 3000));
  }
}

async function scraper() {
  while (running()) {
    await timed('metrics', async () => (await fetch(`${server.url}/metrics`)).status);
    await new Promise((r) => setTimeout(r, 5000));
  }
}

// Every minute, what holds the memory: the heap the program uses, the heap
// the allocator keeps (in use plus free chunks in every arena) and SQLite's
// share of the first (page caches, statements).
const gauge = (text, name) => Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? NaN) / 1048576;
const minutesTable = [];
async function memoryByMinute() {
  for (let minute = 0; running(); minute++) {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    minutesTable.push({ minute, rss: rssMb(), inUse: gauge(text, 'deskgate_heap_in_use_bytes'),
      held: gauge(text, 'deskgate_heap_held_bytes'), sqlite: gauge(text, 'deskgate_sqlite_memory_bytes') });
    const left = deadline - Date.now();
    if (left < 2000) break;
    await new Promise((r) => setTimeout(r, Math.min(60000, left - 1000)));
  }
}

const samples = [];
const sampler = setInterval(() => samples.push(rssMb()), 10000);
samples.push(rssMb());
console.log(`== soak: ${minutes} min, ${assets} assets, ${TOTP_USERS} TOTP users; RssAnon at start ${samples[0].toFixed(1)} MB`);
await Promise.all([reader(), reader(), reader(), reader(), signIns(), signIns(), editor(), editor(), bulk(), scraper(),
  memoryByMinute()]);
clearInterval(sampler);
samples.push(rssMb());

const quantile = (xs, q) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};
let fivexx = 0;
for (const [kind, s] of stats) {
  fivexx += s.fivexx;
  console.log(`${kind.padEnd(22)} ${String(s.count).padStart(8)} requests  5xx/no answer ${s.fivexx}  ` +
    `median ${quantile(s.times, 0.5).toFixed(1)} ms  p99 ${quantile(s.times, 0.99).toFixed(1)} ms  ` +
    `statuses ${JSON.stringify(s.statuses)}`);
}
const warm = samples[Math.min(6, samples.length - 1)];  // after the first minute
const last = samples.at(-1);
console.log(`RssAnon MB every 10 s: ${samples.map((m) => m.toFixed(0)).join(' ')}`);
console.log(`RssFile (the mapped database) at the end: ${statusMb('RssFile').toFixed(1)} MB`);
console.log(`RssAnon: start ${samples[0].toFixed(1)} MB, after 1 min ${warm.toFixed(1)} MB, ` +
  `max ${Math.max(...samples).toFixed(1)} MB, end ${last.toFixed(1)} MB (growth after warm-up ${(last - warm).toFixed(1)} MB)`);
console.log('minute  RssAnon  heap in use  heap held  SQLite (MB)');
for (const m of minutesTable) {
  console.log(`${String(m.minute).padStart(6)}  ${m.rss.toFixed(1).padStart(7)}  ${m.inUse.toFixed(1).padStart(11)}  ` +
    `${m.held.toFixed(1).padStart(9)}  ${m.sqlite.toFixed(1).padStart(6)}`);
}
const metrics = await (await fetch(`${server.url}/metrics`)).text();
console.log('metrics at the end (sign-ins, MFA, busy retries):');
for (const line of metrics.split('\n')) {
  if (/^deskgate_(sign_ins|mfa_verifications|sqlite_busy|throttle_refusals|outbox_depth)/.test(line)) console.log(`  ${line}`);
}
await server.stop();
const ok = fivexx === 0 && last - warm <= 50;
console.log(ok ? 'soak: PASS (no 5xx, memory flat)' : 'soak: FAIL');
process.exit(ok ? 0 : 1);
