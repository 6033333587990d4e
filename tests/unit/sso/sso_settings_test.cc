// Identity provider settings (shared/sso_settings.h).
#include <catch2/catch.hpp>

#include "shared/sso/sso_settings.h"

using namespace deskgate;

TEST_CASE("Entra settings: tenant forms, discovery URL and the secret kept out of JSON") {
  auto s = ParseSsoSettings(
      R"({"kind":"entra","tenant":"72F988BF-86F1-41AF-91AB-2D7CD011DB47","client_id":"abc",)"
      R"("client_secret":"s3cret","allowed_domains":["Contoso.com","contoso.com"]})",
      false);
  REQUIRE(s.ok());
  CHECK(s.value().tenant == "72f988bf-86f1-41af-91ab-2d7cd011db47");
  CHECK(s.value().DiscoveryUrl() ==
        "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0/"
        ".well-known/openid-configuration");
  CHECK(s.value().allowed_domains == std::vector<std::string>{"contoso.com"});
  CHECK(s.value().client_secret == "s3cret");
  CHECK(SsoSettingsToJson(s.value()).find("s3cret") == std::string::npos);
  CHECK(s.value().ButtonLabel() == "Microsoft");
  for (const char* tenant : {"organizations", "common", "contoso.onmicrosoft.com"}) {
    CHECK(ParseSsoSettings(
              std::string(R"({"kind":"entra","client_id":"a","tenant":")") + tenant + "\"}", false)
              .ok());
  }
}

TEST_CASE("generic OpenID settings and the round trip") {
  auto s = ParseSsoSettings(
      R"({"kind":"oidc","issuer":"https://id.example/realms/x/","client_id":"c"})", true);
  REQUIRE(s.ok());
  CHECK(s.value().DiscoveryUrl() == "https://id.example/realms/x/.well-known/openid-configuration");
  auto again = ParseSsoSettings(SsoSettingsToJson(s.value()), true);
  REQUIRE(again.ok());
  CHECK(again.value() == s.value());
}

TEST_CASE("bad provider settings are refused naming the field") {
  auto error = [](const std::string& json, bool contact = false) {
    auto s = ParseSsoSettings(json, contact);
    REQUIRE_FALSE(s.ok());
    return s.error().substr(0, s.error().find(':'));
  };
  CHECK(error(R"({"kind":"saml","client_id":"c"})") == "kind");
  CHECK(error(R"({"kind":"entra","tenant":"not a tenant","client_id":"c"})") == "tenant");
  CHECK(error(R"({"kind":"entra","tenant":"common"})") == "client_id");
  CHECK(error(R"({"kind":"oidc","issuer":"http://id.example","client_id":"c"})") == "issuer");
  CHECK(error(R"({"kind":"oidc","issuer":"https://id.example?x=1","client_id":"c"})") == "issuer");
  CHECK(error(R"({"kind":"oidc","issuer":"https://id.example","client_id":"c d"})") == "client_id");
  CHECK(
      error(
          R"({"kind":"oidc","issuer":"https://i.example","client_id":"c","allowed_tenants":["x"]})") ==
      "allowed_tenants");
  CHECK(
      error(
          R"({"kind":"oidc","issuer":"https://i.example","client_id":"c","allowed_domains":"x"})") ==
      "allowed_domains");
  CHECK(error(R"({"kind":"oidc","issuer":"https://i.example","client_id":"c","colour":1})") ==
        "provider");
  // Agents are never created by single sign-on.
  CHECK(
      error(
          R"({"kind":"oidc","issuer":"https://i.example","client_id":"c","create_contacts":true})") ==
      "create_contacts");
  CHECK(
      ParseSsoSettings(
          R"({"kind":"oidc","issuer":"https://i.example","client_id":"c","create_contacts":true})",
          true)
          .ok());
}

TEST_CASE("a test sign-in vouches for one provider and application") {
  auto a =
      ParseSsoSettings(R"({"kind":"oidc","issuer":"https://i.example","client_id":"c"})", true);
  auto b = ParseSsoSettings(
      R"({"kind":"oidc","issuer":"https://i.example","client_id":"c","allowed_domains":["x.example"]})",
      true);
  auto c =
      ParseSsoSettings(R"({"kind":"oidc","issuer":"https://i.example","client_id":"d"})", true);
  CHECK(b.value().SameProviderAs(a.value()));
  CHECK_FALSE(c.value().SameProviderAs(a.value()));
}
