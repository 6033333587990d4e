#include "server/cli/serve_config.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <toml++/toml.h>

namespace deskgate::cli {
namespace {

std::string EnvironmentName(std::string_view flag) {
  std::string name = "DESKGATE_";
  for (char c : flag) name.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(c)));
  return name;
}

std::string KindName(OptionKind kind) {
  switch (kind) {
    case OptionKind::kNumber:
      return "a whole number";
    case OptionKind::kYesNo:
    case OptionKind::kSwitch:
      return "true or false";
    case OptionKind::kList:
      return "a list of strings";
    default:
      return "a string";
  }
}

// The problem with a value given as text (a flag's form), or nullopt.
std::optional<std::string> CheckText(const OptionSpec& spec, const std::string& value) {
  switch (spec.kind) {
    case OptionKind::kNumber: {
      int n = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || n < spec.min || n > spec.max) {
        return "must be a whole number from " + std::to_string(spec.min) + " to " +
               std::to_string(spec.max);
      }
      return std::nullopt;
    }
    case OptionKind::kYesNo:
      if (value != "yes" && value != "no") return "must be yes or no";
      return std::nullopt;
    case OptionKind::kUrl:
      if (value.rfind("https://", 0) != 0 && value.rfind("http://", 0) != 0) {
        return "must start with https:// or http://";
      }
      return std::nullopt;
    case OptionKind::kDirectory: {
      std::error_code ec;
      if (!std::filesystem::is_directory(value, ec)) return "no such folder: " + value;
      return std::nullopt;
    }
    case OptionKind::kText:
    case OptionKind::kPath:
      if (value.empty()) return "must not be empty";
      return std::nullopt;
    case OptionKind::kSwitch:
    case OptionKind::kList:
      return std::nullopt;
  }
  return std::nullopt;
}

// A TOML value in its flag form ("8080", "yes", "a,b"), or the problem.
Result<std::optional<std::string>> FlagForm(const OptionSpec& spec, const toml::node& node) {
  const auto wrong = Status::Error("must be " + KindName(spec.kind));
  switch (spec.kind) {
    case OptionKind::kNumber: {
      const auto* n = node.as_integer();
      if (!n) return wrong;
      const int64_t v = n->get();
      if (v < spec.min || v > spec.max) {
        return Status::Error("must be a whole number from " + std::to_string(spec.min) + " to " +
                             std::to_string(spec.max));
      }
      return std::optional<std::string>(std::to_string(v));
    }
    case OptionKind::kYesNo: {
      const auto* b = node.as_boolean();
      if (!b) return wrong;
      return std::optional<std::string>(b->get() ? "yes" : "no");
    }
    case OptionKind::kSwitch: {
      const auto* b = node.as_boolean();
      if (!b) return wrong;
      return b->get() ? std::optional<std::string>("") : std::nullopt;
    }
    case OptionKind::kList: {
      const auto* array = node.as_array();
      if (!array) return wrong;
      std::string joined;
      for (const toml::node& item : *array) {
        const auto* text = item.as_string();
        if (!text) return wrong;
        if (text->get().find(',') != std::string::npos) {
          return Status::Error("an item may not contain a comma");
        }
        joined += (joined.empty() ? "" : ",") + text->get();
      }
      return std::optional<std::string>(joined);
    }
    default: {
      const auto* text = node.as_string();
      if (!text) return wrong;
      if (auto problem = CheckText(spec, text->get())) return Status::Error(*problem);
      return std::optional<std::string>(text->get());
    }
  }
}

const OptionSpec* SpecForKey(std::string_view key) {
  for (const OptionSpec& spec : ServeOptions()) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

std::string Where(const std::string& path, const toml::source_region& source,
                  const std::string& key) {
  return path + ":" + std::to_string(source.begin.line) + ": " + key;
}

// Every key of `table` (with `prefix`, "smtp." inside [smtp]), checked.
void ReadTable(const std::string& path, const toml::table& table, const std::string& prefix,
               ServeConfig& config) {
  for (const auto& [name, node] : table) {
    const std::string key = prefix + std::string(name.str());
    if (prefix.empty() && node.is_table()) {
      ReadTable(path, *node.as_table(), key + ".", config);
      continue;
    }
    const OptionSpec* spec = SpecForKey(key);
    if (!spec) {
      config.problems.push_back({Where(path, name.source(), key), "unknown key",
                                 static_cast<int>(name.source().begin.line)});
      continue;
    }
    auto value = FlagForm(*spec, node);
    if (!value.ok()) {
      config.problems.push_back({Where(path, node.source(), key), value.error(),
                                 static_cast<int>(node.source().begin.line)});
    } else if (value.value()) {
      config.values[std::string(spec->flag)] = *value.value();
      config.where[std::string(spec->flag)] = Where(path, name.source(), key);
    }
  }
}

}  // namespace

