// DirectoryStore: the people an administrator manages — the agent and
// contact lists with what an admin needs to see about each (role, groups,
// MFA, single sign-on, last sign-in, sessions), and the changes made from
// those lists (name, role, groups, deactivation).
//
// The store keeps one invariant whatever the caller decides: no change
// commits that leaves no active agent with an Administrator role
// (kConflict), so two admins demoting each other at once cannot lock
// everyone out. Deactivation ends every session of the person in the same
// transaction.
//
// Thread safety: every method may be called from many threads at once; each
// write is one transaction with its audit entry.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/store/audit_event.h"
#include "server/store/people_store.h"
#include "server/store/portal.h"
#include "shared/core/status.h"

namespace deskgate::store {

struct GroupRef {
  int64_t id = 0;
  std::string name;
};

// One row of the agent or contact list.
struct PersonSummary {
  int64_t id = 0;
  Portal portal = Portal::kAgent;
  std::string email;
  std::string name;
  std::optional<GroupRef> role;  // agents only: the role's id and name
  bool role_is_admin = false;
  std::vector<GroupRef> groups;  // agents only
  std::optional<int64_t> deactivated_at;
  std::optional<int64_t> app_enrolled_at;  // authenticator app
  int64_t recovery_codes_left = 0;
  bool sso_linked = false;
  std::optional<int64_t> last_sign_in_at;
  std::string last_sign_in_method;  // "password", "sso" or "" (never)
  int64_t active_sessions = 0;
  bool must_change_password = false;
  int64_t created_at = 0;
  bool has_password = false;
  // When the open invitation's link expires; unset when none is open.
  std::optional<int64_t> invitation_expires_at;
};

// Which people a list shows. Unset filters match everyone.
struct DirectoryQuery {
  Portal portal = Portal::kAgent;
  std::string search;  // substring of name or email, case-insensitive
  std::optional<int64_t> role_id;
  std::optional<int64_t> group_id;
  std::optional<bool> app_enrolled;
  std::optional<bool> sso_linked;
  std::optional<bool> active;
  bool invited = false;  // only people who have not accepted their invitation yet
  enum class Sort { kName, kEmail, kRole, kLastSignIn, kCreated };
  Sort sort = Sort::kName;
  bool descending = false;
  int64_t offset = 0;
  int64_t limit = 50;
};

struct DirectoryPage {
  int64_t total = 0;  // matching the filters, whatever the page
  std::vector<PersonSummary> rows;
};

// What an edit changes; unset fields stay as they are.
struct PersonChange {
  std::optional<std::string> name;
  std::optional<int64_t> role_id;                 // agents only
  std::optional<std::vector<int64_t>> group_ids;  // agents only; replaces the set
  // Set: deactivates (a time: every session ends) or reactivates (nullopt).
  std::optional<std::optional<int64_t>> deactivated_at;
  bool require_password_change = false;  // at the next sign-in; sessions stay
};

struct RoleSummary {
  Role role;
  bool builtin = false;
  int64_t members = 0;
};

class DirectoryStore {
 public:
  virtual ~DirectoryStore() = default;

  virtual Result<DirectoryPage> ListPeople(const DirectoryQuery& query) = 0;
  virtual Result<std::optional<PersonSummary>> PersonSummaryById(int64_t id) = 0;

  // One transaction for the whole change. kNotFound for an unknown person,
  // role or group; kConflict when the change would leave no active
  // Administrator.
  virtual Status UpdatePerson(int64_t id, const PersonChange& change, const AuditEvent& audit) = 0;

  virtual Result<std::vector<RoleSummary>> ListRoles() = 0;

  // Custom roles only (built-in ones: kConflict). A role change applies to
  // its members' next requests. Deleting a role with members moves them to
  // `move_to` in the same transaction (kConflict without one).
  virtual Status UpdateRole(const Role& role, const AuditEvent& audit) = 0;
  virtual Status DeleteRole(int64_t id, std::optional<int64_t> move_to,
                            const AuditEvent& audit) = 0;

  // Removes the person's single sign-on identity and ends the sessions it
  // signed in (their next provider sign-in links again, with the holder's
  // confirmation). kNotFound when none is linked.
  virtual Status UnlinkSsoIdentity(int64_t id, const AuditEvent& audit) = 0;
};

}  // namespace deskgate::store
