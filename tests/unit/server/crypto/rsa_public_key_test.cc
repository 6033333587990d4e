// RS256 verification from a JSON Web Key (server/crypto/rsa_public_key.h),
// against signatures made here with OpenSSL.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <catch2/catch.hpp>
#include <memory>
#include <vector>

#include "server/crypto/rsa_public_key.h"
#include "shared/core/base64url.h"

using deskgate::EncodeBase64Url;
using deskgate::crypto::RsaPublicKey;

namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

Key Generate(unsigned bits) {
  return Key(EVP_RSA_gen(bits), &EVP_PKEY_free);
}

std::string Param(const EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  REQUIRE(EVP_PKEY_get_bn_param(key, name, &bn) == 1);
  std::string bytes(BN_num_bytes(bn), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(bn);
  return EncodeBase64Url(bytes);
}

std::string Sign(EVP_PKEY* key, const std::string& message) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  REQUIRE(EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1);
  size_t length = 0;
  REQUIRE(EVP_DigestSign(ctx.get(), nullptr, &length,
                         reinterpret_cast<const unsigned char*>(message.data()),
                         message.size()) == 1);
  std::string signature(length, '\0');
  REQUIRE(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                         reinterpret_cast<const unsigned char*>(message.data()),
                         message.size()) == 1);
  signature.resize(length);
  return signature;
}

}  // namespace

TEST_CASE("RS256 signatures verify with the signer's JWK and nothing else") {
  Key signer = Generate(2048), other = Generate(2048);
  auto key = RsaPublicKey::FromJwk(Param(signer.get(), OSSL_PKEY_PARAM_RSA_N),
                                   Param(signer.get(), OSSL_PKEY_PARAM_RSA_E));
  REQUIRE(key.ok());
  const std::string message = "header.payload";
  std::string signature = Sign(signer.get(), message);
  CHECK(key.value().VerifyRs256(message, signature));
  CHECK_FALSE(key.value().VerifyRs256("header.payloaD", signature));
  std::string flipped = signature;
  flipped[10] ^= 1;
  CHECK_FALSE(key.value().VerifyRs256(message, flipped));
  CHECK_FALSE(key.value().VerifyRs256(message, Sign(other.get(), message)));
  CHECK_FALSE(key.value().VerifyRs256(message, ""));
}

TEST_CASE("weak or malformed JWKs are refused") {
  Key small = Generate(1024);
  CHECK_FALSE(RsaPublicKey::FromJwk(Param(small.get(), OSSL_PKEY_PARAM_RSA_N),
                                    Param(small.get(), OSSL_PKEY_PARAM_RSA_E))
                  .ok());
  Key good = Generate(2048);
  const std::string n = Param(good.get(), OSSL_PKEY_PARAM_RSA_N);
  CHECK_FALSE(RsaPublicKey::FromJwk(n, "AQ").ok());  // e = 1
  CHECK_FALSE(RsaPublicKey::FromJwk(n, "Ag").ok());  // e = 2, even
  CHECK(RsaPublicKey::FromJwk(n, "Aw").ok());        // e = 3
  CHECK_FALSE(RsaPublicKey::FromJwk("not base64url!", "AQAB").ok());
  CHECK_FALSE(RsaPublicKey::FromJwk("", "AQAB").ok());
}
