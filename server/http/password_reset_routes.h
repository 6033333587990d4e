// Forgotten passwords (no sign-in: the mailed link is the proof):
//   POST /api/{agent|contact}/password-reset {"email"}   → 202, whoever it is
//   POST /api/password-reset/lookup          {"token"}
//   POST /api/password-reset/complete        {"token", "password"}
#pragma once

#include <httplib.h>

#include "server/http/site.h"
#include "server/services/notices.h"
#include "server/services/password_reset.h"

namespace deskgate::http {

void InstallPasswordResetRoutes(httplib::Server& server, const Site& site,
                                services::PasswordReset& reset, services::Notices& notices);

}  // namespace deskgate::http
