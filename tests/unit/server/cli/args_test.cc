#include "server/cli/args.h"

#include <catch2/catch.hpp>

using deskgate::cli::Args;

TEST_CASE("Flags parse in both spellings and unknown ones are refused", "[cli]") {
  auto a = Args::Parse({"--db", "x.db", "--port=0"}, {"db", "port"});
  REQUIRE(a.ok());
  CHECK(a.value().Get("db") == "x.db");
  CHECK(a.value().Get("port") == "0");
  CHECK_FALSE(a.value().Get("host"));
  CHECK(a.value().GetOr("host", "127.0.0.1") == "127.0.0.1");

  CHECK(Args::Parse({"--nope", "1"}, {"db"}).error() == "unknown option --nope");
  CHECK(Args::Parse({"--db"}, {"db"}).error() == "--db needs a value");
  CHECK(Args::Parse({"stray"}, {"db"}).error() == "unexpected argument 'stray'");
}
