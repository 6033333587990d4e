#include "server/cli/settings_command.h"

#include <cstdio>

#include "server/cli/args.h"
#include "server/services/clock.h"
#include "server/services/settings_service.h"
#include "server/store/sqlite/sqlite_store.h"
#include "shared/core/json_writer.h"
#include "shared/settings/auth_settings.h"

namespace deskgate::cli {

int RunSettingsCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "portal-access") {
    return Fail(kExitUsage,
                "usage: deskgate settings portal-access --portal agent|contact --mode M");
  }
  auto parsed = Args::Parse({args.begin() + 1, args.end()}, {"portal", "mode", "db"});
  if (!parsed.ok()) return Fail(kExitUsage, parsed.error());
  const Args& a = parsed.value();
  const auto portal = store::ParsePortal(a.GetOr("portal", ""));
  if (!portal) return Fail(kExitUsage, "--portal: must be agent or contact");
  const std::string mode = a.GetOr("mode", "");
  AuthSettings wanted = DefaultAuthSettings(*portal);
  wanted.portal_access = mode;
  bool known = false;
  for (const PortalAccessMode& m : PortalAccessModes(*portal)) {
    known = known || m.mode == mode;
  }
  if (!known || !AllowsPasswordLogin(wanted)) {
    return Fail(kExitUsage,
                "--mode: a mode with password sign-in (agents: password, both; contacts: "
                "email_only, microsoft_and_email)");
  }

  auto opened = store::SqliteStore::Open(a.GetOr("db", "data/deskgate.db"));
  if (!opened.ok()) return Fail(kExitFailure, opened.error());
  const services::SystemClock clock;
  services::SettingsService settings(*opened.value(), clock);
  // Only the mode changes; "both" modes keep needing the provider.
  const bool needs_provider = mode == "both" || mode == "microsoft_and_email";
  auto provider = opened.value()->GetSsoProvider(*portal);
  if (!provider.ok()) return Fail(kExitFailure, provider.error());
  if (needs_provider && !provider.value()) {
    return Fail(kExitUsage, "--mode: " + mode + " needs an identity provider; none is configured");
  }
  const JsonValue change = JsonValue::Object(
      {{"portal_access", JsonValue::Object({{"mode", JsonValue::String(mode)}})}});
  auto saved = settings.Put(*portal, change, 0, 0, "command line");
  if (!saved.ok()) return Fail(kExitFailure, saved.error());
  std::printf(
      "%s portal: portal access is now \"%s\"; running servers apply it within a second (no need "
      "to restart deskgate serve)\n",
      store::PortalName(*portal), mode.c_str());
  return kExitOk;
}

}  // namespace deskgate::cli
