// The administration API as docs/admin.md documents it, over real HTTP:
// people (adding is inviting, deactivation is `{"active": false}`),
// invitations as their own resource, roles whose permissions are a list of
// names, groups and locations — and the permission matrix over every
// administration route: Administrator, each custom permission alone, a
// plain agent, a contact and nobody signed in.
#include <httplib.h>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../support/accounts.h"
#include "../support/people_fixture.h"
#include "../support/subprocess.h"

using deskgate::testing::CodeOf;
using deskgate::testing::Must;
using deskgate::testing::People;
using deskgate::testing::Run;
using deskgate::testing::StatusOf;
using nlohmann::json;

namespace {

httplib::Result Send(People& p, const std::string& method, const std::string& path,
                     const std::string& who, const json& body = json::object()) {
  const httplib::Headers headers = {{"Cookie", who}};
  httplib::Result res = method == "GET"      ? p.client.Get(path, headers)
                        : method == "DELETE" ? p.client.Delete(path, headers)
                        : method == "PATCH"
                            ? p.client.Patch(path, headers, body.dump(), "application/json")
                            : p.client.Post(path, headers, body.dump(), "application/json");
  REQUIRE(res);
  return res;
}

json Answer(const httplib::Result& res, int status) {
  INFO(res->body);
  REQUIRE(res->status == status);
  return json::parse(res->body);
}

std::string Id(const json& value) {
  return std::to_string(value.get<int64_t>());
}

// The details of the newest audit event named `event`.
json LastAudit(People& p, const std::string& event) {
  const json log = p.GetJson("/api/audit?event=" + event, p.admin);
  REQUIRE(log["total"].get<int>() >= 1);
  return log["events"][0]["details"];
}

std::vector<int64_t> InvitationIds(People& p, const std::string& query = "") {
  const json list = p.GetJson("/api/invitations" + query, p.admin);
  std::vector<int64_t> ids;
  for (const json& row : list["invitations"]) ids.push_back(row["id"]);
  return ids;
}

}  // namespace

