// A QR code drawn by the WebAssembly module in Chromium, photographed
// (screenshot) and read back by a real decoder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, useServerAndBrowser } from '../support/browser.mjs';
import { ROOT } from '../support/paths.mjs';

const env = await useServerAndBrowser();

const URI = 'otpauth://totp/RTX%20%E2%80%93%20Support%20Portal:jane.doe%40example.com' +
  '?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=RTX%20%E2%80%93%20Support%20Portal' +
  '&algorithm=SHA1&digits=6&period=30';

test('an SVG from qrSvg, screenshotted in Chromium, decodes to its payload', async () => {
  const { page, problems } = await openPage(env.browser, `${env.server.url}/password-policy.html`);
  await page.waitForSelector('body[data-ready="true"]');
  // Draw through the page's own module loader, under the page's CSP.
  await page.evaluate(async (text) => {
    const { loadSignIn } = await import('/js/signin-module.js');
    const dg = await loadSignIn();
    const figure = document.createElement('figure');
    figure.id = 'qr';
    figure.style.cssText = 'width:330px;margin:0;background:#fff';
    figure.innerHTML = dg.qrSvg(text, 'M', 'Authenticator setup code');
    document.body.replaceChildren(figure);
  }, URI);
  const svg = await page.$('#qr svg');
  assert.equal(await svg.getAttribute('shape-rendering'), 'crispEdges');
  assert.equal(await page.textContent('#qr svg title'), 'Authenticator setup code');

  const out = path.join(ROOT, 'build/screenshots');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, 'qr-svg.png');
  await (await page.$('#qr')).screenshot({ path: file });
  const decoded = execFileSync('zbarimg', ['--raw', '-q', '-Sbinary', file], { stdio: ['ignore', 'pipe', 'ignore'] });
  assert.equal(decoded.toString('utf8'), URI);
  assert.deepEqual(problems, []);
  await page.close();
});
