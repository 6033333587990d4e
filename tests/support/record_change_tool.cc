// deskgate-record-change: the native side of the change-check parity test
// (tests/wasm/record_change_parity.test.mjs). Each input line is
// "<change bytes in hex>\t<vocabulary bytes in hex>"; each output line is
// what the WebAssembly module's validateRecordChangeJson returns for the
// same bytes. Hex keeps any byte, including invalid UTF-8, intact.
#include <iostream>
#include <optional>
#include <string>

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

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
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
