// The audit log for administrators: GET /api/audit (JSON, paged) and
// GET /api/audit.csv (the same filters, as a download). Filters: person
// (email), event (name or prefix ending in "."), from/to (Unix seconds).
#pragma once

#include <httplib.h>

#include "server/http/site.h"
#include "server/services/audit_log.h"
#include "server/services/auth_service.h"

namespace deskgate::http {

void InstallAuditRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                        services::AuditLog& audit);

}  // namespace deskgate::http
