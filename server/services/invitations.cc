#include "server/services/invitations.h"

#include <algorithm>

#include "server/crypto/tokens.h"
#include "server/services/accounts.h"
#include "server/services/new_password.h"
#include "server/services/people_service.h"
#include "shared/core/json_writer.h"
#include "shared/core/utf8.h"
#include "shared/settings/auth_settings.h"

namespace deskgate::services {
namespace {

constexpr const char* kUnusableLink =
    "This invitation link is invalid, expired, already used or withdrawn. Ask for a new one.";

std::string Trimmed(const std::string& text) {
  const size_t start = text.find_first_not_of(" \t");
  if (start == std::string::npos) return "";
  return text.substr(start, text.find_last_not_of(" \t") - start + 1);
}

std::string MailBody(store::Portal portal, const std::string& name, const std::string& url,
                     bool password) {
  const std::string where =
      portal == store::Portal::kAgent ? "the helpdesk's agent portal" : "the customer portal";
  const std::string what = password ? "Choose your password within 7 days at:"
                                    : "Accept it within 7 days by signing in with your "
                                      "organisation's account at:";
  return "Hello " + (name.empty() ? std::string("there") : name) + ",\n\n" +
         "You have been invited to " + where + " (deskgate). " + what + "\n\n  " + url +
         "\n\nThe link works once. If you were not expecting this message, ignore it.\n";
}

Status RequireAdministrator(const store::Person& person) {
  if (PeopleService::CanManage(person)) return Status::Ok();
  return Status::Of(StatusCode::kPermissionDenied, "only Administrators invite people");
}

}  // namespace

Result<OpenInvitation> InvitationService::SignInModes(store::Portal portal) {
  auto settings = settings_.Get(portal);
  if (!settings.ok()) return settings.status();
  OpenInvitation modes;
  modes.portal = portal;
  modes.password = AllowsPasswordLogin(settings.value());
  modes.sso = UsesSingleSignOn(settings.value());
  return modes;
}

InvitationService::Link InvitationService::NewLink(const store::Person& admin, store::Portal portal,
                                                   const std::string& email,
                                                   const std::string& name, bool password,
                                                   int64_t now) const {
  Link link;
  link.token = crypto::RandomToken();
  // The token travels in the fragment, which browsers never send to a
  // server or in a Referer header.
  link.url = public_origin_ + "/invite.html#token=" + link.token;
  link.invitation.token_hash = crypto::Sha256Hex(link.token);
  link.invitation.created_at = now;
  link.invitation.expires_at = now + kLifetime;
  link.invitation.created_by = admin.id;
  if (mail_configured_()) {
    link.invitation.mail = store::OutgoingMail{
        email, "You are invited to deskgate", box_.Seal(MailBody(portal, name, link.url, password)),
        link.invitation.expires_at};
  }
  return link;
}

Result<InvitationIssued> InvitationService::Invite(const store::Person& admin,
                                                   const Invitee& invitee, const std::string& ip) {
  if (Status s = RequireAdministrator(admin); !s.ok()) return s;
  if (!IsPlausibleEmail(invitee.email)) return Status::Error("email: not a valid email address");
  const std::string name = Trimmed(invitee.name);
  if (name.empty() || name.size() > PeopleService::kMaxNameBytes || !IsValidUtf8(name)) {
    return Status::Error("name: 1 to 200 bytes of text");
  }
  const bool agent = invitee.portal == store::Portal::kAgent;
  if (!agent && (invitee.role_id || !invitee.group_ids.empty())) {
    return Status::Error("contacts have no role or groups");
  }
  std::vector<int64_t> group_ids = invitee.group_ids;  // a group named twice counts once
  std::sort(group_ids.begin(), group_ids.end());
  group_ids.erase(std::unique(group_ids.begin(), group_ids.end()), group_ids.end());
  auto modes = SignInModes(invitee.portal);
  if (!modes.ok()) return modes.status();
  std::string role_name = agent ? "Agent" : "";
  if (agent && invitee.role_id) {
    auto roles = store_.ListRoles();
    if (!roles.ok()) return roles.status();
    role_name.clear();
    for (const store::RoleSummary& r : roles.value()) {
      if (r.role.id == *invitee.role_id) role_name = r.role.name;
    }
    if (role_name.empty()) return Status::Of(StatusCode::kNotFound, "role not found");
  }
  const int64_t now = clock_.Now();
  const std::string email = NormalizeEmail(invitee.email);
  Link link = NewLink(admin, invitee.portal, email, name, modes.value().password, now);
  JsonWriter details;
  details.BeginObject().Key("invited_by").String(admin.email);
  if (agent) details.Key("role").String(role_name);
  details.EndObject();
  auto id =
      store_.InvitePerson({invitee.portal, email, name, role_name, ""}, group_ids, link.invitation,
                          {now, admin.id, store::PortalName(invitee.portal), "person.invited",
                           email, ip, details.Take()});
  if (!id.ok()) return id.status();
  return Issued(id.value(), link);
}

Result<InvitationIssued> InvitationService::Resend(const store::Person& admin, int64_t person_id,
                                                   const std::string& ip) {
  if (Status s = RequireAdministrator(admin); !s.ok()) return s;
  auto person = store_.PersonById(person_id);
  if (!person.ok()) return person.status();
  if (!person.value()) return Status::Of(StatusCode::kNotFound, "no such person");
  const store::Person& p = *person.value();
  auto modes = SignInModes(p.portal);
  if (!modes.ok()) return modes.status();
  const int64_t now = clock_.Now();
  Link link = NewLink(admin, p.portal, p.email, p.name, modes.value().password, now);
  if (Status s = store_.Reinvite(person_id, link.invitation,
                                 {now, admin.id, store::PortalName(p.portal),
                                  "person.invitation_resent", p.email, ip, "{}"});
      !s.ok()) {
    return s;
  }
  return Issued(person_id, link);
}

Status InvitationService::Revoke(const store::Person& admin, int64_t person_id,
                                 const std::string& ip) {
  if (Status s = RequireAdministrator(admin); !s.ok()) return s;
  auto person = store_.PersonById(person_id);
  if (!person.ok()) return person.status();
  if (!person.value()) return Status::Of(StatusCode::kNotFound, "no such person");
  return store_.RevokeInvitations(
      person_id, {clock_.Now(), admin.id, store::PortalName(person.value()->portal),
                  "person.invitation_revoked", person.value()->email, ip, "{}"});
}

Result<InvitationIssued> InvitationService::Issued(int64_t person_id, const Link& link) {
  auto row = store_.FindInvitation(link.invitation.token_hash);
  if (!row.ok()) return row.status();
  if (!row.value()) return Status::Of(StatusCode::kInternal, "the invitation was not stored");
  return InvitationIssued{person_id, row.value()->id, link.invitation.expires_at, link.url,
                          link.invitation.mail.has_value()};
}

Result<store::InvitationRow> InvitationService::OpenById(const store::Person& admin,
                                                         int64_t invitation_id) {
  if (Status s = RequireAdministrator(admin); !s.ok()) return s;
  auto row = store_.FindInvitationById(invitation_id);
  if (!row.ok()) return row.status();
  if (!row.value() || !row.value()->usable) {
    return Status::Of(StatusCode::kNotFound, "no open invitation with this id");
  }
  return std::move(*row.value());
}

Result<InvitationIssued> InvitationService::ResendInvitation(const store::Person& admin,
                                                             int64_t invitation_id,
                                                             const std::string& ip) {
  auto row = OpenById(admin, invitation_id);
  if (!row.ok()) return row.status();
  return Resend(admin, row.value().person_id, ip);
}

Status InvitationService::RevokeInvitation(const store::Person& admin, int64_t invitation_id,
                                           const std::string& ip) {
  auto row = OpenById(admin, invitation_id);
  if (!row.ok()) return row.status();
  return Revoke(admin, row.value().person_id, ip);
}

Result<std::vector<store::InvitationRow>> InvitationService::List(
    const store::Person& admin, std::optional<store::Portal> portal) {
  if (Status s = RequireAdministrator(admin); !s.ok()) return s;
  return store_.ListOpenInvitations(portal);
}

Result<store::InvitationRow> InvitationService::UsableInvitation(const std::string& token,
                                                                 const std::string& ip,
                                                                 int64_t now) {
  const ThrottleScope scopes[] = {
      {"invitation", "invitation:" + ip, kFailuresPerAddress, /*reset_on_success=*/false}};
  if (Status s = throttle_.RefuseWhileBlocked(scopes, now, "invitation links"); !s.ok()) return s;
  auto found = token.empty() || token.size() > 200
                   ? Result<std::optional<store::InvitationRow>>(std::nullopt)
                   : store_.FindInvitation(crypto::Sha256Hex(token));
  if (!found.ok()) return found.status();
  if (!found.value() || !found.value()->usable || found.value()->expires_at <= now) {
    throttle_.CountFailure(scopes, now);
    return Status::Of(StatusCode::kPermissionDenied, kUnusableLink);
  }
  return std::move(*found.value());
}

Result<OpenInvitation> InvitationService::Describe(const store::InvitationRow& row) {
  auto policy = settings_.PasswordPolicyJson(row.portal);
  if (!policy.ok()) return policy.status();
  auto open = SignInModes(row.portal);
  if (!open.ok()) return open.status();
  open.value().email = row.email;
  open.value().name = row.name;
  open.value().policy_json = policy.value();
  open.value().expires_at = row.expires_at;
  return open;
}

Result<int64_t> InvitationService::UsableForSignIn(const std::string& token, store::Portal portal,
                                                   const std::string& ip) {
  auto row = UsableInvitation(token, ip, clock_.Now());
  if (!row.ok()) return row.status();
  if (row.value().portal != portal) {
    return Status::Of(StatusCode::kPermissionDenied, kUnusableLink);
  }
  return row.value().id;
}

Result<OpenInvitation> InvitationService::Lookup(const std::string& token, const std::string& ip) {
  auto row = UsableInvitation(token, ip, clock_.Now());
  if (!row.ok()) return row.status();
  return Describe(row.value());
}

Result<OpenInvitation> InvitationService::Accept(const std::string& token,
                                                 const std::string& password,
                                                 const std::string& ip) {
  const int64_t now = clock_.Now();
  auto row = UsableInvitation(token, ip, now);
  if (!row.ok()) return row.status();
  const store::InvitationRow& invitation = row.value();
  auto settings = settings_.Get(invitation.portal);
  if (!settings.ok()) return settings.status();
  if (!AllowsPasswordLogin(settings.value())) {
    return Status::Of(StatusCode::kConflict,
                      "this portal now signs in through single sign-on only: use the single "
                      "sign-on button on the sign-in page");
  }
  auto hash = HashNewPassword(store_, hasher_, settings.value().password,
                              {0, invitation.email, invitation.name}, password, "password");
  if (!hash.ok()) return hash.status();
  if (Status s =
          store_.AcceptInvitation(invitation.id, invitation.person_id, hash.value(),
                                  {now, invitation.person_id, store::PortalName(invitation.portal),
                                   "person.invitation_accepted", invitation.email, ip, "{}"});
      !s.ok()) {
    return s;
  }
  return Describe(invitation);
}

}  // namespace deskgate::services