TEST_CASE("Adding a person invites them; invitations are listed, resent and withdrawn by id",
          "[api][people][invitations]") {
  People p;
  json added = Answer(Send(p, "POST", "/api/people", p.admin,
                           {{"portal", "agent"},
                            {"email", "Nina@Example.com"},
                            {"name", "Nina Newcomer"},
                            {"role_id", p.RoleId("Agent")}}),
                      201);
  CHECK(added["email"] == "nina@example.com");
  CHECK(added["status"] == "invited");
  CHECK(added["mailed"] == false);
  CHECK(added["link"].get<std::string>().find("/invite.html#token=") != std::string::npos);
  const int64_t person = added["id"];
  const int64_t first = added["invitation_id"];
  CHECK(p.GetJson("/api/people/" + Id(added["id"]), p.admin)["status"] == "invited");

  json contact = Answer(
      Send(p, "POST", "/api/invitations", p.admin,
           {{"portal", "contact"}, {"email", "cy@customer.example"}, {"name", "Cy Customer"}}),
      201);
  CHECK(contact["portal"] == "contact");
  CHECK(contact["person"]["status"] == "invited");
  const int64_t contact_invitation = contact["id"];

  CHECK(InvitationIds(p) == std::vector<int64_t>{contact_invitation, first});
  CHECK(InvitationIds(p, "?portal=agent") == std::vector<int64_t>{first});
  const json listed = p.GetJson("/api/invitations?portal=agent", p.admin)["invitations"][0];
  CHECK(listed["person_id"] == person);
  CHECK(listed["email"] == "nina@example.com");
  CHECK(listed["expired"] == false);
  CHECK(StatusOf(Send(p, "GET", "/api/invitations?portal=staff", p.admin)) == 400);

  // Resending gives the invitation a new id and link; the old ones are dead.
  json resent = Answer(
      Send(p, "POST", "/api/invitations/" + Id(added["invitation_id"]) + "/resend", p.admin), 200);
  CHECK(resent["id"] != first);
  CHECK(resent["person_id"] == person);
  CHECK(resent["link"] != added["link"]);
  CHECK(StatusOf(Send(p, "DELETE", "/api/invitations/" + std::to_string(first), p.admin)) == 404);
  CHECK(InvitationIds(p, "?portal=agent") == std::vector<int64_t>{resent["id"].get<int64_t>()});

  // Withdrawn: gone from the list, its link refused, the person still listed.
  CHECK(Answer(Send(p, "DELETE", "/api/invitations/" + Id(resent["id"]), p.admin), 200)["status"] ==
        "revoked");
  CHECK(InvitationIds(p, "?portal=agent").empty());
  CHECK(StatusOf(Send(p, "DELETE", "/api/invitations/" + Id(resent["id"]), p.admin)) == 404);
  CHECK(StatusOf(Send(p, "POST", "/api/invitations/999999/resend", p.admin)) == 404);

  // An accepted invitation leaves the list too.
  const std::string link = contact["link"];
  const std::string token = link.substr(link.find("#token=") + 7);
  auto accepted =
      p.client.Post("/api/invitations/accept",
                    json{{"token", token}, {"password", deskgate::testing::kTestPassword}}.dump(),
                    "application/json");
  REQUIRE(accepted->status == 200);
  CHECK(InvitationIds(p).empty());
  CHECK(
      Send(p, "POST", "/api/invitations/" + std::to_string(contact_invitation) + "/resend", p.admin)
          ->status == 404);

  // Bad input changes nothing.
  const json before = p.GetJson("/api/people?portal=agent", p.admin);
  for (const json& bad : {json{{"portal", "agent"}, {"email", "not-an-address"}, {"name", "X"}},
                          json{{"portal", "agent"}, {"email", "x@example.com"}, {"name", ""}},
                          json{{"portal", "staff"}, {"email", "x@example.com"}, {"name", "X"}},
                          json{{"portal", "contact"},
                               {"email", "x@example.com"},
                               {"name", "X"},
                               {"role_id", p.RoleId("Agent")}},
                          json{{"email", "x@example.com"}, {"name", "X"}, {"admin", true}}}) {
    INFO(bad.dump());
    auto res = Send(p, "POST", "/api/people", p.admin, bad);
    CHECK(res->status == 400);
    CHECK(CodeOf(res) == "invalid_argument");
  }
  CHECK(p.GetJson("/api/people?portal=agent", p.admin)["total"] == before["total"]);
}

TEST_CASE(
    "PATCH /api/people/{id}: active false deactivates, true reactivates, audited before/after",
    "[api][people]") {
  People p;
  p.Add("agent", "leaver@example.com", "Agent", "Lee Leaver");
  const std::string leaver = p.SignIn("agent", "leaver@example.com");
  const int64_t id = p.IdOf("agent", "leaver@example.com");

  json off = Answer(p.Patch(id, {{"active", false}}, p.admin), 200);
  CHECK(off["active"] == false);
  CHECK(off["status"] == "deactivated");
  CHECK(off["active_sessions"] == 0);
  CHECK(StatusOf(p.Get("/api/me", leaver)) == 401);
  CHECK(StatusOf(deskgate::testing::Login(p.client, "agent", "leaver@example.com")) == 403);
  json details = LastAudit(p, "person.deactivated");
  CHECK(details["before"]["active"] == true);
  CHECK(details["after"]["active"] == false);

  // Several fields in one request are one change, one audit entry.
  json on = Answer(p.Patch(id, {{"active", true}, {"name", "Lee Returned"}}, p.admin), 200);
  CHECK(on["active"] == true);
  CHECK(on["name"] == "Lee Returned");
  details = LastAudit(p, "person.updated");
  CHECK(details["before"] == json{{"name", "Lee Leaver"}, {"active", false}});
  CHECK(details["after"] == json{{"name", "Lee Returned"}, {"active", true}});
  p.SignIn("agent", "leaver@example.com");

  json must = Answer(p.Patch(id, {{"must_change_password", true}}, p.admin), 200);
  CHECK(must["must_change_password"] == true);
  CHECK(LastAudit(p, "password.reset_by_admin")["after"]["must_change_password"] == true);

  // A refused change changes nothing, not even its valid parts.
  const int64_t before = p.Audits("person.updated");
  for (const json& bad :
       {json{{"active", "no"}}, json{{"must_change_password", false}},
        json{{"name", "Changed"}, {"active", 0}}, json{{"name", "Changed"}, {"role_id", 999999}}}) {
    INFO(bad.dump());
    auto res = p.Patch(id, bad, p.admin);
    CHECK((res->status == 400 || res->status == 404));
  }
  CHECK(p.GetJson("/api/people/" + std::to_string(id), p.admin)["name"] == "Lee Returned");
  CHECK(p.Audits("person.updated") == before);

  // Nobody deactivates themself this way either.
  const int64_t me = p.IdOf("agent", "admin@example.com");
  auto self = p.Patch(me, {{"active", false}}, p.admin);
  CHECK(self->status == 409);
  CHECK(StatusOf(p.Get("/api/me", p.admin)) == 200);
}

