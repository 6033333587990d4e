// PeopleStore: agents and contacts, their roles, passwords and the
// first-run setup token.
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
#include "server/store/portal.h"
#include "shared/core/status.h"

namespace deskgate::store {

struct Role {
  int64_t id = 0;
  std::string name;
  bool is_admin = false;
  bool manage_authentication = false;  // Access to Agent & Contact Authentication
  bool manage_agent_mfa = false;       // Access to Agent Recovery Code and Reset MFA
  // Which asset and software records the role may edit.
  enum class AssetEdit { kNone, kOwnGroups, kAll };
  AssetEdit asset_edit = AssetEdit::kNone;
  bool read_audit = false;  // the audit log, otherwise an Administrator's area
};
const char* AssetEditName(Role::AssetEdit scope);  // "none", "own_groups", "all"

struct Person {
  int64_t id = 0;
  Portal portal = Portal::kAgent;
  std::string email;
  std::string name;
  std::optional<Role> role;  // agents only
  std::string password_hash;
  int64_t password_changed_at = 0;
  bool must_change_password = false;
  // Set while deactivated: no sign-in path lets them in, every session of
  // theirs ended when it was set; history and records stay.
  std::optional<int64_t> deactivated_at;
  bool active() const { return !deactivated_at; }
};

struct NewPerson {
  Portal portal;
  std::string email;
  std::string name;
  std::string role_name;  // agents only
  std::string password_hash;
};

class PeopleStore {
 public:
  virtual ~PeopleStore() = default;

  virtual Result<int64_t> AddPerson(const NewPerson& person, const AuditEvent& audit) = 0;
  virtual Result<std::optional<Person>> FindPerson(Portal portal, const std::string& email) = 0;
  virtual Result<std::optional<Person>> PersonById(int64_t id) = 0;
  virtual Result<int64_t> CountPeople() = 0;
  // People whose role is Administrator (the ones told of dangerous changes).
  virtual Result<std::vector<Person>> ListAdministrators() = 0;

  // First-run setup: a one-time link that creates an Administrator while
  // no Administrator can sign in (an active agent with the Administrator
  // role and a password or a single sign-on identity: demo agents and
  // invitations never count). The token is kept hashed, and sealed by the
  // caller so that a restart can print the same link again.
  //
  // CompleteSetup fails unless the token is known, unused and unexpired
  // and no Administrator can sign in; it marks the token used, creates the
  // person and audits, all in one transaction (kPermissionDenied for a
  // token that cannot be used). SetupTokenUsable reads the same conditions
  // without using the token: the cheap check before a password is hashed.
  virtual Result<bool> AdministratorCanSignIn() = 0;
  virtual Status AddSetupToken(const std::string& token_hash, const std::vector<uint8_t>& sealed,
                               int64_t expires_at) = 0;
  // The sealed token of the newest usable link, if any.
  virtual Result<std::optional<std::vector<uint8_t>>> OpenSetupToken(int64_t now) = 0;
  virtual Result<bool> SetupTokenUsable(const std::string& token_hash, int64_t now) = 0;
  virtual Result<int64_t> CompleteSetup(const std::string& token_hash, const NewPerson& person,
                                        const AuditEvent& audit) = 0;

  // The newest `limit` password hashes of a person, newest first (the
  // current password is the first).
  virtual Result<std::vector<std::string>> PasswordHistory(int64_t person_id, int limit) = 0;
  // Sets a new password: updates the person, records it in the history,
  // clears must_change_password and ends every other session of theirs.
  virtual Status ChangePassword(int64_t person_id, const std::string& hash, int64_t keep_session_id,
                                const AuditEvent& audit) = 0;
  // Marks a person as having to change their password before doing anything
  // else; with `end_sessions`, signs them out everywhere.
  virtual Status RequirePasswordChange(int64_t person_id, bool end_sessions,
                                       const AuditEvent& audit) = 0;

  // A custom agent role carrying the given permission flags.
  virtual Result<int64_t> AddRole(const Role& role, const AuditEvent& audit) = 0;
};

}  // namespace deskgate::store
