#include "server/services/audit_log.h"

#include "server/services/permissions.h"

namespace deskgate::services {

bool AuditLog::CanRead(const store::Person& person) {
  return PermissionsOf(person).read_audit;
}

Result<AuditPage> AuditLog::Query(const store::Person& reader, const store::AuditFilter& filter) {
  if (!CanRead(reader)) {
    return Status::Of(StatusCode::kPermissionDenied, "your role does not open the audit log");
  }
  auto found = store_.QueryAudit(filter);
  if (!found.ok()) return found.status();
  return AuditPage{std::move(found.value().first), found.value().second};
}

}  // namespace deskgate::services
