// Step-up in Chromium: someone with the MFA recovery permission, signed in
// a while ago, asks to see an agent's recovery codes; the page asks them to
// confirm it is them (password and a code from their app) in a dialog, and
// only then shows the codes. A wrong password is said so; Cancel changes
// nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../support/browser.mjs';
import {
  PASSWORD, addRole, addUser, apiClient, apiLogin, contextWithSession, enrollTotp, screenshot, setMfa, totpCode,
  unexpected,
} from '../support/mfa.mjs';
import { startServer } from '../support/server.mjs';

const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskgate-clock-'));
const clockFile = path.join(clockDir, 'offset');
fs.writeFileSync(clockFile, '0');
let server;
let browser;

before(async () => {
  server = await startServer({ args: ['--clock-file', clockFile] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(clockDir, { recursive: true, force: true });
});

test('recovery codes after six minutes: the page asks for the password and the app, then shows them', async () => {
  addRole(server, 'Security desk', ['manage_agent_mfa']);
  addUser(server, { email: 'admin@example.com', name: 'Ada Admin', role: 'Administrator' });
  addUser(server, { email: 'helen@example.com', name: 'Helen Desk', role: 'Security desk' });
  addUser(server, { email: 'rob@example.com', name: 'Rob Agent', role: 'Agent' });
  const admin = (await apiLogin(server, 'agent', 'admin@example.com')).client;
  await setMfa(admin, 'agent', { authenticator_app: true, enforcement: 'next_login' });
  const enroll = async (email) => {
    const client = apiClient(server);
    const login = await client.call('POST', '/api/agent/login', { email, password: PASSWORD });
    assert.equal(login.body.status, 'mfa_setup_required');
    return { client, ...(await enrollTotp(client, 'agent')) };
  };
  const helen = await enroll('helen@example.com');
  const rob = await enroll('rob@example.com');

  const context = await contextWithSession(browser, server, helen.client);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  await page.goto(`${server.url}/admin/mfa.html`);
  await page.waitForSelector('body[data-ready="true"] #content:not([hidden])');
  await page.fill('#lookup-form input[name="email"]', 'rob@example.com');
  await page.click('#lookup-form button[type="submit"]');
  await page.waitForSelector('#person:not([hidden])');

  // Six minutes later the session alone no longer opens the codes.
  fs.writeFileSync(clockFile, String(6 * 60));
  await page.click('#view-codes');
  await page.waitForSelector('#step-up-dialog[open]');
  assert.match(await page.textContent('#step-up-title'), /Confirm it’s you/);
  assert.equal(await page.isVisible('#step-up-code-field'), true, 'her sign-in asks for the app');
  await screenshot(page, 'step-up-dialog');
  await screenshot(page, 'step-up-dialog', { mobile: true });

  // Cancel: nothing shown, and the page says so.
  await page.click('#step-up-cancel');
  await page.waitForSelector('#person-status:not([hidden])');
  assert.match(await page.textContent('#person-status'), /Cancelled/);
  assert.equal(await page.locator('.codes-panel').count(), 0);

  await page.click('#view-codes');
  await page.waitForSelector('#step-up-dialog[open]');
  await page.fill('#step-up-password', 'not her password at all');
  await page.fill('#step-up-code', totpCode(helen.secret, 12));
  await page.click('#step-up-confirm');
  await page.waitForSelector('#step-up-error:not([hidden])');
  assert.match(await page.textContent('#step-up-error'), /password is incorrect/);

  await page.fill('#step-up-password', PASSWORD);
  await page.fill('#step-up-code', totpCode(helen.secret, 12));
  await page.click('#step-up-confirm');
  await page.waitForSelector('.codes-panel');
  assert.equal(await page.isVisible('#step-up-dialog'), false);
  const shown = await page.locator('.codes-panel code, .codes-panel li').allTextContents();
  assert.ok(rob.codes.every((c) => shown.join(' ').includes(c)), 'Rob\'s unused codes are shown');
  // Within the five minutes, the next dangerous action asks nothing more.
  await page.click('#new-codes');
  await page.click('#confirm-dialog [data-action="confirm"]');
  await page.waitForSelector('#person-status.notice-ok');
  assert.equal(await page.isVisible('#step-up-dialog'), false);
  assert.deepEqual(unexpected(problems).filter((p) => !/status of 403/.test(p)), []);
  await context.close();
});