const std::vector<OptionSpec>& ServeOptions() {
  static const std::vector<OptionSpec> options = {
      {"db", "db", OptionKind::kPath},
      {"host", "host", OptionKind::kText},
      {"port", "port", OptionKind::kNumber, 0, 65535},
      {"public-url", "public_url", OptionKind::kUrl},
      {"trusted-proxy", "trusted_proxies", OptionKind::kList},
      {"web-root", "web_root", OptionKind::kDirectory},
      {"wasm-dir", "wasm_dir", OptionKind::kDirectory},
      {"threads", "threads", OptionKind::kNumber, 1, 1024},
      {"key-file", "key_file", OptionKind::kPath},
      {"header-timeout", "header_timeout", OptionKind::kNumber, 1, 300},
      {"idle-timeout", "idle_timeout", OptionKind::kNumber, 1, 3600},
      {"notice-delay", "notice_delay", OptionKind::kNumber, 0, 24 * 60 * 60},
      {"shutdown-timeout", "shutdown_timeout", OptionKind::kNumber, 1, 3600},
      {"access-log", "access_log", OptionKind::kPath},
      {"metrics-client", "metrics_clients", OptionKind::kList},
      {"smtp-host", "smtp.host", OptionKind::kText},
      {"smtp-port", "smtp.port", OptionKind::kNumber, 1, 65535},
      {"smtp-starttls", "smtp.starttls", OptionKind::kYesNo},
      {"smtp-user", "smtp.user", OptionKind::kText},
      {"smtp-from", "smtp.from", OptionKind::kText},
      {"smtp-ca-file", "smtp.ca_file", OptionKind::kPath},
      {"sso-ca-file", "sso.ca_file", OptionKind::kPath},
      {"sso-allow-private-networks", "sso.allow_private_networks", OptionKind::kSwitch},
  };
  return options;
}

Result<ServeConfig> ReadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::Error("cannot read " + path);
  ServeConfig config;
  try {
    const toml::table table = toml::parse(in, path);
    ReadTable(path, table, "", config);
    std::stable_sort(
        config.problems.begin(), config.problems.end(),
        [](const ConfigProblem& a, const ConfigProblem& b) { return a.line < b.line; });
  } catch (const toml::parse_error& e) {
    return Status::Error(path + ":" + std::to_string(e.source().begin.line) + ": " +
                         std::string(e.description()));
  }
  return config;
}

ServeConfig ConfigFromEnvironment() {
  ServeConfig config;
  for (const OptionSpec& spec : ServeOptions()) {
    const std::string name = EnvironmentName(spec.flag);
    const char* raw = std::getenv(name.c_str());
    if (!raw) continue;
    const std::string value = raw;
    if (spec.kind == OptionKind::kSwitch) {
      if (value == "1" || value == "true" || value == "yes") {
        config.values[std::string(spec.flag)] = "";
      } else if (value != "0" && value != "false" && value != "no" && !value.empty()) {
        config.problems.push_back({name, "must be true or false"});
      }
      continue;
    }
    if (auto problem = CheckText(spec, value)) {
      config.problems.push_back({name, *problem});
    } else {
      config.values[std::string(spec.flag)] = value;
    }
  }
  return config;
}

std::vector<ConfigProblem> CheckAcrossOptions(const ServeConfig& config) {
  std::vector<ConfigProblem> problems;
  const auto host = config.where.find("smtp-host");
  if (host != config.where.end() && !config.values.count("smtp-from")) {
    problems.push_back({host->second, "needs smtp.from (the sender address) as well"});
  }
  return problems;
}

std::optional<std::string> DefaultConfigPath() {
  const char* path = std::getenv("DESKGATE_CONFIG");
  if (!path || !*path) return std::nullopt;
  return std::string(path);
}

}  // namespace deskgate::cli
