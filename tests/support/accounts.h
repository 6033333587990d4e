// Accounts for API tests: people created with the real CLI, sign-in over
// HTTP, and the session cookie a sign-in sets.
#pragma once

#include <httplib.h>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "subprocess.h"

namespace deskgate::testing {

// Every test person's password; it passes the default policy.
inline constexpr const char* kTestPassword = "plum orchard lantern 42";

// Requires a CLI run to have succeeded, showing its stderr if not.
inline void Must(const RunResult& r) {
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

// `deskgate user add` on `db`; agents get `role` (the CLI's default if "").
inline void AddUser(const std::string& db, const std::string& portal, const std::string& email,
                    const std::string& role = "", const std::string& name = "Test Person") {
  std::vector<std::string> args = {"user", "add",    "--portal", portal, "--email",
                                   email,  "--name", name,       "--db", db};
  if (!role.empty()) args.insert(args.end(), {"--role", role});
  Must(Run(args, std::string(kTestPassword) + "\n"));
}

// A result's status, or -1 when no answer came (a timeout, a refused
// connection): a check on it then fails instead of crashing the test.
inline int StatusOf(const httplib::Result& result) {
  return result ? result->status : -1;
}

// A client of `server` that gives up on a dead server within seconds.
inline httplib::Client ClientFor(const ServerProcess& server) {
  httplib::Client client("127.0.0.1", server.port());
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  return client;
}

// POST /api/{portal}/login with the test password (or `password`).
inline httplib::Result Login(httplib::Client& client, const std::string& portal,
                             const std::string& email,
                             const std::string& password = kTestPassword) {
  const std::string body = R"({"email":")" + email + R"(","password":")" + password + R"("})";
  return client.Post("/api/" + portal + "/login", body, "application/json");
}

// "deskgate_session=TOKEN" from a response's Set-Cookie header.
inline std::string CookieFrom(const httplib::Result& res) {
  const std::string set = res->get_header_value("Set-Cookie");
  return set.substr(0, set.find(';'));
}

// Signs in (requiring 200) and returns the Cookie header value.
inline std::string SignIn(httplib::Client& client, const std::string& portal,
                          const std::string& email) {
  auto res = Login(client, portal, email);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return CookieFrom(res);
}

}  // namespace deskgate::testing