TEST_CASE("Roles take and show their permissions as a list of names", "[api][roles]") {
  People p;
  json made =
      Answer(Send(p, "POST", "/api/roles", p.admin,
                  {{"name", "MFA desk"}, {"permissions", {"read_audit", "manage_agent_mfa"}}}),
             201);
  CHECK(made["permissions"] == json{"manage_agent_mfa", "read_audit"});
  CHECK(made["manage_agent_mfa"] == true);
  CHECK(made["manage_authentication"] == false);
  CHECK(made["asset_edit"] == "none");
  CHECK(made["builtin"] == false);

  json changed =
      Answer(Send(p, "PATCH", "/api/roles/" + Id(made["id"]), p.admin,
                  {{"name", "Security desk"},
                   {"permissions", {"manage_authentication", "edit_group_assets", "edit_assets"}}}),
             200);
  CHECK(changed["name"] == "Security desk");
  CHECK(changed["permissions"] == json{"manage_authentication", "edit_assets"});
  CHECK(changed["asset_edit"] == "all");

  for (const json& bad : {json{{"name", "X"}, {"permissions", {"administrator"}}},
                          json{{"name", "X"}, {"permissions", {"delete_everything"}}},
                          json{{"name", "X"}, {"permissions", "manage_agent_mfa"}},
                          json{{"name", "X"}, {"permissions", {42}}}}) {
    INFO(bad.dump());
    auto res = Send(p, "PATCH", "/api/roles/" + Id(made["id"]), p.admin, bad);
    CHECK(res->status == 400);
    CHECK(json::parse(res->body)["error"].get<std::string>().rfind("permissions: ", 0) == 0);
  }
  bool found = false;
  const json roles = p.GetJson("/api/roles", p.admin);
  for (const json& role : roles["roles"]) {
    if (role["name"] == "Administrator") {
      CHECK(role["permissions"].size() >= 5);
      CHECK(role["permissions"][0] == "administrator");
    }
    if (role["id"] == made["id"]) {
      found = true;
      CHECK(role["permissions"] == changed["permissions"]);
    }
  }
  CHECK(found);
  // A PATCH changes only what it names.
  json renamed = Answer(
      Send(p, "PATCH", "/api/roles/" + Id(made["id"]), p.admin, {{"name", "Sec desk"}}), 200);
  CHECK(renamed["permissions"] == changed["permissions"]);
  json flag = Answer(
      Send(p, "PATCH", "/api/roles/" + Id(made["id"]), p.admin, {{"read_audit", true}}), 200);
  CHECK(flag["name"] == "Sec desk");
  CHECK(flag["permissions"] == json{"manage_authentication", "edit_assets", "read_audit"});
  CHECK(StatusOf(Send(p, "PATCH", "/api/roles/999999", p.admin, {{"name", "X"}})) == 404);
  const json log = p.GetJson("/api/audit?event=role.updated", p.admin);
  const json details = log["events"][log["events"].size() - 1]["details"];
  CHECK(details["before"]["name"] == "MFA desk");
  CHECK(details["after"]["name"] == "Security desk");
}

