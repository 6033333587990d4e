// SqliteStore: asset and software records, their history, the write
// transaction the records service runs its rules in, and demo data.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <unordered_map>
#include <variant>

#include "server/store/sqlite/sqlite_store.h"
#include "shared/core/json_writer.h"

namespace deskgate::store {
namespace {

struct KindTable {
  const char* table;
  const char* detail1;
  const char* detail2;
  // The kind's own columns as (serial_number, status, licence_count), the
  // other kind's as constants, so one reader serves both.
  const char* own;
};

const KindTable& TableFor(RecordKind kind) {
  static const KindTable kAssets{"assets", "asset_tag", "type", "t.serial_number, t.status, NULL"};
  static const KindTable kSoftware{"software", "publisher", "version_string",
                                   "'', 'in_use', t.licence_count"};
  return kind == RecordKind::kAsset ? kAssets : kSoftware;
}

std::string Columns(const KindTable& t) {
  return std::string("t.id, t.name, t.") + t.detail1 + ", t." + t.detail2 +
         ", t.impact, t.location_id, t.managed_by_group_id, t.managed_by_agent_id, t.version, "
         "t.updated_at, " +
         t.own + ", t.notes, coalesce(t.retired_at, 0)";
}

std::optional<int64_t> OptionalId(const Statement& s, int column) {
  if (s.ColumnIsNull(column)) return std::nullopt;
  return s.ColumnInt(column);
}

Record ReadRecord(const Statement& s) {
  Record r;
  r.id = s.ColumnInt(0);
  r.details.name = s.ColumnText(1);
  r.details.detail1 = s.ColumnText(2);
  r.details.detail2 = s.ColumnText(3);
  r.fields.impact = ParseImpact(s.ColumnText(4)).value_or(Impact::kLow);
  r.fields.location = OptionalId(s, 5);
  r.fields.group = OptionalId(s, 6);
  r.fields.agent = OptionalId(s, 7);
  r.version = s.ColumnInt(8);
  r.updated_at = s.ColumnInt(9);
  r.details.serial_number = s.ColumnText(10);
  r.details.status = s.ColumnText(11) == "in_stock" ? AssetStatus::kInStock : AssetStatus::kInUse;
  r.details.licence_count = OptionalId(s, 12);
  r.details.notes = s.ColumnText(13);
  r.retired_at = s.ColumnInt(14);
  return r;
}

// SQL text and the values bound to its numbered parameters, built together.
class SqlBuilder {
 public:
  using Value = std::variant<std::nullptr_t, int64_t, std::string>;

  // Appends `text` in which "?" stands for the parameter `value`.
  SqlBuilder& Add(std::string_view text, Value value) {
    const size_t mark = text.find('?');
    sql_.append(text.substr(0, mark + 1)).append(std::to_string(values_.size() + 1));
    sql_.append(text.substr(mark + 1));
    values_.push_back(std::move(value));
    return *this;
  }
  SqlBuilder& Add(std::string_view text) {
    sql_.append(text);
    return *this;
  }
  const std::string& sql() const { return sql_; }
  // The bound values as text, to tell two uses of the same SQL apart.
  std::string ValuesKey() const {
    std::string key;
    for (const Value& v : values_) {
      if (const auto* n = std::get_if<int64_t>(&v)) {
        key.append("i").append(std::to_string(*n));
      } else if (const auto* text = std::get_if<std::string>(&v)) {
        key.append("s").append(std::to_string(text->size())).append(":").append(*text);
      } else {
        key.append("n");
      }
      key.push_back(',');
    }
    return key;
  }
  void BindTo(Statement& st) const {
    for (size_t i = 0; i < values_.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      if (const auto* n = std::get_if<int64_t>(&values_[i])) {
        st.Bind(index, *n);
      } else if (const auto* text = std::get_if<std::string>(&values_[i])) {
        st.Bind(index, std::string_view(*text));
      } else {
        st.Bind(index, std::optional<int64_t>());
      }
    }
  }

 private:
  std::string sql_;
  std::vector<Value> values_;
};

// Binds `select` to `st` (prepared from its SQL) and appends every row.
Status ReadRows(Statement& st, const SqlBuilder& select, std::vector<Record>& rows) {
  ResetOnExit reset(st);
  select.BindTo(st);
  while (st.Step()) rows.push_back(ReadRecord(st));
  return st.status();
}

void AddRefFilter(SqlBuilder& b, const char* column, const RefFilter& filter) {
  if (!filter.set) return;
  if (filter.id) {
    b.Add(std::string(" AND t.") + column + " = ?", *filter.id);
  } else {
    b.Add(std::string(" AND t.") + column + " IS NULL");
  }
}

// "name, type" → "t.name, t.type".
std::string PrefixedFields(std::string_view fields) {
  std::string out = "t.";
  for (char c : fields) {
    out.push_back(c);
    if (c == ' ') out += "t.";
  }
  return out;
}

// Whether the search index can answer `q`: it indexes trigrams, so a query
// needs three characters (not bytes) to be one of them or a phrase of them.
bool IndexedSearch(std::string_view q) {
  size_t characters = 0;
  for (char c : q) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return characters >= 3;
}

// An FTS5 query that matches `q` as it stands: one quoted phrase.
std::string PhraseQuery(std::string_view q) {
  std::string phrase = "\"";
  for (char c : q) {
    if (c == '"') phrase.push_back('"');
    phrase.push_back(c);
  }
  phrase.push_back('"');
  return phrase;
}

// " WHERE …" for a filter (always present, so callers can append AND).
// Search: through the trigram index (migrations 12 and 16), which folds case
// as Unicode does and holds the live and the retired records; a query
// shorter than a trigram compares each row with LIKE. The orders' indexes
// hold both lists (migration 17): a retired list says that its rows are
// few, so that SQLite reads them through *_retired and sorts them rather
// than walk an order's index through every live row (10 retired of a
// million by name: 0.9 s that way, 0.006 s this).
void AddWhere(SqlBuilder& b, const KindTable& t, const RecordFilter& f) {
  b.Add(f.retired ? " WHERE unlikely(t.retired_at IS NOT NULL)" : " WHERE t.retired_at IS NULL");
  if (!f.q.empty() && IndexedSearch(f.q)) {
    const std::string index = std::string(t.table) + "_search";
    b.Add(" AND t.id IN (SELECT rowid FROM " + index + " WHERE " + index + " MATCH ?)",
          PhraseQuery(f.q));
  } else if (!f.q.empty()) {
    const std::string like = LikePattern(f.q);
    b.Add(" AND (t.name LIKE ? ESCAPE '\\'", like);
    b.Add(std::string(" OR t.") + t.detail1 + " LIKE ? ESCAPE '\\'", like);
    if (std::string_view(t.table) == "assets")
      b.Add(" OR t.serial_number LIKE ? ESCAPE '\\'", like);
    b.Add(std::string(" OR t.") + t.detail2 + " LIKE ? ESCAPE '\\')", like);
  }
  if (f.impact) b.Add(" AND t.impact = ?", std::string(ImpactName(*f.impact)));
  AddRefFilter(b, "location_id", f.location);
  AddRefFilter(b, "managed_by_group_id", f.group);
  AddRefFilter(b, "managed_by_agent_id", f.agent);
}

// The column of a reference order, and the table of the names it sorts by.
const char* ReferenceColumn(RecordSort sort) {
  return sort == RecordSort::kLocation ? "location_id"
         : sort == RecordSort::kGroup  ? "managed_by_group_id"
                                       : "managed_by_agent_id";
}
const char* ReferenceTable(RecordSort sort) {
  return sort == RecordSort::kLocation ? "locations"
         : sort == RecordSort::kGroup  ? "agent_groups"
                                       : "people";
}

// The ORDER BY expression; names of referenced things sort with empty last.
std::string SortKey(const KindTable& t, RecordSort sort) {
  switch (sort) {
    case RecordSort::kName:
      return "t.name";
    case RecordSort::kDetail1:
      return std::string("t.") + t.detail1;
    case RecordSort::kDetail2:
      return std::string("t.") + t.detail2;
    case RecordSort::kImpact:
      return "t.impact_rank";  // low 0, medium 1, high 2 (migration 13)
    case RecordSort::kLocation:
      return "(SELECT name FROM locations WHERE id = t.location_id)";
    case RecordSort::kGroup:
      return "(SELECT name FROM agent_groups WHERE id = t.managed_by_group_id)";
    case RecordSort::kAgent:
      return "(SELECT name FROM people WHERE id = t.managed_by_agent_id)";
    case RecordSort::kUpdated:
      return "t.updated_at";
  }
  return "t.name";
}

// A search of the live records through the index, and nothing else.
bool IndexedSearchOnly(const RecordFilter& f) {
  RecordFilter search_only;
  search_only.q = f.q;
  return f == search_only && IndexedSearch(f.q);
}

// SELECT COUNT(*) of a filter. A search of the live records with no other
// filter joins each match to its row (the index holds retired records too):
// 55,000 matches in 0.055 s, where the generic IN (…) below takes 0.07–0.09.
SqlBuilder CountOf(const KindTable& t, const RecordFilter& f) {
  SqlBuilder b;
  if (IndexedSearchOnly(f)) {
    const std::string index = std::string(t.table) + "_search";
    b.Add("SELECT COUNT(*) FROM " + index + " s JOIN " + t.table + " t ON t.id = s.rowid WHERE " +
              index + " MATCH ? AND t.retired_at IS NULL",
          PhraseQuery(f.q));
    return b;
  }
  b.Add(std::string("SELECT COUNT(*) FROM ") + t.table + " t");
  AddWhere(b, t, f);
  return b;
}

// " ORDER BY …" for a query: its sort key, then the id (so the order is total).
std::string OrderBy(const KindTable& t, const RecordQuery& query) {
  const std::string key = SortKey(t, query.sort);
  const char* dir = query.descending ? " DESC" : " ASC";
  // Empty references sort last in both directions. (Only for them: the
  // extra term would keep SQLite from walking an index on the other columns.)
  // Equal names order by the referenced id, as the position index numbers them.
  if (IsReferenceSort(query.sort)) {
    return " ORDER BY " + key + " IS NULL, " + key + dir + ", t." + ReferenceColumn(query.sort) +
           dir + ", t.id" + dir;
  }
  return " ORDER BY " + key + dir + ", t.id" + dir;
}

// Every record of a query, read one by one from one statement on a pooled
// read connection: a consistent snapshot however long the reader takes.
class SqliteRecordCursor final : public RecordCursor {
 public:
  SqliteRecordCursor(ReadPool::Lease lease, Statement statement)
      : lease_(std::move(lease)), statement_(std::move(statement)) {}
  Result<std::optional<Record>> Next() override {
    if (done_) return std::optional<Record>();
    if (statement_.Step()) return std::optional<Record>(ReadRecord(statement_));
    done_ = true;
    if (!statement_.status().ok()) return statement_.status();
    return std::optional<Record>();
  }

