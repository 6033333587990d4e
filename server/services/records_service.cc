#include "server/services/records_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "server/services/permissions.h"
#include "server/services/record_history.h"
#include "shared/core/json_writer.h"

namespace deskgate::services {
namespace {

// The bulk action's audit details: what was asked, the counts, and every
// updated row's values before ([[id, impact, location, group, agent], …]),
// so an administrator can see and undo what a bulk action did.
// The audit entry of a bulk action: what it did, its counts, and what each
// updated row held before (enough to put every row back).
std::string BulkAuditDetails(store::RecordKind kind, const store::RecordSelection& selection,
                             const std::string& change, const std::vector<RowResult>& rows) {
  int64_t counts[5] = {};
  for (const RowResult& r : rows) ++counts[static_cast<int>(r.outcome)];
  JsonWriter w(128 + rows.size() * 32);
  w.BeginObject().Key("kind").String(store::RecordKindName(kind));
  w.Key("selection").String(selection.filter ? "filter" : "ids");
  w.Key("change").Raw(change);
  for (RowOutcome o : {RowOutcome::kUpdated, RowOutcome::kUnchanged, RowOutcome::kNotFound,
                       RowOutcome::kForbidden}) {
    w.Key(BulkOutcomeName(o)).Int(counts[static_cast<int>(o)]);
  }
  w.Key("before").BeginArray();
  for (const RowResult& r : rows) {
    if (r.outcome != RowOutcome::kUpdated) continue;
    w.BeginArray().Int(r.id).String(ImpactName(r.before.impact));
    w.OptionalInt(r.before.location).OptionalInt(r.before.group).OptionalInt(r.before.agent);
    w.EndArray();
  }
  w.EndArray().EndObject();
  return w.Take();
}

std::string UpdateAuditDetails(store::RecordKind kind, int64_t id, const std::string& changes) {
  JsonWriter w;
  w.BeginObject().Key("kind").String(store::RecordKindName(kind)).Key("id").Int(id);
  w.Key("changes").Raw(changes).EndObject();
  return w.Take();
}

// The asset tag (the one value a list keeps unique) is another record's.
Status TagTaken(store::RecordKind kind, const store::Record& record) {
  if (kind != store::RecordKind::kAsset) {
    return Status::Of(StatusCode::kInternal, "the record could not be saved");
  }
  return Status::Of(StatusCode::kConflict,
                    "asset_tag: " + record.details.detail1 + " is another asset's tag");
}

}  // namespace

// {"field":[before, after], …} over everything that differs, details and
// the four list fields alike, and "retired" when that changed.
std::string RecordChangesJson(store::RecordKind kind, const store::Record& before,
                              const store::Record& after) {
  JsonWriter w;
  w.BeginObject();
  WriteDetailChanges(w, kind, before.details, after.details);
  if ((before.retired_at != 0) != (after.retired_at != 0)) {
    w.Key("retired").BeginArray().Bool(before.retired_at != 0).Bool(after.retired_at != 0);
    w.EndArray();
  }
  std::string details = w.EndObject().Take();
  const std::string fields = RecordFieldChangesJson(before.fields, after.fields);
  if (fields.size() <= 2) return details;
  if (details.size() <= 2) return fields;
  details.pop_back();
  return details + "," + fields.substr(1);
}

namespace {

// A bulk row's history: what its fields change to and, when it is retired
// or restored, "retired" — RecordChangesJson of a record whose details stay.
std::string StateChangesJson(const store::RecordState& before, const store::RecordState& after) {
  const std::string fields = RecordFieldChangesJson(before.fields, after.fields);
  if ((before.retired_at != 0) == (after.retired_at != 0)) return fields;
  JsonWriter w;
  w.BeginObject().Key("retired").BeginArray();
  w.Bool(before.retired_at != 0).Bool(after.retired_at != 0).EndArray();
  std::string changes = w.EndObject().Take();
  if (fields.size() <= 2) return changes;
  changes.pop_back();
  return changes + "," + fields.substr(1);
}

// The history texts of a bulk write's rows, each distinct text once
// (ManyWrite::changes). A row whose change is the previous row's (the same
// fields and list before and after) shares its text without writing it.
class BulkChangeTexts {
 public:
  explicit BulkChangeTexts(store::RecordWrite::ManyWrite& write) : write_(write) {}

