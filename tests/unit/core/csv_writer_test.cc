#include <catch2/catch.hpp>

#include "shared/core/csv_writer.h"

using deskgate::AppendCsvRow;
using deskgate::CsvField;
using deskgate::UndefusedCsvValue;

TEST_CASE("CSV fields are always quoted, so no locale's separator splits them", "[csv]") {
  CHECK(CsvField("plain") == "\"plain\"");
  CHECK(CsvField("") == "\"\"");
  CHECK(CsvField("a,b") == "\"a,b\"");
  CHECK(CsvField("a;b") == "\"a;b\"");
  CHECK(CsvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(CsvField("line\nbreak") == "\"line\nbreak\"");
  CHECK(CsvField("tab\tinside") == "\"tab\tinside\"");
}

TEST_CASE("CSV fields a spreadsheet would run as a formula are defused", "[csv]") {
  // OWASP's list: = + - @ at the start, and TAB or CR at the start.
  for (const char* formula : {"=SUM(A1)", "+1", "-x", "@cmd", "\t=1+1", "\r=1+1", "\tplain"}) {
    INFO(formula);
    CHECK(CsvField(formula).substr(0, 2) == "\"'");
  }
  // Spreadsheets skip leading whitespace before reading a formula.
  for (const char* hidden : {" =1+1", "  +cmd", "\n@SUM(1)", " \t -2+3"}) {
    INFO(hidden);
    CHECK(CsvField(hidden).substr(0, 2) == "\"'");
  }
  CHECK(CsvField("=a,b") == "\"'=a,b\"");
  // What only looks similar stays as it is.
  for (const char* safe : {"a=b", "x+1", "mail@example.com", " text", "1-2"}) {
    INFO(safe);
    std::string quoted = "\"";  // (appended: GCC 12 warns falsely about operator+ here)
    quoted.append(safe).push_back('"');
    CHECK(CsvField(safe) == quoted);
  }
}

TEST_CASE("A CSV row joins its fields with commas and ends in CRLF", "[csv]") {
  std::string out;
  AppendCsvRow(out, {"1", "=cmd", "a;b"});
  AppendCsvRow(out, {"2"});
  CHECK(out == "\"1\",\"'=cmd\",\"a;b\"\r\n\"2\"\r\n");
}

TEST_CASE("A defused field reads back as the value it stood for", "[csv]") {
  for (std::string_view value : {"=SUM(A1)", "+1", "-5", "@cmd", "\tx", "\rx", "  =x", "'", "'=x",
                                 "''", "'plain", "plain", "", " ", "a'b", "=", "it's"}) {
    const std::string field = CsvField(value);
    // The field without its quotes (none of these holds a quote to double).
    const std::string_view inner = std::string_view(field).substr(1, field.size() - 2);
    INFO(value);
    CHECK(UndefusedCsvValue(inner) == value);
  }
  CHECK(CsvField("'=x") == "\"''=x\"");            // a value's own apostrophe survives
  CHECK(UndefusedCsvValue("'hello") == "'hello");  // never written by CsvField; left alone
}
