// The people lists administrators manage:
//   GET   /api/people?portal=agent|contact&q=&role_id=&group_id=&mfa=&sso=&status=&offset=&limit=
//   GET   /api/people/{id}
//   PATCH /api/people/{id}            {"name", "role_id", "group_ids"} (any of them)
//   POST  /api/people/{id}/deactivate {}
//   POST  /api/people/{id}/reactivate {}
//   POST  /api/people/{id}/sso/unlink {}
//   GET   /api/roles, GET /api/groups (for the filters and the edit form)
//   POST  /api/roles · PATCH /api/roles/{id} · DELETE /api/roles/{id}?move_to={id}
//         {"name", "manage_authentication", "manage_agent_mfa", "read_audit",
//          "asset_edit": "none" | "own_groups" | "all"} (custom roles)
//   POST  /api/people/invite          {"portal", "email", "name", "role_id", "group_ids"}
//   POST  /api/people/{id}/invitation {} (a new link) · DELETE (withdraw it)
//   POST  /api/invitations/lookup     {"token"}  (no sign-in: the link is the proof)
//   POST  /api/invitations/accept     {"token", "password"}
// Administrators only (401 signed out, 403 otherwise); the rules are
// PeopleService's.
#pragma once

#include <httplib.h>

#include "server/http/site.h"
#include "server/services/auth_service.h"
#include "server/services/invitations.h"
#include "server/services/people_service.h"

namespace deskgate::http {

void InstallPeopleRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                         services::PeopleService& people, services::InvitationService& invitations);

}  // namespace deskgate::http
