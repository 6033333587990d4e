#include <catch2/catch.hpp>

#include "server/http/audit_routes.h"

using deskgate::http::CsvField;

TEST_CASE("CSV fields are quoted when needed and never run as formulas", "[audit]") {
  CHECK(CsvField("plain") == "plain");
  CHECK(CsvField("a,b") == "\"a,b\"");
  CHECK(CsvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(CsvField("line\nbreak") == "\"line\nbreak\"");
  CHECK(CsvField("=SUM(A1)") == "'=SUM(A1)");
  CHECK(CsvField("+1") == "'+1");
  CHECK(CsvField("-x") == "'-x");
  CHECK(CsvField("@cmd") == "'@cmd");
  CHECK(CsvField("=a,b") == "\"'=a,b\"");
  CHECK(CsvField("") == "");
}
