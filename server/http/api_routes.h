// The /api routes for sign-in: login per portal, the current user, logout.
// Routes are thin: check the request's shape, call a service, answer JSON.
#pragma once

#include <httplib.h>

#include "server/http/site.h"
#include "server/services/auth_service.h"
#include "server/services/notices.h"
#include "server/services/sso_service.h"

namespace deskgate::http {

// The session cookie's name; over TLS it is "__Host-deskgate_session".
inline constexpr const char* kSessionCookie = "deskgate_session";

void InstallAuthRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                       services::SsoService& sso, services::Notices& notices);

// Sets the session cookie to `token` (HttpOnly, SameSite=Strict, and over
// TLS Secure with the __Host- prefix), or clears it when `clear`.
void SetSessionCookie(const Site& site, httplib::Response& res, const std::string& token,
                      bool clear);

// The value of the request's cookie `name`, or "" (also when the request
// carries two cookies of that name).
std::string CookieValue(const httplib::Request& req, std::string_view name);

// The session token from the request's cookie, or "".
std::string SessionToken(const Site& site, const httplib::Request& req);

// The signed-in person, or nullopt after answering 401. Unless
// `allow_password_change_pending`, a person who must change their password
// first gets 403: until they do, nothing else works.
std::optional<services::SessionInfo> RequireSession(const Site& site, services::AuthService& auth,
                                                    const httplib::Request& req,
                                                    httplib::Response& res,
                                                    bool allow_password_change_pending = false);

}  // namespace deskgate::http
