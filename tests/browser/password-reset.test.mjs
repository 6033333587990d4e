// "Forgot your password?" in Chromium, with mail through a real SMTP
// server: from the sign-in page to the mailed link, a new password checked
// as it is typed, and a sign-in with it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage } from '../support/browser.mjs';
import { addUser, screenshot, startSmtpSink, unexpected, waitForHome } from '../support/mfa.mjs';
import { startServer } from '../support/server.mjs';

let sink;
let server;
let browser;

before(async () => {
  sink = await startSmtpSink();
  server = await startServer({ args: sink.args });
  browser = await launchBrowser();
  addUser(server, { portal: 'contact', email: 'carl@customer.example', name: 'Carl Contact' });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.stop();
});

test('a contact resets a forgotten password from the sign-in page', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, problems } = await openPage(context, `${server.url}/login/contact.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('input[name="email"]', 'carl@customer.example');
  await page.click('#forgot-password');
  await page.waitForURL(/\/reset-password\.html\?portal=contact/);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.inputValue('#request-form input[name="email"]'), 'carl@customer.example');
  await page.click('#request-send');
  await page.waitForSelector('#request-sent:not([hidden])');
  assert.match(await page.textContent('#request-sent'), /If an account uses this address/);
  await screenshot(page, 'reset-request', { mobile: true });

  const message = await sink.waitForMessage('carl@customer.example');
  const link = message.body.match(/(https?:\/\/\S+\/reset-password\.html#token=[\w-]+)/)[1];
  await page.goto(link);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.inputValue('#choose-form input[name="email"]'), 'carl@customer.example');
  assert.doesNotMatch(page.url(), /token=/);
  await page.fill('#choose-form input[name="password"]', 'carl');
  await page.waitForSelector('#checklist .rule-fail');
  await screenshot(page, 'reset-choose');
  await page.fill('#choose-form input[name="password"]', 'copper meadow violin 58');
  await page.click('#choose-save');
  await page.waitForSelector('#done:not([hidden])');
  await page.click('#done a');
  await page.waitForURL(/\/login\/contact\.html/);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.inputValue('input[name="email"]'), 'carl@customer.example');
  await page.fill('input[name="password"]', 'copper meadow violin 58');
  await page.click('#login-form button[type="submit"]');
  await waitForHome(page);

  // The used link explains itself and offers a new one.
  await page.goto(link);
  await page.waitForSelector('#link-error:not([hidden])');
  assert.match(await page.textContent('#link-error'), /invalid, expired or already used/);
  assert.deepEqual(unexpected(problems), []);
  await context.close();
});
