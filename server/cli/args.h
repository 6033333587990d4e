// Command-line flags of the form `--name value` or `--name=value`.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/core/status.h"

namespace deskgate::cli {

class Args {
 public:
  // Parses `args` (after the subcommand words). Any flag outside `known`
  // and `switches`, a flag of `known` without a value, or a positional word
  // is an error. `switches` take no value (Get returns "" when present).
  static Result<Args> Parse(const std::vector<std::string>& args,
                            std::initializer_list<std::string_view> known,
                            std::initializer_list<std::string_view> switches = {});

  // Sets `name` unless a flag gave it (configuration from a file or the
  // environment, which flags override).
  void SetDefault(const std::string& name, const std::string& value) {
    values_.emplace(name, value);
  }

  std::optional<std::string> Get(std::string_view name) const;
  std::string GetOr(std::string_view name, std::string fallback) const;
  // A whole number in [min, max], or `fallback` when the flag is absent; the
  // error names the flag and the range.
  Result<int> GetInt(std::string_view name, int fallback, int min, int max) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Prints "deskgate: MESSAGE" on stderr and returns `code`.
int Fail(int code, const std::string& message);

}  // namespace deskgate::cli
