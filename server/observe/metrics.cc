#include "server/observe/metrics.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>

namespace deskgate::observe {
namespace {

struct Family {
  const char* name;
  const char* help;
  std::vector<const char*> labels;
};

const std::array<Family, 9>& CounterFamilies() {
  static const std::array<Family, 9> families = {{
      {"deskgate_http_requests_total",
       "HTTP requests answered, by route and status.",
       {"method", "route", "status"}},
      {"deskgate_sign_ins_total",
       "Sign-in attempts by portal, method and outcome.",
       {"portal", "method", "outcome"}},
      {"deskgate_mfa_verifications_total",
       "Second-factor checks at sign-in, by outcome.",
       {"method", "outcome"}},
      {"deskgate_throttle_blocks_total", "Throttle blocks started, by what they count.", {"scope"}},
      {"deskgate_throttle_refusals_total", "Attempts refused while a throttle block held.", {}},
      {"deskgate_mail_sent_total", "Mails the outbox delivered.", {}},
      {"deskgate_mail_failures_total", "Mail delivery attempts that failed (retried later).", {}},
      {"deskgate_sqlite_busy_retries_total",
       "Waits for a lock held by another database connection.",
       {}},
      {"deskgate_access_log_failures_total", "Access log lines that could not be written.", {}},
  }};
  return families;
}

const Family& HistogramFamily(Histogram) {
  static const Family family{"deskgate_http_request_duration_seconds",
                             "Time from a request's last byte read to its answer's last byte "
                             "written, by route.",
                             {"route"}};
  return family;
}

constexpr std::array<double, 13> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                             0.25,  0.5,    1,     2.5,  5,     10};

using Labels = std::vector<std::string>;

struct HistogramSeries {
  std::array<uint64_t, kBuckets.size()> buckets{};  // not cumulative; summed when written
  uint64_t count = 0;
  double sum = 0;
};

class Registry {
 public:
  static Registry& Default() {
    static Registry* registry = new Registry;  // outlives every thread that counts
    return *registry;
  }

  void Add(Counter c, std::initializer_list<std::string_view> labels, uint64_t n) {
    std::lock_guard lock(mutex_);
    auto& family = counters_[static_cast<size_t>(c)];
    family[Key(family, labels)] += n;
  }

  void Observe(Histogram h, std::initializer_list<std::string_view> labels, double seconds) {
    std::lock_guard lock(mutex_);
    auto& family = histograms_[static_cast<size_t>(h)];
    HistogramSeries& series = family[Key(family, labels)];
    for (size_t b = 0; b < kBuckets.size(); ++b) {
      if (seconds <= kBuckets[b]) {
        ++series.buckets[b];
        break;
      }
    }
    ++series.count;
    series.sum += seconds;
  }

  uint64_t Value(Counter c, std::initializer_list<std::string_view> labels) const {
    std::lock_guard lock(mutex_);
    const auto& family = counters_[static_cast<size_t>(c)];
    auto it = family.find(Labels(labels.begin(), labels.end()));
    return it == family.end() ? 0 : it->second;
  }

  std::string Text(const std::vector<Gauge>& gauges) const {
    std::string out;
    std::lock_guard lock(mutex_);
    for (size_t f = 0; f < CounterFamilies().size(); ++f) {
      const Family& family = CounterFamilies()[f];
      Header(out, family.name, family.help, "counter");
      for (const auto& [labels, value] : counters_[f]) {
        out += family.name + LabelText(family, labels, "") + " " + std::to_string(value) + "\n";
      }
    }
    const Family& h = HistogramFamily(Histogram::kHttpRequestSeconds);
    Header(out, h.name, h.help, "histogram");
    for (const auto& [labels, series] : histograms_[0]) WriteHistogram(out, h, labels, series);
    for (const Gauge& g : gauges) {
      Header(out, g.name, g.help.c_str(), "gauge");
      out += g.name + " " + Number(g.value) + "\n";
    }
    return out;
  }

 private:
  // The family's key for `labels`, or the "other" set once it is full.
  template <typename Map>
  static Labels Key(const Map& family, std::initializer_list<std::string_view> labels) {
    Labels key(labels.begin(), labels.end());
    if (family.size() < kMaxSeries || family.count(key)) return key;
    for (std::string& value : key) value = "other";
    return key;
  }

  static void Header(std::string& out, const std::string& name, const char* help,
                     const char* type) {
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  }

  static std::string Escaped(const std::string& value) {
    std::string out;
    for (char c : value) {
      if (c == '\\' || c == '"') out.push_back('\\');
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out.push_back(c);
    }
    return out;
  }

  // {a="x",b="y"} with `extra` (le="…") last; "" without labels.
  static std::string LabelText(const Family& family, const Labels& values,
                               const std::string& extra) {
    std::string out;
    for (size_t i = 0; i < family.labels.size() && i < values.size(); ++i) {
      out += std::string(out.empty() ? "" : ",") + family.labels[i] + "=\"" + Escaped(values[i]) +
             "\"";
    }
    if (!extra.empty()) out += (out.empty() ? "" : ",") + extra;
    return out.empty() ? "" : "{" + out + "}";
  }

  static std::string Number(double value) {
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    char text[32];
    const auto [end, ec] = std::to_chars(text, text + sizeof text, value);  // shortest exact
    return ec == std::errc() ? std::string(text, end) : "NaN";
  }

  static void WriteHistogram(std::string& out, const Family& family, const Labels& labels,
                             const HistogramSeries& series) {
    uint64_t cumulative = 0;
    const std::string bucket = std::string(family.name) + "_bucket";
    for (size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += series.buckets[b];
      out += bucket + LabelText(family, labels, "le=\"" + Number(kBuckets[b]) + "\"") + " " +
             std::to_string(cumulative) + "\n";
    }
    out += bucket + LabelText(family, labels, "le=\"+Inf\"") + " " + std::to_string(series.count) +
           "\n";
    out += std::string(family.name) + "_sum" + LabelText(family, labels, "") + " " +
           Number(series.sum) + "\n";
    out += std::string(family.name) + "_count" + LabelText(family, labels, "") + " " +
           std::to_string(series.count) + "\n";
  }

  mutable std::mutex mutex_;
  std::array<std::map<Labels, uint64_t>, 9> counters_;
  std::array<std::map<Labels, HistogramSeries>, 1> histograms_;
};

}  // namespace

const char* OutcomeOf(StatusCode code) {
  switch (code) {
    case StatusCode::kUnauthenticated:
      return "failure";
    case StatusCode::kThrottled:
      return "throttled";
    case StatusCode::kPermissionDenied:
    case StatusCode::kReauthenticationRequired:
      return "refused";
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kConflict:
      return "invalid";
    case StatusCode::kOk:
      return "success";
    case StatusCode::kUnavailable:
    case StatusCode::kInternal:
      break;
  }
  return "error";
}

void Count(Counter counter, std::initializer_list<std::string_view> labels, uint64_t n) {
  Registry::Default().Add(counter, labels, n);
}

void Observe(Histogram histogram, std::initializer_list<std::string_view> labels, double seconds) {
  Registry::Default().Observe(histogram, labels, seconds);
}

uint64_t CounterValue(Counter counter, std::initializer_list<std::string_view> labels) {
  return Registry::Default().Value(counter, labels);
}

std::string MetricsText(const std::vector<Gauge>& gauges) {
  return Registry::Default().Text(gauges);
}

}  // namespace deskgate::observe
