// The field rules of whole records: what an asset and a software record
// accept, the words their refusals use, trimming, and what a change does.
#include "shared/records/record_details.h"

#include <catch2/catch.hpp>

#include "shared/core/json_writer.h"

using namespace deskgate;

namespace {

RecordEdit Ok(RecordKind kind, const char* json, bool creating = false) {
  auto edit = ParseRecordEdit(kind, json, creating);
  INFO(json << " → " << (edit.ok() ? "" : edit.error()));
  REQUIRE(edit.ok());
  return edit.value();
}

std::string Error(RecordKind kind, std::string_view json, bool creating = false) {
  auto edit = ParseRecordEdit(kind, json, creating);
  return edit.ok() ? "" : edit.error();
}

}  // namespace

TEST_CASE("A new asset needs a name and a tag; text is trimmed", "[records][details]") {
  const RecordEdit e = Ok(RecordKind::kAsset,
                          R"({"name":"  Dell 7440 ","asset_tag":"LT-1","type":"Laptop",)"
                          R"("serial_number":"SN 1","status":"in_stock","impact":"high",)"
                          R"("notes":"\tline one\nline two  "})",
                          true);
  CHECK(*e.details.name == "Dell 7440");
  CHECK(*e.details.detail1 == "LT-1");
  CHECK(*e.details.notes == "line one\nline two");
  CHECK(*e.details.status == AssetStatus::kInStock);
  CHECK_FALSE(*e.details.retired);
  CHECK(*e.fields.impact == Impact::kHigh);
  CHECK(Error(RecordKind::kAsset, R"({"asset_tag":"LT-1"})", true) == "name: required");
  CHECK(Error(RecordKind::kAsset, R"({"name":"x"})", true) == "asset_tag: required");
  CHECK(Error(RecordKind::kAsset, R"({"name":"x","asset_tag":" \t "})", true) ==
        "asset_tag: required");
  // An edit names any subset, but cannot empty a required field.
  CHECK(Ok(RecordKind::kAsset, R"({"type":""})").details.detail2 == std::string());
  CHECK(Error(RecordKind::kAsset, R"({"name":""})") == "name: required");
  CHECK(Error(RecordKind::kAsset, "{}") == "change: names no field");
}

TEST_CASE("Record fields refuse what does not fit, naming the field", "[records][details]") {
  using K = RecordKind;
  CHECK(Error(K::kAsset, R"({"name":"a\u0007b"})") == "name: one line of text");
  CHECK(Error(K::kAsset, R"({"serial_number":"a\nb"})") == "serial_number: one line of text");
  CHECK(Error(K::kAsset, R"({"notes":"bell\u0007"})") == "notes: must not hold control characters");
  CHECK(Error(K::kAsset, R"({"name":7})") == "name: must be text");
  CHECK(Error(K::kAsset, "{\"asset_tag\":\"" + std::string(65, 't') + "\"}") ==
        "asset_tag: at most 64 characters");
  // Length counts characters, not bytes: 64 two-byte letters fit.
  std::string tag;
  for (int i = 0; i < 64; ++i) tag += "\xc3\xa9";
  CHECK(Error(K::kAsset, "{\"asset_tag\":\"" + tag + "\"}").empty());
  CHECK(Error(K::kAsset, R"({"status":"lost"})") == "status: must be in_use, in_stock or retired");
  CHECK(Error(K::kAsset, R"({"licence_count":3})") == "change: unknown field \"licence_count\"");
  CHECK(Error(K::kAsset, R"({"publisher":"x"})", true) == "record: unknown field \"publisher\"");
  CHECK(Error(K::kSoftware, R"({"serial_number":"x"})") ==
        "change: unknown field \"serial_number\"");
  CHECK(Error(K::kSoftware, R"({"licence_count":-1})") ==
        "licence_count: must be a whole number from 0 to 1000000000, or null");
  CHECK(Error(K::kSoftware, R"({"licence_count":2.5})").rfind("licence_count:", 0) == 0);
  CHECK(Error(K::kSoftware, R"({"licence_count":"4"})").rfind("licence_count:", 0) == 0);
  CHECK(Error(K::kSoftware, R"({"impact":"urgent"})") == "impact: must be low, medium or high");
  CHECK(Error(K::kSoftware, "[1]") == "record: must be a JSON object");
  CHECK(Error(K::kSoftware, "{").rfind("record: ", 0) == 0);
  // A software record needs only its name.
  CHECK(Error(K::kSoftware, R"({"name":"Slack"})", true).empty());
}

TEST_CASE("Applying a change, and what history records of it", "[records][details]") {
  RecordDetails d;
  d.name = "Old";
  d.detail1 = "T-1";
  const RecordEdit e = Ok(RecordKind::kAsset, R"({"name":"New","status":"retired"})");
  CHECK(*e.details.retired);
  CHECK_FALSE(e.details.status.has_value());  // retiring keeps the status
  RecordDetails after = d;
  CHECK(ApplyDetailsChange(e.details, after));
  CHECK_FALSE(ApplyDetailsChange(e.details, after));  // already so
  JsonWriter w;
  w.BeginObject();
  WriteDetailChanges(w, RecordKind::kAsset, d, after);
  CHECK(w.EndObject().Take() == R"({"name":["Old","New"]})");

  const RecordEdit licences = Ok(RecordKind::kSoftware, R"({"licence_count":null})");
  RecordDetails software;
  software.licence_count = 5;
  CHECK(ApplyDetailsChange(licences.details, software));
  CHECK_FALSE(software.licence_count.has_value());
  JsonWriter row;
  row.BeginObject();
  WriteDetails(row, RecordKind::kAsset, after, true, false);
  CHECK(row.EndObject().Take() ==
        R"({"name":"New","asset_tag":"T-1","type":"","serial_number":"","status":"retired"})");
}
