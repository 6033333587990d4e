// EditScope: which asset and software records a person may change, from
// their role's asset permission — every record, the records managed by one
// of their groups, or none. With group scope a record must be managed by
// one of their groups both before and after a change, so nobody hands a
// record to another team and nobody edits one they cannot see.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "shared/records/record_change.h"

namespace deskgate::services {

struct EditScope {
  bool all = false;
  std::vector<int64_t> groups;  // sorted; without `all`: records managed by these groups

  bool Allows(const RecordFields& fields) const {
    if (all) return true;
    return fields.group && std::binary_search(groups.begin(), groups.end(), *fields.group);
  }
  // Whether a change from `before` to `after` stays within the scope.
  bool AllowsChange(const RecordFields& before, const RecordFields& after) const {
    return Allows(before) && Allows(after);
  }
};

}  // namespace deskgate::services