TEST_CASE("Groups and locations at /api/groups and /api/locations", "[api][catalog]") {
  People p;
  for (const std::string kind : {"groups", "locations"}) {
    INFO(kind);
    json made = Answer(Send(p, "POST", "/api/" + kind, p.admin, {{"name", "North wing"}}), 201);
    CHECK(made["name"] == "North wing");
    CHECK(made["records"] == 0);
    const std::string path = "/api/" + kind + "/" + Id(made["id"]);
    json renamed = Answer(Send(p, "PATCH", path, p.admin, {{"name", "South wing"}}), 200);
    CHECK(renamed["name"] == "South wing");
    const json details = LastAudit(p, kind == "groups" ? "group.renamed" : "location.renamed");
    CHECK(details["before"]["name"] == "North wing");
    CHECK(details["after"]["name"] == "South wing");
    bool listed = false;
    const json list = p.GetJson("/api/" + kind, p.admin);
    for (const json& e : list[kind]) listed |= e["id"] == made["id"];
    CHECK(listed);
    CHECK(StatusOf(Send(p, "PATCH", path, p.admin, {{"name", ""}})) == 400);
    Answer(Send(p, "DELETE", path, p.admin), 200);
    CHECK(StatusOf(Send(p, "DELETE", path, p.admin)) == 404);
  }
}

