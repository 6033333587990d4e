// Keys from a provider's JWKS document: any "n" and "e" are refused or give
// a key whose signature check runs on any message and signature.
#include "server/crypto/rsa_public_key.h"
#include "shared/core/json_value.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto doc = deskgate::ParseJson(deskgate::fuzz::Text(data, size));
  if (!doc.ok()) return 0;
  const deskgate::JsonValue* keys = doc.value().Find("keys");
  if (keys == nullptr) return 0;
  for (const deskgate::JsonValue& jwk : keys->items()) {
    const deskgate::JsonValue* n = jwk.Find("n");
    const deskgate::JsonValue* e = jwk.Find("e");
    if (n == nullptr || e == nullptr || !n->is_string() || !e->is_string()) continue;
    auto key = deskgate::crypto::RsaPublicKey::FromJwk(n->as_string(), e->as_string());
    if (!key.ok()) continue;
    const deskgate::JsonValue* sig = jwk.Find("sig");
    (void)key.value().VerifyRs256(
        "header.payload", sig && sig->is_string() ? sig->as_string() : std::string(256, 'x'));
  }
  return 0;
}