 private:
  ReadPool::Lease lease_;
  Statement statement_;  // declared after the lease: finalized before it returns
  bool done_ = false;
};

// JSON of an id list, for json_each().
std::string IdsJson(const std::vector<int64_t>& ids) {
  JsonWriter w;
  w.BeginArray();
  for (int64_t id : ids) w.Int(id);
  w.EndArray();
  return w.Take();
}

}  // namespace

const char* RecordKindName(RecordKind kind) {
  return kind == RecordKind::kAsset ? "asset" : "software";
}

RecordVocabulary RecordNames::Ids() const {
  RecordVocabulary v;
  for (const Named& n : locations) v.locations.push_back(n.id);
  for (const Named& n : groups) v.groups.push_back(n.id);
  for (const Named& n : agents) v.agents.push_back(n.id);
  for (auto* list : {&v.locations, &v.groups, &v.agents}) std::sort(list->begin(), list->end());
  return v;
}

Result<RecordPage> SqliteStore::ListRecords(RecordKind kind, const RecordQuery& query) {
  const KindTable& t = TableFor(kind);
  SqlBuilder where;
  AddWhere(where, t, query.filter);
  ConcurrencyLimit::Turn turn(list_readers_);
  auto lease = reads_.Borrow();
  if (!lease.ok()) return lease.status();
  if (query.filter == RecordFilter()) {
    auto page = ListByPosition(kind, query, lease.value());
    if (!page.ok()) return page.status();
    if (page.value()) return std::move(*page.value());
  }
  RecordPage page;
  const SqlBuilder count_of = CountOf(t, query.filter);
  const std::string& count_sql = count_of.sql();
  const std::string count_key = count_sql + '\x1f' + count_of.ValuesKey();
  if (IndexedSearchOnly(query.filter)) {
    const uint64_t generation = record_counts_.generation();
    auto ranked = ListSearchByRank(kind, query, lease.value());
    if (!ranked.ok()) return ranked.status();
    if (ranked.value()) {
      record_counts_.Put(count_key, ranked.value()->total, generation);
      return std::move(*ranked.value());
    }
  }
  if (auto cached = record_counts_.Get(count_key)) {
    page.total = *cached;
  } else {
    const uint64_t generation = record_counts_.generation();
    auto count = lease.value().Prepared(count_sql);
    if (!count.ok()) return count.status();
    Statement& st = *count.value();
    ResetOnExit reset(st);
    count_of.BindTo(st);
    if (!st.Step()) return st.status().ok() ? Status::Error("count failed") : st.status();
    page.total = st.ColumnInt(0);
    record_counts_.Put(count_key, page.total, generation);
  }
  SqlBuilder select = where;
  select.Add(OrderBy(t, query));
  select.Add(" LIMIT ?", int64_t{query.limit}).Add(" OFFSET ?", int64_t{query.offset});
  auto rows =
      lease.value().Prepared("SELECT " + Columns(t) + " FROM " + t.table + " t" + select.sql());
  if (!rows.ok()) return rows.status();
  if (Status s = ReadRows(*rows.value(), select, page.rows); !s.ok()) return s;
  return page;
}

namespace {

int64_t SteadySeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool IntegerSort(RecordSort sort) {
  return sort == RecordSort::kImpact || sort == RecordSort::kUpdated;
}

}  // namespace

Status SqliteStore::BuildPositionIndex(const PositionIndexes::Order& order,
                                       ReadPool::Lease& lease) {
  ReadTransaction read(lease);
  const auto cannot = [] {
    return Status::Of(StatusCode::kUnavailable, "cannot start reading the list");
  };
  if (!read.Begin().ok()) return cannot();
  auto generation = positions_.BeginBuild([&]() -> Status {
    return read.TakeSnapshot(TableFor(order.kind).table).ok() ? Status::Ok() : cannot();
  });
  if (!generation.ok()) return generation.status();
  auto retired = ReadRetiredIds(order.kind, lease);
  const Status built = !retired.ok() ? retired.status()
                       : IsReferenceSort(order.sort)
                           ? BuildReferenceIndex(order, generation.value(), retired.value(), lease)
                           : BuildColumnIndex(order, generation.value(), retired.value(), lease);
  positions_.EndBuild();
  return built;
}

Result<bool> SqliteStore::RefreshPositionIndex(const PositionIndexes::Order& order,
                                               const PositionIndexes::Snapshot& snapshot,
                                               ReadPool::Lease& lease) {
  if (!snapshot.refresh) return false;
  std::unique_lock build(position_build_mutex_, std::try_to_lock);
  if (!build.owns_lock()) return false;  // another reader builds one
  // Built again since `snapshot` was taken?
  const auto now = positions_.Find(order, SteadySeconds(), [](int64_t) { return int64_t{0}; });
  if (now && !now->refresh) return true;
  if (Status s = BuildPositionIndex(order, lease); !s.ok()) return s;
  return true;
}

Result<std::optional<PositionIndexes::Snapshot>> SqliteStore::SnapshotOf(
    const PositionIndexes::Order& order, const OffsetFor& offset_for, const StaleIf& stale,
    Build build, ReadPool::Lease& lease, ReadTransaction& read) {
  using Found = std::optional<PositionIndexes::Snapshot>;
  const auto usable = [&](const Found& s) { return s && !stale(*s); };
  // The snapshot, and the reader's rows with it.
  const auto pinned = [&]() -> Result<Found> {
    if (Status s = read.Begin(); !s.ok()) return s;
    Status begun = Status::Ok();
    Found found = positions_.Find(order, SteadySeconds(), offset_for, [&] {
      return begun = read.TakeSnapshot(TableFor(order.kind).table);
    });
    if (!begun.ok()) return begun;
    return found;
  };
  auto first = pinned();
  if (!first.ok()) return first.status();
  Found snapshot = std::move(first).value();
  if (usable(snapshot) && !snapshot->refresh) return snapshot;  // most pages
  read.End();  // a build below reads on the same connection
  if (!usable(snapshot)) {
    if (build == Build::kNever) return Found();
    std::unique_lock building(position_build_mutex_, std::defer_lock);
    if (build == Build::kWait) {
      building.lock();
    } else if (!building.try_lock()) {
      return Found();
    }
    if (!usable(positions_.Find(order, SteadySeconds(), offset_for))) {  // not built meanwhile
      if (Status s = BuildPositionIndex(order, lease); !s.ok()) return s;
    }
  } else if (auto rebuilt = RefreshPositionIndex(order, *snapshot, lease); !rebuilt.ok()) {
    return rebuilt.status();
  }
  // The index is there (unless a write could not be replayed onto a new
  // one): read from it.
  auto again = pinned();
  if (!again.ok()) return again.status();
  return usable(again.value()) ? std::move(again).value() : Found();
}

Result<SqliteStore::RetiredIds> SqliteStore::ReadRetiredIds(RecordKind kind,
                                                            ReadPool::Lease& lease) {
  const std::string table = TableFor(kind).table;
  auto highest = Statement::Prepare(lease.db(), "SELECT coalesce(max(id), 0) FROM " + table);
  if (!highest.ok()) return highest.status();
  auto id = highest.value().ReadInt();
  if (!id.ok()) return id.status();
  RetiredIds retired;
  retired.highest = id.value();
  retired.by_id.assign(static_cast<size_t>(retired.highest) + 1, false);
  // Through the *_retired index alone: its entries hold the ids.
  auto st =
      Statement::Prepare(lease.db(), "SELECT id FROM " + table + " WHERE retired_at IS NOT NULL");
  if (!st.ok()) return st.status();
  while (st.value().Step()) {
    const int64_t retired_id = st.value().ColumnInt(0);
    if (retired_id >= 0 && retired_id <= retired.highest)
      retired.by_id[static_cast<size_t>(retired_id)] = true;
  }
  if (!st.value().status().ok()) return st.value().status();
  return retired;
}

// Room for every id's rank, when the order's builds keep them; null when not.
// The search index holds retired records too (migration 16): a search steps
// over those retired at the build without reading their rows.
std::shared_ptr<BuildRanks> SqliteStore::NewRanks(const PositionIndexes::Order& order,
                                                  const RetiredIds& retired) {
  if (!positions_.WantsRanks(order)) return nullptr;
  auto ranks = std::make_shared<BuildRanks>();
  ranks->by_id.assign(static_cast<size_t>(retired.highest) + 1, BuildRanks::kUnranked);
  for (size_t id = 0; id < retired.by_id.size(); ++id) {
    if (retired.by_id[id]) ranks->by_id[id] = BuildRanks::kRetired;
  }
  return ranks;
}

namespace {

void Rank(BuildRanks& ranks, int64_t id, int64_t rank) {
  if (id >= 0 && static_cast<uint64_t>(id) < ranks.by_id.size()) {
    ranks.by_id[static_cast<size_t>(id)] = static_cast<uint32_t>(rank);
  }
}

}  // namespace

// Walks the order's index (its entries hold the key and the id), stepping
// over the retired rows, an anchor every kSpacing live rows.
Status SqliteStore::BuildColumnIndex(const PositionIndexes::Order& order, uint64_t generation,
                                     const RetiredIds& retired, ReadPool::Lease& lease) {
  const KindTable& t = TableFor(order.kind);
  const std::string key = SortKey(t, order.sort);
  auto st = Statement::Prepare(
      lease.db(), "SELECT " + key + ", t.id FROM " + t.table + " t ORDER BY " + key + ", t.id");
  if (!st.ok()) return st.status();
  std::shared_ptr<BuildRanks> ranks = NewRanks(order, retired);
  std::vector<PositionIndex::Anchor> anchors;
  int64_t rank = 0;
  while (st.value().Step()) {
    const int64_t id = st.value().ColumnInt(1);
    if (retired.Has(id)) continue;
    if (ranks) Rank(*ranks, id, rank);
    if (rank % PositionIndex::kSpacing == 0) {
      SortPosition at;
      at.id = id;
      if (IntegerSort(order.sort)) {
        at.value = st.value().ColumnInt(0);
      } else {
        at.value = st.value().ColumnText(0);
      }
      anchors.push_back({std::move(at), rank});
    }
    ++rank;
  }
  if (!st.value().status().ok()) return st.value().status();
  PositionIndex index(std::move(anchors), rank);
  index.SetRanks(std::move(ranks));
  positions_.Put(order, std::move(index), generation, SteadySeconds());
  return Status::Ok();
}

namespace {

Result<int64_t> NamesVersion(ReadPool::Lease& lease) {
  auto st = lease.Prepared("SELECT n FROM record_names_version");
  if (!st.ok()) return st.status();
  ResetOnExit reset(*st.value());
  if (!st.value()->Step()) {
    return st.value()->status().ok() ? Status::Error("no names version") : st.value()->status();
  }
  return st.value()->ColumnInt(0);
}

// " AND t.<column> = ?" (or IS NULL for the rows naming nothing).
void AddReference(SqlBuilder& b, const char* column, const std::optional<int64_t>& ref) {
  if (ref) {
    b.Add(std::string(" AND t.") + column + " = ?", *ref);
  } else {
    b.Add(std::string(" AND t.") + column + " IS NULL");
  }
}

// One stretch of an order's rows, from a position index's anchor: up to
// `count` of them after stepping over `skip`, appended to `rows`.
// `add_where` adds the stretch's " FROM … WHERE …", `order_by` its order.
// A stretch that ends before the page starts is counted (fewer rows than
// the skip, so cheap) to know how much skip is left for the next.
Status ReadStretch(ReadPool::Lease& lease, const KindTable& t,
                   const std::function<void(SqlBuilder&)>& add_where, const std::string& order_by,
                   int64_t& count, int64_t& skip, std::vector<Record>& rows) {
  SqlBuilder select;
  select.Add("SELECT " + Columns(t));
  add_where(select);
  select.Add(order_by + " LIMIT ?", count).Add(" OFFSET ?", skip);
  auto st = lease.Prepared(select.sql());
  if (!st.ok()) return st.status();
  const size_t before = rows.size();
  if (Status s = ReadRows(*st.value(), select, rows); !s.ok()) return s;
  const auto got = static_cast<int64_t>(rows.size() - before);
  if (got > 0 || skip == 0) {
    count -= got;
    skip = 0;
    return Status::Ok();
  }
  SqlBuilder passed;
  passed.Add("SELECT count(*) FROM (SELECT 1");
  add_where(passed);
  passed.Add(" LIMIT ?)", skip);
  auto n = lease.Prepared(passed.sql());
  if (!n.ok()) return n.status();
  ResetOnExit reset(*n.value());
  passed.BindTo(*n.value());
  if (!n.value()->Step()) return n.value()->status();
  skip -= n.value()->ColumnInt(0);
  return Status::Ok();
}

}  // namespace

// Numbers the names the live rows refer to (ReferenceOrder), then walks
// each one's rows in id order through the reference's index, stepping over
// the retired, an anchor every kSpacing live rows.
Status SqliteStore::BuildReferenceIndex(const PositionIndexes::Order& order, uint64_t generation,
                                        const RetiredIds& retired, ReadPool::Lease& lease) {
  const KindTable& t = TableFor(order.kind);
  const char* column = ReferenceColumn(order.sort);
  auto reference = std::make_shared<ReferenceOrder>();
  reference->descending = order.descending;
  auto version = NamesVersion(lease);
  if (!version.ok()) return version.status();
  reference->names_version = version.value();
  const char* dir = order.descending ? " DESC" : " ASC";
  // A probe of the reference's index per name (most end at the first row).
  auto names = Statement::Prepare(
      lease.db(), std::string("SELECT r.id FROM ") + ReferenceTable(order.sort) +
                      " r WHERE EXISTS (SELECT 1 FROM " + t.table + " t WHERE t." + column +
                      " = r.id AND t.retired_at IS NULL) ORDER BY r.name" + dir + ", r.id" + dir);
  if (!names.ok()) return names.status();
  while (names.value().Step()) {
    const int64_t id = names.value().ColumnInt(0);
    reference->ordinal_of.emplace(id, static_cast<int64_t>(reference->ref_at.size()));
    reference->ref_at.push_back(id);
  }
  if (!names.value().status().ok()) return names.value().status();
  reference->ref_at.push_back(std::nullopt);  // the rows naming nothing, last

  std::shared_ptr<BuildRanks> ranks = NewRanks(order, retired);
  std::vector<PositionIndex::Anchor> anchors;
  int64_t rank = 0;
  for (size_t ordinal = 0; ordinal < reference->ref_at.size(); ++ordinal) {
    SqlBuilder select;
    select.Add(std::string("SELECT t.id FROM ") + t.table + " t WHERE 1");
    AddReference(select, column, reference->ref_at[ordinal]);
    select.Add(std::string(" ORDER BY t.id") + dir);
    auto ids = Statement::Prepare(lease.db(), select.sql());
    if (!ids.ok()) return ids.status();
    select.BindTo(ids.value());
    while (ids.value().Step()) {
      const int64_t id = ids.value().ColumnInt(0);
      if (retired.Has(id)) continue;
      if (ranks) Rank(*ranks, id, rank);
      if (rank % PositionIndex::kSpacing == 0) {
        anchors.push_back(
            {SortPosition{static_cast<int64_t>(ordinal), order.descending ? -id : id}, rank});
      }
      ++rank;
    }
    if (!ids.value().status().ok()) return ids.value().status();
  }
  PositionIndex index(std::move(anchors), rank, std::move(reference));
  index.SetRanks(std::move(ranks));
  positions_.Put(order, std::move(index), generation, SteadySeconds());
  return Status::Ok();
}

// From the anchor's name on, each name's rows in id order (a stretch each):
// the first from the anchor's id, skipping what lies between the anchor
// and the page.
Status SqliteStore::ReadReferenceRows(const PositionIndexes::Order& order,
                                      const PositionIndexes::Snapshot& snapshot, int64_t count,
                                      ReadPool::Lease& lease, std::vector<Record>& rows) {
  const KindTable& t = TableFor(order.kind);
  const ReferenceOrder& reference = *snapshot.reference;
  const char* column = ReferenceColumn(order.sort);
  const char* dir = order.descending ? " DESC" : " ASC";
  size_t ordinal = 0;
  std::optional<int64_t> from_id;
  int64_t skip = snapshot.offset;
  if (const auto& anchor = snapshot.anchor) {
    ordinal = static_cast<size_t>(std::get<int64_t>(anchor->at.value));
    from_id = order.descending ? -anchor->at.id : anchor->at.id;
    skip -= anchor->rank;
  }
  for (; count > 0 && ordinal < reference.ref_at.size(); ++ordinal, from_id.reset()) {
    const auto add_where = [&](SqlBuilder& b) {
      b.Add(" FROM " + std::string(t.table) + " t WHERE t.retired_at IS NULL");
      AddReference(b, column, reference.ref_at[ordinal]);
      if (from_id) b.Add(order.descending ? " AND t.id <= ?" : " AND t.id >= ?", *from_id);
    };
    Status s =
        ReadStretch(lease, t, add_where, std::string(" ORDER BY t.id") + dir, count, skip, rows);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// From the anchor: the rest of its tie (same value, id from the anchor's),
// then the later values, each a stretch read by an index search. A single
// row-value seek, (key, id) >= (…), searches on the key alone and walks a
// tie shared by 50,000 rows; the two merged in one statement find the
// later values' first live row even for a page inside the tie, stepping
// over every retired row between (300,000 retired of one impact: 150 ms).
Status SqliteStore::ReadColumnRows(const PositionIndexes::Order& order,
                                   const PositionIndexes::Snapshot& snapshot, int64_t count,
                                   ReadPool::Lease& lease, std::vector<Record>& rows) {
  const KindTable& t = TableFor(order.kind);
  const std::string key = SortKey(t, order.sort);
  const std::string from = std::string(" FROM ") + t.table + " t WHERE t.retired_at IS NULL";
  int64_t skip = snapshot.offset;
  const auto& anchor = snapshot.anchor;
  if (!anchor) {
    return ReadStretch(
        lease, t, [&](SqlBuilder& b) { b.Add(from); }, " ORDER BY " + key + ", t.id", count, skip,
        rows);
  }
  skip -= anchor->rank;
  const auto* n = std::get_if<int64_t>(&anchor->at.value);
  const SqlBuilder::Value value =
      n ? SqlBuilder::Value(*n) : SqlBuilder::Value(std::get<std::string>(anchor->at.value));
  const auto tie = [&](SqlBuilder& b) {
    b.Add(from + " AND " + key + " = ?", value).Add(" AND t.id >= ?", anchor->at.id);
  };
  if (Status s = ReadStretch(lease, t, tie, " ORDER BY t.id", count, skip, rows); !s.ok()) {
    return s;
  }
  if (count == 0) return Status::Ok();
  const auto later = [&](SqlBuilder& b) { b.Add(from + " AND " + key + " > ?", value); };
  return ReadStretch(lease, t, later, " ORDER BY " + key + ", t.id", count, skip, rows);
}

Result<std::optional<RecordPage>> SqliteStore::ListByPosition(RecordKind kind,
                                                              const RecordQuery& query,
                                                              ReadPool::Lease& lease) {
  const bool by_reference = IsReferenceSort(query.sort);
  const PositionIndexes::Order order{kind, query.sort, by_reference && query.descending};
  // A descending page of a column's order is the ascending one that ends
  // where it starts, read backwards.
  const bool backwards = query.descending && !by_reference;
  const auto index_offset = [&](int64_t total) {
    return backwards ? std::max<int64_t>(0, total - query.offset - query.limit)
                     : int64_t{query.offset};
  };
  std::optional<int64_t> names_version;
  if (by_reference) {
    auto version = NamesVersion(lease);
    if (!version.ok()) return version.status();
    names_version = version.value();
  }
  // Renamed locations, groups or agents reorder a reference order.
  const auto renamed = [&](const PositionIndexes::Snapshot& s) {
    return names_version && s.reference->names_version != *names_version;
  };
  // One reader builds a missing index at a time. Readers of a column's
  // order do not wait for it: each holds one of the few list-reading turns,
  // and waiting would stall the pages whose index is there too; without the
  // index their page is a walk of the column's index. A reference order
  // has no such index (a page without it sorts every row): they wait.
  const Build build = by_reference ? Build::kWait : Build::kIfFree;
  ReadTransaction read(lease);
  auto found = SnapshotOf(order, index_offset, renamed, build, lease, read);
  if (!found.ok()) return found.status();
  if (!found.value()) return std::optional<RecordPage>();
  const PositionIndexes::Snapshot* snapshot = &*found.value();
  RecordPage page;
  page.total = snapshot->total;
  const int64_t end = backwards ? snapshot->total - query.offset : snapshot->offset + query.limit;
  const int64_t count =
      std::max<int64_t>(0, std::min<int64_t>(end, snapshot->total) - snapshot->offset);
  if (count > 0 && by_reference) {
    if (Status s = ReadReferenceRows(order, *snapshot, count, lease, page.rows); !s.ok()) {
      return s;
    }
  } else if (count > 0) {
    if (Status s = ReadColumnRows(order, *snapshot, count, lease, page.rows); !s.ok()) return s;
    if (backwards) std::reverse(page.rows.begin(), page.rows.end());
  }
  return std::optional<RecordPage>(page);
}

// A search that matches many rows spent its time reading each match's sort
// value (~1 µs a row: 55,000 matches of a million, ~50 ms) to keep 50. The
// order's position index can also hold every row's rank at its build
// (BuildRanks): the matches' ids come from the search index alone, the
// unmoved ones are ordered by rank, and SQL orders only the first
// offset + limit of those and the few moved since the build — among which
// the page's rows must be: an unmoved match past the first offset + limit
// has that many unmoved matches before it. As ListByPosition, the matches
// and rows are read in the snapshot the ranks and the moved list describe.
// The matches read are the total too: the search index is not asked twice.
Result<std::optional<RecordPage>> SqliteStore::ListSearchByRank(RecordKind kind,
                                                                const RecordQuery& query,
                                                                ReadPool::Lease& lease) {
  using Rows = std::optional<RecordPage>;
  const auto wanted = static_cast<size_t>(query.offset) + static_cast<size_t>(query.limit);
  if (wanted > kRankedSearchDepth) return Rows();
  const KindTable& t = TableFor(kind);
  const bool by_reference = IsReferenceSort(query.sort);
  const PositionIndexes::Order order{kind, query.sort, by_reference && query.descending};
  // Highest ranks first for a descending column order (its index ascends).
  const bool backwards = query.descending && !by_reference;
  std::optional<int64_t> names_version;
  if (by_reference) {
    auto version = NamesVersion(lease);
    if (!version.ok()) return version.status();
    names_version = version.value();
  }
  const auto stale = [&](const PositionIndexes::Snapshot& s) {
    return !s.ranks || (names_version && s.reference->names_version != *names_version);
  };
  const auto no_offset = [](int64_t) { return int64_t{0}; };
  positions_.WantRanks(order);
  // One reader builds; the others sort their matches in SQL meanwhile, as
  // do all of them while ranks given back or dropped may not be built again.
  const Build build =
      positions_.MayBuildRanks(order, SteadySeconds()) ? Build::kIfFree : Build::kNever;
  ReadTransaction reading(lease);
  auto found = SnapshotOf(order, no_offset, stale, build, lease, reading);
  if (!found.ok()) return found.status();
  if (!found.value()) return Rows();
  const PositionIndexes::Snapshot* snapshot = &*found.value();
  const BuildRanks& ranks = *snapshot->ranks;
  const std::vector<int64_t>& moved = *snapshot->moved;
  const std::string index = std::string(t.table) + "_search";
  auto matches = lease.Prepared("SELECT rowid FROM " + index + " WHERE " + index + " MATCH ?1");
  if (!matches.ok()) return matches.status();
  std::vector<std::pair<uint32_t, int64_t>> ranked;  // (rank, id) of the unmoved
  JsonWriter candidates;
  candidates.BeginArray();
  size_t unranked = 0;
  {
    Statement& st = *matches.value();
    ResetOnExit reset(st);
    st.Bind(1, std::string_view(PhraseQuery(query.filter.q)));
    while (st.Step()) {
      const int64_t id = st.ColumnInt(0);
      const uint32_t rank = ranks.Of(id);
      const bool unmoved = !std::binary_search(moved.begin(), moved.end(), id);
      if (rank == BuildRanks::kRetired && unmoved) continue;  // retired then and now
      if (rank == BuildRanks::kUnranked || !unmoved) {
        if (++unranked > PositionIndex::kMaxMoved) return Rows();  // another process wrote
        candidates.Int(id);
      } else {
        ranked.emplace_back(backwards ? BuildRanks::kUnranked - rank : rank, id);
      }
    }
    if (!st.status().ok()) return st.status();
  }
  const size_t first = std::min(wanted, ranked.size());
  std::nth_element(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(first),
                   ranked.end());
  // The unranked matches (added, restored or retired since the build) that
  // are live, counted by reading their rows: at most kMaxMoved.
  int64_t live_unranked = 0;
  if (unranked > 0) {
    auto live = lease.Prepared(std::string("SELECT count(*) FROM ") + t.table +
                               " t WHERE t.retired_at IS NULL AND t.id IN "
                               "(SELECT value FROM json_each(?1))");
    if (!live.ok()) return live.status();
    Statement& st = *live.value();
    ResetOnExit reset(st);
    const std::string unranked_ids = candidates.text() + "]";
    st.Bind(1, std::string_view(unranked_ids));
    if (!st.Step()) return st.status().ok() ? Status::Error("count failed") : st.status();
    live_unranked = st.ColumnInt(0);
  }
  for (size_t i = 0; i < first; ++i) candidates.Int(ranked[i].second);
  SqlBuilder select;
  select.Add(" WHERE t.retired_at IS NULL AND t.id IN (SELECT value FROM json_each(?))",
             candidates.EndArray().Take());
  select.Add(OrderBy(t, query));
  select.Add(" LIMIT ?", int64_t{query.limit}).Add(" OFFSET ?", int64_t{query.offset});
  auto read = lease.Prepared("SELECT " + Columns(t) + " FROM " + t.table + " t" + select.sql());
  if (!read.ok()) return read.status();
  RecordPage page;
  page.total = static_cast<int64_t>(ranked.size()) + live_unranked;
  if (Status s = ReadRows(*read.value(), select, page.rows); !s.ok()) return s;
  return Rows(std::move(page));
}

Result<std::unique_ptr<RecordCursor>> SqliteStore::OpenRecordCursor(RecordKind kind,
                                                                    const RecordQuery& query) {
  const KindTable& t = TableFor(kind);
  SqlBuilder select;
  AddWhere(select, t, query.filter);
  select.Add(OrderBy(t, query));
  auto lease = reads_.Borrow();
  if (!lease.ok()) return lease.status();
  auto statement = Statement::Prepare(
      lease.value().db(), "SELECT " + Columns(t) + " FROM " + t.table + " t" + select.sql());
  if (!statement.ok()) return statement.status();
  select.BindTo(statement.value());
  return std::unique_ptr<RecordCursor>(
      new SqliteRecordCursor(std::move(lease).value(), std::move(statement).value()));
}

Result<std::vector<int64_t>> SqliteStore::MatchingIds(RecordKind kind, const RecordFilter& filter,
                                                      const std::vector<int64_t>& ids) {
  const KindTable& t = TableFor(kind);
  SqlBuilder b;
  AddWhere(b, t, filter);
  b.Add(" AND t.id IN (SELECT value FROM json_each(?)) ORDER BY t.id", IdsJson(ids));
  auto lease = reads_.Borrow();
  if (!lease.ok()) return lease.status();
  auto prepared =
      lease.value().Prepared("SELECT t.id FROM " + std::string(t.table) + " t" + b.sql());
  if (!prepared.ok()) return prepared.status();
  Statement& st = *prepared.value();
  ResetOnExit reset(st);
  b.BindTo(st);
  std::vector<int64_t> found;
  while (st.Step()) found.push_back(st.ColumnInt(0));
  if (!st.status().ok()) return st.status();
  return found;
}

Result<std::optional<Record>> SqliteStore::GetRecord(RecordKind kind, int64_t id) {
  const KindTable& t = TableFor(kind);
  auto lease = reads_.Borrow();
  if (!lease.ok()) return lease.status();
  auto stmt =
      lease.value().Prepared("SELECT " + Columns(t) + " FROM " + t.table + " t WHERE t.id = ?1");
  if (!stmt.ok()) return stmt.status();
  Statement& st = *stmt.value();
  ResetOnExit reset(st);
  st.Bind(1, id);
  if (st.Step()) return std::optional<Record>(ReadRecord(st));
  if (!st.status().ok()) return st.status();
  return std::optional<Record>();
}

namespace {

// The columns a record's write sets, numbered as RecordValues binds them
// (?1 is the id). Software has no serial number or status (?11 holds its
// licence count, ?12 goes unused).
// " name = ?2, impact = ?5," …: the columns `before` and `after` differ in,
// numbered as BindRecordValues binds them. Writing a column SQLite must also
// rewrite every index on it, even with the same value.
std::string ChangedAssignments(RecordKind kind, const Record& before, const Record& after) {
  const KindTable& t = TableFor(kind);
  const RecordDetails& b = before.details;
  const RecordDetails& a = after.details;
  const bool asset = kind == RecordKind::kAsset;
  const std::pair<bool, std::string> columns[] = {
      {a.name != b.name, "name = ?2"},
      {a.detail1 != b.detail1, std::string(t.detail1) + " = ?3"},
      {a.detail2 != b.detail2, std::string(t.detail2) + " = ?4"},
      {after.fields.impact != before.fields.impact, "impact = ?5"},
      {after.fields.location != before.fields.location, "location_id = ?6"},
      {after.fields.group != before.fields.group, "managed_by_group_id = ?7"},
      {after.fields.agent != before.fields.agent, "managed_by_agent_id = ?8"},
      {a.notes != b.notes, "notes = ?9"},
      {after.retired_at != before.retired_at, "retired_at = ?10"},
      {asset && a.serial_number != b.serial_number, "serial_number = ?11"},
      {asset && a.status != b.status, "status = ?12"},
      {!asset && a.licence_count != b.licence_count, "licence_count = ?11"},
  };
  std::string sql;
  for (const auto& [changed, assignment] : columns) {
    if (changed) sql.append(assignment).append(", ");
  }
  return sql;
}

void BindRecordValues(Statement& st, RecordKind kind, const Record& r, int64_t at) {
  st.Bind(1, r.id).Bind(2, r.details.name).Bind(3, r.details.detail1).Bind(4, r.details.detail2);
  st.Bind(5, std::string_view(ImpactName(r.fields.impact)));
  st.Bind(6, r.fields.location).Bind(7, r.fields.group).Bind(8, r.fields.agent);
  st.Bind(9, r.details.notes);
  st.Bind(10, r.retired_at ? std::optional<int64_t>(r.retired_at) : std::nullopt);
  if (kind == RecordKind::kAsset) {
    st.Bind(11, r.details.serial_number);
    st.Bind(12, std::string_view(AssetStatusName(r.details.status)));
  } else {
    st.Bind(11, r.details.licence_count);
  }
  st.Bind(13, at);
}

}  // namespace

Status SqliteStore::InsertHistoryLocked(RecordKind kind, int64_t id, const HistoryEntry& entry) {
  return ExecLocked(
      "INSERT INTO record_history (kind, record_id, at, actor_id, changes, bulk) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      [&](Statement& st) {
        st.Bind(1, std::string_view(RecordKindName(kind))).Bind(2, id).Bind(3, entry.at);
        st.Bind(4, entry.actor).Bind(5, entry.changes).Bind(6, int64_t{entry.bulk});
      });
}

Status SqliteStore::WriteRecordLocked(RecordKind kind, const Record& before, const Record& after,
                                      const HistoryEntry& entry) {
  Status s = ExecLocked(std::string("UPDATE ") + TableFor(kind).table + " SET " +
                            ChangedAssignments(kind, before, after) +
                            "version = version + 1, updated_at = ?13 WHERE id = ?1",
                        [&](Statement& st) { BindRecordValues(st, kind, after, entry.at); });
  if (!s.ok()) return s;
  return InsertHistoryLocked(kind, after.id, entry);
}

Status SqliteStore::WriteManyLocked(RecordKind kind, const RecordWrite::ManyWrite& write,
                                    const HistoryEntry& entry) {
  const RecordChange& change = write.change;
  SqlBuilder update;
  update.Add(std::string("UPDATE ") + TableFor(kind).table + " SET version = version + 1");
  update.Add(", updated_at = ?", entry.at);
  if (change.impact) update.Add(", impact = ?", std::string(ImpactName(*change.impact)));
  const std::pair<const char*, const RefChange*> refs[] = {{"location_id", &change.location},
                                                           {"managed_by_group_id", &change.group},
                                                           {"managed_by_agent_id", &change.agent}};
  for (const auto& [column, ref] : refs) {
    if (!ref->set) continue;
    const SqlBuilder::Value value = ref->id ? SqlBuilder::Value(*ref->id) : nullptr;
    update.Add(std::string(", ") + column + " = ?", value);
  }
  if (write.retired_at) {
    const SqlBuilder::Value value =
        *write.retired_at ? SqlBuilder::Value(*write.retired_at) : nullptr;
    update.Add(", retired_at = ?", value);
  }
  JsonWriter ids(write.rows.size() * 8 + 2);
  ids.BeginArray();
  // The history rows, a statement per distinct change over a list of its
  // ids, which SQLite reads faster than one [id, changes] pair per row
  // (600,000 rows: 1.3 s that way).
  std::vector<JsonWriter> ids_by_change(write.changes.size());
  for (JsonWriter& list : ids_by_change) list.BeginArray();
  for (size_t i = 0; i < write.rows.size(); ++i) {
    ids.Int(write.rows[i]->id);
    ids_by_change.at(write.change_of.at(i)).Int(write.rows[i]->id);
  }
  update.Add(" WHERE id IN (SELECT value FROM json_each(?))", ids.EndArray().Take());
  Status s = ExecLocked(update.sql(), [&](Statement& st) { update.BindTo(st); });
  for (size_t i = 0; s.ok() && i < write.changes.size(); ++i) {
    s = ExecLocked(
        "INSERT INTO record_history (kind, record_id, at, actor_id, changes, bulk) "
        "SELECT ?1, value, ?2, ?3, ?4, ?5 FROM json_each(?6)",
        [&](Statement& st) {
          st.Bind(1, std::string_view(RecordKindName(kind))).Bind(2, entry.at);
          st.Bind(3, entry.actor).Bind(4, write.changes[i]).Bind(5, int64_t{entry.bulk});
          st.Bind(6, ids_by_change[i].EndArray().Take());
        });
  }
  return s;
}

namespace {

// The columns a new record's values fill, in BindRecordValues's order from ?2.
std::string InsertedColumns(RecordKind kind) {
  const KindTable& t = TableFor(kind);
  return std::string("name, ") + t.detail1 + ", " + t.detail2 +
         ", impact, location_id, managed_by_group_id, managed_by_agent_id, "
         "notes, retired_at, " +
         (kind == RecordKind::kAsset ? "serial_number, status" : "licence_count");
}

// `r`'s values for InsertedColumns, as a JSON array.
void WriteInsertedValues(JsonWriter& w, RecordKind kind, const Record& r) {
  w.BeginArray().String(r.details.name).String(r.details.detail1).String(r.details.detail2);
  w.String(ImpactName(r.fields.impact));
  w.OptionalInt(r.fields.location).OptionalInt(r.fields.group).OptionalInt(r.fields.agent);
  w.String(r.details.notes);
  w.OptionalInt(r.retired_at ? std::optional<int64_t>(r.retired_at) : std::nullopt);
  if (kind == RecordKind::kAsset) {
    w.String(r.details.serial_number).String(AssetStatusName(r.details.status));
  } else {
    w.OptionalInt(r.details.licence_count);
  }
  w.EndArray();
}

}  // namespace

Result<int64_t> SqliteStore::InsertManyLocked(RecordKind kind,
                                              const RecordWrite::ManyInsert& insert,
                                              const HistoryEntry& entry) {
  const KindTable& t = TableFor(kind);
  int64_t highest = 0;
  Status s = QueryLocked(
      std::string("SELECT coalesce(max(id), 0) FROM ") + t.table, [](Statement&) {},
      [&](const Statement& row) { highest = row.ColumnInt(0); });
  if (!s.ok()) return s;
  JsonWriter rows(insert.records.size() * 96 + 2);
  JsonWriter changes(insert.records.size() * 64 + 2);
  rows.BeginArray();
  changes.BeginArray();
  for (size_t i = 0; i < insert.records.size(); ++i) {
    WriteInsertedValues(rows, kind, insert.records[i]);
    changes.String(insert.changes[i]);
  }
  const size_t count = kind == RecordKind::kAsset ? 11 : 10;
  std::string values;
  for (size_t i = 0; i < count; ++i) values += "value ->> " + std::to_string(i) + ", ";
  // A table without AUTOINCREMENT gives each row the highest id + 1, in
  // the order json_each reads the array.
  s = ExecLocked(std::string("INSERT INTO ") + t.table + " (" + InsertedColumns(kind) +
                     ", version, created_at, updated_at) SELECT " + values +
                     "1, ?2, ?2 FROM json_each(?1)",
                 [&](Statement& st) { st.Bind(1, rows.EndArray().Take()).Bind(2, entry.at); });
  if (!s.ok()) return s;
  const auto added = static_cast<int64_t>(insert.records.size());
  if (sqlite3_last_insert_rowid(db_.handle()) != highest + added) {
    return Status::Error("the new records did not get the ids that follow the highest");
  }
  s = ExecLocked(
      "INSERT INTO record_history (kind, record_id, at, actor_id, changes, bulk) "
      "SELECT ?1, ?2 + key, ?3, ?4, value, ?5 FROM json_each(?6)",
      [&](Statement& st) {
        st.Bind(1, std::string_view(RecordKindName(kind))).Bind(2, highest + 1).Bind(3, entry.at);
        st.Bind(4, entry.actor).Bind(5, int64_t{entry.bulk}).Bind(6, changes.EndArray().Take());
      });
  if (!s.ok()) return s;
  return highest + 1;
}

Result<int64_t> SqliteStore::InsertRecordLocked(RecordKind kind, const Record& record,
                                                const HistoryEntry& entry) {
  const KindTable& t = TableFor(kind);
  const std::string columns = InsertedColumns(kind);
  const char* values = kind == RecordKind::kAsset ? "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12"
                                                  : "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11";
  Status s =
      ExecLocked(std::string("INSERT INTO ") + t.table + " (" + columns +
                     ", version, created_at, updated_at) VALUES (" + values + ", 1, ?13, ?13)",
                 [&](Statement& st) { BindRecordValues(st, kind, record, entry.at); });
  if (!s.ok()) return s;
  const int64_t id = sqlite3_last_insert_rowid(db_.handle());
  if (Status h = InsertHistoryLocked(kind, id, entry); !h.ok()) return h;
  return id;
}

Status SqliteStore::PauseSearchLocked() {
  return db_.Exec("INSERT INTO search_paused VALUES (1)");
}

Status SqliteStore::CatchUpSearchLocked() {
  for (RecordKind kind : {RecordKind::kAsset, RecordKind::kSoftware}) {
    const KindTable& t = TableFor(kind);
    const std::string table = t.table;
    const std::string fields = std::string("name, ") + t.detail1 + ", " + t.detail2 +
                               (kind == RecordKind::kAsset ? ", serial_number" : "");
    // The entries of each record as it was when the transaction began go,
    // then each changed record that is still there goes in.
    Status s = db_.Exec("INSERT INTO " + table + "_search (" + table + "_search, rowid, " + fields +
                        ") SELECT 'delete', id, " + fields + " FROM " + table +
                        "_search_pending WHERE was_indexed");
    if (s.ok()) {
      s = db_.Exec("INSERT INTO " + table + "_search (rowid, " + fields + ") SELECT t.id, " +
                   PrefixedFields(fields) + " FROM " + table + "_search_pending p JOIN " + table +
                   " t ON t.id = p.id");
    }
    if (s.ok()) s = db_.Exec("DELETE FROM " + table + "_search_pending");
    if (!s.ok()) return s;
  }
  return db_.Exec("DELETE FROM search_paused");
}

// The writer lock, BEGIN IMMEDIATE … COMMIT, and reads and writes inside.
class SqliteStore::RecordTransaction final : public RecordWrite {
 public:
  explicit RecordTransaction(SqliteStore& store) : store_(store), lock_(store) {}
  ~RecordTransaction() override {
    if (begun_ && !committed_) (void)store_.db_.Exec("ROLLBACK");
  }

  Status Begin() {
    Status s = store_.db_.Exec("BEGIN IMMEDIATE");
    begun_ = s.ok();
    if (s.ok()) s = store_.PauseSearchLocked();
    return s;
  }

  Result<std::optional<Record>> Get(RecordKind kind, int64_t id) override {
    const KindTable& t = TableFor(kind);
    std::optional<Record> found;
    Status s = store_.QueryLocked(
        "SELECT " + Columns(t) + " FROM " + t.table + " t WHERE t.id = ?1",
        [&](Statement& st) { st.Bind(1, id); },
        [&](const Statement& row) { found = ReadRecord(row); });
    if (!s.ok()) return s;
    return found;
  }

  Result<std::vector<Record>> Select(RecordKind kind, const RecordSelection& selection) override {
    const KindTable& t = TableFor(kind);
    const SqlBuilder where = SelectionWhere(t, selection);
    std::vector<Record> found;
    if (!selection.filter) found.reserve(selection.ids.size());
    Status s = store_.QueryLocked(
        "SELECT " + Columns(t) + " FROM " + t.table + " t" + where.sql() + " ORDER BY t.id",
        [&](Statement& st) { where.BindTo(st); },
        [&](const Statement& row) { found.push_back(ReadRecord(row)); });
    if (!s.ok()) return s;
    return found;
  }

  Result<std::vector<RecordState>> SelectStates(RecordKind kind,
                                                const RecordSelection& selection) override {
    const KindTable& t = TableFor(kind);
    const SqlBuilder where = SelectionWhere(t, selection);
    auto room = RoomFor(kind, selection);
    if (!room.ok()) return room.status();
    std::vector<RecordState> found;
    found.reserve(room.value());
    // In the order SQLite finds them, sorted here: the retired rows come
    // through their index, which SQLite would sort in a temporary b-tree
    // (300,000: 0.37 s against 0.12 s without it).
    Status s = store_.QueryLocked(
        "SELECT t.id, t.impact_rank, t.location_id, t.managed_by_group_id, t.managed_by_agent_id, "
        "t.version, coalesce(t.retired_at, 0) FROM " +
            std::string(t.table) + " t" + where.sql(),
        [&](Statement& st) { where.BindTo(st); },
        [&](const Statement& row) { found.push_back(ReadState(row)); });
    if (!s.ok()) return s;
    const auto by_id = [](const RecordState& a, const RecordState& b) { return a.id < b.id; };
    if (!std::is_sorted(found.begin(), found.end(), by_id)) {
      std::sort(found.begin(), found.end(), by_id);
    }
    return found;
  }

  // " WHERE …" of a selection: its ids, or its filter but the exceptions.
  static SqlBuilder SelectionWhere(const KindTable& t, const RecordSelection& selection) {
    SqlBuilder b;
    if (selection.filter) {
      AddWhere(b, t, *selection.filter);
      b.Add(" AND t.id NOT IN (SELECT value FROM json_each(?))", IdsJson(selection.except));
    } else {
      b.Add(" WHERE t.id IN (SELECT value FROM json_each(?))", IdsJson(selection.ids));
    }
    return b;
  }

  static RecordState ReadState(const Statement& row) {
    constexpr Impact kByRank[] = {Impact::kLow, Impact::kMedium, Impact::kHigh};
    RecordState state;
    state.id = row.ColumnInt(0);
    state.fields.impact = kByRank[std::clamp<int64_t>(row.ColumnInt(1), 0, 2)];
    state.fields.location = OptionalId(row, 2);
    state.fields.group = OptionalId(row, 3);
    state.fields.agent = OptionalId(row, 4);
    state.version = row.ColumnInt(5);
    state.retired_at = row.ColumnInt(6);
    return state;
  }

  // How many states a selection can hold at most: its ids, or the table's
  // id range (up to a million), so that SelectStates reads them into one
  // array rather than copying them over as it grows. Pages it does not
  // fill are never touched.
  Result<size_t> RoomFor(RecordKind kind, const RecordSelection& selection) {
    if (!selection.filter) return selection.ids.size();
    constexpr int64_t kMaxRoom = int64_t{1} << 20;
    int64_t range = 0;
    Status s = store_.QueryLocked(
        std::string("SELECT coalesce(max(id) - min(id) + 1, 0) FROM ") + TableFor(kind).table,
        [](Statement&) {}, [&](const Statement& row) { range = row.ColumnInt(0); });
    if (!s.ok()) return s;
    return static_cast<size_t>(std::clamp<int64_t>(range, 0, kMaxRoom));
  }

  Result<std::vector<Record>> FindByKeys(RecordKind kind,
                                         const std::vector<std::string>& keys) override {
    const KindTable& t = TableFor(kind);
    JsonWriter list;
    list.BeginArray();
    for (const std::string& key : keys) list.String(key);
    list.EndArray();
    const std::string key_sql = kind == RecordKind::kAsset
                                    ? std::string("t.asset_tag")
                                    : std::string("t.name || char(31) || t.version_string");
    std::vector<Record> found;
    Status s = store_.QueryLocked(
        "SELECT " + Columns(t) + " FROM " + t.table + " t WHERE " + key_sql +
            " IN (SELECT value FROM json_each(?1))",
        [&](Statement& st) { st.Bind(1, list.Take()); },
        [&](const Statement& row) { found.push_back(ReadRecord(row)); });
    if (!s.ok()) return s;
    return found;
  }

  Result<int64_t> AddLocation(const std::string& name) override {
    Status s = store_.ExecLocked("INSERT INTO locations (name) VALUES (?1)",
                                 [&](Statement& st) { st.Bind(1, name); });
    if (!s.ok()) return s;
    return int64_t{sqlite3_last_insert_rowid(store_.db_.handle())};
  }

  Status Write(RecordKind kind, const Record& before, const Record& after,
               const HistoryEntry& entry) override {
    Status s = store_.WriteRecordLocked(kind, before, after, entry);
    if (s.ok() && !moved_.overflowed(kind)) Moved(kind, before, after, entry.at);
    return s;
  }

  Status WriteMany(RecordKind kind, const ManyWrite& write, const HistoryEntry& entry) override {
    if (write.rows.empty()) return Status::Ok();
    auto listed = ListedBefore(kind, write);
    if (!listed.ok()) return listed.status();
    Status s = store_.WriteManyLocked(kind, write, entry);
    if (!s.ok()) return s;
    for (const Record& before : listed.value()) {
      if (moved_.overflowed(kind)) break;
      Record after = before;
      ApplyRecordChange(write.change, after.fields);
      if (write.retired_at) after.retired_at = *write.retired_at;
      Moved(kind, before, std::move(after), entry.at);
    }
    return Status::Ok();
  }

  // The whole records of `write`'s rows that are in the lists before or
  // after it, as they are before it, for the position indexes to move;
  // none when there are more than those replay (the orders are built again).
  Result<std::vector<Record>> ListedBefore(RecordKind kind, const ManyWrite& write) {
    RecordSelection listed;
    for (const RecordState* row : write.rows) {
      const bool listed_after = write.retired_at ? *write.retired_at == 0 : row->retired_at == 0;
      if (row->retired_at == 0 || listed_after) listed.ids.push_back(row->id);
    }
    if (moved_.overflowed(kind) || listed.ids.empty()) return std::vector<Record>();
    if (listed.ids.size() > PositionIndexes::Changes::kMaxChanges) {
      moved_.Overflow(kind);
      return std::vector<Record>();
    }
    return Select(kind, listed);
  }

  Result<int64_t> Insert(RecordKind kind, const Record& record,
                         const HistoryEntry& entry) override {
    auto id = store_.InsertRecordLocked(kind, record, entry);
    if (id.ok()) {
      Record added = record;
      added.id = id.value();
      Moved(kind, std::nullopt, added, entry.at);
    }
    return id;
  }

  Status InsertMany(RecordKind kind, const ManyInsert& insert, const HistoryEntry& entry) override {
    if (insert.records.empty()) return Status::Ok();
    auto first = store_.InsertManyLocked(kind, insert, entry);
    if (!first.ok()) return first.status();
    for (size_t i = 0; i < insert.records.size() && !moved_.overflowed(kind); ++i) {
      Record added = insert.records[i];
      added.id = first.value() + static_cast<int64_t>(i);
      Moved(kind, std::nullopt, std::move(added), entry.at);
    }
    return Status::Ok();
  }

  Status DeleteCatalogEntry(CatalogKind kind, int64_t id,
                            std::optional<int64_t> move_members_to) override {
    return store_.DeleteCatalogEntryLocked(kind, id, move_members_to);
  }

  Status Audit(const AuditEvent& event) override { return store_.AuditLocked(event); }

  Status Commit() override {
    if (!begun_ || committed_) return Status::Of(StatusCode::kConflict, "no transaction to commit");
    Status s = store_.positions_.Commit(moved_, [this] {
      Status caught_up = store_.CatchUpSearchLocked();
      return caught_up.ok() ? store_.db_.Exec("COMMIT") : caught_up;
    });
    committed_ = s.ok();
    return s;
  }

 private:
  // A record's place in the plain lists' orders changed (position_index.h):
  // it was live before and/or is after, updated at `at`.
  void Moved(RecordKind kind, const std::optional<Record>& before, Record after, int64_t at) {
    after.updated_at = at;
    std::optional<Record> was;
    if (before && before->retired_at == 0) was = *before;
    std::optional<Record> is;
    if (after.retired_at == 0) is = std::move(after);
    moved_.Add(kind, std::move(was), std::move(is));
  }

  PositionIndexes::Changes moved_;
  SqliteStore& store_;
  RecordWriteLock lock_;  // released, and the list totals dropped, after the end
  bool begun_ = false;
  bool committed_ = false;
};

Result<std::unique_ptr<RecordWrite>> SqliteStore::BeginRecordWrite() {
  auto tx = std::make_unique<RecordTransaction>(*this);
  if (Status s = tx->Begin(); !s.ok()) return s;
  return std::unique_ptr<RecordWrite>(std::move(tx));
}

Result<std::vector<HistoryRow>> SqliteStore::RecordHistory(RecordKind kind, int64_t id, int limit) {
  std::lock_guard lock(mutex_);
  std::vector<HistoryRow> rows;
  Status s = QueryLocked(
      "SELECT h.at, COALESCE(p.email, ''), h.changes, h.bulk FROM record_history h "
      "LEFT JOIN people p ON p.id = h.actor_id WHERE h.kind = ?1 AND h.record_id = ?2 "
      "ORDER BY h.id DESC LIMIT ?3",
      [&](Statement& st) {
        st.Bind(1, std::string_view(RecordKindName(kind))).Bind(2, id).Bind(3, int64_t{limit});
      },
      [&](const Statement& row) {
        rows.push_back(
            {row.ColumnInt(0), row.ColumnText(1), row.ColumnText(2), row.ColumnInt(3) != 0});
      });
  if (!s.ok()) return s;
  return rows;
}

Result<RecordNames> SqliteStore::ListRecordNames() {
  std::lock_guard lock(mutex_);
  RecordNames names;
  const std::pair<const char*, std::vector<Named>*> lists[] = {
      {"SELECT id, name FROM locations ORDER BY name", &names.locations},
      {"SELECT id, name FROM agent_groups ORDER BY name", &names.groups},
      {"SELECT id, CASE name WHEN '' THEN email ELSE name END FROM people "
       "WHERE portal = 'agent' ORDER BY 2",
       &names.agents}};
  for (const auto& [sql, list] : lists) {
    std::vector<Named>* into = list;  // (clang 14 cannot capture a structured binding)
    Status s = QueryLocked(
        sql, [](Statement&) {},
        [into](const Statement& row) {
          into->push_back({row.ColumnInt(0), row.ColumnText(1)});
        });
    if (!s.ok()) return s;
  }
  return names;
}

Result<std::vector<int64_t>> SqliteStore::GroupsOf(int64_t person_id) {
  std::lock_guard lock(mutex_);
  std::vector<int64_t> groups;
  Status s = QueryLocked(
      "SELECT group_id FROM group_members WHERE person_id = ?1 ORDER BY group_id",
      [&](Statement& st) { st.Bind(1, person_id); },
      [&](const Statement& row) { groups.push_back(row.ColumnInt(0)); });
  if (!s.ok()) return s;
  return groups;
}

Result<int64_t> SqliteStore::Seed(const SeedRecords& seed, int64_t now, const AuditEvent& audit) {
  SessionWrite write(*this);
  int64_t added = 0;
  Status s = InTransaction([&]() -> Status {
    if (Status e = PauseSearchLocked(); !e.ok()) return e;
    // Ids of the named locations and groups, created when missing.
    auto ids_for = [&](const char* table, const std::vector<std::string>& names,
                       std::vector<int64_t>& ids) -> Status {
      for (const std::string& name : names) {
        Status e = ExecLocked(std::string("INSERT OR IGNORE INTO ") + table + " (name) VALUES (?1)",
                              [&](Statement& st) { st.Bind(1, name); });
        if (!e.ok()) return e;
        e = QueryLocked(
            std::string("SELECT id FROM ") + table + " WHERE name = ?1",
            [&](Statement& st) { st.Bind(1, name); },
            [&](const Statement& row) { ids.push_back(row.ColumnInt(0)); });
        if (!e.ok()) return e;
      }
      return Status::Ok();
    };
    std::vector<int64_t> locations, groups, agents;
    if (Status e = ids_for("locations", seed.locations, locations); !e.ok()) return e;
    if (Status e = ids_for("agent_groups", seed.groups, groups); !e.ok()) return e;
    for (const SeedRecords::Agent& a : seed.agents) {
      // Demo agents cannot sign in: "!" is no password hash.
      Status e = ExecLocked(
          "INSERT OR IGNORE INTO people (portal, email, name, role_id, password_hash, "
          "password_changed_at, created_at) SELECT 'agent', ?1, ?2, id, '!', ?3, ?3 FROM roles "
          "WHERE name = 'Agent'",
          [&](Statement& st) { st.Bind(1, a.email).Bind(2, a.name).Bind(3, now); });
      if (!e.ok()) return e;
      e = QueryLocked(
          "SELECT id FROM people WHERE portal = 'agent' AND email = ?1",
          [&](Statement& st) { st.Bind(1, a.email); },
          [&](const Statement& row) { agents.push_back(row.ColumnInt(0)); });
      if (!e.ok()) return e;
      e = ExecLocked("INSERT OR IGNORE INTO group_members (group_id, person_id) VALUES (?1, ?2)",
                     [&](Statement& st) { st.Bind(1, groups.at(a.group)).Bind(2, agents.back()); });
      if (!e.ok()) return e;
    }
    auto pick = [](const std::vector<int64_t>& ids, std::optional<size_t> index) {
      return index ? std::optional<int64_t>(ids.at(*index)) : std::nullopt;
    };
    for (RecordKind kind : {RecordKind::kAsset, RecordKind::kSoftware}) {
      const KindTable& t = TableFor(kind);
      auto insert = Statement::Prepare(
          db_, std::string("INSERT INTO ") + t.table + " (name, " + t.detail1 + ", " + t.detail2 +
                   ", impact, location_id, managed_by_group_id, managed_by_agent_id, created_at, "
                   "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)");
      if (!insert.ok()) return insert.status();
      for (const SeedRecords::Row& r : kind == RecordKind::kAsset ? seed.assets : seed.software) {
        Statement& st = insert.value();
        st.Reset();
        st.Bind(1, r.name).Bind(2, r.detail1).Bind(3, r.detail2);
        st.Bind(4, std::string_view(ImpactName(r.impact))).Bind(5, pick(locations, r.location));
        st.Bind(6, pick(groups, r.group)).Bind(7, pick(agents, r.agent)).Bind(8, now);
        if (Status e = st.Run(); !e.ok()) return e;
        ++added;
      }
    }
    if (Status e = CatchUpSearchLocked(); !e.ok()) return e;
    AuditEvent event = audit;
    event.details = R"({"records":)" + std::to_string(added) + "}";
    return AuditLocked(event);
  });
  record_counts_.Invalidate();
  positions_.Invalidate();
  if (!s.ok()) return s;
  return added;
}

}  // namespace deskgate::store
