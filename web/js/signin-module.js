// Loads the sign-in and security WebAssembly module (password checks, QR
// codes, MFA and settings rules) once per page, when a page first needs it.
// Every rule those pages show comes from it, so the browser and the server
// agree. (The asset and software lists load records-module.js instead.)
let modulePromise;

export function loadSignIn() {
  modulePromise ??= import('/wasm/deskgate-signin.js').then(({ default: create }) => create());
  return modulePromise;
}
