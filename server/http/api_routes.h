// The /api routes for sign-in: login per portal, the current user, logout.
// Routes are thin: check the request's shape, call a service, answer JSON.
#pragma once

#include <httplib.h>

#include "server/services/auth_service.h"

namespace deskgate::http {

inline constexpr const char* kSessionCookie = "deskgate_session";

void InstallAuthRoutes(httplib::Server& server, services::AuthService& auth);

// The session token from the request's cookie, or "".
std::string SessionToken(const httplib::Request& req);

}  // namespace deskgate::http
