// Server CPU of checking an ID token at a single sign-on callback: parse the
// compact JWS, verify its RS256 signature (2048-bit key, as Entra and most
// providers use) and apply the claim rules (CheckIdToken). Peer in the same
// process: the Argon2id check behind every password sign-in
// (PasswordHasher::Verify). The network round trip to the token endpoint is
// not included; it depends on the provider.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "server/crypto/password_hasher.h"
#include "server/crypto/rsa_public_key.h"
#include "shared/core/base64url.h"
#include "shared/sso/id_token.h"
#include "shared/sso/jwt.h"

using namespace deskgate;
using Clock = std::chrono::steady_clock;

namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double Micros(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

std::string Param(const EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  EVP_PKEY_get_bn_param(key, name, &bn);
  std::string bytes(BN_num_bytes(bn), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(bn);
  return EncodeBase64Url(bytes);
}

std::string SignRs256(EVP_PKEY* key, const std::string& input) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key);
  size_t length = 0;
  EVP_DigestSign(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()),
                 input.size());
  std::string signature(length, '\0');
  EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                 reinterpret_cast<const unsigned char*>(input.data()), input.size());
  signature.resize(length);
  return signature;
}

}  // namespace

int main() {
  constexpr int kTokens = 2000;
  constexpr int kPasswords = 15;
  constexpr int64_t kNow = 1'800'000'000;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), &EVP_PKEY_free);
  auto jwk = crypto::RsaPublicKey::FromJwk(Param(key.get(), OSSL_PKEY_PARAM_RSA_N),
                                           Param(key.get(), OSSL_PKEY_PARAM_RSA_E));
  if (!jwk.ok()) return 1;
  const std::string input =
      EncodeBase64Url(R"({"alg":"RS256","kid":"k1","typ":"JWT"})") + "." +
      EncodeBase64Url(
          R"({"iss":"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",)"
          R"("aud":"6731de76-14a6-49ae-97bc-6eba6914391e","sub":"AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",)"
          R"("oid":"00000000-0000-0000-66f3-3332eca7ea81","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47",)"
          R"("nonce":"123523","exp":1800000300,"iat":1799999700,"nbf":1799999700,)"
          R"("name":"Abe Lincoln","email":"abeli@microsoft.com","xms_edov":true,)"
          R"("preferred_username":"abeli@microsoft.com","ver":"2.0"})");
  const std::string token = input + "." + EncodeBase64Url(SignRs256(key.get(), input));

  IdTokenRules rules;
  rules.issuer = "https://login.microsoftonline.com/{tenantid}/v2.0";
  rules.client_id = "6731de76-14a6-49ae-97bc-6eba6914391e";
  rules.nonce = "123523";
  rules.now = kNow;
  rules.entra = true;
  rules.allowed_tenants = {"72f988bf-86f1-41af-91ab-2d7cd011db47"};

  std::vector<double> checks;
  int accepted = 0;
  for (int i = 0; i < kTokens; ++i) {
    const auto start = Clock::now();
    auto jwt = ParseJwt(token);
    const bool signed_ok =
        jwt.ok() && jwk.value().VerifyRs256(jwt.value().signing_input, jwt.value().signature);
    const bool valid = signed_ok && CheckIdToken(jwt.value().claims, rules).ok();
    checks.push_back(Micros(start));
    accepted += valid ? 1 : 0;
  }

  crypto::PasswordHasher hasher(2);
  const std::string hash = hasher.Hash("plum orchard lantern 42").value();
  std::vector<double> passwords;
  for (int i = 0; i < kPasswords; ++i) {
    const auto start = Clock::now();
    hasher.Verify("plum orchard lantern 42", hash);
    passwords.push_back(Micros(start));
  }

  const double token_us = Median(checks), password_us = Median(passwords);
  std::printf(
      "ID token check (parse + RS256 verify + claim rules): median %.1f us over %d, %d accepted\n",
      token_us, kTokens, accepted);
  std::printf(
      "peer, Argon2id password check: median %.0f us over %d; it costs %.0fx a token check\n",
      password_us, kPasswords, password_us / token_us);
  return accepted == kTokens ? 0 : 1;
}
