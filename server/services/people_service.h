// PeopleService: the agent and contact lists as administrators manage them
// — who is there, and the changes made from the list: name, role, groups,
// deactivation and reactivation.
//
// Only Administrators manage people (kPermissionDenied otherwise). Nobody
// deactivates themself, and no change leaves deskgate without an active
// Administrator (kConflict; the store keeps that invariant inside its
// transaction, so concurrent changes cannot get round it). Deactivation
// ends every session of the person at once and blocks every sign-in path
// (password, single sign-on); their history and records stay. A role
// change applies to the person's next request.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "server/services/clock.h"
#include "server/store/store.h"

namespace deskgate::services {

// What every sign-in path answers a deactivated account (after its
// password or provider proved who it is: nobody else learns it).
inline constexpr const char* kDeactivatedAccount =
    "This account has been deactivated. Ask your administrator.";

class PeopleService {
 public:
  static constexpr int64_t kMaxPageSize = 200;
  static constexpr size_t kMaxNameBytes = 200;

  PeopleService(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  static bool CanManage(const store::Person& person);

  Result<store::DirectoryPage> List(const store::Person& viewer, store::DirectoryQuery query);
  // kNotFound for an unknown id.
  Result<store::PersonSummary> Get(const store::Person& viewer, int64_t id);
  Result<store::PersonSummary> Update(const store::Person& viewer, int64_t id,
                                      store::PersonChange change, const std::string& ip);
  Result<store::PersonSummary> SetActive(const store::Person& viewer, int64_t id, bool active,
                                         const std::string& ip);

  // Removes the person's single sign-on identity (a wrong link, or a
  // changed provider account); the sessions it signed in end.
  Result<store::PersonSummary> UnlinkSso(const store::Person& viewer, int64_t id,
                                         const std::string& ip);

  Result<std::vector<store::RoleSummary>> Roles(const store::Person& viewer);
  // Custom roles: the brief's permissions, asset editing and the audit log
  // (never Administrator: that role is built in). Changes apply to the
  // members' next requests; a role with members is deleted only with
  // somewhere for them to go (`move_to`, kConflict otherwise).
  Result<int64_t> CreateRole(const store::Person& viewer, store::Role role, const std::string& ip);
  Status UpdateRole(const store::Person& viewer, store::Role role, const std::string& ip);
  Status DeleteRole(const store::Person& viewer, int64_t id, std::optional<int64_t> move_to,
                    const std::string& ip);

 private:
  Status RequireManager(const store::Person& viewer) const;

  store::Store& store_;
  const Clock& clock_;
};

}  // namespace deskgate::services
