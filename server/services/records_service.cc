#include "server/services/records_service.h"

#include "server/services/permissions.h"

namespace deskgate::services {
namespace {

template <typename T, typename U>
EditResult<T> Fail(const EditResult<U>& from) {
  return {from.error, from.message, T{}};
}

template <typename T>
EditResult<T> Fail(EditError error, std::string message) {
  return {error, std::move(message), T{}};
}

}  // namespace

EditResult<store::EditScope> RecordsService::ScopeOf(const store::Person& actor) {
  using AssetEdit = store::Role::AssetEdit;
  const AssetEdit edit = PermissionsOf(actor).asset_edit;
  if (edit == AssetEdit::kNone) {
    return Fail<store::EditScope>(EditError::kForbidden,
                                  "your role does not allow editing assets and software");
  }
  store::EditScope scope;
  scope.all = edit == AssetEdit::kAll;
  if (!scope.all) {
    auto groups = store_.GroupsOf(actor.id);
    if (!groups.ok()) return Fail<store::EditScope>(EditError::kError, groups.error());
    scope.groups = std::move(groups).value();
  }
  return {EditError::kNone, "", std::move(scope)};
}

EditResult<RecordChange> RecordsService::CheckedChange(const JsonValue& change_json) {
  auto change = RecordChangeFromJson(change_json);
  if (!change.ok()) return Fail<RecordChange>(EditError::kBadRequest, change.error());
  auto names = store_.ListRecordNames();
  if (!names.ok()) return Fail<RecordChange>(EditError::kError, names.error());
  if (Status s = ValidateRecordChange(change.value(), names.value().Ids()); !s.ok()) {
    return Fail<RecordChange>(EditError::kBadRequest, s.message());
  }
  return {EditError::kNone, "", std::move(change).value()};
}

EditResult<store::RecordUpdate> RecordsService::Update(const store::Person& actor,
                                                       store::RecordKind kind, int64_t id,
                                                       int64_t expected_version,
                                                       const JsonValue& change_json,
                                                       const std::string& ip) {
  auto scope = ScopeOf(actor);
  if (!scope.ok()) return Fail<store::RecordUpdate>(scope);
  auto change = CheckedChange(change_json);
  if (!change.ok()) return Fail<store::RecordUpdate>(change);
  const std::string event = std::string(store::RecordKindName(kind)) + ".updated";
  auto updated = store_.UpdateRecord(kind, id, expected_version, change.value, scope.value,
                                     {clock_.Now(), actor.id, "agent", event, "", ip, "{}"});
  ++write_generation_;
  if (!updated.ok()) return Fail<store::RecordUpdate>(EditError::kError, updated.error());
  return {EditError::kNone, "", std::move(updated).value()};
}

EditResult<std::vector<store::RowResult>> RecordsService::Bulk(
    const store::Person& actor, store::RecordKind kind, const store::RecordSelection& selection,
    const JsonValue& change_json, const std::string& ip) {
  using Rows = std::vector<store::RowResult>;
  auto scope = ScopeOf(actor);
  if (!scope.ok()) return Fail<Rows>(scope);
  auto change = CheckedChange(change_json);
  if (!change.ok()) return Fail<Rows>(change);
  const std::string event = std::string(store::RecordKindName(kind)) + ".bulk_updated";
  auto results = store_.BulkUpdate(kind, selection, change.value, scope.value,
                                   {clock_.Now(), actor.id, "agent", event, "", ip, "{}"});
  ++write_generation_;
  if (!results.ok()) return Fail<Rows>(EditError::kError, results.error());
  return {EditError::kNone, "", std::move(results).value()};
}

}  // namespace deskgate::services
