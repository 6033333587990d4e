// ID tokens from an identity provider: any compact JWT is refused, or its
// claims are checked against the rules without crashing; an accepted token
// names a subject and the configured issuer.
#include "shared/sso/id_token.h"
#include "shared/sso/jwt.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using deskgate::fuzz::Check;
  if (size == 0) return 0;
  auto jwt = deskgate::ParseJwt(deskgate::fuzz::Text(data + 1, size - 1));
  if (!jwt.ok()) return 0;
  deskgate::IdTokenRules rules;
  rules.issuer =
      data[0] & 1 ? "https://login.microsoftonline.com/{tenantid}/v2.0" : "https://idp.example.com";
  rules.entra = (data[0] & 1) != 0;
  rules.client_id = "deskgate-agent";
  rules.nonce = "n-0S6_WzA2Mj";
  rules.now = 1'800'000'000;
  if (data[0] & 2) rules.allowed_domains = {"example.com"};
  if (data[0] & 4) rules.allowed_tenants = {"72f988bf-86f1-41af-91ab-2d7cd011db47"};
  auto identity = deskgate::CheckIdToken(jwt.value().claims, rules);
  if (!identity.ok()) return 0;
  Check(!identity.value().subject.empty(), "an accepted token names someone");
  Check(!identity.value().issuer.empty(), "an accepted token names its issuer");
  return 0;
}
