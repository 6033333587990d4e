// The CSV form of the asset and software lists, one owner for both ways:
// the export writes these columns and the import reads them back (by
// header name, in any order). References are names, as people read and
// type them: the location, group and agent, not their ids.
//
//   assets:   name, asset_tag, type, serial_number, status, impact,
//             location, managed_by_group, managed_by_agent, notes
//   software: name, publisher, version_string, licence_count, impact,
//             location, managed_by_group, managed_by_agent, notes
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "shared/core/json_value.h"
#include "shared/core/status.h"
#include "shared/records/record_change.h"
#include "shared/records/record_details.h"

namespace deskgate {

// One record as its CSV row holds it.
struct RecordCsvRow {
  RecordDetails details;
  bool retired = false;
  Impact impact = Impact::kLow;
  std::string location, group, agent;  // names; empty for none
};

const std::vector<std::string_view>& RecordCsvColumns(RecordKind kind);

// The header line, and one row (each ended by CRLF, every field quoted and
// defused against spreadsheet formulas: see csv_writer.h).
std::string RecordCsvHeader(RecordKind kind);
void AppendRecordCsv(std::string& out, RecordKind kind, const RecordCsvRow& row);

// ---- Reading a file back (the import)

// A reference column as the file names it: absent (no such column), empty
// (none) or a name.
struct CsvReference {
  bool given = false;
  std::string name;
};

// One data row: the record's fields as the API's body (text as written,
// impact and status normalized, licence_count a number or null), and its
// references by name, for the server (or the page) to resolve.
struct RecordCsvImportRow {
  size_t row = 0;  // as a spreadsheet numbers it: the header is row 1
  JsonValue body;
  CsvReference location, group, agent;
};

struct RecordCsvImport {
  // Each header of the file and the column it was read as ("" for none).
  std::vector<std::pair<std::string, std::string>> mapping;
  std::vector<std::string> ignored_columns;  // headers that name no field
  std::vector<RecordCsvImportRow> rows;
};

inline constexpr size_t kMaxImportRows = 100'000;

// Reads a file whose first row names the columns (those of the export, in
// any order, case and spacing as people write them: "Asset tag", "Serial",
// "Managed by group"). The columns a new record needs must be there (name;
// asset_tag for assets). Errors name the row.
Result<RecordCsvImport> ReadRecordCsv(RecordKind kind, std::string_view text);

// The column a field error is about ("location_id: …" → "location").
std::string_view RecordCsvColumnOf(std::string_view error);

}  // namespace deskgate
