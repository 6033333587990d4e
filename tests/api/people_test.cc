// The people lists administrators manage, over real HTTP: listing with
// filters and paging, editing name, role and groups, deactivation (every
// session ends, every sign-in path refuses) and reactivation, and the
// guards: administrators only, nobody deactivates themself, deskgate never
// loses its last active Administrator.
#include <httplib.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "../support/accounts.h"
#include "../support/people_fixture.h"
#include "../support/subprocess.h"
#include "server/store/sqlite/sqlite_store.h"

using deskgate::testing::Must;
using deskgate::testing::Run;
using deskgate::testing::ServerProcess;
using nlohmann::json;

using deskgate::testing::CodeOf;
using deskgate::testing::People;
using deskgate::testing::StatusOf;

TEST_CASE("Administrators list agents and contacts with search, filters, paging and totals",
          "[api][people]") {
  People p;
  for (int i = 0; i < 7; ++i) {
    p.Add("agent", "agent" + std::to_string(i) + "@example.com", "Agent",
          "Agent " + std::to_string(i));
  }
  p.Add("contact", "carol@customer.example", "", "Carol Contact");
  p.Sql(
      "INSERT INTO agent_groups (name) VALUES ('Network'), ('Desk');"
      "INSERT INTO group_members (group_id, person_id) SELECT g.id, p.id FROM agent_groups g, "
      "people p WHERE g.name = 'Network' AND p.email IN ('agent1@example.com', "
      "'agent2@example.com')");

  json all = p.GetJson("/api/people?portal=agent&limit=3", p.admin);
  CHECK(all["total"] == 8);
  REQUIRE(all["rows"].size() == 3);
  CHECK(all["rows"][0]["name"] == "Ada Admin");  // sorted by name
  CHECK(all["rows"][0]["role"]["name"] == "Administrator");
  CHECK(all["rows"][0]["active_sessions"] == 1);
  CHECK(all["rows"][0]["last_sign_in"]["method"] == "password");
  CHECK(all["rows"][1]["last_sign_in"]["at"].is_null());
  json next = p.GetJson("/api/people?portal=agent&limit=3&offset=3", p.admin);
  CHECK(next["rows"][0]["name"] == "Agent 2");

  CHECK(p.GetJson("/api/people?portal=agent&q=AGENT3", p.admin)["total"] == 1);
  CHECK(p.GetJson("/api/people?portal=agent&q=%25", p.admin)["total"] == 0);  // % is literal
  const int64_t network = p.GetJson("/api/groups", p.admin)["groups"][1]["id"];
  json in_group =
      p.GetJson("/api/people?portal=agent&group_id=" + std::to_string(network), p.admin);
  CHECK(in_group["total"] == 2);
  CHECK(in_group["rows"][0]["groups"][0]["name"] == "Network");
  CHECK(p.GetJson("/api/people?portal=agent&role_id=" + std::to_string(p.RoleId("Administrator")),
                  p.admin)["total"] == 1);
  CHECK(p.GetJson("/api/people?portal=agent&mfa=enrolled", p.admin)["total"] == 0);
  CHECK(p.GetJson("/api/people?portal=agent&sso=not_linked", p.admin)["total"] == 8);

  json contacts = p.GetJson("/api/people?portal=contact", p.admin);
  REQUIRE(contacts["total"] == 1);
  CHECK(contacts["rows"][0]["email"] == "carol@customer.example");
  CHECK_FALSE(contacts["rows"][0].contains("role"));

  for (const char* bad : {"portal=staff", "status=gone", "mfa=yes", "limit=0", "limit=201",
                          "offset=-1", "role_id=abc"}) {
    auto res = p.Get(std::string("/api/people?") + bad, p.admin);
    INFO(bad);
    CHECK(res->status == 400);
    CHECK(CodeOf(res) == "invalid_argument");
  }
}

