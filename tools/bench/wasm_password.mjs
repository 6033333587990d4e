// checkPassword cost in the WebAssembly build, in Node: the median over
// repeated runs of the same inputs as tools/bench/password_bench.cc.
import { loadDeskgate } from '../../tests/support/load-wasm.mjs';

const RUNS = 15;
const CALLS = 20000;
const policy = { min_length: 12, require_uppercase: true, require_digit: true };
const context = { email: 'jane.doe@example.com', name: 'Jane Doe' };
const passwords = ['correct horse battery', 'Tr0ub4dor&3', 'sunshine', 'Jane-Doe-2024!',
  '日本語のパスワードです'];

const dg = await loadDeskgate();
let sink = 0;

function measure(label, policyFor) {
  for (let i = 0; i < 2000; i++) sink += dg.checkPassword(policyFor(i), passwords[i % 5], context).length;
  const perCall = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    for (let i = 0; i < CALLS; i++) {
      sink += dg.checkPassword(policyFor(i), passwords[i % 5], context).length;
    }
    perCall.push(((performance.now() - start) * 1000) / CALLS);
  }
  perCall.sort((a, b) => a - b);
  console.log(`checkPassword wasm, ${label}: median ${perCall[RUNS >> 1].toFixed(2)} us/call ` +
    `(${RUNS} runs x ${CALLS} calls, min ${perCall[0].toFixed(2)}, max ${perCall.at(-1).toFixed(2)}; budget 20 us)`);
}

// Typing: the policy and context stay the same from call to call.
measure('typing (same policy)', () => policy);
// Worst case: a different policy on every call, so nothing parsed is reused.
const other = { ...policy, min_length: 13 };
measure('policy changing every call', (i) => (i & 1 ? policy : other));
if (sink === 0) console.log('');  // keeps the results observable
