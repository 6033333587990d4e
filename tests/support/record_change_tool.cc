// deskgate-record-change: the native side of the change-check parity test
// (tests/wasm/record_change_parity.test.mjs). Each input line is
// "<change bytes in hex>\t<vocabulary bytes in hex>"; each output line is
// what the WebAssembly module's validateRecordChangeJson returns for the
// same bytes (and lines starting "edit", a whole record's check: see
// CheckEdit). Hex keeps any byte, including invalid UTF-8, intact.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "shared/records/record_change_check.h"
#include "wasm/error_json.h"

namespace {

std::optional<std::string> FromHex(const std::string& hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    const std::string pair = hex.substr(i, 2);
    if (pair.find_first_not_of("0123456789abcdef") != std::string::npos) return std::nullopt;
    bytes.push_back(static_cast<char>(std::stoi(pair, nullptr, 16)));
  }
  return bytes;
}

}  // namespace

// "edit\t<asset|software>\t<0|1 creating>\t<record hex>\t<vocabulary hex>":
// what validateRecordEditJson returns.
bool CheckEdit(const std::string& line) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
    parts.push_back(line.substr(start, tab - start));
  }
  parts.push_back(line.substr(start));
  if (parts.size() != 5) return false;
  const auto record = FromHex(parts[3]);
  const auto vocabulary = FromHex(parts[4]);
  if (!record || !vocabulary || (parts[1] != "asset" && parts[1] != "software")) return false;
  auto parsed = deskgate::ParseRecordVocabulary(*vocabulary);
  const auto kind =
      parts[1] == "asset" ? deskgate::RecordKind::kAsset : deskgate::RecordKind::kSoftware;
  std::cout << (parsed.ok()
                    ? deskgate::CheckRecordEditJson(kind, *record, parts[2] == "1", parsed.value())
                    : deskgate::ErrorJson(parsed.error()))
            << '\n';
  return true;
}

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.rfind("edit\t", 0) == 0) {
      if (!CheckEdit(line)) {
        std::cerr
            << "deskgate-record-change: edit lines are edit\\t<kind>\\t<0|1>\\t<hex>\\t<hex>\n";
        return 2;
      }
      continue;
    }
    const size_t tab = line.find('\t');
    const auto change = FromHex(line.substr(0, tab));
    const auto vocabulary = tab == std::string::npos ? std::nullopt : FromHex(line.substr(tab + 1));
    if (!change || !vocabulary) {
      std::cerr << "deskgate-record-change: each line must be <hex>\\t<hex>\n";
      return 2;
    }
    auto parsed = deskgate::ParseRecordVocabulary(*vocabulary);
    std::cout << (parsed.ok() ? deskgate::CheckRecordChangeJson(*change, parsed.value())
                              : deskgate::ErrorJson(parsed.error()))
              << '\n';
  }
  return 0;
}
