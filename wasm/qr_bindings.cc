// Embind bindings for the QR encoder. A separate file so that tools/bench
// can build the module without it and report what the encoder adds.
#include <emscripten/bind.h>

#include <string>

#include "shared/qr/qr_code.h"
#include "shared/qr/qr_render.h"
#include "wasm/error_json.h"

namespace {

using deskgate::ErrorJson;

// SVG text, or {"error": …} (api.js tells them apart by the first character).
std::string QrSvg(const std::string& text, const std::string& ecl, const std::string& title) {
  auto ecc = deskgate::ParseQrEcc(ecl);
  if (!ecc.ok()) return ErrorJson(ecc.error());
  auto code = deskgate::QrCode::Encode(text, ecc.value());
  if (!code.ok()) return ErrorJson(code.error());
  return deskgate::QrToSvg(code.value(), title);
}

// {version, size, mask, modules: Uint8Array (row-major, 1 = dark)} or {error}.
emscripten::val QrMatrix(const std::string& text, const std::string& ecl) {
  emscripten::val out = emscripten::val::object();
  auto ecc = deskgate::ParseQrEcc(ecl);
  if (!ecc.ok()) {
    out.set("error", ecc.error());
    return out;
  }
  auto code = deskgate::QrCode::Encode(text, ecc.value());
  if (!code.ok()) {
    out.set("error", code.error());
    return out;
  }
  const auto& modules = code.value().modules();
  out.set("version", code.value().version());
  out.set("size", code.value().size());
  out.set("mask", code.value().mask());
  // slice() copies out of the module's memory before `code` is freed.
  out.set("modules", emscripten::val(emscripten::typed_memory_view(modules.size(), modules.data()))
                         .call<emscripten::val>("slice"));
  return out;
}

// The version a payload needs, or -1 when it does not fit.
int QrVersion(const std::string& text, const std::string& ecl) {
  auto ecc = deskgate::ParseQrEcc(ecl);
  if (!ecc.ok()) return -1;
  auto version = deskgate::QrMinimumVersion(text, ecc.value());
  return version.ok() ? version.value() : -1;
}

}  // namespace

EMSCRIPTEN_BINDINGS(deskgate_qr) {
  emscripten::function("qrVersion", &QrVersion);
  emscripten::function("_qrSvg", &QrSvg);
  emscripten::function("_qrMatrix", &QrMatrix);
}