TEST_CASE("Every administration route: Administrators only, whatever else a role grants",
          "[api][people][matrix]") {
  People p;
  const std::string db = p.server.db_path();
  std::vector<std::pair<std::string, std::string>> others;  // who, cookie
  for (const std::string permission : {"manage_authentication", "manage_agent_mfa", "read_audit",
                                       "edit_assets", "edit_group_assets"}) {
    Must(Run(
        {"role", "add", "--name", "Only " + permission, "--permissions", permission, "--db", db}));
    const std::string email = permission + "@example.com";
    p.Add("agent", email, "Only " + permission);
    others.emplace_back(permission, p.SignIn("agent", email));
  }
  p.Add("agent", "plain@example.com", "Agent");
  others.emplace_back("plain agent", p.SignIn("agent", "plain@example.com"));
  p.Add("contact", "customer@example.com");
  others.emplace_back("contact", p.SignIn("contact", "customer@example.com"));

  // What the routes act on.
  p.Add("agent", "target@example.com", "Agent", "Tess Target");
  const std::string target = std::to_string(p.IdOf("agent", "target@example.com"));
  const auto invite = [&](const std::string& email) {
    return Answer(Send(p, "POST", "/api/invitations", p.admin,
                       {{"portal", "agent"}, {"email", email}, {"name", "Invited"}}),
                  201);
  };
  const json resend_me = invite("resend@example.com");
  const json revoke_me = invite("revoke@example.com");
  const json resend_person = invite("resend-person@example.com");
  const json revoke_person = invite("revoke-person@example.com");
  const json role = Answer(Send(p, "POST", "/api/roles", p.admin, {{"name", "Spare"}}), 201);
  const json doomed_role =
      Answer(Send(p, "POST", "/api/roles", p.admin, {{"name", "Doomed"}}), 201);
  const auto add = [&](const std::string& kind, const std::string& name) {
    return Id(Answer(Send(p, "POST", "/api/" + kind, p.admin, {{"name", name}}), 201)["id"]);
  };
  const std::string group = add("groups", "Desk A");
  const std::string doomed_group = add("groups", "Desk B");
  const std::string location = add("locations", "Floor 1");
  const std::string doomed_location = add("locations", "Floor 2");

  struct Route {
    std::string method, path;
    json body;
    int admin_status;
  };
  const std::vector<Route> routes = {
      {"GET", "/api/people?portal=agent", {}, 200},
      {"GET", "/api/people?portal=contact", {}, 200},
      {"GET", "/api/people/" + target, {}, 200},
      {"POST",
       "/api/people",
       {{"portal", "agent"}, {"email", "n1@example.com"}, {"name", "N"}},
       201},
      {"PATCH", "/api/people/" + target, {{"name", "Tess Renamed"}}, 200},
      {"PATCH", "/api/people/" + target, {{"active", false}}, 200},
      {"POST", "/api/people/" + target + "/reactivate", {}, 200},
      {"POST", "/api/people/" + target + "/deactivate", {}, 200},
      {"PATCH", "/api/people/" + target, {{"active", true}}, 200},
      {"PATCH", "/api/people/" + target, {{"must_change_password", true}}, 200},
      {"POST", "/api/people/" + target + "/require-password-change", {}, 200},
      {"PATCH", "/api/people/" + target, {{"group_ids", {std::stoll(group)}}}, 200},
      {"POST", "/api/people/" + target + "/sso/unlink", {}, 404},  // none linked
      {"GET", "/api/invitations", {}, 200},
      {"POST",
       "/api/invitations",
       {{"portal", "contact"}, {"email", "n2@example.com"}, {"name", "N"}},
       201},
      {"POST",
       "/api/people/invite",
       {{"portal", "agent"}, {"email", "n3@example.com"}, {"name", "N"}},
       201},
      {"POST", "/api/invitations/" + Id(resend_me["id"]) + "/resend", {}, 200},
      {"DELETE", "/api/invitations/" + Id(revoke_me["id"]), {}, 200},
      {"POST", "/api/people/" + Id(resend_person["person_id"]) + "/invitation", {}, 200},
      {"DELETE", "/api/people/" + Id(revoke_person["person_id"]) + "/invitation", {}, 200},
      {"GET", "/api/roles", {}, 200},
      {"POST", "/api/roles", {{"name", "New role"}, {"permissions", {"read_audit"}}}, 201},
      {"PATCH", "/api/roles/" + Id(role["id"]), {{"name", "Spare 2"}}, 200},
      {"DELETE", "/api/roles/" + Id(doomed_role["id"]), {}, 200},
      {"GET", "/api/groups", {}, 200},
      {"POST", "/api/groups", {{"name", "Desk C"}}, 201},
      {"PATCH", "/api/groups/" + group, {{"name", "Desk A2"}}, 200},
      {"DELETE", "/api/groups/" + doomed_group, {}, 200},
      {"GET", "/api/locations", {}, 200},
      {"POST", "/api/locations", {{"name", "Floor 3"}}, 201},
      {"PATCH", "/api/locations/" + location, {{"name", "Floor 1b"}}, 200},
      {"DELETE", "/api/locations/" + doomed_location, {}, 200},
  };

  const json people_before = p.GetJson("/api/people?portal=agent&limit=200", p.admin);
  const json roles_before = p.GetJson("/api/roles", p.admin);
  const json invitations_before = p.GetJson("/api/invitations", p.admin);
  int checked = 0;
  for (const Route& r : routes) {
    for (const auto& [who, cookie] : others) {
      INFO(r.method << " " << r.path << " as " << who);
      auto res = Send(p, r.method, r.path, cookie, r.body);
      CHECK(res->status == 403);
      CHECK(CodeOf(res) == "permission_denied");
      ++checked;
    }
    INFO(r.method << " " << r.path << " signed out");
    auto anonymous = Send(p, r.method, r.path, "", r.body);
    CHECK(anonymous->status == 401);
    ++checked;
  }
  // Refused requests changed nothing.
  CHECK(p.GetJson("/api/people?portal=agent&limit=200", p.admin) == people_before);
  CHECK(p.GetJson("/api/roles", p.admin) == roles_before);
  CHECK(p.GetJson("/api/invitations", p.admin) == invitations_before);

  for (const Route& r : routes) {
    INFO(r.method << " " << r.path << " as Administrator");
    auto res = Send(p, r.method, r.path, p.admin, r.body);
    INFO(res->body);
    CHECK(res->status == r.admin_status);
    ++checked;
  }
  CHECK(checked == static_cast<int>(routes.size() * (others.size() + 2)));
}

namespace {

httplib::Result Import(People& p, const std::string& csv, bool dry_run,
                       const std::string& portal = "contact") {
  return Send(p, "POST", "/api/people/import", p.admin,
              {{"portal", portal}, {"csv", csv}, {"dry_run", dry_run}});
}

}  // namespace

