// Single sign-on routes: what the sign-in page offers, the start of a
// sign-in (or an admin's test sign-in), the provider's redirect back, and
// the identity provider settings (GET|PUT|DELETE /api/settings/sso/{portal}).
#pragma once

#include <httplib.h>

#include "server/http/site.h"
#include "server/services/auth_service.h"
#include "server/services/invitations.h"
#include "server/services/sso_service.h"

namespace deskgate::http {

// Binds a sign-in to the browser that began it (SameSite=Lax: it must come
// back with the provider's cross-site redirect).
inline constexpr const char* kSsoBindingCookie = "deskgate_sso";

void InstallSsoRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                      services::SsoService& sso, services::InvitationService& invitations);

}  // namespace deskgate::http
