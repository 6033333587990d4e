// deskgate behind Debian's nginx with TLS (a throwaway certificate), using
// the nginx configuration docs/deploy.md gives, as written there: cookies
// are Secure and __Host-, answers carry HSTS, the client address nginx
// forwards is the one throttles, the audit log and the access log record
// (not one a client wrote into X-Forwarded-For), and single sign-on
// redirects name the public https address.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { addUser, PASSWORD } from '../support/mfa.mjs';
import { ROOT } from '../support/paths.mjs';
import { track } from '../support/processes.mjs';
import { startSsoWorld } from '../support/sso.mjs';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'deskgate-proxy-'));
const accessLog = path.join(work, 'access.log');
let world;
let nginx;
let proxyPort;
let cert;

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// The ```nginx block of docs/deploy.md, pointed at this test's ports and
// certificate.
function nginxServerBlocks(deskgatePort, redirectPort) {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/deploy.md'), 'utf8');
  const block = doc.match(/```nginx\n([\s\S]*?)```/)[1];
  return block
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${proxyPort} ssl http2;`)
    .replace('listen 80;', `listen 127.0.0.1:${redirectPort};`)
    .replace('/etc/ssl/helpdesk/fullchain.pem', path.join(work, 'cert.pem'))
    .replace('/etc/ssl/helpdesk/privkey.pem', path.join(work, 'key.pem'))
    .replace('http://127.0.0.1:8080', `http://127.0.0.1:${deskgatePort}`);
}

