// Launches Debian's Chromium through playwright-core (which never downloads
// a browser of its own).
import { chromium } from 'playwright-core';

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// Opens a page that records console errors and uncaught exceptions.
export async function openPage(browser, url) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(url);
  return { page, problems };
}

// Registers node:test hooks that start a real server and Chromium before the
// file's tests and stop both after; returns an object that holds them.
export async function useServerAndBrowser() {
  const { before, after } = await import('node:test');
  const { startServer } = await import('./server.mjs');
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
