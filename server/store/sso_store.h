// SsoStore: each portal's identity provider, sign-ins waiting for the
// provider's answer, linked identities and links waiting for their holder.
//
// Thread safety: every method may be called from many threads at once; each
// is atomic (a write that changes several rows does so in one transaction,
// with its audit entry), and a read sees only committed writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/store/audit_event.h"
#include "server/store/outbox_store.h"
#include "server/store/portal.h"
#include "server/store/settings_store.h"
#include "shared/core/status.h"

namespace deskgate::store {

// A sign-in sent to the identity provider, waiting for its answer.
struct SsoAttempt {
  std::string state_hash;
  Portal portal = Portal::kAgent;
  std::string purpose;                   // "login", "test" or "invitation"
  std::vector<uint8_t> secrets;          // sealed PKCE verifier and nonce
  std::string binding_hash;              // SHA-256 of the browser's binding cookie
  int64_t provider_version = 0;          // the provider settings it began with
  std::optional<int64_t> person_id;      // "test": the admin who started it
  std::optional<int64_t> invitation_id;  // "invitation": the one it accepts
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

// An identity waiting for the account's holder to confirm its link
// (sso_pending_links in migrations.cc).
struct SsoPendingLink {
  Portal portal = Portal::kAgent;
  std::string binding_hash;  // the browser that signed in at the provider
  std::string token_hash;    // the mailed link's token
  int64_t person_id = 0;
  std::string issuer;
  std::string subject;
  std::string email;
  int64_t provider_version = 0;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  bool mailed = false;  // a confirmation link went out to the account's address
  // The newest session when the link was left (set by the store): only a
  // later sign-in confirms it.
  int64_t last_session_id = 0;
};

// What a successful single sign-on writes, in one transaction.
struct SsoSignIn {
  Portal portal = Portal::kAgent;
  std::string issuer;
  std::string subject;
  std::string email;
  int64_t person_id = 0;  // 0: create a contact with `email` and `name`
  std::string name;
  bool link = false;       // first sign-in: remember (issuer, subject) for the person
  std::string token_hash;  // the new session's
  std::string ip;
  std::string user_agent;
  // Accepting this invitation (for `person_id`): used up in the same
  // transaction, kConflict when it was used or withdrawn meanwhile.
  std::optional<int64_t> invitation_id;
};

class SsoStore {
 public:
  virtual ~SsoStore() = default;

  virtual Result<std::optional<SsoProviderRow>> GetSsoProvider(Portal portal) = 0;
  // Replaces the portal's provider (the test record as given in `row`),
  // giving it the next version. With `unlink`, the portal's linked
  // identities go too (another provider or application: links start over).
  // `notices` (mail to the administrators) are queued in the same transaction.
  virtual Status PutSsoProvider(Portal portal, const SsoProviderRow& row, bool unlink,
                                const AuditEvent& audit, const SignInGuard& guard = nullptr,
                                const std::vector<OutgoingMail>& notices = {}) = 0;
  virtual Status DeleteSsoProvider(Portal portal, const AuditEvent& audit,
                                   const SignInGuard& guard = nullptr,
                                   const std::vector<OutgoingMail>& notices = {}) = 0;
  // Records a successful test sign-in by `person_id`, unless the provider
  // is no longer at `version` (the test then vouches for old settings).
  virtual Result<bool> MarkSsoTested(Portal portal, int64_t person_id, int64_t version,
                                     const AuditEvent& audit) = 0;
  // Stores an attempt, removing expired ones.
  virtual Status AddSsoAttempt(const SsoAttempt& attempt) = 0;
  // Removes and returns the attempt, or nullopt when unknown or expired:
  // a state is good for one answer only.
  virtual Result<std::optional<SsoAttempt>> TakeSsoAttempt(const std::string& state_hash,
                                                           int64_t now) = 0;
  virtual Result<std::optional<int64_t>> FindSsoIdentity(Portal portal, const std::string& issuer,
                                                         const std::string& subject) = 0;
  // Whether the person is linked to an identity at a provider already.
  virtual Result<bool> HasSsoIdentity(int64_t person_id) = 0;
  // Creates the contact if asked, links the identity if asked, creates the
  // signed-in session and audits; one transaction. Returns the person's id.
  virtual Result<int64_t> CompleteSsoSignIn(const SsoSignIn& sign_in, const AuditEvent& audit) = 0;
  // Stores a link waiting for confirmation (replacing the browser's earlier
  // one on that portal, removing expired ones), queues `mail` if given and
  // audits; one transaction.
  virtual Status AddSsoPendingLink(const SsoPendingLink& link,
                                   const std::optional<OutgoingMail>& mail,
                                   const AuditEvent& audit) = 0;
  // The browser's unexpired pending link on `portal`, if any.
  virtual Result<std::optional<SsoPendingLink>> FindSsoPendingLink(Portal portal,
                                                                   const std::string& binding_hash,
                                                                   int64_t now) = 0;
  // Removes and returns it: a confirmation works once.
  virtual Result<std::optional<SsoPendingLink>> TakeSsoPendingLink(Portal portal,
                                                                   const std::string& binding_hash,
                                                                   int64_t now) = 0;
  // Links an identity to a signed-in person (a confirmed pending link) and
  // audits; one transaction. kConflict when either side is linked already.
  virtual Status LinkSsoIdentity(const SsoPendingLink& link, const AuditEvent& audit) = 0;
};

}  // namespace deskgate::store
