#include "server/services/throttle.h"

#include <algorithm>

#include "server/observe/metrics.h"

namespace deskgate::services {

std::string ThrottleBlock::ToJson() const {
  return std::string(R"({"scope":")") + scope + R"(","until":)" + std::to_string(until) + "}";
}

int64_t Throttle::BlockedFor(std::span<const ThrottleScope> scopes, int64_t now) {
  int64_t wait = 0;
  for (const ThrottleScope& s : scopes) {
    auto t = store_.GetThrottle(s.key);
    if (t.ok() && t.value().failures >= s.limit && now - t.value().window_start < kWindow) {
      wait = std::max(wait, t.value().window_start + kWindow - now);
    }
  }
  return wait;
}

Throttle::Attempt Throttle::Begin(std::span<const ThrottleScope> scopes, int64_t now) {
  Attempt attempt;
  // Refusals during a block only read (from the read pool): a flood of
  // them must not queue behind the write lock or write anything.
  attempt.wait = BlockedFor(scopes, now);
  if (attempt.wait > 0) {
    observe::Count(observe::Counter::kThrottleRefusals);
    return attempt;
  }
  for (const ThrottleScope& s : scopes) {
    auto count = store_.CountThrottle(s.key, 1, now, kWindow);
    // Without the store there is no way to count: refuse rather than allow
    // unlimited guesses.
    if (!count.ok()) {
      attempt.wait = std::max<int64_t>(attempt.wait, 60);
      attempt.counts.push_back({});
      continue;
    }
    const store::Throttle& t = count.value();
    if (t.failures > s.limit) {
      attempt.wait = std::max(attempt.wait, t.window_start + kWindow - now);
    }
    attempt.counts.push_back(t);
  }
  return attempt;
}

void Throttle::Succeeded(std::span<const ThrottleScope> scopes, int64_t now) {
  for (const ThrottleScope& s : scopes) {
    if (s.reset_on_success) {
      store_.ClearThrottle(s.key);
    } else {
      store_.CountThrottle(s.key, -1, now, kWindow);
    }
  }
}

void Throttle::Cancel(std::span<const ThrottleScope> scopes, int64_t now) {
  for (const ThrottleScope& s : scopes) store_.CountThrottle(s.key, -1, now, kWindow);
}

std::vector<ThrottleBlock> Throttle::Failed(std::span<const ThrottleScope> scopes,
                                            const Attempt& attempt) {
  std::vector<ThrottleBlock> started;
  for (size_t i = 0; i < scopes.size() && i < attempt.counts.size(); ++i) {
    const store::Throttle& t = attempt.counts[i];
    if (t.failures == scopes[i].limit) {
      started.push_back({scopes[i].name, t.window_start + kWindow});
      observe::Count(observe::Counter::kThrottleBlocks, {scopes[i].name});
    }
  }
  return started;
}

Status Throttle::RefuseWhileBlocked(std::span<const ThrottleScope> scopes, int64_t now,
                                    std::string_view what) {
  const int64_t wait = BlockedFor(scopes, now);
  if (wait <= 0) return Status::Ok();
  observe::Count(observe::Counter::kThrottleRefusals);
  return Status::Throttled("too many wrong " + std::string(what) +
                               " from this address; try again in " +
                               std::to_string((wait + 59) / 60) + " minutes",
                           wait);
}

}  // namespace deskgate::services
