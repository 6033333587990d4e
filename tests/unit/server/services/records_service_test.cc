// RecordsService on a storage-only backend: an in-memory RecordStore that
// holds rows and nothing else. Every decision the tests see — the group
// scope, row versions, what a change comes to per row, the audit entry,
// all-or-nothing — is the service's, so any backend gets them for free.
#include "server/services/records_service.h"

#include <catch2/catch.hpp>

#include <map>

#include "shared/core/json_value.h"

namespace deskgate::services {
namespace {

using store::Record;
using store::RecordKind;

// Rows by id; a write transaction works on a copy that Commit() installs.
class MemoryRecordStore : public store::RecordStore {
 public:
  std::map<int64_t, Record> rows;
  std::vector<store::AuditEvent> audits;
  std::vector<int64_t> groups_of_actor;
  int64_t fail_write_of = 0;  // a row whose write the "disk" refuses

  Result<store::RecordPage> ListRecords(RecordKind, const store::RecordQuery&) override {
    return Status::Of(StatusCode::kUnavailable, "not used");
  }
  Result<std::optional<Record>> GetRecord(RecordKind, int64_t id) override {
    auto it = rows.find(id);
    return it == rows.end() ? std::optional<Record>() : std::optional<Record>(it->second);
  }
  Result<std::vector<int64_t>> MatchingIds(RecordKind, const store::RecordFilter&,
                                           const std::vector<int64_t>&) override {
    return Status::Of(StatusCode::kUnavailable, "not used");
  }
  Result<std::unique_ptr<store::RecordCursor>> OpenRecordCursor(
      RecordKind, const store::RecordQuery&) override {
    return Status::Of(StatusCode::kUnavailable, "not used");
  }
  Result<std::unique_ptr<store::RecordWrite>> BeginRecordWrite() override {
    return std::unique_ptr<store::RecordWrite>(new Transaction(*this));
  }
  Result<std::vector<store::HistoryRow>> RecordHistory(RecordKind, int64_t, int) override {
    return std::vector<store::HistoryRow>();
  }
  Result<store::RecordNames> ListRecordNames() override {
    store::RecordNames names;
    names.groups = {{1, "Team One"}, {2, "Team Two"}};
    return names;
  }
  Result<std::vector<int64_t>> GroupsOf(int64_t) override { return groups_of_actor; }
  Result<int64_t> Seed(const store::SeedRecords&, int64_t, const store::AuditEvent&) override {
    return int64_t{0};
  }