// A request through nginx from `from` (a loopback address of its own).
function call(method, url, { body, cookie, from = '127.0.0.2', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request({
      host: '127.0.0.1', port: proxyPort, path: url, method, ca: cert, localAddress: from,
      servername: '127.0.0.1',
      headers: {
        ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}),
        ...(cookie ? { Cookie: cookie } : {}),
        ...headers,
      },
    }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        let json = {};
        try { json = JSON.parse(text); } catch { /* a page */ }
        resolve({ status: res.statusCode, headers: res.headers, body: json, text });
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

const sessionCookie = (res) => (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-deskgate_session='));
const auditIps = (event) => execFileSync('sqlite3', [world.server.dbPath,
  `SELECT ip FROM audit_log WHERE event = '${event}' ORDER BY id`], { encoding: 'utf8' }).trim().split('\n');

before(async () => {
  proxyPort = await freePort();
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
    '-nodes', '-keyout', path.join(work, 'key.pem'), '-out', path.join(work, 'cert.pem'),
    '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
  { stdio: 'ignore' });
  cert = fs.readFileSync(path.join(work, 'cert.pem'));
  world = await startSsoWorld({
    accounts: [{ sub: 'sub-ada', email: 'admin@example.com', name: 'Ada Admin' }],
    serverArgs: ['--public-url', `https://127.0.0.1:${proxyPort}`, '--trusted-proxy', '127.0.0.1',
      '--access-log', accessLog],
  });
  addUser(world.server, { email: 'admin@example.com', name: 'Ada Admin', role: 'Administrator' });
  addUser(world.server, { email: 'sam@example.com', name: 'Sam Agent' });
  const deskgatePort = new URL(world.server.url).port;
  fs.mkdirSync(path.join(work, 'logs'));
  fs.writeFileSync(path.join(work, 'nginx.conf'), `worker_processes 1;
daemon off;
pid ${work}/nginx.pid;
error_log ${work}/error.log;
events { worker_connections 256; }
http {
  access_log ${work}/nginx-access.log;
  client_body_temp_path ${work}/body;
  proxy_temp_path ${work}/proxy;
  ${nginxServerBlocks(deskgatePort, await freePort())}
}
`);
  nginx = track(spawn('nginx', ['-c', path.join(work, 'nginx.conf'), '-p', work], { stdio: 'ignore' }));
  for (let i = 0; i < 100; i++) {
    try {
      await call('GET', '/healthz');
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nginx did not start: ${fs.readFileSync(path.join(work, 'error.log'), 'utf8')}`);
});

after(async () => {
  nginx?.kill('SIGTERM');
  await world?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

test('over TLS the session cookie is __Host- and Secure, and answers carry HSTS', async () => {
  const health = await call('GET', '/healthz');
  assert.equal(health.status, 200);
  assert.match(health.headers['strict-transport-security'], /^max-age=\d+/);
  const login = await call('POST', '/api/agent/login', { body: { email: 'sam@example.com', password: PASSWORD } });
  assert.equal(login.status, 200, login.text);
  const cookie = sessionCookie(login);
  assert.ok(cookie, JSON.stringify(login.headers['set-cookie']));
  assert.match(cookie, /; Secure/);
  assert.match(cookie, /; Path=\//);
  assert.doesNotMatch(cookie, /Domain=/i);
  const me = await call('GET', '/api/me', { cookie: cookie.split(';')[0] });
  assert.equal(me.status, 200);
  assert.equal(me.body.email, 'sam@example.com');
});

test('throttles and the audit log use the address nginx forwarded, not one the client wrote', async () => {
  const spoof = { 'X-Forwarded-For': '198.51.100.66' };
  const wrong = { email: 'sam@example.com', password: 'not the password' };
  for (let i = 0; i < 5; i++) {
    const res = await call('POST', '/api/agent/login', { body: wrong, from: '127.0.0.2', headers: spoof });
    assert.equal(res.status, 401, res.text);
  }
  // The sixth from the same client is refused for that account and address …
  const blocked = await call('POST', '/api/agent/login', { body: wrong, from: '127.0.0.2', headers: spoof });
  assert.equal(blocked.status, 429);
  // … while another client's attempts at the same account are not.
  const other = await call('POST', '/api/agent/login', { body: wrong, from: '127.0.0.3' });
  assert.equal(other.status, 401);
  const ips = auditIps('login.failure');
  assert.deepEqual(ips.slice(-6), ['127.0.0.2', '127.0.0.2', '127.0.0.2', '127.0.0.2', '127.0.0.2', '127.0.0.3']);
  assert.ok(!ips.includes('198.51.100.66'));
  assert.deepEqual(auditIps('login.throttled').slice(-1), ['127.0.0.2']);

  // The access log agrees, and carries nginx's request id.
  const lines = fs.readFileSync(accessLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const logins = lines.filter((l) => l.route === '/api/agent/login');
  assert.deepEqual(logins.slice(-2).map((l) => l.client), ['127.0.0.2', '127.0.0.3']);
  assert.match(logins.at(-1).request_id, /^[0-9a-f]{32}$/);  // nginx's $request_id
  assert.equal(logins.at(-1).status, 401);
});

test('single sign-on redirects to the public https address', async () => {
  const login = await call('POST', '/api/agent/login', {
    body: { email: 'admin@example.com', password: PASSWORD }, from: '127.0.0.4',
  });
  assert.equal(login.status, 200, login.text);
  const cookie = sessionCookie(login).split(';')[0];
  const saved = await call('PUT', '/api/settings/sso/agent', { body: world.provider('agent'), cookie, from: '127.0.0.4' });
  assert.equal(saved.status, 200, saved.text);
  const both = await call('PUT', '/api/settings/authentication/agent', {
    body: { portal_access: { mode: 'both' } }, cookie, from: '127.0.0.4',
  });
  assert.equal(both.status, 200, both.text);
  const start = await call('POST', '/api/agent/sso/start', { body: { purpose: 'login' }, from: '127.0.0.4' });
  assert.equal(start.status, 200, start.text);
  const redirect = new URL(start.body.url).searchParams.get('redirect_uri');
  assert.equal(redirect, `https://127.0.0.1:${proxyPort}/api/agent/sso/callback`);
  // The binding cookie of the sign-in is __Host- and Secure too.
  const binding = (start.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-'));
  assert.ok(binding, JSON.stringify(start.headers['set-cookie']));
  assert.match(binding, /; Secure/);
});

test('/metrics is not served through the proxy, only on the host', async () => {
  // The test's clients are loopback addresses too: without the block's
  // `location = /metrics`, deskgate would take them for local scrapers.
  const through = await call('GET', '/metrics', { from: '127.0.0.5' });
  assert.equal(through.status, 404);
  assert.doesNotMatch(through.text, /deskgate_/);
  const direct = await fetch(`${world.server.url}/metrics`);
  assert.equal(direct.status, 200);
  assert.match(await direct.text(), /^deskgate_heap_in_use_bytes \d+/m);
});