TEST_CASE("Only Administrators manage people", "[api][people]") {
  People p;
  p.Add("agent", "auth-admin@example.com", "Agent");
  const std::string agent = p.SignIn("agent", "auth-admin@example.com");
  const int64_t id = p.IdOf("agent", "auth-admin@example.com");
  for (const std::string path :
       {"/api/people?portal=agent", "/api/people/1", "/api/roles", "/api/groups"}) {
    INFO(path);
    CHECK(StatusOf(p.Get(path, agent)) == 403);
    CHECK(StatusOf(p.Get(path, "")) == 401);
  }
  CHECK(StatusOf(p.Post("/api/people/1/deactivate", agent)) == 403);
  CHECK(StatusOf(p.Patch(id, {{"name", "Me Myself"}}, agent)) == 403);
  CHECK(p.GetJson("/api/people/" + std::to_string(id), p.admin)["name"] == "Test Person");

  // A state-changing request from another site's page is refused before
  // any route runs, whoever's cookie it carries.
  auto cross = p.client.Post("/api/people/" + std::to_string(id) + "/deactivate",
                             {{"Cookie", p.admin}, {"Origin", "https://evil.example"}}, "{}",
                             "application/json");
  REQUIRE(cross);
  CHECK(cross->status == 403);
  CHECK(p.GetJson("/api/people/" + std::to_string(id), p.admin)["active"] == true);
}

TEST_CASE("Deactivation ends every session and blocks sign-in until reactivated", "[api][people]") {
  People p;
  p.Add("agent", "leaver@example.com", "Agent", "Lee Leaver");
  p.Add("contact", "gone@customer.example");
  const std::string leaver = p.SignIn("agent", "leaver@example.com");
  const std::string leaver_phone = p.SignIn("agent", "leaver@example.com");
  const std::string contact = p.SignIn("contact", "gone@customer.example");
  const int64_t id = p.IdOf("agent", "leaver@example.com");
  REQUIRE(p.GetJson("/api/people/" + std::to_string(id), p.admin)["active_sessions"] == 2);

  auto off = p.Post("/api/people/" + std::to_string(id) + "/deactivate", p.admin);
  REQUIRE(off->status == 200);
  json row = json::parse(off->body);
  CHECK(row["active"] == false);
  CHECK(row["deactivated_at"].is_number());
  CHECK(row["active_sessions"] == 0);
  CHECK(StatusOf(p.Get("/api/me", leaver)) == 401);
  CHECK(StatusOf(p.Get("/api/me", leaver_phone)) == 401);

  auto login = deskgate::testing::Login(p.client, "agent", "leaver@example.com");
  REQUIRE(login);
  CHECK(login->status == 403);
  CHECK(CodeOf(login) == "permission_denied");
  CHECK(login->get_header_value("Set-Cookie").empty());
  // A wrong password learns nothing about the account.
  auto wrong = deskgate::testing::Login(p.client, "agent", "leaver@example.com", "not it at all");
  CHECK(wrong->status == 401);
  CHECK(p.Audits("person.deactivated") == 1);
  CHECK(p.Audits("login.deactivated") == 1);

  CHECK(p.GetJson("/api/people?portal=agent&status=deactivated", p.admin)["total"] == 1);
  CHECK(p.GetJson("/api/people?portal=agent&status=active", p.admin)["total"] == 1);

  auto on = p.Post("/api/people/" + std::to_string(id) + "/reactivate", p.admin);
  REQUIRE(on->status == 200);
  CHECK(json::parse(on->body)["active"] == true);
  p.SignIn("agent", "leaver@example.com");
  CHECK(p.Audits("person.reactivated") == 1);

  // Contacts too, and only theirs end.
  const int64_t contact_id = p.IdOf("contact", "gone@customer.example");
  REQUIRE(StatusOf(p.Post("/api/people/" + std::to_string(contact_id) + "/deactivate", p.admin)) ==
          200);
  CHECK(StatusOf(p.Get("/api/me", contact)) == 401);
  CHECK(StatusOf(p.Get("/api/me", p.admin)) == 200);
  CHECK(StatusOf(p.Post("/api/people/999999/deactivate", p.admin)) == 404);
}

