// What the records service writes beside every change of a record, shared
// by its edits, bulk actions and imports.
#pragma once

#include <string>

#include "server/store/records.h"
#include "shared/core/status.h"

namespace deskgate::services {

// {"field":[before, after], …} over everything that differs between two
// states of a record: details, the four list fields and "retired".
std::string RecordChangesJson(store::RecordKind kind, const store::Record& before,
                              const store::Record& after);

// A failure inside the write transaction: the rules allowed the change and
// the store did not take it. kUnavailable stays; anything else is internal.
Status Unsaved(const Status& store_error);

}  // namespace deskgate::services
