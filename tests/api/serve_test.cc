// `deskgate serve` over real HTTP on an ephemeral port.
#include <httplib.h>

#include <catch2/catch.hpp>

#include <filesystem>

#include "../support/accounts.h"
#include "../support/subprocess.h"
#include "server/store/sqlite/migrations.h"

using deskgate::testing::ClientFor;
using deskgate::testing::ServerProcess;

TEST_CASE("serve answers /healthz with the schema version", "[api]") {
  ServerProcess server;
  auto client = ClientFor(server);
  auto res = client.Get("/healthz");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  const int latest = deskgate::store::SchemaMigrations().back().version;
  CHECK(res->body == R"({"status":"ok","schema_version":)" + std::to_string(latest) + "}");
  CHECK(std::filesystem::exists(server.db_path()));
}

TEST_CASE("Every response carries the security headers", "[api]") {
  ServerProcess server;
  auto client = ClientFor(server);
  for (const char* path : {"/", "/password-policy.html", "/js/api.js", "/nope", "/nope.html"}) {
    INFO(path);
    auto res = client.Get(path);
    REQUIRE(res);
    const std::string csp = res->get_header_value("Content-Security-Policy");
    CHECK(csp.find("script-src 'self' 'wasm-unsafe-eval'") != std::string::npos);
    CHECK(csp.find("default-src 'none'") != std::string::npos);
    CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
    CHECK(csp.find("unsafe-inline") == std::string::npos);
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(res->get_header_value("Referrer-Policy") == "no-referrer");
    CHECK(res->get_header_value("X-Frame-Options") == "DENY");
    CHECK(res->get_header_value("Cross-Origin-Opener-Policy") == "same-origin");
  }
  // JSON answers, errors included, allow nothing at all.
  for (const char* path : {"/healthz", "/api/me", "/api/nope"}) {
    INFO(path);
    auto res = client.Get(path);
    REQUIRE(res);
    CHECK(res->get_header_value("Content-Security-Policy") ==
          "default-src 'none'; frame-ancestors 'none'");
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(res->get_header_value("Cross-Origin-Resource-Policy") == "same-origin");
  }
}

TEST_CASE("Pages and the module are served with the right types and caching", "[api]") {
  ServerProcess server;
  auto client = ClientFor(server);
  const std::pair<const char*, const char*> files[] = {
      {"/", "text/html; charset=utf-8"},
      {"/password-policy.html", "text/html; charset=utf-8"},
      {"/css/app.css", "text/css; charset=utf-8"},
      {"/js/password-policy.js", "text/javascript; charset=utf-8"},
      {"/wasm/deskgate.js", "text/javascript; charset=utf-8"},
      {"/wasm/deskgate.wasm", "application/wasm"},
  };
  for (const auto& [path, type] : files) {
    INFO(path);
    auto res = client.Get(path);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == type);
    CHECK(res->get_header_value("Cache-Control") == "no-cache");
    const std::string etag = res->get_header_value("ETag");
    REQUIRE_FALSE(etag.empty());
    auto again = client.Get(path, {{"If-None-Match", etag}});
    REQUIRE(again);
    CHECK(again->status == 304);
    CHECK(again->body.empty());
  }
  auto wasm = client.Get("/wasm/deskgate.wasm");
  REQUIRE(wasm->body.size() > 8);
  CHECK(wasm->body.substr(0, 4) == std::string("\0asm", 4));
}

TEST_CASE("Path traversal and unknown paths get 404", "[api]") {
  ServerProcess server;
  auto client = ClientFor(server);
  for (const char* path :
       {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/css/..%2f..%2f..%2fetc/passwd",
        "/wasm/../../CMakeLists.txt", "/wasm/%2e%2e/%2e%2e/CMakeLists.txt", "/missing.html",
        "/..%5c..%5cetc/passwd"}) {
    INFO(path);
    auto res = client.Get(path);
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(res->body.find("root:") == std::string::npos);
  }
  auto api = client.Get("/api/does-not-exist");
  REQUIRE(api);
  CHECK(api->status == 404);
  CHECK(api->get_header_value("Content-Type") == "application/json");
  CHECK(api->body == R"({"error":"no such endpoint","code":"not_found"})");
}

TEST_CASE("Oversized bodies are refused", "[api]") {
  ServerProcess server;
  auto client = ClientFor(server);
  auto res = client.Post("/api/anything", std::string(2 << 20, 'x'), "application/json");
  REQUIRE(res);
  CHECK(res->status == 413);
}

TEST_CASE("SIGTERM shuts the server down cleanly", "[api]") {
  ServerProcess server;
  auto client = ClientFor(server);
  REQUIRE(client.Get("/healthz"));
  CHECK(server.Stop() == 0);
  CHECK(server.output().find("deskgate stopped") != std::string::npos);
  CHECK_FALSE(client.Get("/healthz"));
}

TEST_CASE("A second server on a port in use fails with a clear error", "[api]") {
  ServerProcess first;
  const auto result = deskgate::testing::Run(
      {"serve", "--port", std::to_string(first.port()), "--db", first.db_path() + "-2"});
  CHECK(result.exit_code == 1);
  CHECK(result.err.rfind("deskgate: cannot listen on 127.0.0.1:", 0) == 0);
}
