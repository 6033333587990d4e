#include "shared/records/record_details.h"

#include <cmath>

#include "shared/core/char_class.h"
#include "shared/core/json_writer.h"
#include "shared/core/utf8.h"

namespace deskgate {
namespace {

// One text field of a kind: its JSON key, its limit, whether it may hold
// line breaks, and where it lives.
struct TextField {
  const char* key;
  size_t max_chars;
  bool multiline;
  std::optional<std::string> DetailsChange::*change;
  std::string RecordDetails::*value;
};

constexpr TextField kAssetText[] = {
    {"name", kMaxNameLength, false, &DetailsChange::name, &RecordDetails::name},
    {"asset_tag", kMaxTagLength, false, &DetailsChange::detail1, &RecordDetails::detail1},
    {"type", kMaxShortTextLength, false, &DetailsChange::detail2, &RecordDetails::detail2},
    {"serial_number", kMaxShortTextLength, false, &DetailsChange::serial_number,
     &RecordDetails::serial_number},
    {"notes", kMaxNotesLength, true, &DetailsChange::notes, &RecordDetails::notes},
};
constexpr TextField kSoftwareText[] = {
    {"name", kMaxNameLength, false, &DetailsChange::name, &RecordDetails::name},
    {"publisher", kMaxNameLength, false, &DetailsChange::detail1, &RecordDetails::detail1},
    {"version_string", kMaxShortTextLength, false, &DetailsChange::detail2,
     &RecordDetails::detail2},
    {"notes", kMaxNotesLength, true, &DetailsChange::notes, &RecordDetails::notes},
};

template <typename F>
void ForTextFields(RecordKind kind, F&& f) {
  if (kind == RecordKind::kAsset) {
    for (const TextField& t : kAssetText) f(t);
  } else {
    for (const TextField& t : kSoftwareText) f(t);
  }
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string Trimmed(std::string_view text) {
  size_t begin = 0, end = text.size();
  while (begin < end && IsSpace(text[begin])) ++begin;
  while (end > begin && IsSpace(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

// The value of a text field, trimmed, or an error naming it.
Result<std::string> ReadText(const JsonValue& value, const TextField& field) {
  const std::string key = field.key;
  if (!value.is_string()) return Status::Error(key + ": must be text");
  if (!IsValidUtf8(value.as_string())) return Status::Error(key + ": must be valid UTF-8");
  std::string text = Trimmed(value.as_string());
  const DecodedText decoded = DecodeUtf8(text);
  for (char32_t cp : decoded.code_points) {
    const bool allowed_break = field.multiline && (cp == '\n' || cp == '\r' || cp == '\t');
    if (IsControl(cp) && !allowed_break) {
      return Status::Error(
          key + (field.multiline ? ": must not hold control characters" : ": one line of text"));
    }
  }
  if (decoded.code_points.size() > field.max_chars) {
    return Status::Error(key + ": at most " + std::to_string(field.max_chars) + " characters");
  }
  return text;
}

Status ReadStatus(const JsonValue& value, DetailsChange& change) {
  const std::string name = value.is_string() ? value.as_string() : "";
  if (name == "in_use") {
    change.status = AssetStatus::kInUse;
  } else if (name == "in_stock") {
    change.status = AssetStatus::kInStock;
  } else if (name != "retired") {
    return Status::Error("status: must be in_use, in_stock or retired");
  }
  change.retired = name == "retired";
  return Status::Ok();
}

Status ReadLicences(const JsonValue& value, DetailsChange& change) {
  change.licence_set = true;
  if (value.is_null()) return Status::Ok();
  const double n = value.is_number() ? value.as_number() : -1;
  if (!value.is_number() || n < 0 || n > static_cast<double>(kMaxLicenceCount) ||
      std::floor(n) != n) {
    return Status::Error("licence_count: must be a whole number from 0 to 1000000000, or null");
  }
  change.licence_count = static_cast<int64_t>(n);
  return Status::Ok();
}

bool IsFieldKey(std::string_view key) {
  return key == "impact" || key == "location_id" || key == "managed_by_group_id" ||
         key == "managed_by_agent_id";
}

}  // namespace

const char* AssetStatusName(AssetStatus status) {
  return status == AssetStatus::kInStock ? "in_stock" : "in_use";
}

const char* Detail1Key(RecordKind kind) {
  return kind == RecordKind::kAsset ? "asset_tag" : "publisher";
}
const char* Detail2Key(RecordKind kind) {
  return kind == RecordKind::kAsset ? "type" : "version_string";
}

Result<RecordEdit> RecordEditFromJson(RecordKind kind, const JsonValue& object, bool creating) {
  if (!object.is_object()) return Status::Error("record: must be a JSON object");
  RecordEdit edit;
  std::vector<JsonValue::Member> field_members;
  for (const JsonValue::Member& member : object.members()) {
    // (Named, not a structured binding: clang 14 cannot capture those.)
    const std::string& key = member.first;
    const JsonValue& value = member.second;
    bool known = false;
    Status s = Status::Ok();
    ForTextFields(kind, [&](const TextField& t) {
      if (known || key != t.key) return;
      known = true;
      auto text = ReadText(value, t);
      if (!text.ok()) {
        s = text.status();
      } else {
        edit.details.*t.change = std::move(text).value();
      }
    });
    if (!known && kind == RecordKind::kAsset && key == "status") {
      known = true;
      s = ReadStatus(value, edit.details);
    } else if (!known && kind == RecordKind::kSoftware && key == "licence_count") {
      known = true;
      s = ReadLicences(value, edit.details);
    } else if (!known && IsFieldKey(key)) {
      known = true;
      field_members.emplace_back(key, value);
    }
    if (!known) {
      return Status::Error(std::string(creating ? "record" : "change") + ": unknown field \"" +
                           key + "\"");
    }
    if (!s.ok()) return s;
  }
  if (!field_members.empty()) {
    auto fields = RecordChangeFromJson(JsonValue::Object(std::move(field_members)));
    if (!fields.ok()) return fields.status();
    edit.fields = std::move(fields).value();
  }
  const auto blank = [](const std::optional<std::string>& v) { return v && v->empty(); };
  if (blank(edit.details.name) || (creating && !edit.details.name)) {
    return Status::Error("name: required");
  }
  if (kind == RecordKind::kAsset &&
      (blank(edit.details.detail1) || (creating && !edit.details.detail1))) {
    return Status::Error("asset_tag: required");
  }
  if (!creating && edit.details.empty() && edit.fields.empty()) {
    return Status::Error("change: names no field");
  }
  return edit;
}

Result<RecordEdit> ParseRecordEdit(RecordKind kind, std::string_view json, bool creating) {
  auto parsed = ParseJson(json);
  if (!parsed.ok()) return Status::Error("record: " + parsed.error());
  return RecordEditFromJson(kind, parsed.value(), creating);
}

std::string RecordEditToJson(RecordKind kind, const RecordEdit& edit) {
  JsonWriter w;
  w.BeginObject();
  ForTextFields(kind, [&](const TextField& t) {
    if (const auto& value = edit.details.*t.change) w.Key(t.key).String(*value);
  });
  if (edit.details.retired) {
    w.Key("status").String(*edit.details.retired ? "retired"
                           : edit.details.status ? AssetStatusName(*edit.details.status)
                                                 : "in_use");
  }
  if (edit.details.licence_set) w.Key("licence_count").OptionalInt(edit.details.licence_count);
  const std::string fields = RecordChangeToJson(edit.fields);
  std::string out = w.EndObject().Take();
  if (fields.size() <= 2) return out;
  if (out.size() <= 2) return fields;
  out.pop_back();
  return out + "," + fields.substr(1);
}

bool ApplyDetailsChange(const DetailsChange& change, RecordDetails& details) {
  const RecordDetails before = details;
  if (change.name) details.name = *change.name;
  if (change.detail1) details.detail1 = *change.detail1;
  if (change.detail2) details.detail2 = *change.detail2;
  if (change.serial_number) details.serial_number = *change.serial_number;
  if (change.notes) details.notes = *change.notes;
  if (change.status) details.status = *change.status;
  if (change.licence_set) details.licence_count = change.licence_count;
  return !(before == details);
}

void WriteDetails(JsonWriter& w, RecordKind kind, const RecordDetails& details, bool retired,
                  bool with_notes) {
  ForTextFields(kind, [&](const TextField& t) {
    if (t.multiline && !with_notes) return;
    w.Key(t.key).String(details.*t.value);
  });
  if (kind == RecordKind::kAsset) {
    w.Key("status").String(retired ? "retired" : AssetStatusName(details.status));
  } else {
    w.Key("licence_count").OptionalInt(details.licence_count);
  }
}

void WriteDetailChanges(JsonWriter& w, RecordKind kind, const RecordDetails& before,
                        const RecordDetails& after) {
  ForTextFields(kind, [&](const TextField& t) {
    if (before.*t.value == after.*t.value) return;
    w.Key(t.key).BeginArray().String(before.*t.value).String(after.*t.value).EndArray();
  });
  if (kind == RecordKind::kAsset && before.status != after.status) {
    w.Key("status").BeginArray().String(AssetStatusName(before.status));
    w.String(AssetStatusName(after.status)).EndArray();
  }
  if (kind == RecordKind::kSoftware && before.licence_count != after.licence_count) {
    w.Key("licence_count").BeginArray().OptionalInt(before.licence_count);
    w.OptionalInt(after.licence_count).EndArray();
  }
}

}  // namespace deskgate