TEST_CASE("Contacts import from CSV: a dry run reports every row, a bad file writes nothing",
          "[api][people][import]") {
  People p;
  p.Add("contact", "known@customer.example", "", "Kim Known");
  // Excel's "CSV UTF-8" in a ';' locale: BOM, CRLF, quoted fields with the
  // separator and a line break, columns in another order with an extra one.
  const std::string file =
      "\xEF\xBB\xBF"
      "Email;Company;Name\r\n"
      "ana@customer.example;ACME;\"Ana; Sales\"\r\n"
      "KNOWN@customer.example;ACME;Kim Known\r\n"
      "not-an-address;ACME;Bad Row\r\n"
      "ana@customer.example;ACME;Ana Again\r\n"
      "\"bo@customer.example\";\"Big\r\nCorp\";\r\n"
      "cy@customer.example;Small;Cy Customer\r\n";
  json dry = Answer(Import(p, file, true), 200);
  CHECK(dry["dry_run"] == true);
  CHECK(dry["written"] == false);
  CHECK(dry["invited"] == 2);
  CHECK(dry["existing"] == 1);
  CHECK(dry["errors"] == 3);
  const json rows = dry["rows"];
  REQUIRE(rows.size() == 6);
  CHECK(rows[0] == json{{"row", 2},
                        {"email", "ana@customer.example"},
                        {"name", "Ana; Sales"},
                        {"outcome", "invited"}});
  CHECK(rows[1]["outcome"] == "exists");
  CHECK(rows[2]["row"] == 4);
  CHECK(rows[2]["error"] == "email: not a valid email address");
  CHECK(rows[3]["error"] == "email: also on row 2");
  CHECK(rows[4]["error"] == "name: missing");
  CHECK(rows[5]["row"] == 7);  // the line break inside row 6 is not a row
  const json before = p.GetJson("/api/people?portal=contact", p.admin);
  CHECK(before["total"] == 1);

  // The real run refuses the same file whole.
  auto refused = Import(p, file, false);
  CHECK(refused->status == 400);
  const json answer = json::parse(refused->body);
  CHECK(answer["error"] == "3 rows have a problem: nothing was imported");
  CHECK(answer["rows"].size() == 6);
  CHECK(p.GetJson("/api/people?portal=contact", p.admin)["total"] == 1);

  // Fixed, it imports: new contacts invited, the known one untouched.
  const std::string fixed =
      "Email;Company;Name\r\n"
      "ana@customer.example;ACME;\"Ana; Sales\"\r\n"
      "known@customer.example;ACME;Someone Else\r\n"
      "cy@customer.example;Small;Cy Customer\r\n";
  json done = Answer(Import(p, fixed, false), 200);
  CHECK(done["written"] == true);
  CHECK(done["invited"] == 2);
  CHECK(done["existing"] == 1);
  CHECK(done["mailed"] == false);
  CHECK(done["rows"][0]["link"].get<std::string>().find("/invite.html#token=") !=
        std::string::npos);
  CHECK_FALSE(done["rows"][1].contains("link"));
  const json after = p.GetJson("/api/people?portal=contact&q=customer.example", p.admin);
  CHECK(after["total"] == 3);
  CHECK(p.GetJson("/api/people?portal=contact&q=known", p.admin)["rows"][0]["name"] == "Kim Known");
  CHECK(p.GetJson("/api/invitations?portal=contact", p.admin)["invitations"].size() == 2);
  CHECK(p.Audits("person.invited") == 2);

  // Importing it again invites nobody twice.
  json again = Answer(Import(p, fixed, false), 200);
  CHECK(again["invited"] == 0);
  CHECK(again["existing"] == 3);
  CHECK(p.GetJson("/api/people?portal=contact", p.admin)["total"] == 3);

  // A file that is not a contact list at all.
  for (const std::string& bad : {std::string("first,last\nA,B\n"), std::string("name,email\n"),
                                 std::string("name,email\n\"open,x@y.example\n")}) {
    INFO(bad);
    auto res = Import(p, bad, false);
    CHECK(res->status == 400);
    CHECK(json::parse(res->body)["error"].get<std::string>().rfind("csv: ", 0) == 0);
  }
  // Only Administrators.
  p.Add("agent", "agent@example.com", "Agent");
  const std::string agent = p.SignIn("agent", "agent@example.com");
  auto denied = Send(p, "POST", "/api/people/import", agent,
                     {{"portal", "contact"}, {"csv", fixed}, {"dry_run", true}});
  CHECK(denied->status == 403);
}

