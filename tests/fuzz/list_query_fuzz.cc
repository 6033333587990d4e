// The list API's query string (GET /api/assets?…): any parameters are
// refused with the parameter named or give a query within bounds.
#include "server/http/record_request.h"
#include "shared/records/record_query.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using deskgate::fuzz::Check;
  if (size == 0) return 0;
  const auto kind =
      data[0] & 1 ? deskgate::store::RecordKind::kAsset : deskgate::store::RecordKind::kSoftware;
  // "a=1&b=2&a=3", as httplib hands parameters over (already decoded).
  httplib::Params params;
  std::string_view rest = deskgate::fuzz::Text(data + 1, size - 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const size_t eq = pair.find('=');
    params.emplace(std::string(pair.substr(0, eq)),
                   eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1)));
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
  }
  auto query = deskgate::http::ParseRecordQuery(params, kind);
  if (!query.ok()) return 0;
  const auto& q = query.value();
  Check(q.limit >= 1 && q.limit <= deskgate::http::kMaxPageSize, "page size within bounds");
  Check(q.offset >= 0, "offset not negative");
  Check(q.filter.q.size() <= deskgate::kMaxSearchBytes, "search text bounded");
  return 0;
}
