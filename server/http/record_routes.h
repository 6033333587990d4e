// The /api routes of the asset and software lists: GET /api/{assets|software}
// (paged, sorted, searched, filtered, with the total), GET/PATCH …/{id}
// (If-Match carries the row version; a stale one gets 412 and the current
// row), POST …/bulk (ids, or a filter with exceptions; per-row outcomes),
// GET …/{id}/history and GET /api/records/names.
#pragma once

#include <httplib.h>

#include "server/http/site.h"
#include "server/services/auth_service.h"
#include "server/services/records_service.h"

namespace deskgate::http {

void InstallRecordRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                         services::RecordsService& records);

}  // namespace deskgate::http
