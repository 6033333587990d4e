// Child processes that tests start (deskgate servers, the SMTP sink) are
// tracked here so that none outlives its test file: whatever a failed hook
// or a forgotten stop() left running is killed when the file's process
// exits (tools/test runs files with --test-force-exit, so it does exit).
const running = new Set();

process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

// Tracks `child` until it exits; answers it.
export function track(child) {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}
