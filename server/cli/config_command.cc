#include "server/cli/config_command.h"

#include <cstdio>

#include "server/cli/args.h"
#include "server/cli/serve_config.h"

namespace deskgate::cli {

int RunConfigCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "check" || args.size() > 2) {
    return Fail(kExitUsage, "usage: deskgate config check [FILE]");
  }
  const std::string path =
      args.size() == 2 ? args[1] : DefaultConfigPath().value_or(kPackagedConfigPath);
  auto config = ReadConfigFile(path);
  if (!config.ok()) return Fail(kExitFailure, config.error());
  std::vector<ConfigProblem> problems = config.value().problems;
  for (ConfigProblem& p : CheckAcrossOptions(config.value())) problems.push_back(std::move(p));
  if (problems.empty()) {
    std::printf("%s: OK\n", path.c_str());
    return kExitOk;
  }
  for (const ConfigProblem& p : problems) std::fprintf(stderr, "%s\n", p.Text().c_str());
  std::fprintf(stderr, "deskgate: %zu problem%s in %s\n", problems.size(),
               problems.size() == 1 ? "" : "s", path.c_str());
  return kExitFailure;
}

}  // namespace deskgate::cli
