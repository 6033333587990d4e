// QR encoding cost in Node: deskgate's WebAssembly encoder against the npm
// `qrcode` package (pure JS) on the same input in the same process.
import QRCode from 'qrcode';
import { loadDeskgate } from '../../tests/support/load-wasm.mjs';

const uri = 'otpauth://totp/RTX%20Support%20Portal:jane.doe%40example.com?secret=' +
  'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=RTX%20Support%20Portal&algorithm=SHA1&digits=6';
const payload = uri.slice(0, 150);
const dg = await loadDeskgate();

function medianMicros(call, runs = 15, calls = 200) {
  for (let i = 0; i < calls; i++) call();  // warm up the JIT
  const samples = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) call();
    samples.push(((performance.now() - start) * 1000) / calls);
  }
  samples.sort((a, b) => a - b);
  return samples[runs >> 1];
}

let sink = 0;
const ours = [], theirs = [];
for (let round = 0; round < 3; round++) {
  ours.push(medianMicros(() => { sink += dg.qrMatrix(payload, 'M').size; }));
  theirs.push(medianMicros(() => { sink += QRCode.create(payload, { errorCorrectionLevel: 'M' }).modules.size; }));
}
ours.sort((a, b) => a - b);
theirs.sort((a, b) => a - b);
const a = ours[1], b = theirs[1];
console.log(`QR encode wasm: deskgate ${a.toFixed(1)} us, npm qrcode ${b.toFixed(1)} us, ` +
  `ratio ${(a / b).toFixed(2)} (budget <= 0.3); versions ${dg.qrMatrix(payload, 'M').version} / ` +
  `${QRCode.create(payload, { errorCorrectionLevel: 'M' }).version}${sink ? '' : ' '}`);
