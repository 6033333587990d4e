// The Debian package in a clean Debian 12 root: built by tools/package,
// installed with dpkg into a bookworm root made by mmdebstrap (a chroot),
// started the way its systemd unit starts it, reached over HTTP, purged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/paths.mjs';

const run = (cmd, args, opts = {}) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });

// The package's Depends, so the cached root already holds them and the
// install needs no network.
function dependsOf(deb) {
  const field = run('dpkg-deb', ['--field', deb, 'Depends']).trim();
  return field.split(',').map((d) => d.trim().split(' ')[0]).filter(Boolean);
}

// A bookworm root with the dependencies, cached in build/package (made
// again when the dependencies change).
function cleanRoot(deb) {
  const cacheDir = path.join(ROOT, 'build/package');
  const tarball = path.join(cacheDir, 'bookworm-root.tar');
  const stamp = tarball + '.depends';
  const depends = dependsOf(deb).join(',');
  if (!fs.existsSync(tarball) || fs.readFileSync(stamp, 'utf8') !== depends) {
    run('mmdebstrap', ['--variant=apt', '--quiet', `--include=${depends}`, 'bookworm', tarball]);
    fs.writeFileSync(stamp, depends);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'deskgate-root-'));
  run('tar', ['-xf', tarball, '-C', root]);
  return root;
}

function freePort() {
  return 20000 + Math.floor(Math.random() * 20000);
}

async function waitFor(url, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      return res;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not answer in ${seconds} s`);
}

test('the .deb installs into a clean Debian 12 root, serves, and purges', async () => {
  const deb = run(path.join(ROOT, 'tools/package'), [], { cwd: ROOT }).trim().split('\n').pop();
  assert.match(path.basename(deb), /^deskgate_\d+\.\d+\.\d+_amd64\.deb$/);
  const listing = run('dpkg-deb', ['--contents', deb]);
  for (const file of ['./usr/bin/deskgate', './etc/deskgate/deskgate.toml',
    './lib/systemd/system/deskgate.service', './usr/share/deskgate/web/index.html',
    './usr/share/doc/deskgate/operations.md']) {
    assert.ok(listing.includes(file), `${file} is in the package`);
  }
  assert.match(listing, /\.\/usr\/share\/deskgate\/wasm\/\S+\.wasm/);
  const unit = fs.readFileSync(path.join(ROOT, 'packaging/deskgate.service'), 'utf8');
  for (const line of ['User=deskgate', 'ProtectSystem=strict', 'NoNewPrivileges=yes',
    'StateDirectory=deskgate', 'PrivateTmp=yes', 'CapabilityBoundingSet=']) {
    assert.ok(unit.includes(`\n${line}\n`), `the unit has ${line}`);
  }

  const root = cleanRoot(deb);
  let server;
  try {
    assert.ok(!fs.existsSync(path.join(root, 'usr/bin/deskgate')));
    fs.copyFileSync(deb, path.join(root, 'tmp/deskgate.deb'));
    // Offline: every dependency is in the root already (dpkg would refuse
    // the package if one were missing).
    run('chroot', [root, 'dpkg', '--install', '/tmp/deskgate.deb']);
    assert.ok(fs.existsSync(path.join(root, 'usr/bin/deskgate')));
    assert.match(run('chroot', [root, 'getent', 'passwd', 'deskgate']), /^deskgate:/);
    const config = fs.statSync(path.join(root, 'etc/deskgate/deskgate.toml'));
    assert.equal(config.mode & 0o777, 0o640);
    assert.match(run('chroot', [root, 'deskgate', 'config', 'check', '/etc/deskgate/deskgate.toml']), /OK/);

    // What systemd does for the unit: the state folder, then ExecStartPre
    // and ExecStart as the deskgate user (the port moved off 8080).
    run('chroot', [root, 'install', '-d', '-m', '0700', '-o', 'deskgate', '-g', 'deskgate', '/var/lib/deskgate']);
    const port = freePort();
    run('chroot', ['--userspec=deskgate:deskgate', root, 'deskgate', 'config', 'check', '/etc/deskgate/deskgate.toml']);
    server = spawn('chroot', ['--userspec=deskgate:deskgate', root, 'env', 'HOME=/var/lib/deskgate',
      `DESKGATE_PORT=${port}`, 'deskgate', 'serve', '--config', '/etc/deskgate/deskgate.toml'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout.on('data', (d) => { output += d; });
    server.stderr.on('data', (d) => { output += d; });
    const health = await waitFor(`http://127.0.0.1:${port}/healthz`, 20);
    assert.equal(health.status, 200, output);
    assert.equal((await health.json()).status, 'ok');
    assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    // The database and its key, in the state folder, the service user's only.
    const key = fs.statSync(path.join(root, 'var/lib/deskgate/master.key'));
    assert.equal(key.mode & 0o077, 0);
    assert.match(output, /setup\.html#token=/);
    // The access log goes to the journal (stdout) as JSON lines.
    assert.match(output, /"route":"\/healthz","status":200/);
    server.kill('SIGTERM');
    const code = await new Promise((r) => server.on('exit', r));
    assert.equal(code, 0, output);
    server = null;

    run('chroot', [root, 'dpkg', '--purge', 'deskgate']);
    assert.ok(!fs.existsSync(path.join(root, 'usr/bin/deskgate')));
    assert.ok(!fs.existsSync(path.join(root, 'etc/deskgate/deskgate.toml')));
    assert.throws(() => run('chroot', [root, 'getent', 'passwd', 'deskgate']));
    // Purging never deletes the data.
    assert.ok(fs.existsSync(path.join(root, 'var/lib/deskgate/deskgate.db')));
  } finally {
    if (server) server.kill('SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
  }
});
