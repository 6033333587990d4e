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

void WritePerson(JsonWriter& w, const store::PersonSummary& p) {
  w.BeginObject().Key("id").Int(p.id).Key("portal").String(store::PortalName(p.portal));
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
  w.Key("created_at").Int(p.created_at).EndObject();
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
      !FlagParam(req, "status", "active", "deactivated", q.active, res) ||
      !IntParam(req, "offset", 1'000'000'000, q.offset, res) ||
      !IntParam(req, "limit", services::PeopleService::kMaxPageSize, q.limit, res)) {
    return std::nullopt;
  }
  return q;
}

// The edit's fields; nullopt after a 400 naming the bad one.
std::optional<store::PersonChange> ReadChange(const JsonValue& body, httplib::Response& res) {
  if (!OnlyKnownFields(body, {"name", "role_id", "group_ids"}, res)) return std::nullopt;
  store::PersonChange change;
  const auto bad = [&](const char* message) {
    SendError(res, 400, message);
    return std::nullopt;
  };
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
std::optional<store::Role> ReadRole(const JsonValue& body, httplib::Response& res) {
  if (!OnlyKnownFields(
          body, {"name", "manage_authentication", "manage_agent_mfa", "read_audit", "asset_edit"},
          res)) {
    return std::nullopt;
  }
  store::Role role;
  auto name = StringField(body, "name", 400, res);
  if (!name) return std::nullopt;
  role.name = *name;
  for (auto [key, flag] : {std::pair{"manage_authentication", &role.manage_authentication},
                           std::pair{"manage_agent_mfa", &role.manage_agent_mfa},
                           std::pair{"read_audit", &role.read_audit}}) {
    if (Status s = ReadBool(body, key, *flag); !s.ok()) {
      SendError(res, 400, s.message());
      return std::nullopt;
    }
  }
  std::string edit = "none";
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
    JsonWriter w;
    SendJson(res, w.BeginObject().Key("id").Int(id.value()).EndObject().Take(), 201);
  });

  server.Patch(R"(/api/roles/(\d+))", [&](const httplib::Request& req, httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    auto body = JsonBody(req, res);
    if (!body) return;
    auto role = ReadRole(*body, res);
    if (!role) return;
    role->id = TargetId(req);
    Status s = people.UpdateRole(me->person, *role, site.ClientAddress(req));
    if (!s.ok()) return SendStatus(res, s);
    SendJson(res, R"({"status":"saved"})");
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

void SendIssued(httplib::Response& res, const Result<services::InvitationIssued>& issued,
                services::PeopleService& people, const store::Person& me, int status) {
  if (!issued.ok()) return SendStatus(res, issued.status());
  auto person = people.Get(me, issued.value().person_id);
  if (!person.ok()) return SendStatus(res, person.status());
  JsonWriter w;
  w.BeginObject().Key("person");
  WritePerson(w, person.value());
  w.Key("mailed").Bool(issued.value().mailed);
  // Without mail the administrator passes the link on; with mail it goes
  // to the invitee only.
  if (!issued.value().mailed) w.Key("link").String(issued.value().link);
  SendJson(res, w.EndObject().Take(), status);
}

void SendInvitation(httplib::Response& res, const Result<services::OpenInvitation>& open) {
  if (!open.ok()) return SendStatus(res, open.status());
  const services::OpenInvitation& o = open.value();
  JsonWriter w;
  w.BeginObject().Key("portal").String(store::PortalName(o.portal));
  w.Key("email").String(o.email).Key("name").String(o.name);
  w.Key("policy").Raw(o.policy_json).Key("expires_at").Int(o.expires_at);
  SendJson(res, w.EndObject().Take());
}

void InstallInvitationRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                             services::PeopleService& people,
                             services::InvitationService& invitations) {
  server.Post("/api/people/invite", [&](const httplib::Request& req, httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    auto body = JsonBody(req, res);
    if (!body) return;
    auto invitee = ReadInvitee(*body, res);
    if (!invitee) return;
    SendIssued(res, invitations.Invite(me->person, *invitee, site.ClientAddress(req)), people,
               me->person, 201);
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
    for (const store::RoleSummary& r : roles.value()) {
      w.BeginObject().Key("id").Int(r.role.id).Key("name").String(r.role.name);
      w.Key("builtin").Bool(r.builtin).Key("members").Int(r.members);
      w.Key("administrator").Bool(r.role.is_admin);
      w.Key("manage_authentication").Bool(r.role.manage_authentication);
      w.Key("manage_agent_mfa").Bool(r.role.manage_agent_mfa);
      w.Key("read_audit").Bool(r.role.is_admin || r.role.read_audit);
      w.Key("asset_edit").String(store::AssetEditName(r.role.asset_edit)).EndObject();
    }
    SendJson(res, w.EndArray().EndObject().Take());
  });

  server.Get("/api/groups", [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    auto groups = people.Groups(me->person);
    if (!groups.ok()) return SendStatus(res, groups.status());
    JsonWriter w;
    w.BeginObject().Key("groups").BeginArray();
    for (const store::GroupRef& g : groups.value()) {
      w.BeginObject().Key("id").Int(g.id).Key("name").String(g.name).EndObject();
    }
    SendJson(res, w.EndArray().EndObject().Take());
  });
}

}  // namespace deskgate::http
