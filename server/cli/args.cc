#include "server/cli/args.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace deskgate::cli {

Result<Args> Args::Parse(const std::vector<std::string>& args,
                         std::initializer_list<std::string_view> known,
                         std::initializer_list<std::string_view> switches) {
  Args parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word.rfind("--", 0) != 0) return Status::Error("unexpected argument '" + word + "'");
    std::string name = word.substr(2), value;
    const size_t eq = name.find('=');
    if (std::find(switches.begin(), switches.end(), name) != switches.end()) {
      parsed.values_[name] = "";
      continue;
    }
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return Status::Error("--" + name + " needs a value");
    }
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return Status::Error("unknown option --" + name);
    }
    parsed.values_[name] = value;
  }
  return parsed;
}

std::optional<std::string> Args::Get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::GetOr(std::string_view name, std::string fallback) const {
  auto value = Get(name);
  return value ? *value : std::move(fallback);
}

Result<int> Args::GetInt(std::string_view name, int fallback, int min, int max) const {
  const auto text = Get(name);
  if (!text) return fallback;
  int value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    return Status::Error("--" + std::string(name) + " must be a number from " +
                         std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "deskgate: %s\n", message.c_str());
  return code;
}

}  // namespace deskgate::cli
