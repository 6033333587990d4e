// ID token rules (shared/jwt.h, shared/id_token.h) and the base64url they rest on.
#include <catch2/catch.hpp>

#include "shared/core/base64url.h"
#include "shared/core/url_encoding.h"
#include "shared/sso/id_token.h"
#include "shared/sso/jwt.h"

using namespace deskgate;

namespace {

constexpr int64_t kNow = 1'800'000'000;
const std::string kTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

JsonValue Claims(const std::string& json) {
  auto parsed = ParseJson(json);
  REQUIRE(parsed.ok());
  return parsed.value();
}

// A token as a standard provider issues it, with `extra` members appended.
std::string ClaimsJson(const std::string& extra = "") {
  return R"({"iss":"https://id.example","aud":"client-1","sub":"user-7","nonce":"n-123",)"
         R"("exp":1800000300,"iat":1799999700,"email":"Ada@Example.com","email_verified":true,)"
         R"("name":"Ada")" +
         extra + "}";
}

IdTokenRules Rules() {
  IdTokenRules r;
  r.issuer = "https://id.example";
  r.client_id = "client-1";
  r.nonce = "n-123";
  r.now = kNow;
  return r;
}

std::string Reason(const Result<ProviderIdentity>& r) {
  REQUIRE_FALSE(r.ok());
  return r.error().substr(0, r.error().find(':'));
}

}  // namespace

TEST_CASE("base64url round-trips and refuses padding, foreign characters and loose tails") {
  for (std::string bytes : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\x00\xfe"}) {
    auto back = DecodeBase64Url(EncodeBase64Url(bytes));
    REQUIRE(back);
    CHECK(*back == bytes);
  }
  CHECK(EncodeBase64Url("\xfb\xff") == "-_8");
  CHECK_FALSE(DecodeBase64Url("Zm9v="));
  CHECK_FALSE(DecodeBase64Url("Zm+v"));
  CHECK_FALSE(DecodeBase64Url("Zm9 v"));
  CHECK_FALSE(DecodeBase64Url("Zm9vY"));  // a length no byte count has
  CHECK_FALSE(DecodeBase64Url("Zh"));     // "f" is "Zg"; "Zh" has stray low bits
}