 private:
  class Transaction : public store::RecordWrite {
   public:
    explicit Transaction(MemoryRecordStore& s) : store_(s), rows_(s.rows) {}
    Result<std::optional<Record>> Get(RecordKind, int64_t id) override {
      auto it = rows_.find(id);
      return it == rows_.end() ? std::optional<Record>() : std::optional<Record>(it->second);
    }
    Result<std::vector<Record>> Select(RecordKind, const store::RecordSelection& s) override {
      std::vector<Record> found;
      for (const auto& [id, row] : rows_) {
        if (std::find(s.ids.begin(), s.ids.end(), id) != s.ids.end()) found.push_back(row);
      }
      return found;
    }
    Result<std::vector<store::RecordState>> SelectStates(RecordKind kind,
                                                         const store::RecordSelection& s) override {
      auto records = Select(kind, s);
      if (!records.ok()) return records.status();
      std::vector<store::RecordState> found;
      for (const Record& r : records.value())
        found.push_back({r.id, r.fields, r.version, r.retired_at});
      return found;
    }
    Status Write(RecordKind, const Record&, const Record& after,
                 const store::HistoryEntry& entry) override {
      if (after.id == store_.fail_write_of)
        return Status::Of(StatusCode::kUnavailable, "disk full");
      Record& r = rows_.at(after.id);
      const int64_t version = r.version;
      r = after;
      r.version = version + 1;
      r.updated_at = entry.at;
      return Status::Ok();
    }
    Status WriteMany(RecordKind kind, const ManyWrite& write,
                     const store::HistoryEntry& entry) override {
      for (size_t i = 0; i < write.rows.size(); ++i) {
        const Record before = rows_.at(write.rows[i]->id);
        Record after = before;
        ApplyRecordChange(write.change, after.fields);
        if (write.retired_at) after.retired_at = *write.retired_at;
        const Status s =
            Write(kind, before, after,
                  {entry.at, entry.actor, write.changes[write.change_of[i]], entry.bulk});
        if (!s.ok()) return s;
      }
      return Status::Ok();
    }
    Result<int64_t> Insert(RecordKind, const Record& record,
                           const store::HistoryEntry& entry) override {
      const int64_t id = rows_.empty() ? 1 : rows_.rbegin()->first + 1;
      Record& r = rows_[id] = record;
      r.id = id;
      r.version = 1;
      r.updated_at = entry.at;
      return id;
    }
    Status InsertMany(RecordKind kind, const ManyInsert& insert,
                      const store::HistoryEntry& entry) override {
      for (size_t i = 0; i < insert.records.size(); ++i) {
        auto id = Insert(kind, insert.records[i], {entry.at, entry.actor, insert.changes[i], true});
        if (!id.ok()) return id.status();
      }
      return Status::Ok();
    }
    Result<std::vector<Record>> FindByKeys(RecordKind, const std::vector<std::string>&) override {
      return Status::Of(StatusCode::kUnavailable, "not used");
    }
    Result<int64_t> AddLocation(const std::string&) override {
      return Status::Of(StatusCode::kUnavailable, "not used");
    }
    Status DeleteCatalogEntry(store::CatalogKind, int64_t, std::optional<int64_t>) override {
      return Status::Ok();
    }
    Status Audit(const store::AuditEvent& event) override {
      audits_.push_back(event);
      return Status::Ok();
    }
    Status Commit() override {
      store_.rows = rows_;
      store_.audits.insert(store_.audits.end(), audits_.begin(), audits_.end());
      return Status::Ok();
    }

   private:
    MemoryRecordStore& store_;
    std::map<int64_t, Record> rows_;
    std::vector<store::AuditEvent> audits_;
  };
};

class FixedClock : public Clock {
 public:
  int64_t Now() const override { return 1'800'000'000; }
};

store::Person AgentWith(store::Role::AssetEdit edit) {
  store::Person p;
  p.id = 7;
  p.portal = store::Portal::kAgent;
  p.email = "agent@example.com";
  p.role = store::Role{3, "Custom", false, false, false, edit};
  return p;
}

Record Row(int64_t id, std::optional<int64_t> group) {
  Record r;
  r.id = id;
  r.details.name = "Laptop " + std::to_string(id);
  r.fields.group = group;
  r.version = 1;
  return r;
}

JsonValue Json(std::string_view text) {
  return ParseJson(text).value();
}

struct World {
  MemoryRecordStore store;
  FixedClock clock;
  RecordsService records{store, clock};
  World() {
    for (int64_t id : {1, 2, 3}) store.rows[id] = Row(id, id == 3 ? 2 : 1);
  }
};

TEST_CASE("A role that may edit nothing is refused with a code, and nothing is read or written",
          "[records_service]") {
  World w;
  auto result = w.records.Bulk(AgentWith(store::Role::AssetEdit::kNone), RecordKind::kAsset,
                               {{1, 2}, std::nullopt, {}}, Json(R"({"impact":"high"})"), "ip");
  REQUIRE_FALSE(result.ok());
  CHECK(result.code() == StatusCode::kPermissionDenied);
  CHECK(w.store.rows.at(1).version == 1);
  CHECK(w.store.audits.empty());
}

TEST_CASE("Group scope is decided per row by the service, before and after the change",
          "[records_service]") {
  World w;
  w.store.groups_of_actor = {1};
  const auto agent = AgentWith(store::Role::AssetEdit::kOwnGroups);
  // Row 3 belongs to group 2; 9 does not exist; 1 is listed twice.
  auto raised = w.records.Bulk(agent, RecordKind::kAsset, {{1, 3, 9, 1}, std::nullopt, {}},
                               Json(R"({"impact":"high"})"), "ip");
  REQUIRE(raised.ok());
  const auto& rows = raised.value();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].outcome == RowOutcome::kUpdated);
  CHECK(rows[0].version == 2);
  CHECK(rows[1].outcome == RowOutcome::kForbidden);
  CHECK(rows[2].outcome == RowOutcome::kNotFound);
  CHECK(w.store.rows.at(3).fields.impact == Impact::kLow);
  // One audit entry for the action, with the counts and the values before.
  REQUIRE(w.store.audits.size() == 1);
  auto details = ParseJson(w.store.audits[0].details).value();
  CHECK(details.Find("updated")->as_number() == 1);
  CHECK(details.Find("forbidden")->as_number() == 1);
  CHECK(details.Find("not_found")->as_number() == 1);
  CHECK(details.Find("before")->items().size() == 1);

