#include "server/services/throttle.h"

#include <algorithm>

namespace deskgate::services {

std::string ThrottleBlock::ToJson() const {
  return std::string(R"({"scope":")") + scope + R"(","until":)" + std::to_string(until) + "}";
}

int64_t Throttle::BlockedFor(const std::string& key, int limit, int64_t now) {
  auto t = store_.GetThrottle(key);
  if (!t.ok() || t.value().failures < limit) return 0;
  const int64_t until = t.value().window_start + kWindow;
  return until > now ? until - now : 0;
}

std::optional<int64_t> Throttle::RecordFailure(const std::string& key, int limit, int64_t now) {
  auto t = store_.GetThrottle(key);
  store::Throttle throttle = t.ok() ? t.value() : store::Throttle{};
  if (now - throttle.window_start >= kWindow) throttle = {0, now};
  ++throttle.failures;
  store_.PutThrottle(key, throttle);
  if (throttle.failures != limit) return std::nullopt;
  return throttle.window_start + kWindow;
}

int64_t Throttle::BlockedFor(std::span<const ThrottleScope> scopes, int64_t now) {
  int64_t wait = 0;
  for (const ThrottleScope& s : scopes) wait = std::max(wait, BlockedFor(s.key, s.limit, now));
  return wait;
}

std::vector<ThrottleBlock> Throttle::RecordFailure(std::span<const ThrottleScope> scopes,
                                                   int64_t now) {
  std::vector<ThrottleBlock> started;
  for (const ThrottleScope& s : scopes) {
    if (auto until = RecordFailure(s.key, s.limit, now)) started.push_back({s.name, *until});
  }
  return started;
}

}  // namespace deskgate::services
