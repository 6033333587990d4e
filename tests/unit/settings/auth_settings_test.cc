#include "shared/settings/auth_settings.h"

#include <catch2/catch.hpp>

using namespace deskgate;

TEST_CASE("Authentication settings default per portal and round-trip", "[settings]") {
  const AuthSettings agent = DefaultAuthSettings(SettingsPortal::kAgent);
  CHECK(agent.portal_access == "password");
  CHECK(DefaultAuthSettings(SettingsPortal::kContact).portal_access == "email_only");
  CHECK(agent.session.idle_timeout_minutes == 30);
  CHECK(AllowsPasswordLogin(agent));

  auto parsed = ParseAuthSettings(AuthSettingsToJson(agent), SettingsPortal::kAgent, false);
  REQUIRE(parsed.ok());
  CHECK(parsed.value() == agent);

  auto changed = ParseAuthSettings(
      R"({"portal_access":{"mode":"both"},"password":{"min_length":14,"reuse_history":3,)"
      R"("enforce_policy":"next_login"},"session":{"absolute_timeout_hours":24}})",
      SettingsPortal::kAgent, true);
  REQUIRE(changed.ok());
  CHECK(changed.value().portal_access == "both");
  CHECK(changed.value().password.min_length == 14);
  CHECK(changed.value().password.reuse_history == 3);
  CHECK(changed.value().enforce_policy == "next_login");
  CHECK(changed.value().session.absolute_timeout_hours == 24);
  CHECK(changed.value().session.idle_timeout_minutes == 30);
  CHECK(ParseAuthSettings(AuthSettingsToJson(changed.value()), SettingsPortal::kAgent, true)
            .value() == changed.value());
}

TEST_CASE("Portal access modes depend on the portal and on single sign-on", "[settings]") {
  CHECK(
      ParseAuthSettings(R"({"portal_access":{"mode":"email_only"}})", SettingsPortal::kAgent, true)
          .error() == "portal_access.mode: must be one of password, sso, both");
  CHECK(
      ParseAuthSettings(R"({"portal_access":{"mode":"password"}})", SettingsPortal::kContact, true)
          .error() ==
      "portal_access.mode: must be one of email_only, sso_only, microsoft_and_email");
  CHECK_FALSE(
      ParseAuthSettings(R"({"portal_access":{"mode":"sso_only"}})", SettingsPortal::kContact, false)
          .ok());
  auto sso =
      ParseAuthSettings(R"({"portal_access":{"mode":"sso_only"}})", SettingsPortal::kContact, true);
  REQUIRE(sso.ok());
  CHECK_FALSE(AllowsPasswordLogin(sso.value()));
  CHECK(ParseAuthSettings(R"({"portal_access":{"mode":"password","extra":1}})",
                          SettingsPortal::kAgent, false)
            .error() == "portal_access: unknown field \"extra\"");
}
