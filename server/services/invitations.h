// Invitations: how administrators bring agents and contacts in from the
// browser. An invitation creates the person (no password yet) and a
// one-time link, valid kLifetime, with which they choose their password
// under the portal's policy; after that they sign in like anyone else (and
// enroll in MFA if the portal requires it). On a portal that signs in
// through single sign-on only, the link is accepted by signing in at the
// provider instead, which links that identity to the person. The link goes out through the
// outbox; without mail set up, the administrator is given it to pass on.
//
// Only Administrators invite, resend or revoke. Looking a link up and
// accepting it are unauthenticated doors, so their failures are throttled
// per address before anything else is done.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/crypto/password_hasher.h"
#include "server/crypto/secret_box.h"
#include "server/services/clock.h"
#include "server/services/settings_service.h"
#include "server/services/throttle.h"
#include "server/store/store.h"

namespace deskgate::services {

struct Invitee {
  store::Portal portal = store::Portal::kAgent;
  std::string email;
  std::string name;
  std::optional<int64_t> role_id;  // agents; the Agent role when unset
  std::vector<int64_t> group_ids;  // agents
};

struct InvitationIssued {
  int64_t person_id = 0;
  int64_t invitation_id = 0;
  int64_t expires_at = 0;
  std::string link;     // the one-time link (handed to the admin only without mail)
  bool mailed = false;  // queued in the outbox
};

// What the invitation page shows before a password is chosen.
struct OpenInvitation {
  store::Portal portal = store::Portal::kAgent;
  std::string email;
  std::string name;
  std::string policy_json;  // the portal's password policy, for the live check
  int64_t expires_at = 0;
  bool password = true;  // the portal signs in with passwords: choose one
  bool sso = false;      // the portal signs in through its provider: accept with it
};

// One data row of an import, and what became of it.
struct ImportRow {
  size_t row = 0;  // as the spreadsheet numbers it (the header is row 1)
  std::string email;
  std::string name;
  // "invited" (or, in a dry run, would be), "exists" (the address is in
  // the portal already: skipped) or "error".
  std::string outcome;
  std::string error;  // "column: what is wrong", for "error"
  std::string link;   // the invitation link when it was not mailed
};

struct ImportReport {
  bool dry_run = true;
  bool written = false;  // false after a dry run or when any row has an error
  bool mailed = false;
  size_t invited = 0;
  size_t existing = 0;
  size_t errors = 0;
  std::vector<ImportRow> rows;
};

class InvitationService {
 public:
  static constexpr int64_t kLifetime = 7 * 24 * 60 * 60;
  static constexpr int kFailuresPerAddress = 20;

  InvitationService(store::Store& store, const Clock& clock, const crypto::SecretBox& box,
                    SettingsService& settings, crypto::PasswordHasher& hasher)
      : store_(store),
        clock_(clock),
        box_(box),
        settings_(settings),
        hasher_(hasher),
        throttle_(store) {}

  // Set once at startup, before serving: where links point, and whether
  // mail can be sent at all.
  void SetPublicOrigin(std::string origin) { public_origin_ = std::move(origin); }
  void SetMailConfigured(std::function<bool()> configured) {
    mail_configured_ = std::move(configured);
  }

  Result<InvitationIssued> Invite(const store::Person& admin, const Invitee& invitee,
                                  const std::string& ip);
  // A new link for someone who has not accepted yet (the old one stops working).
  Result<InvitationIssued> Resend(const store::Person& admin, int64_t person_id,
                                  const std::string& ip);
  Status Revoke(const store::Person& admin, int64_t person_id, const std::string& ip);

  // The same by invitation id (kNotFound unless that invitation is open).
  Result<InvitationIssued> ResendInvitation(const store::Person& admin, int64_t invitation_id,
                                            const std::string& ip);
  Status RevokeInvitation(const store::Person& admin, int64_t invitation_id, const std::string& ip);
  // The open invitations (expired ones included), of one portal when given.
  Result<std::vector<store::InvitationRow>> List(const store::Person& admin,
                                                 std::optional<store::Portal> portal);
  bool Expired(const store::InvitationRow& row) const { return row.expires_at <= clock_.Now(); }

  // Invites everyone in a CSV file with the columns name and email (in any
  // order, any case; other columns are ignored), as one transaction: a
  // file with any bad row writes nothing and reports every problem by row.
  // Addresses already in the portal are skipped, an address twice in the
  // file is an error. kInvalidArgument for a file that cannot be read at
  // all (not CSV, no such columns, more than kMaxImportRows rows).
  static constexpr size_t kMaxImportRows = 10'000;
  Result<ImportReport> Import(const store::Person& admin, store::Portal portal,
                              std::string_view csv, bool dry_run, const std::string& ip);

  // The id of the usable invitation `token` names on `portal`, for a
  // single sign-on that accepts it (SsoService::Start); throttled and
  // answered as Lookup.
  Result<int64_t> UsableForSignIn(const std::string& token, store::Portal portal,
                                  const std::string& ip);

  // kPermissionDenied for a link that is unknown, used, withdrawn or
  // expired (one answer for all); kThrottled after too many.
  Result<OpenInvitation> Lookup(const std::string& token, const std::string& ip);
  // Sets the first password (checked against the portal's policy,
  // kInvalidArgument naming "password"); the link is used up.
  Result<OpenInvitation> Accept(const std::string& token, const std::string& password,
                                const std::string& ip);

 private:
  struct Link {
    std::string token;
    store::NewInvitation invitation;
    std::string url;
  };
  // `password`: the portal signs in with passwords (else the mail asks for
  // a single sign-on).
  Link NewLink(const store::Person& admin, store::Portal portal, const std::string& email,
               const std::string& name, bool password, int64_t now) const;
  Result<store::InvitationRow> UsableInvitation(const std::string& token, const std::string& ip,
                                                int64_t now);
  Result<OpenInvitation> Describe(const store::InvitationRow& row);
  // How the portal signs in, for the page and the mail.
  Result<OpenInvitation> SignInModes(store::Portal portal);
  Result<InvitationIssued> Issued(int64_t person_id, const Link& link);
  Result<store::InvitationRow> OpenById(const store::Person& admin, int64_t invitation_id);

  store::Store& store_;
  const Clock& clock_;
  const crypto::SecretBox& box_;
  SettingsService& settings_;
  crypto::PasswordHasher& hasher_;
  Throttle throttle_;
  std::string public_origin_;
  std::function<bool()> mail_configured_ = [] { return false; };
};

}  // namespace deskgate::services
