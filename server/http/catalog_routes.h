// Locations and agent groups, for Administrators:
//   GET    /api/catalog/{locations|groups}        → {"entries": [{id, name, records, members}]}
//   POST   /api/catalog/{locations|groups}        {"name"} → 201 {"id"}
//   PATCH  /api/catalog/{locations|groups}/{id}   {"name"}
//   DELETE /api/catalog/{locations|groups}/{id}?move_to={id|none} → {"records_moved"}
// (409 when the entry is in use and move_to is missing.)
#pragma once

#include <httplib.h>

#include "server/http/site.h"
#include "server/services/auth_service.h"
#include "server/services/catalog_service.h"

namespace deskgate::http {

void InstallCatalogRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                          services::CatalogService& catalog);

}  // namespace deskgate::http