TEST_CASE("Nobody deactivates themself, and the last active Administrator stays", "[api][people]") {
  People p;
  const int64_t me = p.IdOf("agent", "admin@example.com");
  const int64_t agent_role = p.RoleId("Agent");
  const int64_t admin_role = p.RoleId("Administrator");

  auto self = p.Post("/api/people/" + std::to_string(me) + "/deactivate", p.admin);
  CHECK(self->status == 409);
  CHECK(CodeOf(self) == "conflict");
  auto demote = p.Patch(me, {{"role_id", agent_role}}, p.admin);
  CHECK(demote->status == 409);
  CHECK(p.GetJson("/api/me", p.admin)["permissions"].dump().find("administrator") !=
        std::string::npos);

  // With a second Administrator, one may step down; the other then cannot.
  p.Add("agent", "second@example.com", "Administrator");
  const std::string second = p.SignIn("agent", "second@example.com");
  const int64_t second_id = p.IdOf("agent", "second@example.com");
  REQUIRE(StatusOf(p.Patch(me, {{"role_id", agent_role}}, second)) == 200);
  CHECK(StatusOf(p.Patch(second_id, {{"role_id", agent_role}}, second)) == 409);
  // Deactivating the only other Administrator is refused the same way.
  REQUIRE(StatusOf(p.Patch(me, {{"role_id", admin_role}}, second)) == 200);
  REQUIRE(StatusOf(p.Post("/api/people/" + std::to_string(second_id) + "/deactivate", p.admin)) ==
          200);
  REQUIRE(StatusOf(p.Post("/api/people/" + std::to_string(second_id) + "/reactivate", p.admin)) ==
          200);
  REQUIRE(StatusOf(p.Patch(second_id, {{"role_id", agent_role}}, p.admin)) == 200);
  CHECK(StatusOf(p.Patch(me, {{"role_id", agent_role}}, p.admin)) == 409);
}

TEST_CASE("Editing a person's name, role and groups; a role change applies at once",
          "[api][people]") {
  People p;
  p.Add("agent", "ed@example.com", "Agent", "Ed");
  p.Add("contact", "cy@customer.example", "", "Cy");
  p.Sql("INSERT INTO agent_groups (name) VALUES ('Network'), ('Desk')");
  const std::string ed = p.SignIn("agent", "ed@example.com");
  const int64_t id = p.IdOf("agent", "ed@example.com");
  const json groups = p.GetJson("/api/groups", p.admin)["groups"];
  const int64_t desk = groups[0]["id"], network = groups[1]["id"];

  CHECK(StatusOf(p.Get("/api/roles", ed)) == 403);
  auto edit = p.Patch(id,
                      {{"name", "  Edwina Ed  "},
                       {"role_id", p.RoleId("Administrator")},
                       {"group_ids", {network, desk, network}}},
                      p.admin);
  REQUIRE(edit->status == 200);
  json row = json::parse(edit->body);
  CHECK(row["name"] == "Edwina Ed");
  CHECK(row["role"]["name"] == "Administrator");
  CHECK(row["groups"].size() == 2);
  CHECK(StatusOf(p.Get("/api/roles", ed)) == 200);  // same session, next request
  CHECK(p.Audits("person.updated") == 1);

  REQUIRE(StatusOf(p.Patch(id, {{"group_ids", json::array()}}, p.admin)) == 200);
  CHECK(p.GetJson("/api/people/" + std::to_string(id), p.admin)["groups"].empty());

  // Bad edits change nothing.
  for (const json& bad :
       {json{{"name", ""}}, json{{"name", std::string(201, 'x')}}, json{{"role_id", 999}},
        json{{"role_id", "1"}}, json{{"group_ids", {999}}}, json{{"email", "x@example.com"}},
        json{{"group_ids", {desk, 1.5}}}}) {
    INFO(bad.dump());
    auto res = p.Patch(id, bad, p.admin);
    CHECK((res->status == 400 || res->status == 404));
  }
  CHECK(p.GetJson("/api/people/" + std::to_string(id), p.admin)["name"] == "Edwina Ed");
  const int64_t contact = p.IdOf("contact", "cy@customer.example");
  CHECK(StatusOf(p.Patch(contact, {{"role_id", p.RoleId("Agent")}}, p.admin)) == 400);
  CHECK(StatusOf(p.Patch(contact, {{"name", "Cyrus"}}, p.admin)) == 200);
}

