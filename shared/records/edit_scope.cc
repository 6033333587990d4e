#include "shared/records/edit_scope.h"

#include "shared/core/json_writer.h"

namespace deskgate {

std::string EditScopeToJson(const EditScope& scope) {
  JsonWriter w;
  w.BeginObject().Key("all").Bool(scope.all);
  if (!scope.all) {
    w.Key("groups").BeginArray();
    for (int64_t id : scope.groups) w.Int(id);
    w.EndArray();
  }
  return w.EndObject().Take();
}

Result<EditScope> EditScopeFromJson(const JsonValue& json) {
  if (!json.is_object()) return Status::Error("edit_scope: must be an object");
  const JsonValue* all = json.Find("all");
  if (all == nullptr || !all->is_bool())
    return Status::Error("edit_scope.all: must be true or false");
  EditScope scope;
  scope.all = all->as_bool();
  if (const JsonValue* groups = json.Find("groups"); groups != nullptr && !scope.all) {
    if (!groups->is_array()) return Status::Error("edit_scope.groups: must be a list of ids");
    for (const JsonValue& item : groups->items()) {
      auto id = ReadRecordRef(item, "edit_scope.groups");
      if (!id.ok() || !id.value()) return Status::Error("edit_scope.groups: must be a list of ids");
      scope.groups.push_back(*id.value());
    }
    std::sort(scope.groups.begin(), scope.groups.end());
  }
  return scope;
}

}  // namespace deskgate
