// Re-authentication (step-up) before dangerous changes (services/step_up.h):
//   GET  /api/reauthenticate        what it takes: {"password", "methods", "valid_until"}
//   POST /api/reauthenticate        {password, method?, code?} → {"status":"ok","valid_until"}
//   POST /api/reauthenticate/email  sends a code by email, when that is a method
// A change that needs one answers 403 {"code":"reauthentication_required"};
// the page asks, proves it here, and tries the change again.
#pragma once

#include <httplib.h>

#include "server/http/site.h"
#include "server/services/auth_service.h"

namespace deskgate::http {

void InstallStepUpRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                         services::MfaService& mfa);

}  // namespace deskgate::http
