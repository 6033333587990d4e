// `deskgate backup`, `restore` and `verify`: a consistent copy of the
// database taken while the server runs, putting one back, and checking a
// database or a backup (integrity, schema, and that the master key opens
// every sealed secret). The master key is not in the database; a backup
// can carry it in a key bundle sealed under a passphrase.
#pragma once

#include <string>
#include <vector>

namespace deskgate::cli {

int RunBackupCommand(const std::vector<std::string>& args);
int RunRestoreCommand(const std::vector<std::string>& args);
int RunVerifyCommand(const std::vector<std::string>& args);

}  // namespace deskgate::cli
