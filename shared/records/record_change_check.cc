#include "shared/records/record_change_check.h"

#include <vector>

#include "shared/core/json_fields.h"
#include "shared/core/json_writer.h"

namespace deskgate {
namespace {

Status ReadIds(const JsonValue& object, const char* key, std::vector<int64_t>& out) {
  const JsonValue* list = object.Find(key);
  if (list == nullptr) return Status::Ok();
  if (!list->is_array()) return Status::Error(std::string(key) + ": must be an array of ids");
  out.reserve(list->items().size());
  for (const JsonValue& item : list->items()) {
    auto id = ReadRecordRef(item, key);  // null reads as "none", which no list holds
    if (!id.ok() || !id.value())
      return Status::Error(std::string(key) + ": must be an array of positive integers");
    // Insertion sort: the lists hold hundreds of ids, not millions, and
    // std::sort would add 1 KB to the WebAssembly module.
    auto at = out.end();
    while (at != out.begin() && *(at - 1) > *id.value()) --at;
    out.insert(at, *id.value());
  }
  return Status::Ok();
}

}  // namespace

Result<RecordVocabulary> ParseRecordVocabulary(std::string_view json) {
  auto object = ParseObject(json, "vocabulary", {"locations", "groups", "agents"});
  if (!object.ok()) return object.status();
  RecordVocabulary vocabulary;
  Status s = ReadIds(object.value(), "locations", vocabulary.locations);
  if (s.ok()) s = ReadIds(object.value(), "groups", vocabulary.groups);
  if (s.ok()) s = ReadIds(object.value(), "agents", vocabulary.agents);
  if (!s.ok()) return s;
  return vocabulary;
}

std::string CheckRecordChangeJson(std::string_view change_json,
                                  const RecordVocabulary& vocabulary) {
  auto change = ParseRecordChange(change_json);
  Status status = change.ok() ? ValidateRecordChange(change.value(), vocabulary) : change.status();
  JsonWriter w;
  w.BeginObject().Key("ok").Bool(status.ok());
  if (status.ok()) {
    w.Key("change").Raw(RecordChangeToJson(change.value()));
  } else {
    w.Key("error").String(status.message());
  }
  w.EndObject();
  return w.Take();
}

std::string CheckRecordEditJson(RecordKind kind, std::string_view json, bool creating,
                                const RecordVocabulary& vocabulary) {
  auto edit = ParseRecordEdit(kind, json, creating);
  Status status = edit.ok() ? ValidateRecordChange(edit.value().fields, vocabulary) : edit.status();
  JsonWriter w;
  w.BeginObject().Key("ok").Bool(status.ok());
  if (status.ok()) {
    w.Key("record").Raw(RecordEditToJson(kind, edit.value()));
  } else {
    w.Key("error").String(status.message());
  }
  w.EndObject();
  return w.Take();
}

}  // namespace deskgate