TEST_CASE("The people list sorts by any of its columns and filters the invited", "[api][people]") {
  People p;
  p.Add("agent", "zed@example.com", "Agent", "Zed Zimmer");
  p.Add("agent", "bea@example.com", "Agent", "Bea Baker");
  p.SignIn("agent", "zed@example.com");
  Answer(Send(p, "POST", "/api/people", p.admin,
              {{"portal", "agent"}, {"email", "cy@example.com"}, {"name", "Cy Newcomer"}}),
         201);
  const auto emails = [&](const std::string& query) {
    const json page = p.GetJson("/api/people?portal=agent" + query, p.admin);
    std::vector<std::string> out;
    for (const json& row : page["rows"]) out.push_back(row["email"]);
    return out;
  };
  using Emails = std::vector<std::string>;
  CHECK(emails("") ==
        Emails{"admin@example.com", "bea@example.com", "cy@example.com", "zed@example.com"});
  CHECK(emails("&sort=-name") ==
        Emails{"zed@example.com", "cy@example.com", "bea@example.com", "admin@example.com"});
  CHECK(emails("&sort=email") ==
        Emails{"admin@example.com", "bea@example.com", "cy@example.com", "zed@example.com"});
  // Never signed in sorts last both ways.
  const Emails latest = emails("&sort=-last_sign_in");
  REQUIRE(latest.size() == 4);
  CHECK(Emails(latest.begin() + 2, latest.end()) == Emails{"cy@example.com", "bea@example.com"});
  const Emails earliest = emails("&sort=last_sign_in");
  CHECK(Emails(earliest.begin() + 2, earliest.end()) ==
        Emails{"bea@example.com", "cy@example.com"});
  CHECK(emails("&sort=-role").front() == "bea@example.com");  // Agent after Administrator, reversed

  CHECK(emails("&status=invited") == Emails{"cy@example.com"});
  CHECK(emails("&status=active").size() == 4);
  CHECK(p.GetJson("/api/people?portal=agent&status=invited", p.admin)["total"] == 1);
  for (const char* bad : {"&sort=password_hash", "&sort=-", "&status=pending"}) {
    INFO(bad);
    CHECK(StatusOf(Send(p, "GET", std::string("/api/people?portal=agent") + bad, p.admin)) == 400);
  }
}

TEST_CASE(
    "Deactivation withdraws open links; an invited Administrator does not count as the last one",
    "[api][people]") {
  People p;
  json bo = Answer(Send(p, "POST", "/api/people", p.admin,
                        {{"portal", "agent"},
                         {"email", "bo@example.com"},
                         {"name", "Bo Boss"},
                         {"role_id", p.RoleId("Administrator")}}),
                   201);
  const std::string link = bo["link"];
  const std::string token = link.substr(link.find("#token=") + 7);
  // Bo cannot sign in yet: Ada is still the last Administrator who can.
  const int64_t ada = p.IdOf("agent", "admin@example.com");
  auto demote = p.Patch(ada, {{"role_id", p.RoleId("Agent")}}, p.admin);
  CHECK(demote->status == 409);
  CHECK(CodeOf(demote) == "conflict");

  // Deactivated before accepting: the link dies with it, and stays dead
  // after a reactivation.
  Answer(p.Patch(bo["id"], {{"active", false}}, p.admin), 200);
  CHECK(p.GetJson("/api/invitations", p.admin)["invitations"].empty());
  Answer(p.Patch(bo["id"], {{"active", true}}, p.admin), 200);
  auto lookup =
      p.client.Post("/api/invitations/lookup", json{{"token", token}}.dump(), "application/json");
  CHECK(lookup->status == 403);
  // A new link works.
  json again = Answer(Send(p, "POST", "/api/people/" + Id(bo["id"]) + "/invitation", p.admin), 200);
  const std::string fresh = again["link"];
  auto open = p.client.Post("/api/invitations/lookup",
                            json{{"token", fresh.substr(fresh.find("#token=") + 7)}}.dump(),
                            "application/json");
  CHECK(open->status == 200);
}
