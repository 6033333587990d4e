#include "server/cli/serve_config.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "tests/support/temp_dir.h"

using deskgate::cli::ReadConfigFile;

namespace {

std::string Write(const deskgate::testing::TempDir& tmp, const std::string& text) {
  const std::string path = (tmp.path() / "deskgate.toml").string();
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("A configuration file becomes the flags it stands for", "[config]") {
  deskgate::testing::TempDir tmp;
  const std::string path = Write(tmp,
                                 "db = \"/srv/d.db\"\n"
                                 "port = 9000\n"
                                 "trusted_proxies = [\"10.0.0.1\", \"10.0.0.2\"]\n"
                                 "[smtp]\n"
                                 "host = \"mail\"\n"
                                 "from = \"a@b\"\n"
                                 "starttls = false\n"
                                 "[sso]\n"
                                 "allow_private_networks = true\n");
  auto config = ReadConfigFile(path);
  REQUIRE(config.ok());
  CHECK(config.value().problems.empty());
  const auto& v = config.value().values;
  CHECK(v.at("db") == "/srv/d.db");
  CHECK(v.at("port") == "9000");
  CHECK(v.at("trusted-proxy") == "10.0.0.1,10.0.0.2");
  CHECK(v.at("smtp-host") == "mail");
  CHECK(v.at("smtp-starttls") == "no");
  CHECK(v.at("sso-allow-private-networks").empty());  // a switch, present
  CHECK(config.value().where.at("smtp-host") == path + ":5: smtp.host");
  CHECK(deskgate::cli::CheckAcrossOptions(config.value()).empty());
}

TEST_CASE("Every flag of serve that may be configured has a file key and a variable", "[config]") {
  for (const auto& spec : deskgate::cli::ServeOptions()) {
    INFO(spec.flag);
    CHECK(!spec.key.empty());
    CHECK(spec.flag != "clock-file");  // a test hook only
  }
}

TEST_CASE("Environment variables are checked like the file", "[config]") {
  setenv("DESKGATE_THREADS", "4000", 1);
  setenv("DESKGATE_SMTP_STARTTLS", "yes", 1);
  setenv("DESKGATE_SSO_ALLOW_PRIVATE_NETWORKS", "maybe", 1);
  const auto config = deskgate::cli::ConfigFromEnvironment();
  unsetenv("DESKGATE_THREADS");
  unsetenv("DESKGATE_SMTP_STARTTLS");
  unsetenv("DESKGATE_SSO_ALLOW_PRIVATE_NETWORKS");
  REQUIRE(config.problems.size() == 2);
  CHECK(config.problems[0].Text() == "DESKGATE_THREADS: must be a whole number from 1 to 1024");
  CHECK(config.problems[1].Text() == "DESKGATE_SSO_ALLOW_PRIVATE_NETWORKS: must be true or false");
  CHECK(config.values.at("smtp-starttls") == "yes");
}
