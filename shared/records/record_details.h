// RecordDetails: what describes an asset or software record beyond the four
// fields the lists change inline (record_change.h) — its name, asset tag or
// publisher, type or version, serial number and status (assets), licence
// count (software) and notes. The field rules live here, so the record
// panel in the page (WebAssembly) and the server refuse the same values
// with the same words.
//
// A record's whole edit (the API's POST and PATCH bodies, an import row) is
// a RecordEdit: a DetailsChange plus a RecordChange, each field absent
// (unchanged) or given.
//
// JSON, assets:   {"name", "asset_tag", "type", "serial_number",
//                  "status": "in_use"|"in_stock"|"retired", "notes", + the four}
//       software: {"name", "publisher", "version_string",
//                  "licence_count": N|null, "notes", + the four}
// Text is trimmed; one-line fields refuse line breaks and other controls,
// notes allow line breaks and tabs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/core/json_value.h"
#include "shared/core/status.h"
#include "shared/records/record_change.h"

namespace deskgate {

class JsonWriter;

enum class RecordKind { kAsset, kSoftware };

// "retired" is not a stored status: a record is retired while it has a
// retirement time (see Record::retired_at), and keeps the status it had.
enum class AssetStatus { kInUse, kInStock };
const char* AssetStatusName(AssetStatus status);  // "in_use", "in_stock"

inline constexpr size_t kMaxNameLength = 200;
inline constexpr size_t kMaxTagLength = 64;
inline constexpr size_t kMaxShortTextLength = 100;
inline constexpr size_t kMaxNotesLength = 10'000;
inline constexpr int64_t kMaxLicenceCount = 1'000'000'000;

struct RecordDetails {
  std::string name;
  std::string detail1;                       // asset: asset_tag; software: publisher
  std::string detail2;                       // asset: type; software: version_string
  std::string serial_number;                 // assets only
  AssetStatus status = AssetStatus::kInUse;  // assets only
  std::optional<int64_t> licence_count;      // software only
  std::string notes;
  bool operator==(const RecordDetails&) const = default;
};

struct DetailsChange {
  std::optional<std::string> name, detail1, detail2, serial_number, notes;
  std::optional<AssetStatus> status;
  bool licence_set = false;  // licence_count given (null empties it)
  std::optional<int64_t> licence_count;
  std::optional<bool> retired;  // assets: status "retired" or back
  bool empty() const {
    return !name && !detail1 && !detail2 && !serial_number && !notes && !status && !licence_set &&
           !retired;
  }
};

struct RecordEdit {
  DetailsChange details;
  RecordChange fields;  // may be empty here
};

// The JSON names of a kind's two detail fields.
const char* Detail1Key(RecordKind kind);  // "asset_tag", "publisher"
const char* Detail2Key(RecordKind kind);  // "type", "version_string"

// Reads an edit. Unknown fields, values of the wrong type or over their
// length are errors naming the field ("asset_tag: at most 64 characters").
// `creating`: the fields a new record needs must be present and not empty
// (a name; an asset tag for assets).
Result<RecordEdit> RecordEditFromJson(RecordKind kind, const JsonValue& object, bool creating);
Result<RecordEdit> ParseRecordEdit(RecordKind kind, std::string_view json, bool creating);

// The edit, normalized, as JSON (the fields it gives, text trimmed).
std::string RecordEditToJson(RecordKind kind, const RecordEdit& edit);

// Applies a change; true when any value differs after.
bool ApplyDetailsChange(const DetailsChange& change, RecordDetails& details);

// The kind's detail members of a record as the API writes them; notes
// only `with_notes` (a list row leaves them out).
void WriteDetails(JsonWriter& w, RecordKind kind, const RecordDetails& details, bool retired,
                  bool with_notes);
// {"name":[before, after], …} over the detail fields that differ (history).
void WriteDetailChanges(JsonWriter& w, RecordKind kind, const RecordDetails& before,
                        const RecordDetails& after);

}  // namespace deskgate
