#include "server/cli/policy_command.h"

#include <cstdio>
#include <iostream>
#include <iterator>

#include "server/cli/args.h"
#include "shared/core/json_writer.h"
#include "shared/password/password_check.h"

namespace deskgate::cli {
namespace {

// Passwords longer than this are refused before evaluation; the policy's
// own maximum is at most 1024 code points (4 KiB of UTF-8).
constexpr size_t kMaxPasswordBytes = 64 * 1024;

std::string ReadPassword() {
  std::string password((std::istreambuf_iterator<char>(std::cin)),
                       std::istreambuf_iterator<char>());
  if (!password.empty() && password.back() == '\n') password.pop_back();
  return password;
}

int RunCheck(const std::vector<std::string>& rest) {
  auto args = Args::Parse(rest, {"policy", "email", "name"});
  if (!args.ok()) return Fail(kExitUsage, args.error());
  const auto policy = args.value().Get("policy");
  if (!policy) return Fail(kExitUsage, "policy check needs --policy JSON");

  JsonWriter context;
  context.BeginObject()
      .Key("email")
      .String(args.value().GetOr("email", ""))
      .Key("name")
      .String(args.value().GetOr("name", ""))
      .EndObject();

  const std::string password = ReadPassword();
  if (password.size() > kMaxPasswordBytes) {
    return Fail(kExitUsage, "password on stdin is longer than 64 KiB");
  }
  auto result = CheckPasswordJson(*policy, password, context.text());
  if (!result.ok()) return Fail(kExitUsage, result.error());
  std::fwrite(result.value().data(), 1, result.value().size(), stdout);
  std::fputc('\n', stdout);
  return kExitOk;
}

}  // namespace

int RunPolicyCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "check") {
    return Fail(kExitUsage, "usage: deskgate policy check --policy JSON [--email E] [--name N]");
  }
  return RunCheck({args.begin() + 1, args.end()});
}

}  // namespace deskgate::cli
