// The bulk API's wire format as the grid sees it: the request body built
// from a selection and a change, and the per-row results that come back.
//
// Request: {"selection":{"ids":[1,2,3]},"change":{…}}
//       or {"selection":{"filter":{…},"except":[4,5]},"change":{…}}
// Reply:   {"results":[{"id":1,"outcome":"updated","version":5}, …], …counts}
// A result may carry "before": the row's values before the change (as a
// change object); undo prefers it to what the grid remembers, because the
// server saw the row inside the transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/core/status.h"
#include "shared/records/record_change.h"
#include "shared/records/record_query.h"

namespace deskgate {

enum class BulkOutcome { kUpdated, kUnchanged, kNotFound, kForbidden, kConflict };
const char* BulkOutcomeName(BulkOutcome outcome);  // "updated", "unchanged", "not_found", …

struct BulkResult {
  int64_t id = 0;
  BulkOutcome outcome = BulkOutcome::kNotFound;
  int64_t version = 0;  // after the change, when the row exists
  std::optional<RecordChange> before;
};

// Reads the reply's "results"; other members (the counts) are not needed.
Result<std::vector<BulkResult>> ParseBulkResults(std::string_view json);

// A reply over more rows than the server lists one by one is a summary:
// {"summary":true,"updated":N,"unchanged":N,"not_found":N,"forbidden":N,
//  "failures":[{"id":3,"outcome":"forbidden"},…],"failures_total":K,
//  "outcomes":"/api/assets/bulk/outcomes/TOKEN.csv"} — the counts, the
// first rows that were not updated, and where every row's outcome is.
struct BulkSummary {
  int64_t counts[5] = {};  // by BulkOutcome
  std::vector<BulkResult> failures;
  int64_t failures_total = 0;
};

// Either reply: a summary, or every row's result.
struct BulkReply {
  std::optional<BulkSummary> summary;
  std::vector<BulkResult> results;  // when not a summary
};
Result<BulkReply> ParseBulkReply(std::string_view json);

// IdList: "[1,2,3]" written straight into one buffer. A bulk request may
// carry 100,000 ids and must be built within milliseconds in WebAssembly,
// so there is no intermediate vector and no allocation per id.
class IdList {
 public:
  explicit IdList(size_t max_ids);  // room for this many ids, no more
  void Add(int64_t id);             // id > 0
  std::string Take();               // the closed list

 private:
  std::string text_;
  size_t end_ = 1;  // bytes written, after the "["
};

// The request bodies, from ids or exceptions written with IdList.
std::string BulkByIdsJson(std::string_view ids, const RecordChange& change);
std::string BulkByFilterJson(const GridFilter& filter, std::string_view except,
                             const RecordChange& change);
// {"selection":{…}} alone: the body of a bulk retire or restore.
std::string SelectionByIdsJson(std::string_view ids);
std::string SelectionByFilterJson(const GridFilter& filter, std::string_view except);

// What one reply did, for the page's report. "problems" lists the rows
// that were not updated and why.
struct BulkReport {
  bool done = false;         // every request of the action has been answered
  int64_t counts[5] = {};    // by BulkOutcome
  int64_t not_undoable = 0;  // updated rows whose previous values are unknown
  bool summarised = false;   // the reply was a summary: problems lists the first
  int64_t problems_total = 0;
  struct Problem {
    int64_t id;
    BulkOutcome outcome;
  };
  std::vector<Problem> problems;
};

// {"done":true,"updated":1,"unchanged":0,"not_found":1,"forbidden":0,
//  "conflict":0,"not_undoable":0,"problems":[{"id":3,"outcome":"not_found"}]}
// and, after a summary, "summarised":true,"problems_total":K before "problems".
std::string BulkReportToJson(const BulkReport& report);

}  // namespace deskgate
