#include "server/http/static_files.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

using deskgate::http::ContentTypeFor;
using deskgate::http::StaticFiles;
namespace fs = std::filesystem;

namespace {

void Write(const fs::path& file, std::string_view body) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << body;
}

}  // namespace

TEST_CASE("Static files map URL paths inside their folder only", "[static]") {
  deskgate::testing::TempDir tmp;
  Write(tmp.path() / "web/index.html", "<h1>home</h1>");
  Write(tmp.path() / "web/js/app.js", "export {}");
  Write(tmp.path() / "web/.env", "SECRET=1");
  Write(tmp.path() / "secret.txt", "outside");
  Write(tmp.path() / "wasm/deskgate.wasm", "\0asm");
  fs::create_symlink(tmp.path() / "secret.txt", tmp.path() / "web/link.txt");

  StaticFiles files;
  files.Mount("/", tmp.path() / "web");
  files.Mount("/wasm/", tmp.path() / "wasm");

  auto home = files.Find("/");
  REQUIRE(home);
  CHECK(home->body == "<h1>home</h1>");
  CHECK(home->content_type == "text/html; charset=utf-8");
  CHECK(home->cache_control == "no-cache");
  CHECK(home->etag.size() == 18);
  CHECK(files.Find("/js/app.js")->content_type == "text/javascript; charset=utf-8");
  CHECK(files.Find("/wasm/deskgate.wasm")->content_type == "application/wasm");

  for (const char* path :
       {"/../secret.txt", "/js/../../secret.txt", "/wasm/../secret.txt", "/link.txt", "/.env",
        "/missing.html", "/js/..\\..\\secret.txt", "/%2e%2e/secret.txt"}) {
    INFO(path);
    CHECK_FALSE(files.Find(path));
  }
  CHECK_FALSE(files.Find(std::string_view("/index.html\0.js", 15)));
}

TEST_CASE("The ETag changes with the content", "[static]") {
  deskgate::testing::TempDir tmp;
  Write(tmp.path() / "a.css", "a{}");
  StaticFiles files;
  files.Mount("/", tmp.path());
  const std::string first = files.Find("/a.css")->etag;
  Write(tmp.path() / "a.css", "b{}");
  CHECK(files.Find("/a.css")->etag != first);
  CHECK(ContentTypeFor("x.svg") == "image/svg+xml");
  CHECK(ContentTypeFor("x.bin") == "application/octet-stream");
}