namespace {

// The token in an invitation link's fragment.
std::string TokenOf(const std::string& link) {
  const size_t at = link.find("#token=");
  REQUIRE(at != std::string::npos);
  return link.substr(at + 7);
}

httplib::Result Invitation(People& p, const std::string& what, const json& body) {
  auto res = p.client.Post("/api/invitations/" + what, body.dump(), "application/json");
  REQUIRE(res);
  return res;
}

}  // namespace

TEST_CASE("An invitation creates the person and a one-time link to choose a password",
          "[api][people][invitations]") {
  People p;
  p.Sql("INSERT INTO agent_groups (name) VALUES ('Network')");
  const int64_t network = p.GetJson("/api/groups", p.admin)["groups"][0]["id"];
  auto invited = p.client.Post("/api/people/invite", {{"Cookie", p.admin}},
                               json{{"portal", "agent"},
                                    {"email", "New.Hire@Example.com"},
                                    {"name", "Nia New"},
                                    {"role_id", p.RoleId("Agent")},
                                    {"group_ids", {network}}}
                                   .dump(),
                               "application/json");
  REQUIRE(invited);
  INFO(invited->body);
  REQUIRE(invited->status == 201);
  json answer = json::parse(invited->body);
  CHECK(answer["mailed"] == false);  // no SMTP: the admin gets the link
  const std::string link = answer["link"];
  CHECK(link.rfind("http://127.0.0.1:" + std::to_string(p.server.port()) + "/invite.html#token=",
                   0) == 0);
  CHECK(answer["person"]["email"] == "new.hire@example.com");
  CHECK(answer["person"]["groups"][0]["name"] == "Network");
  CHECK(answer["person"]["invitation_expires_at"].is_number());
  CHECK(p.Audits("person.invited") == 1);
  // Not yet able to sign in, and the address is taken.
  CHECK(StatusOf(deskgate::testing::Login(p.client, "agent", "new.hire@example.com")) == 401);
  auto again = p.client.Post(
      "/api/people/invite", {{"Cookie", p.admin}},
      json{{"portal", "agent"}, {"email", "new.hire@example.com"}, {"name", "Twice"}}.dump(),
      "application/json");
  CHECK(again->status == 409);

  const std::string token = TokenOf(link);
  json open = json::parse(Invitation(p, "lookup", {{"token", token}})->body);
  CHECK(open["email"] == "new.hire@example.com");
  CHECK(open["name"] == "Nia New");
  CHECK(open["policy"].is_object());

  // The portal's policy decides; a refused password uses nothing up.
  auto weak = Invitation(p, "accept", {{"token", token}, {"password", "short"}});
  CHECK(weak->status == 400);
  CHECK(json::parse(weak->body)["error"].get<std::string>().rfind("password: ", 0) == 0);
  auto accepted =
      Invitation(p, "accept", {{"token", token}, {"password", deskgate::testing::kTestPassword}});
  REQUIRE(accepted->status == 200);
  CHECK(json::parse(accepted->body)["portal"] == "agent");
  p.SignIn("agent", "new.hire@example.com");
  CHECK(p.Audits("person.invitation_accepted") == 1);

  // Used once only.
  auto reused =
      Invitation(p, "accept", {{"token", token}, {"password", "another fine passphrase 7"}});
  CHECK(reused->status == 403);
  CHECK(CodeOf(reused) == "permission_denied");
  const int64_t id = p.IdOf("agent", "new.hire@example.com");
  CHECK(StatusOf(p.Post("/api/people/" + std::to_string(id) + "/invitation", p.admin)) == 409);
}