  void Add(const store::RecordState& before, const store::RecordState& after) {
    const Key key{before.fields, after.fields, before.retired_at != 0, after.retired_at != 0};
    if (!last_ || !(last_->first == key)) {
      std::string text = StateChangesJson(before, after);
      const auto [at, added] =
          index_of_.try_emplace(text, static_cast<uint32_t>(write_.changes.size()));
      if (added) write_.changes.push_back(std::move(text));
      last_.emplace(key, at->second);
    }
    write_.change_of.push_back(last_->second);
  }

 private:
  struct Key {
    RecordFields before, after;
    bool was_retired = false, is_retired = false;
    bool operator==(const Key&) const = default;
  };
  store::RecordWrite::ManyWrite& write_;
  std::unordered_map<std::string, uint32_t> index_of_;
  std::optional<std::pair<Key, uint32_t>> last_;
};

}  // namespace

// A failure inside the write transaction: the rules allowed the change and
// the store did not take it (a full disk, a constraint the database holds).
// Nothing was written; whatever the store said, it is not the caller's to fix.
Status Unsaved(const Status& store_error) {
  if (store_error.code() == StatusCode::kUnavailable) return store_error;
  return Status::Of(StatusCode::kInternal, store_error.message());
}

Result<EditScope> RecordsService::ScopeOf(const store::Person& actor) {
  using AssetEdit = store::Role::AssetEdit;
  const AssetEdit edit = PermissionsOf(actor).asset_edit;
  if (edit == AssetEdit::kNone) {
    return Status::Of(StatusCode::kPermissionDenied,
                      "your role does not allow editing assets and software");
  }
  EditScope scope;
  scope.all = edit == AssetEdit::kAll;
  if (!scope.all) {
    auto groups = store_.GroupsOf(actor.id);
    if (!groups.ok()) return groups.status();
    scope.groups = std::move(groups).value();
    std::sort(scope.groups.begin(), scope.groups.end());
  }
  return scope;
}

Result<RecordChange> RecordsService::CheckedChange(const JsonValue& change_json) {
  auto change = RecordChangeFromJson(change_json);
  if (!change.ok()) return change.status();
  auto names = store_.ListRecordNames();
  if (!names.ok()) return names.status();
  if (Status s = ValidateRecordChange(change.value(), names.value().Ids()); !s.ok()) return s;
  return change;
}

Result<RecordUpdate> RecordsService::Update(const store::Person& actor, store::RecordKind kind,
                                            int64_t id, std::optional<int64_t> expected_version,
                                            const JsonValue& change_json, const std::string& ip) {
  auto edit = CheckedEdit(kind, change_json, false);
  if (!edit.ok()) return edit.status();
  return Apply(actor, kind, id, expected_version, edit.value(), ip);
}

Result<RecordUpdate> RecordsService::SetRetired(const store::Person& actor, store::RecordKind kind,
                                                int64_t id, std::optional<int64_t> expected_version,
                                                bool retired, const std::string& ip) {
  RecordEdit edit;
  edit.details.retired = retired;
  return Apply(actor, kind, id, expected_version, edit, ip);
}

Result<RecordUpdate> RecordsService::Apply(const store::Person& actor, store::RecordKind kind,
                                           int64_t id, std::optional<int64_t> expected_version,
                                           const RecordEdit& edit, const std::string& ip) {
  auto scope = ScopeOf(actor);
  if (!scope.ok()) return scope.status();
  auto tx = store_.BeginRecordWrite();
  if (!tx.ok()) return Unsaved(tx.status());
  auto current = tx.value()->Get(kind, id);
  if (!current.ok()) return Unsaved(current.status());
  RecordUpdate update;
  if (!current.value()) return update;  // kNotFound
  const store::Record before = *current.value();
  update.record = before;
  if (expected_version && before.version != *expected_version) {
    update.outcome = RowOutcome::kConflict;
    return update;
  }
  const int64_t now = clock_.Now();
  store::Record after = before;
  const bool details_changed = ApplyDetailsChange(edit.details, after.details);
  const bool fields_changed = ApplyRecordChange(edit.fields, after.fields);
  if (edit.details.retired && *edit.details.retired != (before.retired_at != 0)) {
    after.retired_at = *edit.details.retired ? now : 0;
  }
  if (!scope.value().AllowsChange(before.fields, after.fields)) {
    update.outcome = RowOutcome::kForbidden;
    return update;
  }
  if (!details_changed && !fields_changed && after.retired_at == before.retired_at) {
    update.outcome = RowOutcome::kUnchanged;
    return update;
  }
  const std::string changes = RecordChangesJson(kind, before, after);
  if (Status s = tx.value()->Write(kind, before, after, {now, actor.id, changes, false}); !s.ok()) {
    return s.code() == StatusCode::kConflict ? TagTaken(kind, after) : Unsaved(s);
  }
  const char* what = after.retired_at == before.retired_at ? ".updated"
                     : after.retired_at                    ? ".retired"
                                                           : ".restored";
  Status s =
      tx.value()->Audit({now, actor.id, "agent", store::RecordKindName(kind) + std::string(what),
                         "", ip, UpdateAuditDetails(kind, id, changes)});
  if (s.ok()) s = tx.value()->Commit();
  ++write_generation_;
  if (!s.ok()) return Unsaved(s);
  update.outcome = RowOutcome::kUpdated;
  update.record = after;
  update.record.version = before.version + 1;
  update.record.updated_at = now;
  return update;
}

Result<store::Record> RecordsService::Create(const store::Person& actor, store::RecordKind kind,
                                             const JsonValue& body, const std::string& ip) {
  auto scope = ScopeOf(actor);
  if (!scope.ok()) return scope.status();
  auto edit = CheckedEdit(kind, body, true);
  if (!edit.ok()) return edit.status();
  const int64_t now = clock_.Now();
  store::Record record;
  ApplyDetailsChange(edit.value().details, record.details);
  ApplyRecordChange(edit.value().fields, record.fields);
  if (edit.value().details.retired.value_or(false)) record.retired_at = now;
  if (!scope.value().Allows(record.fields)) {
    return Status::Of(StatusCode::kPermissionDenied, std::string(kLeavesEditScope));
  }
  auto tx = store_.BeginRecordWrite();
  if (!tx.ok()) return Unsaved(tx.status());
  // The history's first row: every value the record was created with.
  const std::string changes = RecordChangesJson(kind, store::Record(), record);
  auto id = tx.value()->Insert(kind, record, {now, actor.id, changes, false});
  if (!id.ok()) {
    return id.code() == StatusCode::kConflict ? TagTaken(kind, record) : Unsaved(id.status());
  }
  record.id = id.value();
  Status s = tx.value()->Audit({now, actor.id, "agent",
                                store::RecordKindName(kind) + std::string(".created"), "", ip,
                                UpdateAuditDetails(kind, record.id, changes)});
  if (s.ok()) s = tx.value()->Commit();
  ++write_generation_;
  if (!s.ok()) return Unsaved(s);
  record.version = 1;
  record.updated_at = now;
  return record;
}

Result<RecordEdit> RecordsService::CheckedEdit(store::RecordKind kind, const JsonValue& body,
                                               bool creating) {
  auto edit = RecordEditFromJson(kind, body, creating);
  if (!edit.ok()) return edit.status();
  if (edit.value().fields.empty()) return edit;
  auto names = store_.ListRecordNames();
  if (!names.ok()) return names.status();
  if (Status s = ValidateRecordChange(edit.value().fields, names.value().Ids()); !s.ok()) return s;
  return edit;
}

Result<int64_t> RecordsService::DeleteCatalogEntry(const store::Person& actor,
                                                   store::CatalogKind kind, int64_t id,
                                                   std::optional<int64_t> move_to,
                                                   const std::string& ip) {
  auto tx = store_.BeginRecordWrite();
  if (!tx.ok()) return Unsaved(tx.status());
  const int64_t now = clock_.Now();
  const store::HistoryEntry entry{now, actor.id, "", true};
  const bool location = kind == store::CatalogKind::kLocation;
  int64_t moved = 0;
  for (store::RecordKind record_kind : {store::RecordKind::kAsset, store::RecordKind::kSoftware}) {
    for (bool retired : {false, true}) {  // retired records keep their references too
      store::RecordSelection naming;
      naming.filter.emplace();
      naming.filter->retired = retired;
      (location ? naming.filter->location : naming.filter->group) = RefFilter{true, id};
      auto rows = tx.value()->Select(record_kind, naming);
      if (!rows.ok()) return Unsaved(rows.status());
      for (const store::Record& row : rows.value()) {
        store::Record after = row;
        (location ? after.fields.location : after.fields.group) = move_to;
        store::HistoryEntry history = entry;
        history.changes = RecordFieldChangesJson(row.fields, after.fields);
        if (Status s = tx.value()->Write(record_kind, row, after, history); !s.ok())
          return Unsaved(s);
        ++moved;
      }
    }
  }
  if (Status s = tx.value()->DeleteCatalogEntry(kind, id, location ? std::nullopt : move_to);
      !s.ok()) {
    return s.code() == StatusCode::kNotFound ? s : Unsaved(s);
  }
  JsonWriter details;
  details.BeginObject().Key("id").Int(id).Key("moved_to").OptionalInt(move_to);
  details.Key("records_moved").Int(moved).EndObject();
  Status s = tx.value()->Audit({now, actor.id, "agent",
                                std::string(store::CatalogKindName(kind)) + ".deleted", "", ip,
                                details.Take()});
  if (s.ok()) s = tx.value()->Commit();
  ++write_generation_;
  if (!s.ok()) return Unsaved(s);
  return moved;
}

Result<std::vector<RowResult>> RecordsService::Bulk(const store::Person& actor,
                                                    store::RecordKind kind,
                                                    const store::RecordSelection& selection,
                                                    const JsonValue& change_json,
                                                    const std::string& ip) {
  auto change = CheckedChange(change_json);
  if (!change.ok()) return change.status();
  BulkPlan plan;
  plan.change = change.value();
  return RunBulk(actor, kind, selection, "bulk_updated", RecordChangeToJson(change.value()), plan,
                 ip);
}

Result<std::vector<RowResult>> RecordsService::BulkRetire(const store::Person& actor,
                                                          store::RecordKind kind,
                                                          const store::RecordSelection& selection,
                                                          bool retired, const std::string& ip) {
  BulkPlan plan;
  plan.retire = retired;
  return RunBulk(actor, kind, selection, retired ? "bulk_retired" : "bulk_restored",
                 retired ? R"({"retired":true})" : R"({"retired":false})", plan, ip);
}

Result<std::vector<RowResult>> RecordsService::RunBulk(
    const store::Person& actor, store::RecordKind kind, const store::RecordSelection& selection,
    const char* event, const std::string& change, const BulkPlan& plan, const std::string& ip) {
  auto scope = ScopeOf(actor);
  if (!scope.ok()) return scope.status();
  auto tx = store_.BeginRecordWrite();
  if (!tx.ok()) return Unsaved(tx.status());
  // The selected records' states as they are inside this transaction.
  auto found = tx.value()->SelectStates(kind, selection);
  if (!found.ok()) return Unsaved(found.status());
  const store::HistoryEntry entry{clock_.Now(), actor.id, "", true};
  store::RecordWrite::ManyWrite write;
  write.change = plan.change;
  if (plan.retire) write.retired_at = *plan.retire ? entry.at : 0;
  std::vector<RowResult> rows;
  rows.reserve(found.value().size());
  BulkChangeTexts texts(write);
  // What the plan comes to for one row: forbidden, unchanged or updated
  // (then written with the others below).
  const auto decide = [&](const store::RecordState& row) {
    store::RecordState after = row;
    bool changed = ApplyRecordChange(plan.change, after.fields);
    if (plan.retire && *plan.retire != (row.retired_at != 0)) {
      after.retired_at = *write.retired_at;
      changed = true;
    }
    if (!scope.value().Allows(row.fields) || (changed && !scope.value().Allows(after.fields))) {
      return rows.push_back({row.id, RowOutcome::kForbidden, row.version, row.fields});
    }
    if (!changed) return rows.push_back({row.id, RowOutcome::kUnchanged, row.version, row.fields});
    write.rows.push_back(&row);
    texts.Add(row, after);
    rows.push_back({row.id, RowOutcome::kUpdated, row.version + 1, row.fields});
  };
  if (selection.filter) {
    for (const store::RecordState& r : found.value()) decide(r);
  } else {
    // In the order the ids were given; a repeated id counts once.
    std::unordered_map<int64_t, const store::RecordState*> by_id;
    for (const store::RecordState& r : found.value()) by_id.emplace(r.id, &r);
    std::unordered_set<int64_t> done;
    for (int64_t id : selection.ids) {
      if (!done.insert(id).second) continue;
      auto it = by_id.find(id);
      if (it == by_id.end()) {
        rows.push_back({id, RowOutcome::kNotFound, 0, {}});
      } else {
        decide(*it->second);
      }
    }
  }
  Status s = tx.value()->WriteMany(kind, write, entry);
  const std::string name = std::string(store::RecordKindName(kind)) + "." + event;
  if (s.ok()) {
    s = tx.value()->Audit({entry.at, actor.id, "agent", name, "", ip,
                           BulkAuditDetails(kind, selection, change, rows)});
  }
  if (s.ok()) s = tx.value()->Commit();
  ++write_generation_;
  if (!s.ok()) return Unsaved(s);
  return rows;
}

}  // namespace deskgate::services
