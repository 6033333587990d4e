// The mail server, set by Administrators in the product:
//   GET    /api/settings/mail        the settings (never the password) and delivery state
//   PUT    /api/settings/mail        {host, port, starttls, username, password?, from}
//   DELETE /api/settings/mail        no mail server any more
//   POST   /api/settings/mail/test   {to?}: one message through the saved settings
//   GET    /api/mail/status          whether mail gets out (Access to Agent & Contact
//                                    Authentication: the MFA settings warn while it does not)
// Administrators only, but for the status. A PUT with bad fields answers
// 400 with every problem in "errors".
#pragma once

#include <httplib.h>

#include "server/http/site.h"
#include "server/services/auth_service.h"
#include "server/services/mail_settings.h"

namespace deskgate::http {

void InstallMailSettingsRoutes(httplib::Server& server, const Site& site,
                               services::AuthService& auth, services::MailSettings& mail);

}  // namespace deskgate::http
