// A bulk request's selection as the server reads it, and the grid query and
// bulk results the page reads: any JSON is refused or read within bounds.
#include "server/http/record_request.h"
#include "server/services/records_service.h"
#include "shared/records/record_bulk.h"
#include "shared/records/record_query.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using deskgate::fuzz::Check;
  const std::string_view text = deskgate::fuzz::Text(data, size);
  (void)deskgate::ParseGridQuery(text);
  (void)deskgate::ParseBulkResults(text);
  auto body = deskgate::ParseJson(text);
  if (!body.ok()) return 0;
  auto selection = deskgate::http::SelectionFromJson(body.value());
  if (!selection.ok()) return 0;
  const auto& s = selection.value();
  Check(s.ids.empty() != !s.filter.has_value(), "ids or a filter, never both");
  Check(s.ids.size() <= deskgate::services::RecordsService::kMaxBulkIds, "ids within the limit");
  for (int64_t id : s.ids) Check(id > 0, "ids are positive");
  for (int64_t id : s.except) Check(id > 0, "exceptions are positive");
  Check(!s.filter || s.filter->q.size() <= deskgate::kMaxSearchBytes, "search text bounded");
  return 0;
}
