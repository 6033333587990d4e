// The session as people see it on every signed-in page, in Chromium: the
// top bar (areas, portal, who, Sign out), a warning a minute before the
// inactivity timeout with "Stay signed in", and a session ended elsewhere
// or by the timeout landing on sign-in with a sentence saying why.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, openPage } from '../support/browser.mjs';
import { addUser, apiLogin, screenshot, submitPassword, unexpected, waitForHome } from '../support/mfa.mjs';
import { startServer } from '../support/server.mjs';

const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskgate-clock-'));
const clockFile = path.join(clockDir, 'offset');
fs.writeFileSync(clockFile, '0');
let server;
let browser;

before(async () => {
  server = await startServer({ args: ['--clock-file', clockFile] });
  browser = await launchBrowser();
  addUser(server, { email: 'ada@example.com', name: 'Ada Admin', role: 'Administrator' });
  addUser(server, { email: 'sam@example.com', name: 'Sam Agent', role: 'Agent' });
  addUser(server, { portal: 'contact', email: 'carol@customer.example', name: 'Carol' });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(clockDir, { recursive: true, force: true });
});

async function signedIn(email, portal = 'agent') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const opened = await openPage(context, `${server.url}/login/${portal}.html`);
  await submitPassword(opened.page, server, portal, email);
  await waitForHome(opened.page);
  return { context, ...opened };
}

test('one top bar: the areas a person may use, their portal, who they are, Sign out', async () => {
  const ada = await signedIn('ada@example.com');
  await ada.page.goto(`${server.url}/admin/roles.html`);
  await ada.page.waitForSelector('body[data-ready="true"]');
  const areas = await ada.page.$$eval('.topbar-areas a', (as) => as.map((a) => a.textContent));
  assert.deepEqual(areas, ['Home', 'Assets', 'Software', 'People', 'Settings', 'Audit log', 'Your account']);
  assert.equal(await ada.page.textContent('.topbar-areas a[aria-current="page"]'), 'People');
  assert.equal(await ada.page.textContent('.subnav-links a[aria-current="page"]'), 'Roles');
  assert.equal(await ada.page.textContent('.topbar-portal'), 'Agent portal');
  assert.equal(await ada.page.textContent('#who'), 'ada@example.com');
  await ada.page.click('.topbar-areas >> text=Settings');
  await ada.page.waitForSelector('body[data-ready="true"] #links');
  const settings = await ada.page.$$eval('#links li:not([hidden]) strong', (s) => s.map((x) => x.textContent));
  assert.deepEqual(settings, ['Agent Authentication', 'Contact Authentication', 'Mail server', 'Outbox', 'MFA recovery']);
  await screenshot(ada.page, 'settings-index', { mobile: true });

  // A plain agent sees the lists and their account; a contact only Home and theirs.
  const sam = await signedIn('sam@example.com');
  assert.deepEqual(await sam.page.$$eval('.topbar-areas a', (as) => as.map((a) => a.textContent)),
    ['Home', 'Assets', 'Software', 'Your account']);
  // Home groups its cards by area, and shows no empty area.
  assert.deepEqual(await sam.page.$$eval('.home-area:not([hidden]) h2', (h) => h.map((x) => x.textContent)),
    ['Inventory', 'Your account']);
  const carol = await signedIn('carol@customer.example', 'contact');
  assert.deepEqual(await carol.page.$$eval('.topbar-areas a', (as) => as.map((a) => a.textContent)),
    ['Home', 'Your account']);
  assert.equal(await carol.page.textContent('.topbar-portal'), 'Customer portal');
  await screenshot(sam.page, 'home-areas', { mobile: true });
  for (const who of [ada, sam, carol]) {
    assert.deepEqual(unexpected(who.problems), []);
    await who.context.close();
  }
});

test('a warning a minute before the inactivity timeout; Stay signed in keeps the session', async () => {
  const sam = await signedIn('sam@example.com');
  const { page } = sam;
  await page.goto(`${server.url}/account/sessions.html`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.isVisible('#session-warning'), false);
  // 30 minutes idle by default: 28¾ minutes pass with the page left alone
  // (a reload would count as activity). The page learns of the jump at its
  // next look (within 30 seconds), then warns when a minute is left.
  fs.writeFileSync(clockFile, String(28 * 60 + 45));
  await page.waitForSelector('#session-warning:not([hidden])', { timeout: 45000 });
  assert.match(await page.textContent('#session-warning-text'), /You will be signed out in \d+ seconds/);
  await screenshot(page, 'session-warning');
  await page.click('#stay-signed-in');
  await page.waitForSelector('#session-warning', { state: 'hidden' });
  const deadlines = await page.evaluate(async () => (await fetch('/api/session')).json());
  assert.ok(deadlines.idle_ends_at - deadlines.now > 29 * 60, JSON.stringify(deadlines));

  // Then nothing for 31 minutes: the timeout, said in words on the sign-in page.
  fs.writeFileSync(clockFile, String(28 * 60 + 45 + 32 * 60));
  await page.waitForURL(/\/login\/agent\.html$/, { timeout: 45000 });
  await page.waitForSelector('body[data-ready="true"] #signed-out-reason:not([hidden])');
  assert.match(await page.textContent('#signed-out-reason'), /signed out because nothing happened for a while/);
  fs.writeFileSync(clockFile, '0');
  await sam.context.close();
});

test('a session ended by an administrator lands on sign-in with the reason; the email field has focus', async () => {
  fs.writeFileSync(clockFile, '0');
  const sam = await signedIn('sam@example.com');
  const { page } = sam;
  await page.goto(`${server.url}/assets.html`);
  await page.waitForSelector('body[data-ready="true"]');
  const { client: admin } = await apiLogin(server, 'agent', 'ada@example.com');
  const id = (await admin.call('GET', '/api/people?portal=agent&q=sam@example.com')).body.rows[0].id;
  assert.equal((await admin.call('PATCH', `/api/people/${id}`, { active: false })).status, 200);
  // The page notices by itself (it looks every 30 seconds) and says so.
  await page.waitForSelector('#session-warning:not([hidden])', { timeout: 45000 });
  assert.match(await page.textContent('#session-warning-text'), /Your session has ended/);
  await page.click('#stay-signed-in');
  await page.waitForURL(/\/login\/agent\.html$/);
  await page.waitForSelector('body[data-ready="true"] #signed-out-reason:not([hidden])');
  assert.match(await page.textContent('#signed-out-reason'), /an administrator ended it/);
  assert.equal(await page.evaluate(() => document.activeElement?.name), 'email');
  await screenshot(page, 'signed-out-reason');
  assert.equal((await admin.call('PATCH', `/api/people/${id}`, { active: true })).status, 200);

  // Signing out yourself says nothing of the kind.
  const again = await signedIn('sam@example.com');
  await again.page.click('#sign-out');
  await again.page.waitForURL(/\/login\/agent\.html$/);
  await again.page.waitForSelector('body[data-ready="true"]');
  assert.equal(await again.page.isVisible('#signed-out-reason'), false);
  await sam.context.close();
  await again.context.close();
});
