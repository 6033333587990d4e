#include "server/services/records_service.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "server/services/permissions.h"
#include "shared/core/json_writer.h"

namespace deskgate::services {
namespace {

// The bulk action's audit details: what was asked, the counts, and every
// updated row's values before ([[id, impact, location, group, agent], …]),
// so an administrator can see and undo what a bulk action did.
std::string BulkAuditDetails(store::RecordKind kind, const store::RecordSelection& selection,
                             const RecordChange& change, const std::vector<RowResult>& rows) {
  int64_t counts[5] = {};
  for (const RowResult& r : rows) ++counts[static_cast<int>(r.outcome)];
  JsonWriter w(128 + rows.size() * 32);
  w.BeginObject().Key("kind").String(store::RecordKindName(kind));
  w.Key("selection").String(selection.filter ? "filter" : "ids");
  w.Key("change").Raw(RecordChangeToJson(change));
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

// A failure inside the write transaction: the rules allowed the change and
// the store did not take it (a full disk, a constraint the database holds).
// Nothing was written; whatever the store said, it is not the caller's to fix.
Status Unsaved(const Status& store_error) {
  if (store_error.code() == StatusCode::kUnavailable) return store_error;
  return Status::Of(StatusCode::kInternal, store_error.message());
}

}  // namespace

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

Result<RowResult> RecordsService::ApplyToRow(store::RecordWrite& tx, store::RecordKind kind,
                                             const store::Record& row, const RecordChange& change,
                                             const EditScope& scope,
                                             const store::HistoryEntry& entry) {
  RecordFields after = row.fields;
  const bool changed = ApplyRecordChange(change, after);
  if (!scope.Allows(row.fields) || (changed && !scope.Allows(after))) {
    return RowResult{row.id, RowOutcome::kForbidden, row.version, row.fields};
  }
  if (!changed) return RowResult{row.id, RowOutcome::kUnchanged, row.version, row.fields};
  store::HistoryEntry history = entry;
  history.changes = RecordFieldChangesJson(row.fields, after);
  if (Status s = tx.Write(kind, row.id, after, history); !s.ok()) return s;
  return RowResult{row.id, RowOutcome::kUpdated, row.version + 1, row.fields};
}

Result<RecordUpdate> RecordsService::Update(const store::Person& actor, store::RecordKind kind,
                                            int64_t id, int64_t expected_version,
                                            const JsonValue& change_json, const std::string& ip) {
  auto scope = ScopeOf(actor);
  if (!scope.ok()) return scope.status();
  auto change = CheckedChange(change_json);
  if (!change.ok()) return change.status();
  auto tx = store_.BeginRecordWrite();
  if (!tx.ok()) return Unsaved(tx.status());
  auto current = tx.value()->Get(kind, id);
  if (!current.ok()) return Unsaved(current.status());
  RecordUpdate update;
  if (!current.value()) return update;  // kNotFound
  update.record = *current.value();
  if (update.record.version != expected_version) {
    update.outcome = RowOutcome::kConflict;
    return update;
  }
  const int64_t now = clock_.Now();
  auto row = ApplyToRow(*tx.value(), kind, update.record, change.value(), scope.value(),
                        {now, actor.id, "", false});
  if (!row.ok()) return Unsaved(row.status());
  update.outcome = row.value().outcome;
  if (update.outcome != RowOutcome::kUpdated) return update;  // nothing written
  const RecordFields before = update.record.fields;
  ApplyRecordChange(change.value(), update.record.fields);
  update.record.version = row.value().version;
  update.record.updated_at = now;
  const std::string event = std::string(store::RecordKindName(kind)) + ".updated";
  Status s = tx.value()->Audit(
      {now, actor.id, "agent", event, "", ip,
       UpdateAuditDetails(kind, id, RecordFieldChangesJson(before, update.record.fields))});
  if (s.ok()) s = tx.value()->Commit();
  ++write_generation_;
  if (!s.ok()) return Unsaved(s);
  return update;
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
  store::RecordSelection naming;
  naming.filter.emplace();
  (location ? naming.filter->location : naming.filter->group) = RefFilter{true, id};
  int64_t moved = 0;
  for (store::RecordKind record_kind : {store::RecordKind::kAsset, store::RecordKind::kSoftware}) {
    auto rows = tx.value()->Select(record_kind, naming);
    if (!rows.ok()) return Unsaved(rows.status());
    for (const store::Record& row : rows.value()) {
      RecordFields after = row.fields;
      (location ? after.location : after.group) = move_to;
      store::HistoryEntry history = entry;
      history.changes = RecordFieldChangesJson(row.fields, after);
      if (Status s = tx.value()->Write(record_kind, row.id, after, history); !s.ok()) {
        return Unsaved(s);
      }
      ++moved;
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
  auto scope = ScopeOf(actor);
  if (!scope.ok()) return scope.status();
  auto change = CheckedChange(change_json);
  if (!change.ok()) return change.status();
  auto tx = store_.BeginRecordWrite();
  if (!tx.ok()) return Unsaved(tx.status());
  // The selected records as they are inside this transaction.
  auto found = tx.value()->Select(kind, selection);
  if (!found.ok()) return Unsaved(found.status());
  const int64_t now = clock_.Now();
  const store::HistoryEntry entry{now, actor.id, "", true};
  std::vector<RowResult> rows;
  auto apply = [&](const store::Record& r) -> Status {
    auto row = ApplyToRow(*tx.value(), kind, r, change.value(), scope.value(), entry);
    if (!row.ok()) return row.status();
    rows.push_back(std::move(row).value());
    return Status::Ok();
  };
  if (selection.filter) {
    for (const store::Record& r : found.value()) {
      if (Status s = apply(r); !s.ok()) return Unsaved(s);
    }
  } else {
    // In the order the ids were given; a repeated id counts once.
    std::unordered_map<int64_t, const store::Record*> by_id;
    for (const store::Record& r : found.value()) by_id.emplace(r.id, &r);
    std::unordered_set<int64_t> done;
    for (int64_t id : selection.ids) {
      if (!done.insert(id).second) continue;
      auto it = by_id.find(id);
      if (it == by_id.end()) {
        rows.push_back({id, RowOutcome::kNotFound, 0, {}});
      } else if (Status s = apply(*it->second); !s.ok()) {
        return Unsaved(s);
      }
    }
  }
  const std::string event = std::string(store::RecordKindName(kind)) + ".bulk_updated";
  Status s = tx.value()->Audit({now, actor.id, "agent", event, "", ip,
                                BulkAuditDetails(kind, selection, change.value(), rows)});
  if (s.ok()) s = tx.value()->Commit();
  ++write_generation_;
  if (!s.ok()) return Unsaved(s);
  return rows;
}

}  // namespace deskgate::services