TEST_CASE("Resending replaces the link, revoking withdraws it, and wrong links are throttled",
          "[api][people][invitations]") {
  People p;
  auto invited = p.client.Post(
      "/api/people/invite", {{"Cookie", p.admin}},
      json{{"portal", "contact"}, {"email", "cy@customer.example"}, {"name", "Cy"}}.dump(),
      "application/json");
  REQUIRE(invited->status == 201);
  const json first = json::parse(invited->body);
  const int64_t id = first["person"]["id"];
  const std::string first_token = TokenOf(first["link"]);

  auto resent = p.Post("/api/people/" + std::to_string(id) + "/invitation", p.admin);
  REQUIRE(resent->status == 200);
  const std::string second_token = TokenOf(json::parse(resent->body)["link"]);
  CHECK(second_token != first_token);
  CHECK(StatusOf(Invitation(p, "lookup", {{"token", first_token}})) == 403);
  CHECK(StatusOf(Invitation(p, "lookup", {{"token", second_token}})) == 200);

  auto revoked =
      p.client.Delete("/api/people/" + std::to_string(id) + "/invitation", {{"Cookie", p.admin}});
  REQUIRE(revoked);
  CHECK(revoked->status == 200);
  CHECK(json::parse(revoked->body)["invitation_expires_at"].is_null());
  CHECK(StatusOf(Invitation(p, "lookup", {{"token", second_token}})) == 403);

  // Contacts get no role; agents need an Administrator to invite them.
  auto with_role = p.client.Post(
      "/api/people/invite", {{"Cookie", p.admin}},
      json{{"portal", "contact"}, {"email", "x@customer.example"}, {"name", "X"}, {"role_id", 1}}
          .dump(),
      "application/json");
  CHECK(with_role->status == 400);
  p.Add("agent", "plain@example.com", "Agent");
  const std::string plain = p.SignIn("agent", "plain@example.com");
  auto refused = p.client.Post(
      "/api/people/invite", {{"Cookie", plain}},
      json{{"portal", "agent"}, {"email", "friend@example.com"}, {"name", "Friend"}}.dump(),
      "application/json");
  CHECK(refused->status == 403);

  // Guessing links: the address is blocked after 20 wrong ones.
  int throttled = 0;
  for (int i = 0; i < 22; ++i) {
    auto guess = Invitation(p, "lookup", {{"token", "guess-" + std::to_string(i)}});
    if (guess->status == 429) ++throttled;
  }
  CHECK(throttled >= 1);
}

