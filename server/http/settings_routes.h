// GET|PUT /api/settings/authentication/{portal}: only Administrators and
// holders of "Access to Agent & Contact Authentication" (401 when signed
// out, 403 otherwise).
#pragma once

#include <httplib.h>

#include "server/http/site.h"
#include "server/services/auth_service.h"
#include "server/services/settings_service.h"

namespace deskgate::http {

void InstallSettingsRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                           services::SettingsService& settings);

// The signed-in person if they may manage authentication settings;
// otherwise writes 401/403 and returns nullopt.
std::optional<services::SessionInfo> RequireAuthenticationAdmin(const Site& site,
                                                                services::AuthService& auth,
                                                                const httplib::Request& req,
                                                                httplib::Response& res);

}  // namespace deskgate::http
