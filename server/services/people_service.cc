#include "server/services/people_service.h"

#include <algorithm>

#include "server/services/permissions.h"
#include "shared/core/json_writer.h"
#include "shared/core/utf8.h"

namespace deskgate::services {
namespace {

std::string Trimmed(const std::string& text) {
  const size_t start = text.find_first_not_of(" \t");
  if (start == std::string::npos) return "";
  return text.substr(start, text.find_last_not_of(" \t") - start + 1);
}

// The audit details of an edit: each field it sets, before and after.
std::string ChangeDetails(const store::PersonSummary& before, const store::PersonChange& change) {
  JsonWriter was;
  JsonWriter now;
  was.BeginObject();
  now.BeginObject();
  if (change.name) {
    was.Key("name").String(before.name);
    now.Key("name").String(*change.name);
  }
  if (change.role_id) {
    was.Key("role_id").OptionalInt(before.role ? std::optional(before.role->id) : std::nullopt);
    now.Key("role_id").Int(*change.role_id);
  }
  if (change.group_ids) {
    was.Key("group_ids").BeginArray();
    for (const store::GroupRef& g : before.groups) was.Int(g.id);
    was.EndArray();
    now.Key("group_ids").BeginArray();
    for (int64_t id : *change.group_ids) now.Int(id);
    now.EndArray();
  }
  if (change.deactivated_at) {
    was.Key("active").Bool(!before.deactivated_at);
    now.Key("active").Bool(!*change.deactivated_at);
  }
  if (change.require_password_change) {
    was.Key("must_change_password").Bool(before.must_change_password);
    now.Key("must_change_password").Bool(true);
  }
  JsonWriter w;
  w.BeginObject().Key("before").Raw(was.EndObject().Take());
  return w.Key("after").Raw(now.EndObject().Take()).EndObject().Take();
}

// The audit action of an edit: what a reader of the log would call it.
const char* ChangeAction(const store::PersonChange& change) {
  const bool fields = change.name || change.role_id || change.group_ids;
  if (change.deactivated_at && !fields && !change.require_password_change) {
    return *change.deactivated_at ? "person.deactivated" : "person.reactivated";
  }
  if (change.require_password_change && !fields && !change.deactivated_at) {
    return "password.reset_by_admin";
  }
  return "person.updated";
}

// The audit details of a role: its name and what it grants.
std::string RoleDetails(const store::Role& role) {
  JsonWriter w;
  w.BeginObject().Key("name").String(role.name);
  w.Key("manage_authentication").Bool(role.manage_authentication);
  w.Key("manage_agent_mfa").Bool(role.manage_agent_mfa);
  w.Key("asset_edit").String(store::AssetEditName(role.asset_edit));
  w.Key("read_audit").Bool(role.read_audit);
  return w.EndObject().Take();
}

Status CheckRoleName(std::string& name) {
  name = Trimmed(name);
  if (name.empty() || name.size() > 100 || !IsValidUtf8(name)) {
    return Status::Error("name: 1 to 100 bytes of text");
  }
  return Status::Ok();
}

}  // namespace

bool PeopleService::CanManage(const store::Person& person) {
  return PermissionsOf(person).administrator;
}

Status PeopleService::RequireManager(const store::Person& viewer) const {
  if (CanManage(viewer)) return Status::Ok();
  return Status::Of(StatusCode::kPermissionDenied, "only Administrators manage people");
}

Result<store::DirectoryPage> PeopleService::List(const store::Person& viewer,
                                                 store::DirectoryQuery query) {
  if (Status s = RequireManager(viewer); !s.ok()) return s;
  if (query.limit < 1 || query.limit > kMaxPageSize) {
    return Status::Error("limit: from 1 to " + std::to_string(kMaxPageSize));
  }
  if (query.offset < 0) return Status::Error("offset: 0 or more");
  if (query.search.size() > 254 || !IsValidUtf8(query.search)) {
    return Status::Error("q: at most 254 bytes of text");
  }
  return store_.ListPeople(query);
}

Result<store::PersonSummary> PeopleService::Get(const store::Person& viewer, int64_t id) {
  if (Status s = RequireManager(viewer); !s.ok()) return s;
  auto found = store_.PersonSummaryById(id);
  if (!found.ok()) return found.status();
  if (!found.value()) return Status::Of(StatusCode::kNotFound, "no such person");
  return std::move(*found.value());
}

Result<store::PersonSummary> PeopleService::Update(const store::Person& viewer, int64_t id,
                                                   store::PersonChange change,
                                                   const std::string& ip) {
  auto current = Get(viewer, id);
  if (!current.ok()) return current.status();
  const store::PersonSummary& before = current.value();
  if (change.name) {
    *change.name = Trimmed(*change.name);
    if (change.name->empty() || change.name->size() > kMaxNameBytes || !IsValidUtf8(*change.name)) {
      return Status::Error("name: 1 to " + std::to_string(kMaxNameBytes) + " bytes of text");
    }
  }
  const bool agent = before.portal == store::Portal::kAgent;
  if (!agent && (change.role_id || change.group_ids)) {
    return Status::Error("contacts have no role or groups");
  }
  if (change.group_ids) {
    std::sort(change.group_ids->begin(), change.group_ids->end());
    change.group_ids->erase(std::unique(change.group_ids->begin(), change.group_ids->end()),
                            change.group_ids->end());
  }
  const int64_t now = clock_.Now();
  if (change.deactivated_at) {
    const bool deactivate = change.deactivated_at->has_value();
    if (deactivate && id == viewer.id) {
      return Status::Of(StatusCode::kConflict, "you cannot deactivate yourself");
    }
    if (deactivate == before.deactivated_at.has_value()) {
      change.deactivated_at.reset();  // already so: nothing to do
    } else if (deactivate) {
      change.deactivated_at = std::optional<int64_t>(now);
    }
  }
  if (!change.name && !change.role_id && !change.group_ids && !change.deactivated_at &&
      !change.require_password_change) {
    return current;
  }
  const store::AuditEvent audit{
      now,          viewer.id, store::PortalName(before.portal), ChangeAction(change),
      before.email, ip,        ChangeDetails(before, change)};
  if (Status s = store_.UpdatePerson(id, change, audit); !s.ok()) return s;
  return Get(viewer, id);
}

Result<store::PersonSummary> PeopleService::SetActive(const store::Person& viewer, int64_t id,
                                                      bool active, const std::string& ip) {
  store::PersonChange change;
  change.deactivated_at = active ? std::nullopt : std::optional<int64_t>(0);
  return Update(viewer, id, std::move(change), ip);
}

Result<store::PersonSummary> PeopleService::UnlinkSso(const store::Person& viewer, int64_t id,
                                                      const std::string& ip) {
  auto current = Get(viewer, id);
  if (!current.ok()) return current.status();
  const store::AuditEvent audit{clock_.Now(),
                                viewer.id,
                                store::PortalName(current.value().portal),
                                "sso.unlinked",
                                current.value().email,
                                ip,
                                "{}"};
  if (Status s = store_.UnlinkSsoIdentity(id, audit); !s.ok()) return s;
  return Get(viewer, id);
}

Result<std::vector<store::RoleSummary>> PeopleService::Roles(const store::Person& viewer) {
  if (Status s = RequireManager(viewer); !s.ok()) return s;
  return store_.ListRoles();
}

Result<int64_t> PeopleService::CreateRole(const store::Person& viewer, store::Role role,
                                          const std::string& ip) {
  if (Status s = RequireManager(viewer); !s.ok()) return s;
  if (Status s = CheckRoleName(role.name); !s.ok()) return s;
  role.is_admin = false;
  return store_.AddRole(
      role, {clock_.Now(), viewer.id, "agent", "role.created", role.name, ip, RoleDetails(role)});
}

Status PeopleService::UpdateRole(const store::Person& viewer, store::Role role,
                                 const std::string& ip) {
  if (Status s = RequireManager(viewer); !s.ok()) return s;
  if (Status s = CheckRoleName(role.name); !s.ok()) return s;
  role.is_admin = false;
  auto roles = store_.ListRoles();
  if (!roles.ok()) return roles.status();
  const auto before =
      std::find_if(roles.value().begin(), roles.value().end(),
                   [&](const store::RoleSummary& r) { return r.role.id == role.id; });
  if (before == roles.value().end()) return Status::Of(StatusCode::kNotFound, "role not found");
  JsonWriter details;
  details.BeginObject().Key("before").Raw(RoleDetails(before->role));
  details.Key("after").Raw(RoleDetails(role)).EndObject();
  return store_.UpdateRole(
      role, {clock_.Now(), viewer.id, "agent", "role.updated", role.name, ip, details.Take()});
}

Status PeopleService::DeleteRole(const store::Person& viewer, int64_t id,
                                 std::optional<int64_t> move_to, const std::string& ip) {
  if (Status s = RequireManager(viewer); !s.ok()) return s;
  JsonWriter details;
  details.BeginObject().Key("role_id").Int(id).Key("members_moved_to").OptionalInt(move_to);
  return store_.DeleteRole(
      id, move_to,
      {clock_.Now(), viewer.id, "agent", "role.deleted", "", ip, details.EndObject().Take()});
}

}  // namespace deskgate::services
