// The CSV form of the lists: the export's header and rows, and reading a
// file back — headers as people write them, values normalized, references
// kept as names, ragged rows, and files refused whole.
#include "shared/records/record_csv.h"

#include <catch2/catch.hpp>

using namespace deskgate;

namespace {

std::string Member(const JsonValue& body, const char* key) {
  const JsonValue* v = body.Find(key);
  if (v == nullptr) return "<absent>";
  if (v->is_null()) return "<null>";
  if (v->is_number()) return std::to_string(static_cast<int64_t>(v->as_number()));
  return v->as_string();
}

}  // namespace

TEST_CASE("The export's header and a row, defused", "[records][csv]") {
  CHECK(RecordCsvHeader(RecordKind::kSoftware) ==
        "name,publisher,version_string,licence_count,impact,location,managed_by_group,"
        "managed_by_agent,notes\r\n");
  RecordCsvRow row;
  row.details.name = "=evil()";
  row.details.detail1 = "T-1";
  row.retired = true;
  row.location = "Berlin";
  std::string out;
  AppendRecordCsv(out, RecordKind::kAsset, row);
  CHECK(out == "\"'=evil()\",\"T-1\",\"\",\"\",\"retired\",\"low\",\"Berlin\",\"\",\"\",\"\"\r\n");
}

TEST_CASE("Reading a file back: headers as people write them, values normalized",
          "[records][csv]") {
  auto file = ReadRecordCsv(RecordKind::kAsset,
                            "\xEF\xBB\xBF Name ;TAG;Serial;Status;Impact;Location;Group;Colour\r\n"
                            "Dell;A-1;S1;In stock;HIGH;Berlin;;red\r\n"
                            "\"'=x\";A-2\r\n");  // ragged: the missing cells are empty
  REQUIRE(file.ok());
  CHECK(file.value().ignored_columns == std::vector<std::string>{"Colour"});
  REQUIRE(file.value().rows.size() == 2);
  const RecordCsvImportRow& dell = file.value().rows[0];
  CHECK(dell.row == 2);
  CHECK(Member(dell.body, "name") == "Dell");
  CHECK(Member(dell.body, "serial_number") == "S1");
  CHECK(Member(dell.body, "status") == "in_stock");
  CHECK(Member(dell.body, "impact") == "high");
  CHECK(dell.location.given);
  CHECK(dell.location.name == "Berlin");
  CHECK(dell.group.given);
  CHECK(dell.group.name.empty());  // none
  CHECK_FALSE(dell.agent.given);   // no such column: left as it is
  const RecordCsvImportRow& second = file.value().rows[1];
  CHECK(Member(second.body, "name") == "=x");  // the export's defusing undone
  CHECK(Member(second.body, "impact") == "<absent>");
  CHECK(Member(second.body, "serial_number") == "");

  auto software = ReadRecordCsv(RecordKind::kSoftware,
                                "name,version,licences\nSlack,4.1,25\nZoom,5,\nVim,9,many\n");
  REQUIRE(software.ok());
  CHECK(Member(software.value().rows[0].body, "licence_count") == "25");
  CHECK(Member(software.value().rows[1].body, "licence_count") == "<null>");
  CHECK(Member(software.value().rows[2].body, "licence_count") ==
        "many");  // for the rules to refuse
}

TEST_CASE("Files refused whole, naming why", "[records][csv]") {
  CHECK(ReadRecordCsv(RecordKind::kAsset, "").error() == "the file is empty");
  CHECK(ReadRecordCsv(RecordKind::kAsset, "name,type\nx,y\n")
            .error()
            .find("needs name and asset_tag") != std::string::npos);
  CHECK(ReadRecordCsv(RecordKind::kSoftware, "name\n\"open quote\n").error().find("row 2") !=
        std::string::npos);
  const std::string huge =
      "name,asset_tag\n\"" + std::string((size_t{1} << 20) + 1, 'x') + "\",t\n";
  CHECK_FALSE(ReadRecordCsv(RecordKind::kAsset, huge).ok());
  CHECK(RecordCsvColumnOf("managed_by_group_id: no group 3") == "managed_by_group");
  CHECK(RecordCsvColumnOf("serial_number: one line of text") == "serial_number");
}
