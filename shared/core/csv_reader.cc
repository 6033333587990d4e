#include "shared/core/csv_reader.h"

#include <algorithm>

#include "shared/core/utf8.h"

namespace deskgate {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// The header line's separator: ';' when it has more of them outside
// quotes than ',' (a one-column file has neither: ',').
char DetectSeparator(std::string_view text) {
  size_t commas = 0;
  size_t semicolons = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    commas += c == ',';
    semicolons += c == ';';
  }
  return semicolons > commas ? ';' : ',';
}

// A blank line, or a row of only separators and spaces (spreadsheets
// write ",,," for empty formatted rows).
bool IsBlank(const CsvRow& row) {
  for (const std::string& field : row.fields) {
    if (field.find_first_not_of(" \t") != std::string::npos) return false;
  }
  return true;
}

class Parser {
 public:
  Parser(std::string_view text, char separator, const CsvLimits& limits)
      : text_(text), separator_(separator), limits_(limits) {}

  Status Run(std::vector<CsvRow>& rows) {
    // Room for a row per line (quoted line breaks make it an overestimate).
    const auto lines = static_cast<size_t>(std::count(text_.begin(), text_.end(), '\n')) + 1;
    rows.reserve(std::min(lines, limits_.max_rows));
    while (pos_ < text_.size()) {
      CsvRow row;
      row.number = line_;
      if (Status s = ReadRow(row); !s.ok()) return s;
      ++line_;
      if (IsBlank(row)) continue;
      if (rows.size() == limits_.max_rows) {
        return Status::Error("the file has more than " + std::to_string(limits_.max_rows) +
                             " rows");
      }
      rows.push_back(std::move(row));
    }
    return Status::Ok();
  }

 private:
  Status Fail(const std::string& what) const {
    return Status::Error("row " + std::to_string(line_) + ": " + what);
  }

  // Reads fields up to the end of the line (or of the text).
  Status ReadRow(CsvRow& row) {
    while (true) {
      if (row.fields.size() == limits_.max_fields) {
        return Fail("more than " + std::to_string(limits_.max_fields) + " fields");
      }
      row.fields.emplace_back();
      if (Status s = ReadField(row.fields.back()); !s.ok()) return s;
      if (pos_ >= text_.size()) return Status::Ok();
      const char c = text_[pos_++];
      if (c == separator_) continue;
      // c ends the line: CRLF counts once.
      if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      return Status::Ok();
    }
  }

  // Reads one field, leaving pos_ on the separator or line end after it.
  Status ReadField(std::string& field) {
    if (pos_ >= text_.size() || text_[pos_] != '"') {
      const size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] != separator_ && text_[pos_] != '\n' &&
             text_[pos_] != '\r') {
        ++pos_;
      }
      if (pos_ - start > limits_.max_field_bytes) return TooLong();
      field.assign(text_.substr(start, pos_ - start));
      return Status::Ok();
    }
    const size_t opened_on = line_;
    ++pos_;  // the opening quote
    while (true) {
      const size_t quote = text_.find('"', pos_);
      if (quote == std::string_view::npos) {
        return Status::Error("row " + std::to_string(opened_on) +
                             ": a quoted field is never closed");
      }
      field.append(text_.substr(pos_, quote - pos_));
      pos_ = quote + 1;
      if (field.size() > limits_.max_field_bytes) return TooLong();
      if (pos_ < text_.size() && text_[pos_] == '"') {  // a doubled quote
        field.push_back('"');
        ++pos_;
        continue;
      }
      break;
    }
    if (pos_ < text_.size() && text_[pos_] != separator_ && text_[pos_] != '\n' &&
        text_[pos_] != '\r') {
      return Fail("text after a closing quote (a quote inside a quoted field is written \"\")");
    }
    return Status::Ok();
  }

  Status TooLong() const {
    return Fail("a field is longer than " + std::to_string(limits_.max_field_bytes) + " bytes");
  }

  std::string_view text_;
  char separator_;
  const CsvLimits& limits_;
  size_t pos_ = 0;
  // The row being read, as a spreadsheet numbers it: line breaks inside a
  // quoted field do not start a new one.
  size_t line_ = 1;
};

}  // namespace

Result<CsvTable> ReadCsv(std::string_view text, const CsvLimits& limits) {
  if (text.substr(0, kByteOrderMark.size()) == kByteOrderMark) {
    text.remove_prefix(kByteOrderMark.size());
  }
  if (!IsValidUtf8(text)) {
    return Status::Error("the file is not UTF-8 text (save it as \"CSV UTF-8\")");
  }
  CsvTable table;
  table.separator = DetectSeparator(text);
  Parser parser(text, table.separator, limits);
  if (Status s = parser.Run(table.rows); !s.ok()) return s;
  return table;
}

}  // namespace deskgate
