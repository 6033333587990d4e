// Helpers for the MFA browser tests: people from the CLI, a small API
// client that keeps its session cookie, TOTP codes from otplib, QR codes
// read back by zbarimg, and an SMTP sink that collects the emailed codes.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import otplib from 'otplib';
import { DESKGATE_BIN, ROOT } from './paths.mjs';
import { track } from './processes.mjs';

export const PASSWORD = 'plum orchard lantern 42';
export const SHOTS = path.join(ROOT, 'build/screenshots');
export const RECOVERY_CODE = /^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/;

// `deskgate user add` as an administrator would run it.
export function addUser(server, { portal = 'agent', email, name, role }) {
  const args = ['user', 'add', '--portal', portal, '--email', email, '--db', server.dbPath];
  if (name) args.push('--name', name);
  if (role) args.push('--role', role);
  execFileSync(DESKGATE_BIN, args, { input: `${PASSWORD}\n` });
}

export function addRole(server, name, permissions) {
  execFileSync(DESKGATE_BIN, ['role', 'add', '--name', name, '--permissions', permissions.join(','),
    '--db', server.dbPath], { stdio: ['ignore', 'pipe', 'pipe'] });
}

// fetch with one session cookie, replaced whenever the server sets a new one
// (verification and enrollment issue a new token).
export function apiClient(server) {
  let cookie = '';
  return {
    get cookie() { return cookie; },
    async call(method, url, body) {
      const response = await fetch(`${server.url}${url}`, {
        method,
        headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
        body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
      });
      const set = response.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0];
      let data = {};
      try {
        data = await response.json();
      } catch {
        // no JSON body
      }
      return { status: response.status, body: data, headers: response.headers };
    },
  };
}

export async function apiLogin(server, portal, email) {
  const client = apiClient(server);
  const login = await client.call('POST', `/api/${portal}/login`, { email, password: PASSWORD });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return { client, login: login.body };
}

// Changes only the given fields of the portal's mfa section (PUT takes the
// whole document, so the rest goes back as it was).
export async function setMfa(admin, portal, fields) {
  const current = await admin.call('GET', `/api/settings/authentication/${portal}`);
  assert.equal(current.status, 200, JSON.stringify(current.body));
  const saved = await admin.call('PUT', `/api/settings/authentication/${portal}`,
    { ...current.body, mfa: { ...current.body.mfa, ...fields } });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  return saved.body;
}

// A code from the authenticator app, for now or `stepsAhead` 30-second
// steps later (the server takes ±1 step and never the same step twice).
export function totpCode(secret, stepsAhead = 0) {
  return otplib.authenticator.clone({ epoch: Date.now() + stepsAhead * 30000 }).generate(secret);
}

// Enrolls through the API from a session at the setup step or signed in.
export async function enrollTotp(client, portal) {
  const setup = await client.call('POST', `/api/${portal}/mfa/totp/setup`);
  assert.equal(setup.status, 200, JSON.stringify(setup.body));
  const confirm = await client.call('POST', `/api/${portal}/mfa/totp/confirm`, { code: totpCode(setup.body.secret) });
  assert.equal(confirm.status, 200, JSON.stringify(confirm.body));
  return { secret: setup.body.secret, codes: confirm.body.recovery_codes };
}

// Reads a QR code from a PNG with zbarimg (binary mode keeps UTF-8 intact).
export function decodeQr(file) {
  return execFileSync('zbarimg', ['--raw', '-q', '-Sbinary', file], { stdio: ['ignore', 'pipe', 'ignore'] })
    .toString('utf8').trim();
}

// A browser context signed in with an API client's session cookie (for
// people whose own sign-in would stop at a second factor the test skips).
export async function contextWithSession(browser, server, client) {
  const context = await browser.newContext();
  const [name, ...value] = client.cookie.split('=');
  await context.addCookies([{ name, value: value.join('='), url: server.url, httpOnly: true, sameSite: 'Strict' }]);
  return context;
}

// The first sign-in step in a page: the login form filled and sent.
export async function submitPassword(page, server, portal, email) {
  await page.goto(`${server.url}/login/${portal}.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('#login-form button[type="submit"]');
}

export async function waitForHome(page) {
  await page.waitForURL(/\/home\.html/);
  await page.waitForSelector('body[data-ready="true"] #sign-out:not([hidden])');
}

export async function signOut(page, portal = 'agent') {
  await page.click('#sign-out');
  await page.waitForURL(new RegExp(`/login/${portal}\\.html$`));
}

// A full-page screenshot, and one at a phone's width when `mobile` is set.
export async function screenshot(page, name, { mobile = false } = {}) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  if (mobile) {
    const size = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SHOTS, `${name}-mobile.png`), fullPage: true });
    await page.setViewportSize(size);
  }
}

// Console noise that the tests cause on purpose: refused codes and requests.
export function unexpected(problems) {
  return problems.filter((p) => !/status of (400|401|403|404|429)/.test(p));
}

// tests/support/smtp_sink.py on a free port; `waitForMessage(to)` returns
// the next message for that address that this sink has not handed out yet.
export async function startSmtpSink() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskgate-smtp-'));
  const child = track(spawn('/usr/bin/python3', [path.join(ROOT, 'tests/support/smtp_sink.py'), '--port', '0', '--out', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] }));
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`smtp sink did not start: ${stderr}`)), 10000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/listening (\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`smtp sink exited with ${code}: ${stderr}`));
    });
  });
  const seen = new Set();
  const read = () => {
    const index = path.join(dir, 'index.jsonl');
    if (!fs.existsSync(index)) return [];
    return fs.readFileSync(index, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  };
  return {
    port,
    dir,
    args: ['--smtp-host', '127.0.0.1', '--smtp-port', String(port), '--smtp-from', 'deskgate@example.com'],
    // The oldest message to `to` not yet returned; with `accept`, the oldest
    // such message it accepts (others stay for a later wait).
    async waitForMessage(to, timeoutMs = 15000, accept = () => true) {
      const deadline = Date.now() + timeoutMs;
      const open = (entry) => {
        const raw = fs.readFileSync(path.join(dir, entry.file), 'utf8');
        const split = raw.indexOf('\r\n\r\n');
        return { ...entry, raw, headers: raw.slice(0, split), body: raw.slice(split + 4) };
      };
      while (Date.now() < deadline) {
        for (const entry of read().filter((e) => !seen.has(e.file) && e.to.includes(to))) {
          const message = open(entry);
          if (!accept(message)) continue;
          seen.add(entry.file);
          return message;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no message for ${to} within ${timeoutMs} ms`);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Accepts a message that carries a one-time code (its subject says so), not a
// security notice sent to the same person.
export const isCodeMessage = (message) => /^Subject: Your (sign-in|confirmation) code$/m.test(message.headers);

// The 6-digit code in an emailed message's body.
export function codeFromMessage(message) {
  const match = message.body.match(/\b(\d{6})\b/);
  assert.ok(match, `no 6-digit code in: ${message.body}`);
  return match[1];
}
