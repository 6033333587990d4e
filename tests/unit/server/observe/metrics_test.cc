#include "server/observe/metrics.h"

#include <catch2/catch.hpp>

#include <string>

#include "server/http/request_observer.h"

using deskgate::observe::Count;
using deskgate::observe::Counter;
using deskgate::observe::CounterValue;
using deskgate::observe::Histogram;
using deskgate::observe::MetricsText;
using deskgate::observe::Observe;

TEST_CASE("Counters and histograms are written in Prometheus's text format", "[observe]") {
  Count(Counter::kSignIns, {"agent", "password", "unit-test-outcome"}, 3);
  Count(Counter::kSignIns, {"agent", "password", "unit-test-outcome"});
  CHECK(CounterValue(Counter::kSignIns, {"agent", "password", "unit-test-outcome"}) == 4);
  Observe(Histogram::kHttpRequestSeconds, {"/unit/test"}, 0.003);
  Observe(Histogram::kHttpRequestSeconds, {"/unit/test"}, 0.2);
  Observe(Histogram::kHttpRequestSeconds, {"/unit/test"}, 30);

  const std::string text = MetricsText({{"deskgate_unit_gauge", "A gauge.", 2.5}});
  CHECK(text.find("# HELP deskgate_sign_ins_total ") != std::string::npos);
  CHECK(text.find("# TYPE deskgate_sign_ins_total counter\n") != std::string::npos);
  CHECK(
      text.find("deskgate_sign_ins_total{portal=\"agent\",method=\"password\",outcome=\"unit-test-"
                "outcome\"} 4\n") != std::string::npos);
  // Buckets are cumulative, +Inf is the count; bounds are written shortest.
  CHECK(text.find("# TYPE deskgate_http_request_duration_seconds histogram\n") !=
        std::string::npos);
  const std::string bucket = "deskgate_http_request_duration_seconds_bucket{route=\"/unit/test\",";
  CHECK(text.find(bucket + "le=\"0.001\"} 0\n") != std::string::npos);
  CHECK(text.find(bucket + "le=\"0.005\"} 1\n") != std::string::npos);
  CHECK(text.find(bucket + "le=\"0.25\"} 2\n") != std::string::npos);
  CHECK(text.find(bucket + "le=\"10\"} 2\n") != std::string::npos);
  CHECK(text.find(bucket + "le=\"+Inf\"} 3\n") != std::string::npos);
  CHECK(text.find("deskgate_http_request_duration_seconds_count{route=\"/unit/test\"} 3\n") !=
        std::string::npos);
  CHECK(text.find("deskgate_http_request_duration_seconds_sum{route=\"/unit/test\"} 30.203\n") !=
        std::string::npos);
  CHECK(text.find("# TYPE deskgate_unit_gauge gauge\ndeskgate_unit_gauge 2.5\n") !=
        std::string::npos);
}

TEST_CASE("Label values are escaped, and a family stops growing at its limit", "[observe]") {
  Count(Counter::kThrottleBlocks, {"quote\" back\\ line\n"});
  const std::string text = MetricsText({});
  CHECK(text.find(R"(deskgate_throttle_blocks_total{scope="quote\" back\\ line\n"} 1)") !=
        std::string::npos);
  for (size_t i = 0; i < deskgate::observe::kMaxSeries + 50; ++i) {
    Count(Counter::kMfaVerifications, {std::string("m").append(std::to_string(i)), "x"});
  }
  CHECK(CounterValue(Counter::kMfaVerifications, {"other", "other"}) >= 50);
  CHECK(CounterValue(Counter::kMfaVerifications,
                     {std::string("m").append(std::to_string(deskgate::observe::kMaxSeries + 49)),
                      "x"}) == 0);
}

TEST_CASE("Route labels fold ids and tokens out of paths", "[observe]") {
  using deskgate::http::RouteLabel;
  CHECK(RouteLabel("/api/people/42") == "/api/people/{id}");
  CHECK(RouteLabel("/api/people/42/mfa/reset") == "/api/people/{id}/mfa/reset");
  CHECK(RouteLabel("/api/agent/login") == "/api/agent/login");
  CHECK(RouteLabel("/api/assets.csv") == "/api/assets.csv");
  CHECK(RouteLabel("/api/assets/bulk/outcomes/Zx81_kq-0aBcDeFgHiJkLmNoPqRsTuV.csv") ==
        "/api/assets/bulk/outcomes/{token}");
  CHECK(RouteLabel("/api/x/%2e%2e/secret") == "/api/x/{token}/secret");
  CHECK(RouteLabel("/api/people/") == "/api/people/");
  CHECK(RouteLabel("/login/agent.html") == "static");
  CHECK(RouteLabel("/") == "static");
  CHECK(RouteLabel("/metrics") == "/metrics");
  CHECK(RouteLabel("/readyz") == "/readyz");
}
