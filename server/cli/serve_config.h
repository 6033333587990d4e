// The serve command's settings from three places, each overriding the one
// before: the configuration file (TOML, `--config FILE` or DESKGATE_CONFIG),
// DESKGATE_* environment variables, and command-line flags. Every flag has
// a key in the file (kServeOptions); values from the file and the
// environment are checked here, by the same rules the flags follow, and
// handed on as if they were flags.
//
// Secrets have no key: the master key comes from DESKGATE_MASTER_KEY or
// its file, and the SMTP password from DESKGATE_SMTP_PASSWORD.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/core/status.h"

namespace deskgate::cli {

enum class OptionKind {
  kText,       // a string
  kPath,       // a string naming a file or folder
  kDirectory,  // a folder that must exist
  kUrl,        // http:// or https://
  kNumber,     // a whole number in [min, max]
  kYesNo,      // true/false in the file; yes/no as a flag
  kSwitch,     // true/false in the file; present or absent as a flag
  kList,       // an array of strings in the file; comma-separated as a flag
};

struct OptionSpec {
  std::string_view flag;  // "smtp-host"
  std::string_view key;   // "smtp.host" in the file
  OptionKind kind;
  int min = 0;
  int max = 0;
};

// Every serve option that may be configured (the test-only --clock-file
// is not among them).
const std::vector<OptionSpec>& ServeOptions();

// One bad value: where it came from and what is wrong.
struct ConfigProblem {
  std::string where;  // "FILE:LINE: key" or "DESKGATE_PORT"
  std::string message;
  int line = 0;  // in the file; 0 elsewhere
  std::string Text() const { return where + ": " + message; }
};

struct ServeConfig {
  std::map<std::string, std::string> values;  // by flag name, as a flag would carry it
  std::map<std::string, std::string> where;   // by flag name: "FILE:LINE: key" (file only)
  std::vector<ConfigProblem> problems;        // every one found, in file order
};

// Reads and checks the file. An error only when it cannot be read or is
// not TOML (the parser stops at the first syntax error, with its line);
// bad values are problems, all of them.
Result<ServeConfig> ReadConfigFile(const std::string& path);
// The DESKGATE_<FLAG> variables that are set (DESKGATE_SMTP_HOST, …).
ServeConfig ConfigFromEnvironment();
// Rules across keys (an SMTP host needs a from address).
std::vector<ConfigProblem> CheckAcrossOptions(const ServeConfig& config);

// The file serve reads without --config: $DESKGATE_CONFIG, else none.
std::optional<std::string> DefaultConfigPath();
// What `config check` reads without a FILE.
inline constexpr const char* kPackagedConfigPath = "/etc/deskgate/deskgate.toml";

}  // namespace deskgate::cli