  // Handing one's own record to another team is refused too.
  auto handed =
      w.records.Update(agent, RecordKind::kAsset, 2, 1, Json(R"({"managed_by_group_id":2})"), "ip");
  REQUIRE(handed.ok());
  CHECK(handed.value().outcome == RowOutcome::kForbidden);
  CHECK(w.store.rows.at(2).fields.group == 1);
}

TEST_CASE("A stale row version is a conflict that writes nothing", "[records_service]") {
  World w;
  const auto agent = AgentWith(store::Role::AssetEdit::kAll);
  auto stale =
      w.records.Update(agent, RecordKind::kAsset, 1, 0, Json(R"({"impact":"high"})"), "ip");
  REQUIRE(stale.ok());
  CHECK(stale.value().outcome == RowOutcome::kConflict);
  CHECK(stale.value().record.version == 1);  // the current row, for the page
  auto unchanged =
      w.records.Update(agent, RecordKind::kAsset, 1, 1, Json(R"({"impact":"low"})"), "ip");
  CHECK(unchanged.value().outcome == RowOutcome::kUnchanged);
  CHECK(w.store.audits.empty());
  auto saved =
      w.records.Update(agent, RecordKind::kAsset, 1, 1, Json(R"({"impact":"high"})"), "ip");
  CHECK(saved.value().outcome == RowOutcome::kUpdated);
  CHECK(saved.value().record.version == 2);
  CHECK(w.store.audits.size() == 1);
}

TEST_CASE("A write that fails midway leaves every row as it was", "[records_service]") {
  World w;
  w.store.fail_write_of = 2;
  auto result = w.records.Bulk(AgentWith(store::Role::AssetEdit::kAll), RecordKind::kAsset,
                               {{1, 2, 3}, std::nullopt, {}}, Json(R"({"impact":"high"})"), "ip");
  REQUIRE_FALSE(result.ok());
  CHECK(result.code() == StatusCode::kUnavailable);
  for (int64_t id : {1, 2, 3}) CHECK(w.store.rows.at(id).version == 1);
  CHECK(w.store.audits.empty());
}

TEST_CASE("A change naming an unknown id is invalid, with the field named", "[records_service]") {
  World w;
  auto result =
      w.records.Bulk(AgentWith(store::Role::AssetEdit::kAll), RecordKind::kAsset,
                     {{1}, std::nullopt, {}}, Json(R"({"managed_by_group_id":99})"), "ip");
  REQUIRE_FALSE(result.ok());
  CHECK(result.code() == StatusCode::kInvalidArgument);
  CHECK(result.error() == "managed_by_group_id: no group 99");
}

}  // namespace
}  // namespace deskgate::services
