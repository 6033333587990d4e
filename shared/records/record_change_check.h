// The change check as the browser asks for it: JSON in, JSON out. The
// WebAssembly module's validateRecordChange and the native parity tool both
// print what CheckRecordChangeJson returns, so the page's verdict on a
// change is byte for byte the server's.
#pragma once

#include <string>
#include <string_view>

#include "shared/core/status.h"
#include "shared/records/record_change.h"
#include "shared/records/record_details.h"

namespace deskgate {

// {"locations":[ids], "groups":[ids], "agents":[ids]}; a missing list is
// empty. The lists come back sorted, as ValidateRecordChange needs.
Result<RecordVocabulary> ParseRecordVocabulary(std::string_view json);

// {"ok":true,"change":{…the change, normalized…}} or {"ok":false,"error":"…"}.
std::string CheckRecordChangeJson(std::string_view change_json, const RecordVocabulary& vocabulary);

// The same for a whole record's edit (record_details.h), new (`creating`)
// or changed: {"ok":true,"record":{…normalized…}} or {"ok":false,"error":"…"}.
std::string CheckRecordEditJson(RecordKind kind, std::string_view json, bool creating,
                                const RecordVocabulary& vocabulary);

}  // namespace deskgate
