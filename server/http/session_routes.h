// A person's own sessions: GET /api/sessions lists them (device, address,
// last seen), DELETE /api/sessions/{id} ends one, POST
// /api/sessions/end-others ends all but the current one.
#pragma once

#include <httplib.h>

#include "server/http/site.h"
#include "server/services/auth_service.h"

namespace deskgate::http {

void InstallSessionRoutes(httplib::Server& server, const Site& site, services::AuthService& auth);

}  // namespace deskgate::http
