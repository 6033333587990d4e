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

}  // namespace deskgate