TEST_CASE("Custom roles carry the brief's permissions, apply at once, and leave no one roleless",
          "[api][people][roles]") {
  People p;
  p.Add("agent", "auditor@example.com", "Agent");
  const std::string auditor = p.SignIn("agent", "auditor@example.com");
  const int64_t auditor_id = p.IdOf("agent", "auditor@example.com");
  const auto send = [&](const std::string& method, const std::string& path, const json& body,
                        const std::string& who) {
    auto res = method == "POST"
                   ? p.client.Post(path, {{"Cookie", who}}, body.dump(), "application/json")
                   : p.client.Patch(path, {{"Cookie", who}}, body.dump(), "application/json");
    REQUIRE(res);
    return res;
  };

  const json spec = {{"name", "Security desk"},
                     {"manage_agent_mfa", true},
                     {"read_audit", true},
                     {"manage_authentication", false},
                     {"asset_edit", "own_groups"}};
  auto created = send("POST", "/api/roles", spec, p.admin);
  REQUIRE(created->status == 201);
  const int64_t role_id = json::parse(created->body)["id"];
  CHECK(StatusOf(send("POST", "/api/roles", spec, p.admin)) == 409);  // same name
  CHECK(StatusOf(send("POST", "/api/roles", {{"name", "x"}, {"asset_edit", "some"}}, p.admin)) ==
        400);
  CHECK(StatusOf(send("POST", "/api/roles", {{"name", "   "}}, p.admin)) == 400);
  CHECK(StatusOf(send("POST", "/api/roles", {{"name", "Mine"}}, auditor)) == 403);

  CHECK(StatusOf(p.Get("/api/audit", auditor)) == 403);
  REQUIRE(StatusOf(p.Patch(auditor_id, {{"role_id", role_id}}, p.admin)) == 200);
  const json me = p.GetJson("/api/me", auditor);  // the same session, its next request
  const std::string granted = me["permissions"].dump();
  CHECK(granted.find("read_audit") != std::string::npos);
  CHECK(granted.find("manage_agent_mfa") != std::string::npos);
  CHECK(granted.find("edit_group_assets") != std::string::npos);
  CHECK(granted.find("administrator") == std::string::npos);
  CHECK(StatusOf(p.Get("/api/audit", auditor)) == 200);

  json narrower = spec;
  narrower["read_audit"] = false;
  REQUIRE(StatusOf(send("PATCH", "/api/roles/" + std::to_string(role_id), narrower, p.admin)) ==
          200);
  CHECK(StatusOf(p.Get("/api/audit", auditor)) == 403);
  CHECK(p.Audits("role.updated") == 1);

  // Built-in roles cannot be edited or deleted.
  CHECK(StatusOf(send("PATCH", "/api/roles/" + std::to_string(p.RoleId("Agent")), narrower,
                      p.admin)) == 409);
  auto builtin = p.client.Delete("/api/roles/" + std::to_string(p.RoleId("Administrator")),
                                 {{"Cookie", p.admin}});
  CHECK(builtin->status == 409);
  CHECK(StatusOf(p.client.Delete("/api/roles/99999", {{"Cookie", p.admin}})) == 404);

  // A role with members goes only with somewhere for them to go.
  const std::string path = "/api/roles/" + std::to_string(role_id);
  auto in_use = p.client.Delete(path, {{"Cookie", p.admin}});
  CHECK(in_use->status == 409);
  CHECK(json::parse(in_use->body)["error"].get<std::string>().find("1 member") !=
        std::string::npos);
  CHECK(StatusOf(p.client.Delete(path + "?move_to=99999", {{"Cookie", p.admin}})) == 404);
  CHECK(p.GetJson("/api/people/" + std::to_string(auditor_id), p.admin)["role"]["id"] == role_id);
  auto moved = p.client.Delete(path + "?move_to=" + std::to_string(p.RoleId("Agent")),
                               {{"Cookie", p.admin}});
  CHECK(moved->status == 200);
  CHECK(p.GetJson("/api/people/" + std::to_string(auditor_id), p.admin)["role"]["name"] == "Agent");
  CHECK(p.Audits("role.deleted") == 1);
}

