// Loads the deskgate WebAssembly module once per page. Every rule a page
// shows comes from this module, so the browser and the server agree.
import createDeskgate from '/wasm/deskgate.js';

let modulePromise;

export function loadDeskgate() {
  modulePromise ??= createDeskgate();
  return modulePromise;
}
