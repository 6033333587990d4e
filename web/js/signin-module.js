// Loads the sign-in and security WebAssembly module (password checks, QR
// codes, MFA and settings rules) once per page, when a page first needs it.
// Every rule those pages show comes from it, so the browser and the server
// agree. (The asset and software lists load records-module.js instead.)
let modulePromise;
let loaded = null;

export function loadSignIn() {
  modulePromise ??= import('/wasm/deskgate-signin.js')
    .then(({ default: create }) => create())
    .then((module) => { loaded = module; return module; });
  return modulePromise;
}

// Whether `code` has the shape of a one-time code, answered at once for a
// submit handler: by the module once loaded (pages start loading it when a
// code step appears); before that the server judges the code alone.
export function looksLikeOneTimeCode(code) {
  return loaded ? loaded.isOneTimeCode(code) : true;
}
