// Loads the records WebAssembly module (record changes and the list state of
// the asset and software pages) once per page, when a page first needs it.
let modulePromise;

export function loadRecords() {
  modulePromise ??= import('/wasm/deskgate-records.js').then(({ default: create }) => create());
  return modulePromise;
}
