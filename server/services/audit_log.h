// AuditLog: reading the audit log. Only administrators read it; the check
// is made here, whatever route or tool asks.
#pragma once

#include <cstdint>
#include <vector>

#include "server/store/audit_store.h"
#include "server/store/people_store.h"
#include "shared/core/status.h"

namespace deskgate::services {

struct AuditPage {
  std::vector<store::AuditRow> rows;  // newest first
  int64_t total = 0;                  // entries matching the filter in all
};

class AuditLog {
 public:
  explicit AuditLog(store::AuditStore& store) : store_(store) {}

  static bool CanRead(const store::Person& person);
  // kPermissionDenied unless `reader` may read the log.
  Result<AuditPage> Query(const store::Person& reader, const store::AuditFilter& filter);

 private:
  store::AuditStore& store_;
};

}  // namespace deskgate::services
