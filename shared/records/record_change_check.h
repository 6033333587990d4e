// The change check as the browser asks for it: JSON in, JSON out. The
// WebAssembly module's validateRecordChange and the native parity tool both
// print what CheckRecordChangeJson returns, so the page's verdict on a
// change is byte for byte the server's.
#pragma once

#include <string>
#include <string_view>

#include "shared/core/status.h"
#include "shared/records/record_change.h"

namespace deskgate {

// {"locations":[ids], "groups":[ids], "agents":[ids]}; a missing list is
// empty. The lists come back sorted, as ValidateRecordChange needs.
Result<RecordVocabulary> ParseRecordVocabulary(std::string_view json);

// {"ok":true,"change":{…the change, normalized…}} or {"ok":false,"error":"…"}.
std::string CheckRecordChangeJson(std::string_view change_json, const RecordVocabulary& vocabulary);

}  // namespace deskgate
