// RsaPublicKey: an identity provider's RSA signing key, from its JSON Web
// Key (RFC 7517/7518: base64url modulus "n" and exponent "e"), and RS256
// (RSASSA-PKCS1-v1_5 with SHA-256) verification with OpenSSL's libcrypto.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "shared/core/status.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace deskgate::crypto {

class RsaPublicKey {
 public:
  // Keys under 2048 bits are refused (NIST SP 800-131A).
  static Result<RsaPublicKey> FromJwk(std::string_view n_base64url, std::string_view e_base64url);

  // True when `signature` is this key's RS256 signature of `message`.
  bool VerifyRs256(std::string_view message, std::string_view signature) const;

 private:
  struct Free {
    void operator()(EVP_PKEY* key) const;
  };
  explicit RsaPublicKey(EVP_PKEY* key) : key_(key, Free()) {}
  std::shared_ptr<EVP_PKEY> key_;  // shared: keys are read-only and copied into caches
};

}  // namespace deskgate::crypto