TEST_CASE("percent-encoding keeps unreserved characters only") {
  CHECK(PercentEncode("a-b_c.d~e") == "a-b_c.d~e");
  CHECK(PercentEncode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9");
  CHECK(AppendQuery("https://x/auth", {{"a", "1"}, {"b", "x y"}}) == "https://x/auth?a=1&b=x%20y");
  CHECK(AppendQuery("https://x/auth?p=1", {{"a", "1"}}) == "https://x/auth?p=1&a=1");
}

TEST_CASE("a compact JWS splits into header, claims and signature") {
  const std::string header = EncodeBase64Url(R"({"alg":"RS256","kid":"k1"})");
  const std::string payload = EncodeBase64Url(R"({"sub":"x"})");
  auto jwt = ParseJwt(header + "." + payload + "." + EncodeBase64Url("sig"));
  REQUIRE(jwt.ok());
  CHECK(jwt.value().alg == "RS256");
  CHECK(jwt.value().kid == "k1");
  CHECK(jwt.value().signing_input == header + "." + payload);
  CHECK(jwt.value().signature == "sig");
  CHECK(jwt.value().claims.Find("sub")->as_string() == "x");

  CHECK_FALSE(ParseJwt(header + "." + payload).ok());
  CHECK_FALSE(ParseJwt(header + "." + payload + ".c.d.e").ok());  // encrypted form
  CHECK_FALSE(ParseJwt(EncodeBase64Url("[]") + "." + payload + ".c2ln").ok());
  CHECK_FALSE(ParseJwt(EncodeBase64Url(R"({"kid":"k"})") + "." + payload + ".c2ln").ok());
  CHECK_FALSE(ParseJwt(header + ".not json." + "c2ln").ok());
  CHECK_FALSE(ParseJwt(std::string(kMaxJwtBytes + 1, 'a')).ok());
}

TEST_CASE("a valid ID token yields the identity") {
  auto identity = CheckIdToken(Claims(ClaimsJson()), Rules());
  REQUIRE(identity.ok());
  CHECK(identity.value().issuer == "https://id.example");
  CHECK(identity.value().subject == "user-7");
  CHECK(identity.value().email == "ada@example.com");
  CHECK(identity.value().email_verified);
  CHECK(identity.value().name == "Ada");
}

TEST_CASE("ID token claims are refused for the right reason") {
  const IdTokenRules rules = Rules();
  CHECK(Reason(CheckIdToken(Claims(R"({"iss":"https://evil.example"})"), rules)) == "issuer");
  auto with = [&](const std::string& field, const std::string& value) {
    std::string json = ClaimsJson();
    const size_t at = json.find("\"" + field + "\":");
    const size_t end = json.find_first_of(",}", at);
    json.replace(at, end - at, "\"" + field + "\":" + value);
    return CheckIdToken(Claims(json), rules);
  };
  CHECK(Reason(with("aud", R"("client-2")")) == "audience");
  CHECK(Reason(with("aud", R"(["client-2","client-3"])")) == "audience");
  // Several audiences: the authorized party must be us.
  CHECK(Reason(with("aud", R"(["client-1","client-3"])")) == "audience");
  CHECK(with("aud", R"(["client-1"])").ok());
  CHECK(Reason(with("exp", std::to_string(kNow - 121))) == "expired");
  CHECK(with("exp", std::to_string(kNow - 119)).ok());  // within the clock skew
  CHECK(Reason(with("iat", std::to_string(kNow + 500))) == "expired");
  CHECK(Reason(with("exp", R"("soon")")) == "claims");
  CHECK(Reason(with("nonce", R"("n-999")")) == "nonce");
  CHECK(Reason(with("sub", R"("")")) == "claims");
  CHECK(Reason(CheckIdToken(Claims(ClaimsJson(R"(,"nbf":1800000500)")), rules)) == "expired");
  CHECK(Reason(CheckIdToken(Claims(ClaimsJson(R"(,"azp":"client-9")")), rules)) == "audience");

  IdTokenRules no_nonce = rules;
  no_nonce.nonce = "";
  CHECK(Reason(CheckIdToken(Claims(ClaimsJson()), no_nonce)) == "nonce");
}

TEST_CASE("an unverified email is kept but not verified, and fails a domain rule") {
  auto identity = CheckIdToken(Claims(ClaimsJson(R"(,"xms":1)")), Rules());
  REQUIRE(identity.ok());
  std::string json = ClaimsJson();
  json.replace(json.find("\"email_verified\":true"), 21, "\"email_verified\":false");
  auto unverified = CheckIdToken(Claims(json), Rules());
  REQUIRE(unverified.ok());
  CHECK_FALSE(unverified.value().email_verified);

  IdTokenRules domains = Rules();
  domains.allowed_domains = {"example.com"};
  CHECK(CheckIdToken(Claims(ClaimsJson()), domains).ok());
  CHECK(Reason(CheckIdToken(Claims(json), domains)) == "domain");
  domains.allowed_domains = {"other.example"};
  CHECK(Reason(CheckIdToken(Claims(ClaimsJson()), domains)) == "domain");
}

TEST_CASE("Entra: the {tenantid} issuer, oid as subject, tenant and email trust") {
  IdTokenRules rules = Rules();
  rules.entra = true;
  rules.issuer = "https://login.microsoftonline.com/{tenantid}/v2.0";
  const std::string iss = "https://login.microsoftonline.com/" + kTenant + "/v2.0";
  const std::string base = R"({"iss":")" + iss + R"(","tid":")" + kTenant +
                           R"(","aud":"client-1","sub":"pairwise","oid":"oid-1","nonce":"n-123",)"
                           R"("exp":1800000300,"iat":1799999700,"email":"ada@contoso.com")";
  auto identity = CheckIdToken(Claims(base + "}"), rules);
  REQUIRE(identity.ok());
  CHECK(identity.value().subject == "oid-1");
  CHECK(identity.value().tenant == kTenant);
  CHECK_FALSE(identity.value().email_verified);  // Entra sends no email_verified

  CHECK(CheckIdToken(Claims(base + R"(,"xms_edov":true})"), rules).value().email_verified);
  IdTokenRules trusted = rules;
  trusted.allowed_tenants = {kTenant};
  CHECK(CheckIdToken(Claims(base + "}"), trusted).value().email_verified);
  IdTokenRules elsewhere = rules;
  elsewhere.allowed_tenants = {"00000000-0000-0000-0000-000000000001"};
  CHECK(Reason(CheckIdToken(Claims(base + "}"), elsewhere)) == "tenant");

  // The template takes the token's own tid; another tenant's issuer does not match.
  std::string foreign = base;
  foreign.replace(foreign.find(R"("tid":")" + kTenant), 7 + kTenant.size(),
                  R"("tid":"11111111-2222-3333-4444-555555555555)");
  CHECK(Reason(CheckIdToken(Claims(foreign + "}"), rules)) == "issuer");
  std::string no_tid = base;
  no_tid.replace(no_tid.find(R"("tid":")" + kTenant + "\","), 9 + kTenant.size(), "");
  CHECK(Reason(CheckIdToken(Claims(no_tid + "}"), rules)) == "issuer");
  std::string no_oid = base;
  no_oid.replace(no_oid.find(R"("oid":"oid-1",)"), 14, "");
  CHECK(Reason(CheckIdToken(Claims(no_oid + "}"), rules)) == "claims");
}
