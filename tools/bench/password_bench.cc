// Native cost of CheckPasswordJson, the call the server and CLI make.
// Prints the median over repeated runs, in microseconds per call.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "shared/password/password_check.h"

int main() {
  constexpr int kRuns = 15;
  constexpr int kCallsPerRun = 20000;
  const std::string policy = R"({"min_length":12,"require_uppercase":true,"require_digit":true})";
  const std::string context = R"({"email":"jane.doe@example.com","name":"Jane Doe"})";
  const std::vector<std::string> passwords = {"correct horse battery", "Tr0ub4dor&3", "sunshine",
                                              "Jane-Doe-2024!", "日本語のパスワードです"};
  std::vector<double> per_call_us;
  size_t sink = 0;
  for (int run = 0; run < kRuns; ++run) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kCallsPerRun; ++i) {
      auto result = deskgate::CheckPasswordJson(policy, passwords[i % passwords.size()], context);
      sink += result.value().size();
    }
    const std::chrono::duration<double, std::micro> elapsed =
        std::chrono::steady_clock::now() - start;
    per_call_us.push_back(elapsed.count() / kCallsPerRun);
  }
  std::sort(per_call_us.begin(), per_call_us.end());
  std::printf(
      "checkPassword native: median %.2f us/call (%d runs x %d calls, min %.2f, max %.2f)\n",
      per_call_us[kRuns / 2], kRuns, kCallsPerRun, per_call_us.front(), per_call_us.back());
  return sink == 0;  // keeps the work observable
}
