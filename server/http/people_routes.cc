#include "server/http/people_routes.h"

#include <vector>

#include "server/http/api_routes.h"
#include "server/http/error_response.h"
#include "server/http/http_server.h"
#include "server/http/json_request.h"
#include "server/services/permissions.h"
#include "shared/core/json_fields.h"
#include "shared/core/json_writer.h"

namespace deskgate::http {
namespace {

// The person's fields, inside an object the caller opened.
void WritePersonFields(JsonWriter& w, const store::PersonSummary& p) {
  w.Key("id").Int(p.id).Key("portal").String(store::PortalName(p.portal));
  w.Key("email").String(p.email).Key("name").String(p.name);
  if (p.portal == store::Portal::kAgent) {
    w.Key("role").BeginObject();
    if (p.role) w.Key("id").Int(p.role->id).Key("name").String(p.role->name);
    w.Key("administrator").Bool(p.role_is_admin).EndObject();
    w.Key("groups").BeginArray();
    for (const store::GroupRef& g : p.groups) {
      w.BeginObject().Key("id").Int(g.id).Key("name").String(g.name).EndObject();
    }
    w.EndArray();
  }
  w.Key("active").Bool(!p.deactivated_at);
  w.Key("deactivated_at").OptionalInt(p.deactivated_at);
  w.Key("mfa").BeginObject().Key("app_enrolled").Bool(p.app_enrolled_at.has_value());
  w.Key("app_enrolled_at").OptionalInt(p.app_enrolled_at);
  w.Key("recovery_codes_left").Int(p.recovery_codes_left).EndObject();
  w.Key("sso_linked").Bool(p.sso_linked);
  w.Key("last_sign_in").BeginObject();
  w.Key("at").OptionalInt(p.last_sign_in_at);
  w.Key("method");
  if (p.last_sign_in_method.empty()) {
    w.Null();
  } else {
    w.String(p.last_sign_in_method);
  }
  w.EndObject();
  w.Key("active_sessions").Int(p.active_sessions);
  w.Key("must_change_password").Bool(p.must_change_password);
  // "deactivated", "invited" (no password and never signed in) or "active".
  w.Key("status").String(p.deactivated_at                        ? "deactivated"
                         : !p.has_password && !p.last_sign_in_at ? "invited"
                                                                 : "active");
  w.Key("invitation_expires_at").OptionalInt(p.invitation_expires_at);
  w.Key("created_at").Int(p.created_at);
}

void WritePerson(JsonWriter& w, const store::PersonSummary& p) {
  w.BeginObject();
  WritePersonFields(w, p);
  w.EndObject();
}

void SendPerson(httplib::Response& res, const Result<store::PersonSummary>& person) {
  if (!person.ok()) return SendStatus(res, person.status());
  JsonWriter w;
  WritePerson(w, person.value());
  SendJson(res, w.Take());
}

// A two-valued filter ("enrolled" / "not_enrolled"); false after a 400.
bool FlagParam(const httplib::Request& req, const char* name, const char* yes, const char* no,
               std::optional<bool>& out, httplib::Response& res) {
  if (!req.has_param(name) || req.get_param_value(name).empty()) return true;
  const std::string value = req.get_param_value(name);
  if (value == yes || value == no) {
    out = value == yes;
    return true;
  }
  SendError(res, 400, std::string(name) + ": must be " + yes + " or " + no);
  return false;
}

bool IdParam(const httplib::Request& req, const char* name, std::optional<int64_t>& out,
             httplib::Response& res) {
  if (!req.has_param(name) || req.get_param_value(name).empty()) return true;
  out = ParseId(req.get_param_value(name));
  if (out) return true;
  SendError(res, 400, std::string(name) + ": must be an id");
  return false;
}

// status=active (not deactivated: invited people too), invited or deactivated.
bool ReadStatus(const httplib::Request& req, store::DirectoryQuery& q, httplib::Response& res) {
  const std::string status = req.get_param_value("status");
  if (status.empty()) return true;
  if (status == "active" || status == "deactivated") {
    q.active = status == "active";
  } else if (status == "invited") {
    q.invited = true;
  } else {
    SendError(res, 400, "status: must be active, invited or deactivated");
    return false;
  }
  return true;
}

// sort=name|email|role|last_sign_in|created, with an optional leading '-'
// for descending.
bool ReadSort(const httplib::Request& req, store::DirectoryQuery& q, httplib::Response& res) {
  using Sort = store::DirectoryQuery::Sort;
  std::string sort = req.get_param_value("sort");
  if (sort.empty()) return true;
  q.descending = sort.front() == '-';
  if (q.descending) sort.erase(0, 1);
  static const std::pair<const char*, Sort> kSorts[] = {{"name", Sort::kName},
                                                        {"email", Sort::kEmail},
                                                        {"role", Sort::kRole},
                                                        {"last_sign_in", Sort::kLastSignIn},
                                                        {"created", Sort::kCreated}};
  for (const auto& [name, value] : kSorts) {
    if (sort == name) {
      q.sort = value;
      return true;
    }
  }
  SendError(res, 400,
            "sort: must be name, email, role, last_sign_in or created (- for descending)");
  return false;
}

std::optional<store::DirectoryQuery> ReadQuery(const httplib::Request& req,
                                               httplib::Response& res) {
  store::DirectoryQuery q;
  const std::string portal = req.has_param("portal") ? req.get_param_value("portal") : "agent";
  const auto parsed = store::ParsePortal(portal);
  if (!parsed) {
    SendError(res, 400, "portal: must be agent or contact");
    return std::nullopt;
  }
  q.portal = *parsed;
  q.search = req.get_param_value("q");
  if (!IdParam(req, "role_id", q.role_id, res) || !IdParam(req, "group_id", q.group_id, res) ||
      !FlagParam(req, "mfa", "enrolled", "not_enrolled", q.app_enrolled, res) ||
      !FlagParam(req, "sso", "linked", "not_linked", q.sso_linked, res) ||
      !ReadStatus(req, q, res) || !ReadSort(req, q, res) ||
      !IntParam(req, "offset", 1'000'000'000, q.offset, res) ||
      !IntParam(req, "limit", services::PeopleService::kMaxPageSize, q.limit, res)) {
    return std::nullopt;
  }
  return q;
}

// The edit's fields; nullopt after a 400 naming the bad one.
std::optional<store::PersonChange> ReadChange(const JsonValue& body, httplib::Response& res) {
  if (!OnlyKnownFields(body, {"name", "role_id", "group_ids", "active", "must_change_password"},
                       res)) {
    return std::nullopt;
  }
  store::PersonChange change;
  const auto bad = [&](const char* message) {
    SendError(res, 400, message);
    return std::nullopt;
  };
  if (const JsonValue* active = body.Find("active")) {
    if (!active->is_bool()) return bad("active: must be true or false");
    // Deactivation's time is the service's to set.
    change.deactivated_at = active->as_bool() ? std::nullopt : std::optional<int64_t>(0);
  }
  if (const JsonValue* must = body.Find("must_change_password")) {
    if (!must->is_bool() || !must->as_bool()) {
      return bad("must_change_password: only true (a new password clears it)");
    }
    change.require_password_change = true;
  }
  if (const JsonValue* name = body.Find("name")) {
    if (!name->is_string()) return bad("name: must be text");
    change.name = name->as_string();
  }
  if (const JsonValue* role = body.Find("role_id")) {
    change.role_id = AsId(*role);
    if (!change.role_id) return bad("role_id: must be an id");
  }
  if (const JsonValue* groups = body.Find("group_ids")) {
    if (!groups->is_array() || groups->items().size() > 500) {
      return bad("group_ids: must be a list of up to 500 ids");
    }
    change.group_ids.emplace();
    for (const JsonValue& g : groups->items()) {
      const auto id = AsId(g);
      if (!id) return bad("group_ids: must be a list of ids");
      change.group_ids->push_back(*id);
    }
  }
  return change;
}

int64_t TargetId(const httplib::Request& req) {
  return ParseId(req.matches[1].str()).value_or(0);
}

// A custom role from a request body; nullopt after a 400.
// A role's grants from `permissions`, a list of permission names; false
// after a 400 naming the first unknown one.
bool ReadPermissionList(const JsonValue& list, store::Role& role, httplib::Response& res) {
  if (!list.is_array() || list.items().size() > 16) {
    SendError(res, 400, "permissions: must be a list of permission names");
    return false;
  }
  for (const JsonValue& item : list.items()) {
    Status granted = item.is_string() ? services::GrantPermission(item.as_string(), role)
                                      : Status::Error("a permission name is text");
    if (!granted.ok()) {
      SendError(res, 400, "permissions: " + granted.message());
      return false;
    }
  }
  return true;
}

// A role from a request body: a new one (`base` null: a name is required)
// or a change to `base`, where only the fields given change (a
// `permissions` list replaces every grant). nullopt after a 400.
std::optional<store::Role> ReadRole(const JsonValue& body, httplib::Response& res,
                                    const store::Role* base = nullptr) {
  if (!OnlyKnownFields(body,
                       {"name", "permissions", "manage_authentication", "manage_agent_mfa",
                        "read_audit", "asset_edit"},
                       res)) {
    return std::nullopt;
  }
  store::Role role = base ? *base : store::Role{};
  if (!base || body.Find("name")) {
    auto name = StringField(body, "name", 400, res);
    if (!name) return std::nullopt;
    role.name = *name;
  }
  if (const JsonValue* list = body.Find("permissions")) {
    role.manage_authentication = role.manage_agent_mfa = role.read_audit = false;
    role.asset_edit = store::Role::AssetEdit::kNone;
    if (!ReadPermissionList(*list, role, res)) return std::nullopt;
  }
  for (auto [key, flag] : {std::pair{"manage_authentication", &role.manage_authentication},
                           std::pair{"manage_agent_mfa", &role.manage_agent_mfa},
                           std::pair{"read_audit", &role.read_audit}}) {
    if (Status s = ReadBool(body, key, *flag); !s.ok()) {
      SendError(res, 400, s.message());
      return std::nullopt;
    }
  }
  if (!body.Find("asset_edit")) return role;  // as the permission list says
  std::string edit;
  if (Status s = ReadString(body, "asset_edit", 16, edit); !s.ok()) {
    SendError(res, 400, s.message());
    return std::nullopt;
  }
  if (edit != "none" && edit != "own_groups" && edit != "all") {
    SendError(res, 400, "asset_edit: must be none, own_groups or all");
    return std::nullopt;
  }
  role.asset_edit = edit == "all"          ? store::Role::AssetEdit::kAll
                    : edit == "own_groups" ? store::Role::AssetEdit::kOwnGroups
                                           : store::Role::AssetEdit::kNone;
  return role;
}

void WriteRole(JsonWriter& w, const store::RoleSummary& r) {
  const store::Role& role = r.role;
  w.BeginObject().Key("id").Int(role.id).Key("name").String(role.name);
  w.Key("builtin").Bool(r.builtin).Key("members").Int(r.members);
  w.Key("administrator").Bool(role.is_admin);
  w.Key("manage_authentication").Bool(role.is_admin || role.manage_authentication);
  w.Key("manage_agent_mfa").Bool(role.is_admin || role.manage_agent_mfa);
  w.Key("read_audit").Bool(role.is_admin || role.read_audit);
  w.Key("asset_edit").String(store::AssetEditName(role.asset_edit));
  w.Key("permissions").BeginArray();
  for (std::string_view name : services::PermissionsOfRole(role).Names()) w.String(name);
  w.EndArray().EndObject();
}

// Answers one role as GET /api/roles lists it.
void SendRole(httplib::Response& res, services::PeopleService& people, const store::Person& me,
              int64_t id, int status) {
  auto roles = people.Roles(me);
  if (!roles.ok()) return SendStatus(res, roles.status());
  for (const store::RoleSummary& r : roles.value()) {
    if (r.role.id != id) continue;
    JsonWriter w;
    WriteRole(w, r);
    return SendJson(res, w.Take(), status);
  }
  SendError(res, 404, "role not found");
}

void InstallRoleRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                       services::PeopleService& people) {
  server.Post("/api/roles", [&](const httplib::Request& req, httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    auto body = JsonBody(req, res);
    if (!body) return;
    auto role = ReadRole(*body, res);
    if (!role) return;
    auto id = people.CreateRole(me->person, *role, site.ClientAddress(req));
    if (!id.ok()) return SendStatus(res, id.status());
    SendRole(res, people, me->person, id.value(), 201);
  });

  server.Patch(R"(/api/roles/(\d+))", [&](const httplib::Request& req, httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    auto body = JsonBody(req, res);
    if (!body) return;
    auto roles = people.Roles(me->person);
    if (!roles.ok()) return SendStatus(res, roles.status());
    const store::Role* current = nullptr;
    for (const store::RoleSummary& r : roles.value()) {
      if (r.role.id == TargetId(req)) current = &r.role;
    }
    if (!current) return SendError(res, 404, "role not found");
    auto role = ReadRole(*body, res, current);
    if (!role) return;
    Status s = people.UpdateRole(me->person, *role, site.ClientAddress(req));
    if (!s.ok()) return SendStatus(res, s);
    SendRole(res, people, me->person, role->id, 200);
  });

  server.Delete(R"(/api/roles/(\d+))", [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    std::optional<int64_t> move_to;
    if (!IdParam(req, "move_to", move_to, res)) return;
    Status s = people.DeleteRole(me->person, TargetId(req), move_to, site.ClientAddress(req));
    if (!s.ok()) return SendStatus(res, s);
    SendJson(res, R"({"status":"deleted"})");
  });
}

// The invitee from an invite request; nullopt after a 400.
std::optional<services::Invitee> ReadInvitee(const JsonValue& body, httplib::Response& res) {
  if (!OnlyKnownFields(body, {"portal", "email", "name", "role_id", "group_ids"}, res)) {
    return std::nullopt;
  }
  services::Invitee invitee;
  auto portal = StringField(body, "portal", 16, res);
  if (!portal) return std::nullopt;
  const auto parsed = store::ParsePortal(*portal);
  if (!parsed) {
    SendError(res, 400, "portal: must be agent or contact");
    return std::nullopt;
  }
  invitee.portal = *parsed;
  auto email = StringField(body, "email", 254, res);
  if (!email) return std::nullopt;
  auto name = StringField(body, "name", 400, res);
  if (!name) return std::nullopt;
  invitee.email = *email;
  invitee.name = *name;
  // Role and groups are read as an edit reads them.
  std::vector<JsonValue::Member> members;
  for (const JsonValue::Member& m : body.members()) {
    if (m.first == "role_id" || m.first == "group_ids") members.push_back(m);
  }
  auto change = ReadChange(JsonValue::Object(std::move(members)), res);
  if (!change) return std::nullopt;
  invitee.role_id = change->role_id;
  if (change->group_ids) invitee.group_ids = *change->group_ids;
  return invitee;
}

void WriteIssued(JsonWriter& w, const services::InvitationIssued& issued) {
  w.Key("invitation_id").Int(issued.invitation_id).Key("expires_at").Int(issued.expires_at);
  w.Key("mailed").Bool(issued.mailed);
  // Without mail the administrator passes the link on; with mail it goes
  // to the invitee only.
  if (!issued.mailed) w.Key("link").String(issued.link);
}

// An invitation as POST /api/people/invite answers it: {"person", "mailed", "link"}.
void SendIssued(httplib::Response& res, const Result<services::InvitationIssued>& issued,
                services::PeopleService& people, const store::Person& me, int status) {
  if (!issued.ok()) return SendStatus(res, issued.status());
  auto person = people.Get(me, issued.value().person_id);
  if (!person.ok()) return SendStatus(res, person.status());
  JsonWriter w;
  w.BeginObject().Key("person");
  WritePerson(w, person.value());
  WriteIssued(w, issued.value());
  SendJson(res, w.EndObject().Take(), status);
}

// An invitation as /api/invitations answers it: the invitation's own id,
// whom it invites, and the link when it was not mailed.
void SendInvitationResource(httplib::Response& res,
                            const Result<services::InvitationIssued>& issued,
                            services::PeopleService& people, const store::Person& me, int status) {
  if (!issued.ok()) return SendStatus(res, issued.status());
  auto person = people.Get(me, issued.value().person_id);
  if (!person.ok()) return SendStatus(res, person.status());
  JsonWriter w;
  w.BeginObject().Key("id").Int(issued.value().invitation_id);
  w.Key("person_id").Int(issued.value().person_id);
  w.Key("portal").String(store::PortalName(person.value().portal));
  w.Key("email").String(person.value().email).Key("name").String(person.value().name);
  WriteIssued(w, issued.value());
  w.Key("person");
  WritePerson(w, person.value());
  SendJson(res, w.EndObject().Take(), status);
}

// The import's report; a real run that wrote nothing because of bad rows
// is a 400 whose rows say what to fix.
void SendImportReport(httplib::Response& res, const services::ImportReport& report) {
  JsonWriter w;
  w.BeginObject();
  const bool refused = !report.dry_run && report.errors > 0;
  if (refused) {
    w.Key("error").String(std::to_string(report.errors) +
                          (report.errors == 1 ? " row has" : " rows have") +
                          " a problem: nothing was imported");
    w.Key("code").String("invalid_argument");
  }
  w.Key("dry_run").Bool(report.dry_run).Key("written").Bool(report.written);
  w.Key("mailed").Bool(report.mailed).Key("invited").Int(static_cast<int64_t>(report.invited));
  w.Key("existing").Int(static_cast<int64_t>(report.existing));
  w.Key("errors").Int(static_cast<int64_t>(report.errors)).Key("rows").BeginArray();
  for (const services::ImportRow& row : report.rows) {
    w.BeginObject().Key("row").Int(static_cast<int64_t>(row.row));
    w.Key("email").String(row.email).Key("name").String(row.name);
    w.Key("outcome").String(row.outcome);
    if (!row.error.empty()) w.Key("error").String(row.error);
    if (!row.link.empty()) w.Key("link").String(row.link);
    w.EndObject();
  }
  SendJson(res, w.EndArray().EndObject().Take(), refused ? 400 : 200);
}

void SendInvitation(httplib::Response& res, const Result<services::OpenInvitation>& open) {
  if (!open.ok()) return SendStatus(res, open.status());
  const services::OpenInvitation& o = open.value();
  JsonWriter w;
  w.BeginObject().Key("portal").String(store::PortalName(o.portal));
  w.Key("email").String(o.email).Key("name").String(o.name);
  w.Key("policy").Raw(o.policy_json).Key("expires_at").Int(o.expires_at);
  w.Key("password").Bool(o.password).Key("sso").Bool(o.sso);
  SendJson(res, w.EndObject().Take());
}

// Who is inviting and the invitation they issued, from an invite request
// (POST /api/people, /api/invitations, /api/people/invite); nullopt after
// an error was answered.
struct Invited {
  store::Person admin;
  services::InvitationIssued issued;
};

std::optional<Invited> InviteFromRequest(const Site& site, services::AuthService& auth,
                                         services::InvitationService& invitations,
                                         const httplib::Request& req, httplib::Response& res) {
  if (!AcceptJson(req, res)) return std::nullopt;
  auto me = RequireSession(site, auth, req, res);
  if (!me) return std::nullopt;
  auto body = JsonBody(req, res);
  if (!body) return std::nullopt;
  auto invitee = ReadInvitee(*body, res);
  if (!invitee) return std::nullopt;
  auto issued = invitations.Invite(me->person, *invitee, site.ClientAddress(req));
  if (!issued.ok()) {
    SendStatus(res, issued.status());
    return std::nullopt;
  }
  return Invited{me->person, std::move(issued).value()};
}

void InstallInvitationRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                             services::PeopleService& people,
                             services::InvitationService& invitations) {
  server.Post("/api/people/invite", [&](const httplib::Request& req, httplib::Response& res) {
    auto invited = InviteFromRequest(site, auth, invitations, req, res);
    if (invited) SendIssued(res, invited->issued, people, invited->admin, 201);
  });

  server.Post(
      R"(/api/people/(\d+)/invitation)", [&](const httplib::Request& req, httplib::Response& res) {
        auto me = RequireSession(site, auth, req, res);
        if (!me) return;
        SendIssued(res, invitations.Resend(me->person, TargetId(req), site.ClientAddress(req)),
                   people, me->person, 200);
      });

  server.Delete(R"(/api/people/(\d+)/invitation)",
                [&](const httplib::Request& req, httplib::Response& res) {
                  auto me = RequireSession(site, auth, req, res);
                  if (!me) return;
                  Status s = invitations.Revoke(me->person, TargetId(req), site.ClientAddress(req));
                  if (!s.ok()) return SendStatus(res, s);
                  SendPerson(res, people.Get(me->person, TargetId(req)));
                });

  server.Get("/api/invitations", [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    std::optional<store::Portal> portal;
    if (req.has_param("portal") && !req.get_param_value("portal").empty()) {
      portal = store::ParsePortal(req.get_param_value("portal"));
      if (!portal) return SendError(res, 400, "portal: must be agent or contact");
    }
    auto open = invitations.List(me->person, portal);
    if (!open.ok()) return SendStatus(res, open.status());
    JsonWriter w;
    w.BeginObject().Key("invitations").BeginArray();
    for (const store::InvitationRow& row : open.value()) {
      w.BeginObject().Key("id").Int(row.id).Key("person_id").Int(row.person_id);
      w.Key("portal").String(store::PortalName(row.portal));
      w.Key("email").String(row.email).Key("name").String(row.name);
      w.Key("created_at").Int(row.created_at).Key("expires_at").Int(row.expires_at);
      w.Key("expired").Bool(invitations.Expired(row)).EndObject();
    }
    SendJson(res, w.EndArray().EndObject().Take());
  });

  server.Post("/api/invitations", [&](const httplib::Request& req, httplib::Response& res) {
    auto invited = InviteFromRequest(site, auth, invitations, req, res);
    if (invited) SendInvitationResource(res, invited->issued, people, invited->admin, 201);
  });

  server.Post(
      R"(/api/invitations/(\d+)/resend)", [&](const httplib::Request& req, httplib::Response& res) {
        auto me = RequireSession(site, auth, req, res);
        if (!me) return;
        SendInvitationResource(
            res, invitations.ResendInvitation(me->person, TargetId(req), site.ClientAddress(req)),
            people, me->person, 200);
      });

  server.Delete(
      R"(/api/invitations/(\d+))", [&](const httplib::Request& req, httplib::Response& res) {
        auto me = RequireSession(site, auth, req, res);
        if (!me) return;
        Status s = invitations.RevokeInvitation(me->person, TargetId(req), site.ClientAddress(req));
        if (!s.ok()) return SendStatus(res, s);
        SendJson(res, R"({"status":"revoked"})");
      });

  server.Post("/api/people/import", [&](const httplib::Request& req, httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    auto body = JsonBody(req, res);
    if (!body || !OnlyKnownFields(*body, {"portal", "csv", "dry_run"}, res)) return;
    auto portal_name = StringField(*body, "portal", 16, res);
    if (!portal_name) return;
    const auto portal = store::ParsePortal(*portal_name);
    if (!portal) return SendError(res, 400, "portal: must be agent or contact");
    auto csv = StringField(*body, "csv", size_t{1} << 20, res);
    if (!csv) return;
    bool dry_run = false;
    if (Status s = ReadBool(*body, "dry_run", dry_run); !s.ok()) return SendStatus(res, s);
    auto report = invitations.Import(me->person, *portal, *csv, dry_run, site.ClientAddress(req));
    if (!report.ok()) return SendStatus(res, report.status());
    SendImportReport(res, report.value());
  });

  server.Post("/api/invitations/(lookup|accept)",
              [&](const httplib::Request& req, httplib::Response& res) {
                if (!AcceptJson(req, res)) return;
                auto body = JsonBody(req, res);
                if (!body) return;
                const bool accept = req.matches[1].str() == "accept";
                if (!OnlyKnownFields(*body, {"token", "password"}, res)) return;
                auto token = StringField(*body, "token", 200, res);
                if (!token) return;
                if (!accept)
                  return SendInvitation(res, invitations.Lookup(*token, site.ClientAddress(req)));
                auto password = StringField(*body, "password", 4096, res);
                if (!password) return;
                SendInvitation(res, invitations.Accept(*token, *password, site.ClientAddress(req)));
              });
}

}  // namespace

void InstallPeopleRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                         services::PeopleService& people,
                         services::InvitationService& invitations) {
  server.Get("/api/people", [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    auto query = ReadQuery(req, res);
    if (!query) return;
    auto page = people.List(me->person, *query);
    if (!page.ok()) return SendStatus(res, page.status());
    JsonWriter w;
    w.BeginObject().Key("total").Int(page.value().total).Key("rows").BeginArray();
    for (const store::PersonSummary& p : page.value().rows) WritePerson(w, p);
    SendJson(res, w.EndArray().EndObject().Take());
  });

  // Adding a person is inviting them: the answer is the person, with the
  // invitation's link when it was not mailed.
  server.Post("/api/people", [&](const httplib::Request& req, httplib::Response& res) {
    auto invited = InviteFromRequest(site, auth, invitations, req, res);
    if (!invited) return;
    auto person = people.Get(invited->admin, invited->issued.person_id);
    if (!person.ok()) return SendStatus(res, person.status());
    JsonWriter w;
    w.BeginObject();
    WritePersonFields(w, person.value());
    WriteIssued(w, invited->issued);
    SendJson(res, w.EndObject().Take(), 201);
  });

  server.Get(R"(/api/people/(\d+))", [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    SendPerson(res, people.Get(me->person, TargetId(req)));
  });

  server.Patch(R"(/api/people/(\d+))", [&](const httplib::Request& req, httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    auto body = JsonBody(req, res);
    if (!body) return;
    auto change = ReadChange(*body, res);
    if (!change) return;
    SendPerson(res, people.Update(me->person, TargetId(req), *change, site.ClientAddress(req)));
  });

  server.Post(R"(/api/people/(\d+)/(deactivate|reactivate))", [&](const httplib::Request& req,
                                                                  httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    const bool active = req.matches[2].str() == "reactivate";
    SendPerson(res, people.SetActive(me->person, TargetId(req), active, site.ClientAddress(req)));
  });

  server.Post(
      R"(/api/people/(\d+)/sso/unlink)", [&](const httplib::Request& req, httplib::Response& res) {
        auto me = RequireSession(site, auth, req, res);
        if (!me) return;
        SendPerson(res, people.UnlinkSso(me->person, TargetId(req), site.ClientAddress(req)));
      });

  InstallInvitationRoutes(server, site, auth, people, invitations);
  InstallRoleRoutes(server, site, auth, people);

  server.Get("/api/roles", [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    auto roles = people.Roles(me->person);
    if (!roles.ok()) return SendStatus(res, roles.status());
    JsonWriter w;
    w.BeginObject().Key("roles").BeginArray();
    for (const store::RoleSummary& r : roles.value()) WriteRole(w, r);
    SendJson(res, w.EndArray().EndObject().Take());
  });
}

}  // namespace deskgate::http
