// Headers every response carries.
//
// The Content-Security-Policy allows scripts, styles and fetches from this
// origin only, and 'wasm-unsafe-eval' so pages can compile the WebAssembly
// module; nothing inline, no eval, no framing.
#pragma once

#include <httplib.h>

namespace deskgate::http {

httplib::Headers SecurityHeaders();

}  // namespace deskgate::http
