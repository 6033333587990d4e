#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "shared/core/csv_reader.h"
#include "shared/core/csv_writer.h"

using deskgate::CsvLimits;
using deskgate::CsvTable;
using deskgate::ReadCsv;

namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows FieldsOf(const CsvTable& table) {
  Rows rows;
  for (const auto& row : table.rows) rows.push_back(row.fields);
  return rows;
}

Rows Read(std::string_view text) {
  auto table = ReadCsv(text);
  INFO(text);
  REQUIRE(table.ok());
  return FieldsOf(table.value());
}

std::string ErrorOf(std::string_view text, const CsvLimits& limits = {}) {
  auto table = ReadCsv(text, limits);
  REQUIRE_FALSE(table.ok());
  return table.status().message();
}

}  // namespace

TEST_CASE("CSV: plain rows with any line ending, the last one with or without", "[csv]") {
  const Rows expected = {{"name", "email"}, {"Ann", "ann@example.com"}, {"Bo", "bo@example.com"}};
  CHECK(Read("name,email\nAnn,ann@example.com\nBo,bo@example.com") == expected);
  CHECK(Read("name,email\r\nAnn,ann@example.com\r\nBo,bo@example.com\r\n") == expected);
  CHECK(Read("name,email\rAnn,ann@example.com\rBo,bo@example.com\r") == expected);
  CHECK(Read("name,email\nAnn,ann@example.com\r\nBo,bo@example.com\n") == expected);
  CHECK(Read("").empty());
}

TEST_CASE("CSV: a byte-order mark is dropped and ';' files are recognised", "[csv]") {
  auto table = ReadCsv("\xEF\xBB\xBFname;email\r\n\"Müller; Anna\";anna@example.com\r\n");
  REQUIRE(table.ok());
  CHECK(table.value().separator == ';');
  CHECK(FieldsOf(table.value()) == Rows{{"name", "email"}, {"Müller; Anna", "anna@example.com"}});
  // Commas inside a ';' file are text, and the header decides.
  CHECK(Read("name;note\nA;1,5\n") == Rows{{"name", "note"}, {"A", "1,5"}});
  CHECK(ReadCsv("name,note\nA;B,C\n").value().separator == ',');
  // Separators inside the header's quotes do not count.
  CHECK(ReadCsv("\"a;b;c\",d\n").value().separator == ',');
}

TEST_CASE("CSV: quoted fields hold separators, doubled quotes and line breaks", "[csv]") {
  auto table = ReadCsv(
      "name,notes,tag\r\n"
      "\"Laptop, 14\"\"\",\"first line\r\nsecond line\nthird\",A-1\r\n"
      "\"\",\"\"\"quoted\"\"\",\r\n"
      "Printer,plain,A-2\r\n");
  REQUIRE(table.ok());
  const auto& rows = table.value().rows;
  REQUIRE(rows.size() == 4);
  CHECK(rows[1].fields ==
        std::vector<std::string>{"Laptop, 14\"", "first line\r\nsecond line\nthird", "A-1"});
  CHECK(rows[2].fields == std::vector<std::string>{"", "\"quoted\"", ""});
  // Rows are numbered as a spreadsheet shows them: a line break inside a
  // field does not make a new row.
  CHECK(rows[1].number == 2);
  CHECK(rows[2].number == 3);
  CHECK(rows[3].number == 4);
}

TEST_CASE("CSV: ragged rows keep their fields, blank rows are skipped but counted", "[csv]") {
  auto table = ReadCsv("a,b,c\n1,2\n\n1,2,3,4\n,\n , ,\n\"\",x\n");
  REQUIRE(table.ok());
  const auto& rows = table.value().rows;
  REQUIRE(rows.size() == 4);
  CHECK(rows[1].fields.size() == 2);
  CHECK(rows[2].fields.size() == 4);
  CHECK(rows[2].number == 4);
  // Rows of only separators and spaces (",", " , ,") are blank too.
  CHECK(rows[3].fields == std::vector<std::string>{"", "x"});
  CHECK(rows[3].number == 7);
}

TEST_CASE("CSV: a quote inside an unquoted field is text, as spreadsheets keep it", "[csv]") {
  CHECK(Read("size,name\n14\" screen,Dell\n") == Rows{{"size", "name"}, {"14\" screen", "Dell"}});
}

TEST_CASE("CSV: broken files are refused with the row named", "[csv]") {
  CHECK(ErrorOf("a,b\n1,\"open\n2,3\n") == "row 2: a quoted field is never closed");
  CHECK(ErrorOf("a,b\n1,2\n\"x\"y,3\n").rfind("row 3: text after a closing quote", 0) == 0);
  CHECK(ErrorOf("a,b\n\xff\xfe,1\n").find("not UTF-8") != std::string::npos);

  // A field of 1 MiB is the most a cell may hold, quoted or not.
  const std::string mib(size_t{1} << 20, 'x');
  CHECK(ReadCsv("a\n" + mib + "\n").ok());
  CHECK(ErrorOf("a\n" + mib + "y\n") == "row 2: a field is longer than 1048576 bytes");
  CHECK(ErrorOf("a\n\"" + mib + "y\"\n") == "row 2: a field is longer than 1048576 bytes");

  CsvLimits small;
  small.max_rows = 2;
  small.max_fields = 3;
  CHECK(ErrorOf("a\n1\n2\n", small) == "the file has more than 2 rows");
  CHECK(ErrorOf("a,b,c,d\n", small) == "row 1: more than 3 fields");
}

TEST_CASE("CSV: what the writer writes reads back to the same fields", "[csv]") {
  const std::vector<std::string> fields = {
      "plain", "with, comma", "semi;colon", "quote \" here", "line\r\nbreak", "", "ünïcødé"};
  std::string text;
  deskgate::AppendCsvRow(text, {"h1", "h2", "h3", "h4", "h5", "h6", "h7"});
  deskgate::AppendCsvRow(
      text, {fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6]});
  auto table = ReadCsv(text);
  REQUIRE(table.ok());
  REQUIRE(table.value().rows.size() == 2);
  CHECK(table.value().rows[1].fields == fields);
}