TEST_CASE("Groups and locations: add, rename, and delete with their records and members moved",
          "[api][catalog]") {
  People p;
  Must(Run({"seed", "--assets", "120", "--software", "30", "--db", p.server.db_path()}));
  p.Add("agent", "member@example.com", "Agent");
  const auto send = [&](const std::string& method, const std::string& path, const json& body) {
    auto res = method == "POST"
                   ? p.client.Post(path, {{"Cookie", p.admin}}, body.dump(), "application/json")
                   : p.client.Patch(path, {{"Cookie", p.admin}}, body.dump(), "application/json");
    REQUIRE(res);
    return res;
  };
  const auto entries = [&](const std::string& kind) {
    return p.GetJson("/api/" + kind, p.admin)[kind];
  };

  // Add and rename; names are unique per kind whatever their case.
  auto added = send("POST", "/api/catalog/locations", {{"name", "  Lisbon office "}});
  REQUIRE(added->status == 201);
  const int64_t lisbon = json::parse(added->body)["id"];
  CHECK(StatusOf(send("POST", "/api/catalog/locations", {{"name", "LISBON OFFICE"}})) == 409);
  CHECK(StatusOf(send("POST", "/api/catalog/locations", {{"name", ""}})) == 400);
  REQUIRE(send("PATCH", "/api/catalog/locations/" + std::to_string(lisbon), {{"name", "Porto"}})
              ->status == 200);
  const json names = p.GetJson("/api/records/names", p.admin);
  CHECK(names.dump().find("Porto") != std::string::npos);  // the lists' dropdowns see it

  // A location in use: deleting it asks where its records go.
  json locations = entries("locations");
  REQUIRE(locations.size() >= 3);
  json used, target;
  for (const json& e : locations) {
    if (e["records"].get<int>() > 0 && used.is_null()) {
      used = e;
    } else if (e["id"] != lisbon && target.is_null()) {
      target = e;
    }
  }
  REQUIRE_FALSE(used.is_null());
  REQUIRE_FALSE(target.is_null());
  const std::string used_path = "/api/catalog/locations/" + std::to_string(used["id"].get<int>());
  auto undecided = p.client.Delete(used_path, {{"Cookie", p.admin}});
  CHECK(undecided->status == 409);
  const json before = p.GetJson(
      "/api/assets?limit=500&location_id=" + std::to_string(used["id"].get<int>()), p.admin);
  auto moved = p.client.Delete(used_path + "?move_to=" + std::to_string(target["id"].get<int>()),
                               {{"Cookie", p.admin}});
  REQUIRE(moved->status == 200);
  CHECK(json::parse(moved->body)["records_moved"] == used["records"]);
  const int64_t asset = before["rows"][0]["id"];
  CHECK(p.GetJson("/api/assets/" + std::to_string(asset), p.admin)["location_id"] == target["id"]);
  const json history = p.GetJson("/api/assets/" + std::to_string(asset) + "/history", p.admin);
  CHECK(history.dump().find("location") != std::string::npos);
  CHECK(p.Audits("location.deleted") == 1);
  // The unused one goes without a question.
  CHECK(p.client.Delete("/api/catalog/locations/" + std::to_string(lisbon), {{"Cookie", p.admin}})
            ->status == 200);

  // A group: its records lose it ("none") and its members move.
  json groups = entries("groups");
  REQUIRE(groups.size() >= 2);
  const int64_t from = groups[0]["id"], to = groups[1]["id"];
  const int64_t member = p.IdOf("agent", "member@example.com");
  REQUIRE(StatusOf(p.Patch(member, {{"group_ids", {from}}}, p.admin)) == 200);
  auto gone = p.client.Delete("/api/catalog/groups/" + std::to_string(from) + "?move_to=none",
                              {{"Cookie", p.admin}});
  REQUIRE(gone->status == 200);
  CHECK(p.GetJson("/api/assets?limit=1&managed_by_group_id=" + std::to_string(from),
                  p.admin)["total"] == 0);
  CHECK(p.GetJson("/api/people/" + std::to_string(member), p.admin)["groups"].empty());
  REQUIRE(StatusOf(p.Patch(member, {{"group_ids", {to}}}, p.admin)) == 200);
  const int64_t last = groups[2]["id"];
  REQUIRE(
      p.client
          .Delete("/api/catalog/groups/" + std::to_string(to) + "?move_to=" + std::to_string(last),
                  {{"Cookie", p.admin}})
          ->status == 200);
  CHECK(p.GetJson("/api/people/" + std::to_string(member), p.admin)["groups"][0]["id"] == last);

  // Administrators only; bad targets change nothing.
  const std::string agent = p.SignIn("agent", "member@example.com");
  CHECK(StatusOf(p.client.Get("/api/catalog/groups", {{"Cookie", agent}})) == 403);
  CHECK(p.client
            .Delete("/api/catalog/groups/" + std::to_string(last) + "?move_to=999999",
                    {{"Cookie", p.admin}})
            ->status == 404);
  CHECK(p.client
            .Delete("/api/catalog/groups/" + std::to_string(last) + "?move_to=x",
                    {{"Cookie", p.admin}})
            ->status == 400);
}
