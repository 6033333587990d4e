// The asset and software lists as the store sees them: records, queries
// over them, selections for bulk changes and history. Who may change what,
// and what a change comes to, is the services' (records_service.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shared/records/record_change.h"
#include "shared/records/record_details.h"
#include "shared/records/record_query.h"

namespace deskgate::store {

using RecordKind = deskgate::RecordKind;
const char* RecordKindName(RecordKind kind);  // "asset", "software"

struct Record {
  int64_t id = 0;
  RecordDetails details;  // name, tag or publisher, type or version, …
  RecordFields fields;    // the four fields the lists edit inline
  int64_t version = 0;
  int64_t updated_at = 0;
  int64_t retired_at = 0;  // 0: in the lists
};

// What a bulk action decides a row by: a record without its details.
struct RecordState {
  int64_t id = 0;
  RecordFields fields;
  int64_t version = 0;
  int64_t retired_at = 0;  // 0: in the lists
};

// A list's filter is the one the pages build and the bulk API carries
// (shared/records/record_query.h): text within name, tag/publisher or
// type/version, an impact, and reference filters (off, "none" or an id).
using RecordFilter = deskgate::GridFilter;
using RefFilter = deskgate::RefFilter;

enum class RecordSort { kName, kDetail1, kDetail2, kImpact, kLocation, kGroup, kAgent, kUpdated };

struct RecordQuery {
  RecordFilter filter;
  RecordSort sort = RecordSort::kName;
  bool descending = false;
  int offset = 0;
  int limit = 50;
};

struct RecordPage {
  int64_t total = 0;  // records matching the filter
  std::vector<Record> rows;
};

// What a bulk change applies to: the listed ids, or everything matching a
// filter except the listed exceptions.
struct RecordSelection {
  std::vector<int64_t> ids;
  std::optional<RecordFilter> filter;
  std::vector<int64_t> except;
};

// A history row as written: what changed (RecordFieldChangesJson), when,
// by whom, and whether in a bulk action.
struct HistoryEntry {
  int64_t at = 0;
  std::optional<int64_t> actor;
  std::string changes;
  bool bulk = false;
};

struct HistoryRow {
  int64_t at = 0;
  std::string actor;    // email, or "" when gone
  std::string changes;  // {"field":[before, after], …}
  bool bulk = false;
};

struct Named {
  int64_t id = 0;
  std::string name;
};

// The values the editable reference fields may take, with their names.
struct RecordNames {
  std::vector<Named> locations;
  std::vector<Named> groups;
  std::vector<Named> agents;
  deskgate::RecordVocabulary Ids() const;
};

// Demo data for `deskgate seed`.
struct SeedRecords {
  std::vector<std::string> locations;
  std::vector<std::string> groups;
  // Agents to create (email, name, group index) when not present.
  struct Agent {
    std::string email;
    std::string name;
    size_t group;
  };
  std::vector<Agent> agents;
  // Records name their location, group and agent by index into the lists
  // above (or nullopt).
  struct Row {
    std::string name, detail1, detail2;
    Impact impact;
    std::optional<size_t> location, group, agent;
  };
  std::vector<Row> assets;
  std::vector<Row> software;
};

}  // namespace deskgate::store
