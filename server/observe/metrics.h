// Metrics: the process's counters and latency histograms, written in
// Prometheus's text exposition format (0.0.4) for GET /metrics.
//
// Prometheus clients keep one registry per process, and so does deskgate
// (no C++ client is packaged for Debian; the format is small). Families
// are fixed here; a family holds at most kMaxSeries label sets, and past
// that new ones count under the value "other", so no client can grow the
// memory by inventing paths or headers.
//
// Thread safety: every function may be called from any thread.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "shared/core/status.h"

namespace deskgate::observe {

enum class Counter {
  kHttpRequests,       // {method, route, status}
  kSignIns,            // {portal, method, outcome}
  kMfaVerifications,   // {method, outcome}
  kThrottleBlocks,     // {scope}: blocks started
  kThrottleRefusals,   // {}: attempts refused while blocked
  kMailSent,           // {}
  kMailFailures,       // {}: delivery attempts that failed
  kSqliteBusyRetries,  // {}: waits for another connection's lock
  kAccessLogFailures,  // {}: lines that could not be written
};

enum class Histogram {
  kHttpRequestSeconds,  // {route}
};

// A value read when the page is written (the outbox's depth).
struct Gauge {
  std::string name;
  std::string help;
  double value = 0;
};

inline constexpr size_t kMaxSeries = 500;

void Count(Counter counter, std::initializer_list<std::string_view> labels = {}, uint64_t n = 1);
void Observe(Histogram histogram, std::initializer_list<std::string_view> labels, double seconds);
// The outcome label of a refused attempt: "failure" (wrong password or
// code), "throttled", "refused" (not allowed, e.g. a deactivated account
// or a portal without passwords), "invalid" (bad input) or "error".
const char* OutcomeOf(StatusCode code);

// A counter's value for one label set (0 when never counted): for tests.
uint64_t CounterValue(Counter counter, std::initializer_list<std::string_view> labels = {});

// The exposition text: every family (with HELP and TYPE even when empty),
// then `gauges`.
std::string MetricsText(const std::vector<Gauge>& gauges);

}  // namespace deskgate::observe
