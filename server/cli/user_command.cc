#include "server/cli/user_command.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <thread>

#include "server/cli/args.h"
#include "server/crypto/password_hasher.h"
#include "server/services/accounts.h"
#include "server/services/permissions.h"
#include "server/services/settings_service.h"
#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::cli {

namespace {

// `deskgate role add --name N [--permissions manage_authentication,manage_agent_mfa,
//   read_audit,edit_assets|edit_group_assets] [--db FILE]`
int RunRoleAdd(const std::vector<std::string>& rest) {
  auto parsed = Args::Parse(rest, {"name", "permissions", "db"});
  if (!parsed.ok()) return Fail(kExitUsage, parsed.error());
  const auto name = parsed.value().Get("name");
  if (!name || name->empty() || name->size() > 100) {
    return Fail(kExitUsage, "role add needs --name (at most 100 bytes)");
  }
  store::Role role;
  role.name = *name;
  const std::string permissions = parsed.value().GetOr("permissions", "");
  size_t start = 0;
  while (start < permissions.size()) {
    const size_t end = std::min(permissions.find(',', start), permissions.size());
    const std::string flag = permissions.substr(start, end - start);
    if (Status granted = services::GrantPermission(flag, role); !granted.ok()) {
      return Fail(kExitUsage, granted.message());
    }
    start = end + 1;
  }
  auto opened = store::SqliteStore::Open(parsed.value().GetOr("db", "data/deskgate.db"));
  if (!opened.ok()) return Fail(kExitFailure, opened.error());
  const services::SystemClock clock;
  auto id = opened.value()->AddRole(
      role, {clock.Now(), std::nullopt, "agent", "role.created", role.name, "", "{}"});
  if (!id.ok()) return Fail(kExitUsage, id.error());
  std::printf("created role %s (id %lld)\n", role.name.c_str(), static_cast<long long>(id.value()));
  return kExitOk;
}

}  // namespace

int RunRoleCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "add") {
    return Fail(kExitUsage,
                "usage: deskgate role add --name N [--permissions manage_authentication,"
                "manage_agent_mfa,edit_assets|edit_group_assets] [--db FILE]");
  }
  return RunRoleAdd({args.begin() + 1, args.end()});
}

int RunUserCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "add") {
    return Fail(kExitUsage,
                "usage: deskgate user add --portal agent|contact --email E [--name N] [--role R] "
                "[--db FILE]");
  }
  auto parsed =
      Args::Parse({args.begin() + 1, args.end()}, {"portal", "email", "name", "role", "db"});
  if (!parsed.ok()) return Fail(kExitUsage, parsed.error());
  const Args& a = parsed.value();
  const auto portal = store::ParsePortal(a.GetOr("portal", ""));
  if (!portal) return Fail(kExitUsage, "--portal must be agent or contact");
  const auto email = a.Get("email");
  if (!email) return Fail(kExitUsage, "user add needs --email");
  if (*portal == store::Portal::kContact && a.Get("role")) {
    return Fail(kExitUsage, "--role applies to agents only");
  }

  std::string password((std::istreambuf_iterator<char>(std::cin)),
                       std::istreambuf_iterator<char>());
  if (!password.empty() && password.back() == '\n') password.pop_back();

  auto opened = store::SqliteStore::Open(a.GetOr("db", "data/deskgate.db"));
  if (!opened.ok()) return Fail(kExitFailure, opened.error());
  crypto::PasswordHasher hasher(1);
  const services::SystemClock clock;
  services::Accounts accounts(*opened.value(), hasher, clock);
  const services::NewAccount account{
      *portal, *email, a.GetOr("name", ""),
      *portal == store::Portal::kAgent ? a.GetOr("role", "Agent") : "", password};
  services::SettingsService settings(*opened.value(), clock);
  auto portal_settings = settings.Get(*portal);
  if (!portal_settings.ok()) {
    std::fill(password.begin(), password.end(), '\0');
    return Fail(kExitFailure, portal_settings.error());
  }
  auto id = accounts.Add(account, portal_settings.value().password, "cli");
  std::fill(password.begin(), password.end(), '\0');
  if (!id.ok()) return Fail(kExitUsage, id.error());
  std::printf("created %s %s (id %lld)\n", store::PortalName(*portal),
              services::NormalizeEmail(*email).c_str(), static_cast<long long>(id.value()));
  return kExitOk;
}

}  // namespace deskgate::cli
