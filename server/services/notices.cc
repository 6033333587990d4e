#include "server/services/notices.h"

#include <set>

#include "server/services/permissions.h"
#include "shared/core/url_encoding.h"

namespace deskgate::services {

store::OutgoingMail Notices::Mail(const std::string& to, const std::string& subject,
                                  const std::string& body, int64_t now) const {
  return store::OutgoingMail{to, subject, box_.Seal(body), now + kLifetime};
}

void Notices::RecoveryRequested(const store::Person& requester) {
  auto roles = store_.ListRoles();
  if (!roles.ok()) return;
  const int64_t now = clock_.Now();
  const std::string who =
      requester.name.empty() ? requester.email : requester.name + " (" + requester.email + ")";
  const std::string link =
      AppendQuery(public_origin_ + "/admin/mfa.html",
                  {{"portal", store::PortalName(requester.portal)}, {"email", requester.email}});
  std::set<std::string> recipients;
  for (const store::RoleSummary& r : roles.value()) {
    if (!PermissionsOfRole(r.role).manage_agent_mfa) continue;
    store::DirectoryQuery query;
    query.role_id = r.role.id;
    query.active = true;
    query.limit = 200;
    auto people = store_.ListPeople(query);
    if (!people.ok()) continue;
    for (const store::PersonSummary& p : people.value().rows) {
      if (p.id != requester.id && p.has_password) recipients.insert(p.email);
    }
  }
  std::vector<store::OutgoingMail> mails;
  for (const std::string& to : recipients) {
    mails.push_back(Mail(to, "Recovery codes requested: " + requester.email,
                         who +
                             " asked for new recovery codes (they cannot sign in with their "
                             "authenticator app).\r\n\r\nCheck that it is really them, then "
                             "handle the request under MFA recovery:\r\n\r\n  " +
                             link + "\r\n",
                         now));
  }
  if (!mails.empty()) store_.QueueMail(mails, now);
}

void Notices::AccountChanged(const store::Person& person, const std::string& what, By by) {
  const int64_t now = clock_.Now();
  store::OutgoingMail mail = Mail(
      person.email, "A security change to your deskgate account",
      "Hello " + (person.name.empty() ? std::string("there") : person.name) + ",\r\n\r\n" + what +
          ".\r\n\r\nIf this was you, there is nothing to do. If it was not, tell your "
          "administrator at once and change your password:\r\n\r\n  " +
          public_origin_ + "/account/security.html\r\n",
      now);
  if (by == By::kThemselves) mail.send_after = now + own_change_delay_;
  store_.QueueMail({mail}, now);
}

}  // namespace deskgate::services
