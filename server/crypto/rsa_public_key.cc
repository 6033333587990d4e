#include "server/crypto/rsa_public_key.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "shared/core/base64url.h"

namespace deskgate::crypto {
namespace {

constexpr int kMinBits = 2048;
constexpr int kMaxBits = 8192;

struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
using Bignum = std::unique_ptr<BIGNUM, BnFree>;

Bignum ToBignum(const std::string& bytes) {
  return Bignum(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()), nullptr));
}

}  // namespace

void RsaPublicKey::Free::operator()(EVP_PKEY* key) const {
  EVP_PKEY_free(key);
}

Result<RsaPublicKey> RsaPublicKey::FromJwk(std::string_view n_base64url,
                                           std::string_view e_base64url) {
  const auto n_bytes = DecodeBase64Url(n_base64url);
  const auto e_bytes = DecodeBase64Url(e_base64url);
  if (!n_bytes || !e_bytes || n_bytes->empty() || e_bytes->empty() || e_bytes->size() > 8) {
    return Status::Error("the key's n or e is not valid base64url");
  }
  Bignum n = ToBignum(*n_bytes), e = ToBignum(*e_bytes);
  if (!n || !e) return Status::Error("out of memory reading a key");
  if (BN_num_bits(n.get()) < kMinBits || BN_num_bits(n.get()) > kMaxBits) {
    return Status::Error("RSA keys must have 2048 to 8192 bits");
  }
  if (!BN_is_odd(e.get()) || BN_is_one(e.get()))
    return Status::Error("the RSA exponent is invalid");

  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(OSSL_PARAM_BLD_new(),
                                                                        &OSSL_PARAM_BLD_free);
  if (!build || !OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
      !OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e.get())) {
    return Status::Error("cannot build the RSA key");
  }
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(
      OSSL_PARAM_BLD_to_param(build.get()), &OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr), &EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
    return Status::Error("cannot build the RSA key");
  }
  return RsaPublicKey(key);
}

bool RsaPublicKey::VerifyRs256(std::string_view message, std::string_view signature) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) <= 0) {
    return false;
  }
  // RSA_PKCS1_PADDING is the default for RSA keys: RS256 exactly.
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

}  // namespace deskgate::crypto
