// deskgate: the command-line entry point. Each subcommand lives in cli/.
#include <sys/stat.h>

#include <cstdio>
#include <string>
#include <vector>

#include "server/cli/args.h"
#include "server/cli/backup_command.h"
#include "server/cli/config_command.h"
#include "server/cli/key_command.h"
#include "server/cli/policy_command.h"
#include "server/cli/qr_command.h"
#include "server/cli/seed_command.h"
#include "server/cli/serve_command.h"
#include "server/cli/settings_command.h"
#include "server/cli/user_command.h"

namespace {

constexpr const char* kUsage =
    "usage: deskgate COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  serve [--config FILE] [--db FILE] [--host H] [--port N] [--public-url URL]\n"
    "        [--trusted-proxy A,B] [--access-log FILE|-] [--sso-ca-file CA.pem]\n"
    "        [--smtp-host H …]                  serve the portals and the API (every option\n"
    "                                           also as a key of FILE or DESKGATE_OPTION)\n"
    "  config check [FILE]                      report every bad value of a configuration file\n"
    "  backup [--db FILE] [--key-bundle BUNDLE] OUT\n"
    "                                           consistent copy while serving (passphrase on "
    "stdin)\n"
    "  restore [--db FILE] [--key-bundle BUNDLE] BACKUP\n"
    "                                           put a backup back (the server stopped)\n"
    "  verify [--key-file KEY | --key-bundle BUNDLE] FILE\n"
    "                                           integrity, schema, and the key opens every secret\n"
    "  rotate-key [--db FILE] [--key-file KEY]  re-seal every secret under a new master key\n"
    "  policy check --policy JSON [--email E] [--name N]\n"
    "                                           check a password (read from stdin)\n"
    "  user add --portal agent|contact --email E [--name N] [--role R] [--db FILE]\n"
    "                                           create an account (password on stdin)\n"
    "  role add --name N [--permissions manage_authentication,manage_agent_mfa,\n"
    "                     edit_assets|edit_group_assets]\n"
    "                                           create a custom agent role\n"
    "  seed [--assets N] [--software M] [--seed S] [--if-empty] [--db FILE]\n"
    "                                           add demo assets and software\n"
    "  settings portal-access --portal agent|contact --mode M [--db FILE]\n"
    "                                           allow password sign-in again (when SSO fails)\n"
    "  qr [--ecl L|M|Q|H] [--format svg|pbm|text] [--scale N]\n"
    "                                           QR code of the text on stdin\n";

}  // namespace

int main(int argc, char** argv) {
  // Everything deskgate creates (database, master key, backups) is for its
  // own user only.
  umask(077);
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? deskgate::cli::kExitUsage : deskgate::cli::kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "serve") return deskgate::cli::RunServeCommand(rest);
  if (args[0] == "config") return deskgate::cli::RunConfigCommand(rest);
  if (args[0] == "backup") return deskgate::cli::RunBackupCommand(rest);
  if (args[0] == "restore") return deskgate::cli::RunRestoreCommand(rest);
  if (args[0] == "verify") return deskgate::cli::RunVerifyCommand(rest);
  if (args[0] == "rotate-key") return deskgate::cli::RunRotateKeyCommand(rest);
  if (args[0] == "policy") return deskgate::cli::RunPolicyCommand(rest);
  if (args[0] == "qr") return deskgate::cli::RunQrCommand(rest);
  if (args[0] == "user") return deskgate::cli::RunUserCommand(rest);
  if (args[0] == "role") return deskgate::cli::RunRoleCommand(rest);
  if (args[0] == "seed") return deskgate::cli::RunSeedCommand(rest);
  if (args[0] == "settings") return deskgate::cli::RunSettingsCommand(rest);
  return deskgate::cli::Fail(deskgate::cli::kExitUsage,
                             "unknown command '" + args[0] + "' (try deskgate --help)");
}
