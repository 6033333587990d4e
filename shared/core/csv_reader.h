// CSV input as people's files really are (RFC 4180 and what spreadsheets
// write around it): UTF-8 with or without a byte-order mark; ',' or ';'
// between fields, whichever the header line uses (Excel writes ';' where
// the decimal separator is a comma); fields in double quotes may hold
// separators, doubled quotes and line breaks; lines end in CRLF, LF or CR.
// A quote inside an unquoted field is kept as text, as spreadsheets do.
//
// Rows keep the number of fields they have (ragged rows are the caller's
// to report); blank lines, and rows whose fields are all empty or spaces,
// are skipped. Errors name the row — its number
// counting the header as row 1, as a spreadsheet numbers it — and refuse
// the whole text: an unterminated quote, text after a closing quote, a
// field over `max_field_bytes`, more than `max_rows` rows or
// `max_fields` fields in a row, or text that is not UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "shared/core/status.h"

namespace deskgate {

struct CsvLimits {
  size_t max_field_bytes = size_t{1} << 20;  // 1 MiB
  size_t max_fields = 256;
  size_t max_rows = 2'000'000;
};

struct CsvRow {
  size_t number = 0;  // 1 for the first row of the file (the header)
  std::vector<std::string> fields;
};

struct CsvTable {
  char separator = ',';
  std::vector<CsvRow> rows;  // the header first
};

Result<CsvTable> ReadCsv(std::string_view text, const CsvLimits& limits = {});

}  // namespace deskgate
