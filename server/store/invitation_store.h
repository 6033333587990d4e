// InvitationStore: one-time links that let an invited agent or contact
// choose their first password. Tokens are stored as SHA-256 hashes only.
//
// An invited person exists from the invitation on (they show in the lists,
// records can name them) but has no password until they accept. A person
// has at most one open invitation: issuing another (resend) revokes the
// ones before it in the same transaction.
//
// Thread safety: every method may be called from many threads at once; each
// write is one transaction with its audit entry (and its mail, when given).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/store/audit_event.h"
#include "server/store/outbox_store.h"
#include "server/store/people_store.h"
#include "shared/core/status.h"

namespace deskgate::store {

struct NewInvitation {
  std::string token_hash;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> created_by;
  std::optional<OutgoingMail> mail;  // queued with it when mail is set up
};

struct InvitationRow {
  int64_t id = 0;
  int64_t person_id = 0;
  Portal portal = Portal::kAgent;
  std::string email;
  std::string name;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  bool usable = false;  // not used, not revoked (expiry is the caller's check)
};

struct PersonInvitation {
  NewPerson person;
  NewInvitation invitation;
};

class InvitationStore {
 public:
  virtual ~InvitationStore() = default;

  // Creates the person (no password yet; agents get role and groups) and
  // their invitation. kConflict when the address is taken in the portal.
  virtual Result<int64_t> InvitePerson(const NewPerson& person,
                                       const std::vector<int64_t>& group_ids,
                                       const NewInvitation& invitation,
                                       const AuditEvent& audit) = 0;
  // Invites everyone given in one transaction: all or none (kConflict
  // naming the address when one is taken meanwhile). Each person's audit
  // entry is `audit` with the person as its target. The ids, in order.
  virtual Result<std::vector<int64_t>> InvitePeople(const std::vector<PersonInvitation>& people,
                                                    const AuditEvent& audit) = 0;
  // A new invitation for someone who has not accepted one yet; the open
  // ones end. kConflict once the person has a password.
  virtual Status Reinvite(int64_t person_id, const NewInvitation& invitation,
                          const AuditEvent& audit) = 0;
  // Ends the person's open invitations. kNotFound when there are none.
  virtual Status RevokeInvitations(int64_t person_id, const AuditEvent& audit) = 0;

  virtual Result<std::optional<InvitationRow>> FindInvitation(const std::string& token_hash) = 0;
  virtual Result<std::optional<InvitationRow>> FindInvitationById(int64_t id) = 0;
  // The usable invitations (expired ones included), newest first; of one
  // portal when given.
  virtual Result<std::vector<InvitationRow>> ListOpenInvitations(std::optional<Portal> portal) = 0;
  // Uses the invitation (kConflict when it was used or revoked meanwhile)
  // and sets the person's first password, in one transaction.
  virtual Status AcceptInvitation(int64_t invitation_id, int64_t person_id,
                                  const std::string& password_hash, const AuditEvent& audit) = 0;
};

}  // namespace deskgate::store
