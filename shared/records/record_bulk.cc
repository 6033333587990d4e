#include "shared/records/record_bulk.h"

#include <cmath>

#include "shared/core/json_value.h"
#include "shared/core/json_writer.h"

namespace deskgate {
namespace {

constexpr BulkOutcome kOutcomes[] = {BulkOutcome::kUpdated, BulkOutcome::kUnchanged,
                                     BulkOutcome::kNotFound, BulkOutcome::kForbidden,
                                     BulkOutcome::kConflict};

Result<int64_t> ReadId(const JsonValue& result, const char* key, double min) {
  const JsonValue* value = result.Find(key);
  const double n = value != nullptr && value->is_number() ? value->as_number() : -1;
  if (n < min || n > 9007199254740991.0 || std::floor(n) != n) {
    return Status::Error(std::string("results: ") + key + " must be a " +
                         (min > 0 ? "positive" : "non-negative") + " integer");
  }
  return static_cast<int64_t>(n);
}

Result<BulkResult> ReadResult(const JsonValue& item) {
  if (!item.is_object()) return Status::Error("results: each result must be an object");
  BulkResult result;
  auto id = ReadId(item, "id", 1);
  if (!id.ok()) return id.status();
  result.id = id.value();
  const JsonValue* outcome = item.Find("outcome");
  bool known = false;
  for (BulkOutcome o : kOutcomes) {
    if (outcome != nullptr && outcome->is_string() && outcome->as_string() == BulkOutcomeName(o)) {
      result.outcome = o;
      known = true;
    }
  }
  if (!known) return Status::Error("results: unknown outcome");
  if (item.Find("version") != nullptr) {
    auto version = ReadId(item, "version", 0);
    if (!version.ok()) return version.status();
    result.version = version.value();
  }
  if (const JsonValue* before = item.Find("before")) {
    auto change = RecordChangeFromJson(*before);
    if (!change.ok()) return Status::Error("results: before: " + change.error());
    result.before = change.value();
  }
  return result;
}

}  // namespace

const char* BulkOutcomeName(BulkOutcome outcome) {
  switch (outcome) {
    case BulkOutcome::kUpdated:
      return "updated";
    case BulkOutcome::kUnchanged:
      return "unchanged";
    case BulkOutcome::kNotFound:
      return "not_found";
    case BulkOutcome::kForbidden:
      return "forbidden";
    case BulkOutcome::kConflict:
      return "conflict";
  }
  return "not_found";
}

namespace {

Result<std::vector<BulkResult>> ReadResults(const JsonValue* list, const char* key) {
  if (list == nullptr || !list->is_array()) return Status::Error(std::string(key) + ": missing");
  std::vector<BulkResult> results;
  results.reserve(list->items().size());
  for (const JsonValue& item : list->items()) {
    auto result = ReadResult(item);
    if (!result.ok()) return result.status();
    results.push_back(std::move(result).value());
  }
  return results;
}

Result<BulkSummary> ReadSummary(const JsonValue& reply) {
  BulkSummary summary;
  for (BulkOutcome o : kOutcomes) {
    if (reply.Find(BulkOutcomeName(o)) == nullptr) continue;  // "conflict" is the page's own
    auto count = ReadId(reply, BulkOutcomeName(o), 0);
    if (!count.ok()) return count.status();
    summary.counts[static_cast<int>(o)] = count.value();
  }
  auto failures = ReadResults(reply.Find("failures"), "failures");
  if (!failures.ok()) return failures.status();
  summary.failures = std::move(failures).value();
  auto total = ReadId(reply, "failures_total", 0);
  if (!total.ok()) return total.status();
  summary.failures_total = total.value();
  return summary;
}

}  // namespace

Result<BulkReply> ParseBulkReply(std::string_view json) {
  auto parsed = ParseJson(json);
  if (!parsed.ok()) return Status::Error("results: " + parsed.error());
  const JsonValue& reply = parsed.value();
  BulkReply out;
  const JsonValue* summary = reply.is_object() ? reply.Find("summary") : nullptr;
  if (summary != nullptr && summary->is_bool() && summary->as_bool()) {
    auto read = ReadSummary(reply);
    if (!read.ok()) return read.status();
    out.summary = std::move(read).value();
    return out;
  }
  auto results = ReadResults(reply.is_object() ? reply.Find("results") : nullptr, "results");
  if (!results.ok()) return results.status();
  out.results = std::move(results).value();
  return out;
}

Result<std::vector<BulkResult>> ParseBulkResults(std::string_view json) {
  auto reply = ParseBulkReply(json);
  if (!reply.ok()) return reply.status();
  if (reply.value().summary) return Status::Error("results: the reply is a summary");
  return std::move(reply.value().results);
}

IdList::IdList(size_t max_ids) : text_(max_ids * 17 + 2, '[') {}  // 16 digits and a comma

void IdList::Add(int64_t id) {
  char* out = text_.data() + end_;
  if (end_ > 1) *out++ = ',';
  // Digits by hand rather than with std::to_chars, whose helpers stay
  // separate calls in the size-optimized WebAssembly build; this loop does not.
  char digits[20];
  int count = 0;
  for (auto rest = static_cast<uint64_t>(id); count == 0 || rest != 0; rest /= 10) {
    digits[count++] = static_cast<char>('0' + rest % 10);
  }
  while (count > 0) *out++ = digits[--count];
  end_ = static_cast<size_t>(out - text_.data());
}

std::string IdList::Take() {
  text_.resize(end_ + 1);
  text_[end_] = ']';
  return std::move(text_);
}

std::string BulkByIdsJson(std::string_view ids, const RecordChange& change) {
  std::string body = "{\"selection\":{\"ids\":";
  body.reserve(ids.size() + 160);
  body.append(ids);
  body += "},\"change\":";
  body += RecordChangeToJson(change);
  body += '}';
  return body;
}

std::string BulkByFilterJson(const GridFilter& filter, std::string_view except,
                             const RecordChange& change) {
  JsonWriter w(except.size() + 400);
  w.BeginObject().Key("selection").BeginObject().Key("filter").Raw(GridFilterToJson(filter));
  w.Key("except").Raw(except).EndObject();
  w.Key("change").Raw(RecordChangeToJson(change)).EndObject();
  return w.Take();
}

std::string SelectionByIdsJson(std::string_view ids) {
  std::string body = "{\"selection\":{\"ids\":";
  body.reserve(ids.size() + 32);
  body.append(ids);
  body += "}}";
  return body;
}

std::string SelectionByFilterJson(const GridFilter& filter, std::string_view except) {
  JsonWriter w(except.size() + 300);
  w.BeginObject().Key("selection").BeginObject().Key("filter").Raw(GridFilterToJson(filter));
  w.Key("except").Raw(except).EndObject().EndObject();
  return w.Take();
}

std::string BulkReportToJson(const BulkReport& report) {
  JsonWriter w;
  w.BeginObject().Key("done").Bool(report.done);
  for (BulkOutcome o : kOutcomes) w.Key(BulkOutcomeName(o)).Int(report.counts[static_cast<int>(o)]);
  w.Key("not_undoable").Int(report.not_undoable);
  if (report.summarised) {
    w.Key("summarised").Bool(true).Key("problems_total").Int(report.problems_total);
  }
  w.Key("problems").BeginArray();
  for (const BulkReport::Problem& p : report.problems) {
    w.BeginObject().Key("id").Int(p.id).Key("outcome").String(BulkOutcomeName(p.outcome));
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

}  // namespace deskgate
