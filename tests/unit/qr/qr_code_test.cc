#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "shared/qr/qr_code.h"
#include "shared/qr/qr_penalty.h"
#include "shared/qr/qr_render.h"
#include "shared/qr/qr_segments.h"
#include "shared/qr/qr_version.h"
#include "shared/qr/reed_solomon.h"

using namespace deskgate;

namespace {

int Log2Alpha(uint8_t value) {  // the exponent e with α^e == value
  uint8_t x = 1;
  for (int e = 0; e < 255; ++e, x = Gf256Multiply(x, 2)) {
    if (x == value) return e;
  }
  return -1;
}

uint32_t Bits(const char* binary) {
  return static_cast<uint32_t>(std::stoul(binary, nullptr, 2));
}

}  // namespace

TEST_CASE("Reed-Solomon generator matches ISO/IEC 18004 Annex A", "[qr]") {
  // g(x) for 10 EC codewords: x^10 + α^251x^9 + α^67x^8 + α^46x^7 + α^61x^6 +
  // α^118x^5 + α^70x^4 + α^64x^3 + α^94x^2 + α^32x + α^45.
  const auto g = ReedSolomonGenerator(10);
  const int expected[] = {251, 67, 46, 61, 118, 70, 64, 94, 32, 45};
  REQUIRE(g.size() == 10);
  for (int i = 0; i < 10; ++i) CHECK(Log2Alpha(g[i]) == expected[i]);
  CHECK(Gf256Multiply(0x80, 2) == 0x1D);  // reduction by 0x11D
  CHECK(Gf256Multiply(0, 0x53) == 0);
}

TEST_CASE("Known answer: 01234567 at version 1-M (ISO/IEC 18004 Annex I)", "[qr]") {
  auto data = QrDataCodewordsFor("01234567", 1, QrEcc::kMedium);
  REQUIRE(data.ok());
  const std::vector<uint8_t> expected_data = {0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11,
                                              0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11};
  CHECK(data.value() == expected_data);
  const auto all = QrInterleaveWithEcc(data.value(), 1, QrEcc::kMedium);
  const std::vector<uint8_t> expected_ecc = {0xA5, 0x24, 0xD4, 0xC1, 0xED,
                                             0x36, 0xC7, 0x87, 0x2C, 0x55};
  REQUIRE(all.size() == 26);
  CHECK(std::vector<uint8_t>(all.begin() + 16, all.end()) == expected_ecc);
}

TEST_CASE("Known answer: HELLO WORLD at version 1-M", "[qr]") {
  auto data = QrDataCodewordsFor("HELLO WORLD", 1, QrEcc::kMedium);
  REQUIRE(data.ok());
  const std::vector<uint8_t> expected_data = {32, 91, 11,  120, 209, 114, 220, 77,
                                              67, 64, 236, 17,  236, 17,  236, 17};
  CHECK(data.value() == expected_data);
  const auto all = QrInterleaveWithEcc(data.value(), 1, QrEcc::kMedium);
  const std::vector<uint8_t> expected_ecc = {196, 35, 39, 119, 235, 215, 231, 226, 93, 23};
  CHECK(std::vector<uint8_t>(all.begin() + 16, all.end()) == expected_ecc);
}

TEST_CASE("Format information matches the standard's table", "[qr]") {
  const char* medium[] = {"101010000010010", "101000100100101", "101111001111100",
                          "101101101001011", "100010111111001", "100000011001110",
                          "100111110010111", "100101010100000"};
  const char* low[] = {"111011111000100", "111001011110011", "111110110101010", "111100010011101",
                       "110011000101111", "110001100011000", "110110001000001", "110100101110110"};
  for (int mask = 0; mask < 8; ++mask) {
    CHECK(QrFormatBits(QrEcc::kMedium, mask) == Bits(medium[mask]));
    CHECK(QrFormatBits(QrEcc::kLow, mask) == Bits(low[mask]));
  }
  CHECK(QrFormatBits(QrEcc::kQuartile, 0) == Bits("011010101011111"));
  CHECK(QrFormatBits(QrEcc::kHigh, 0) == Bits("001011010001001"));
}

TEST_CASE("Version information and alignment positions", "[qr]") {
  CHECK(QrVersionBits(7) == 0x07C94);
  CHECK(QrVersionBits(8) == 0x085BC);
  CHECK(QrVersionBits(40) == 0x28C69);
  CHECK(QrAlignmentPositions(1).empty());
  CHECK(QrAlignmentPositions(2) == std::vector<int>{6, 18});
  CHECK(QrAlignmentPositions(7) == std::vector<int>{6, 22, 38});
  CHECK(QrAlignmentPositions(32) == std::vector<int>{6, 34, 60, 86, 112, 138});
  CHECK(QrAlignmentPositions(40) == std::vector<int>{6, 30, 58, 86, 114, 142, 170});
}

TEST_CASE("Codeword capacities match the standard", "[qr]") {
  CHECK(QrDataCodewords(1, QrEcc::kLow) == 19);
  CHECK(QrDataCodewords(1, QrEcc::kMedium) == 16);
  CHECK(QrDataCodewords(1, QrEcc::kQuartile) == 13);
  CHECK(QrDataCodewords(1, QrEcc::kHigh) == 9);
  CHECK(QrDataCodewords(10, QrEcc::kMedium) == 216);
  CHECK(QrDataCodewords(40, QrEcc::kLow) == 2956);
  CHECK(QrDataCodewords(40, QrEcc::kHigh) == 1276);
  CHECK(QrTotalCodewords(40) == 3706);
}

TEST_CASE("The largest payloads fit version 40 and one more byte is an error", "[qr]") {
  CHECK(QrMinimumVersion(std::string(2953, 'a'), QrEcc::kLow).value() == 40);
  CHECK(QrMinimumVersion(std::string(7089, '7'), QrEcc::kLow).value() == 40);
  CHECK(QrMinimumVersion(std::string(4296, 'A'), QrEcc::kLow).value() == 40);
  const auto too_long = QrCode::Encode(std::string(2954, 'a'), QrEcc::kLow);
  REQUIRE_FALSE(too_long.ok());
  CHECK(too_long.error() == "text is too long for a QR code at level L (2954 bytes)");
  CHECK_FALSE(QrCode::Encode(std::string(1300, 'a'), QrEcc::kHigh).ok());
  CHECK(QrCode::Encode("", QrEcc::kMedium).value().version() == 1);
}

TEST_CASE("Segmentation picks the cheapest modes for mixed content", "[qr]") {
  const auto numeric = SegmentOptimally("0123456789", 1);
  REQUIRE(numeric.size() == 1);
  CHECK(numeric[0].mode == QrMode::kNumeric);
  CHECK(SegmentOptimally("HELLO WORLD", 1)[0].mode == QrMode::kAlphanumeric);
  CHECK(SegmentOptimally("hello", 1)[0].mode == QrMode::kByte);

  // A long digit run inside lower-case text earns its own numeric segment.
  const std::string mixed = "abc" + std::string(30, '5') + "xyz";
  const auto segments = SegmentOptimally(mixed, 5);
  REQUIRE(segments.size() == 3);
  CHECK(segments[1].mode == QrMode::kNumeric);
  CHECK(segments[1].begin == 3);
  CHECK(segments[1].end == 33);
  const size_t all_bytes = SegmentBits({{QrMode::kByte, 0, mixed.size()}}, 5);
  CHECK(SegmentBits(segments, 5) < all_bytes);

  // An upper-cased otpauth URI (where the caller allows it) is smaller still.
  const std::string uri = "otpauth://totp/ACME:JANE@EXAMPLE.COM?secret=JBSWY3DPEHPK3PXP";
  const std::string upper = "OTPAUTH://TOTP/ACME:JANE@EXAMPLE.COM?SECRET=JBSWY3DPEHPK3PXP";
  CHECK(SegmentBits(SegmentOptimally(upper, 5), 5) < SegmentBits(SegmentOptimally(uri, 5), 5));
}

TEST_CASE("Symbols carry finders, timing and the dark module", "[qr]") {
  for (QrEcc ecc : {QrEcc::kLow, QrEcc::kHigh}) {
    auto code = QrCode::Encode(std::string(300, 'x'), ecc);
    REQUIRE(code.ok());
    const QrCode& c = code.value();
    CHECK(c.size() == 17 + 4 * c.version());
    CHECK(c.modules().size() == static_cast<size_t>(c.size() * c.size()));
    for (int i = 0; i < 7; ++i) {  // finder outer rings
      CHECK(c.dark(i, 0));
      CHECK(c.dark(c.size() - 1 - i, 0));
      CHECK(c.dark(0, c.size() - 1 - i));
    }
    CHECK_FALSE(c.dark(7, 7));  // separator
    for (int i = 8; i < c.size() - 8; ++i) CHECK(c.dark(i, 6) == (i % 2 == 0));
    CHECK(c.dark(8, c.size() - 8));
  }
}

TEST_CASE("Automatic masking picks the lowest penalty and is deterministic", "[qr]") {
  auto best = QrCode::Encode("https://example.com/helpdesk", QrEcc::kMedium);
  REQUIRE(best.ok());
  for (int mask = 0; mask < 8; ++mask) {
    auto forced = QrCode::Encode("https://example.com/helpdesk", QrEcc::kMedium, mask);
    REQUIRE(forced.ok());
    CHECK(forced.value().mask() == mask);
    if (mask == best.value().mask()) CHECK(forced.value().modules() == best.value().modules());
  }
  CHECK_FALSE(QrCode::Encode("x", QrEcc::kMedium, 8).ok());
  CHECK(ParseQrEcc("q").value() == QrEcc::kQuartile);
  CHECK_FALSE(ParseQrEcc("X").ok());
}

TEST_CASE("Renderers: SVG, PBM and terminal text", "[qr]") {
  const QrCode code = QrCode::Encode("hello", QrEcc::kMedium).value();  // version 1, 21 modules
  const std::string svg = QrToSvg(code, "Scan <this> & \"enrol\"");
  CHECK(svg.rfind(R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29")", 0) == 0);
  CHECK(svg.find(R"(shape-rendering="crispEdges")") != std::string::npos);
  CHECK(svg.find("<title>Scan &lt;this&gt; &amp; &quot;enrol&quot;</title>") != std::string::npos);
  CHECK(svg.find("<path") == svg.rfind("<path"));        // exactly one path
  CHECK(svg.find("M4,4h7v1h-7z") != std::string::npos);  // top row of the top-left finder

  const std::string pbm = QrToPbm(code, 2);
  const std::string header = "P4\n58 58\n";
  REQUIRE(pbm.rfind(header, 0) == 0);
  CHECK(pbm.size() == header.size() + 58 * 8);                 // 58 pixels → 8 bytes a row
  CHECK(static_cast<unsigned char>(pbm[header.size()]) == 0);  // quiet zone is white

  const std::string text = QrToText(code);
  CHECK(std::count(text.begin(), text.end(), '\n') == 15);  // 29 rows, two per line
  CHECK(text.rfind("\u2588\u2588\u2588\u2588", 0) == 0);    // quiet zone drawn light
}

namespace {

// A direct, module-by-module reading of ISO/IEC 18004 §7.8.3, as an oracle
// for the bit-parallel scorer.
long ReferencePenalty(const std::vector<uint8_t>& g, int size) {
  const auto at = [&](int x, int y) { return g[static_cast<size_t>(y) * size + x] != 0; };
  long penalty = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (int line = 0; line < size; ++line) {
      // Light quiet zone of 4 on both ends, as the encoder assumes.
      std::vector<int> cells(4, 0);
      for (int i = 0; i < size; ++i) cells.push_back(pass == 0 ? at(i, line) : at(line, i));
      cells.insert(cells.end(), 4, 0);
      // Rule 1: runs inside the symbol.
      for (int i = 4; i < size + 4;) {
        int j = i;
        while (j < size + 4 && cells[j] == cells[i]) ++j;
        if (j - i >= 5) penalty += 3 + (j - i - 5);
        i = j;
      }
      // Rule 3: dark-light-dark×3-light-dark at unit n, with 4n light before or after.
      for (int n = 1; 7 * n <= size; ++n) {
        for (int s = 0; s + 7 * n <= static_cast<int>(cells.size()); ++s) {
          const int pattern[] = {1, 0, 1, 1, 1, 0, 1};
          bool match = true;
          for (int k = 0; k < 7 * n && match; ++k) match = cells[s + k] == pattern[k / n];
          if (!match) continue;
          // The runs must be exactly n wide: the cells just outside are light.
          if (s > 0 && cells[s - 1] == 1) continue;
          if (s + 7 * n < static_cast<int>(cells.size()) && cells[s + 7 * n] == 1) continue;
          const auto light = [&](int from, int count) {
            for (int k = from; k < from + count; ++k) {
              if (k >= 0 && k < static_cast<int>(cells.size()) && cells[k] == 1) return false;
            }
            return true;
          };
          if (s - 4 * n >= 0 && light(s - 4 * n, 4 * n)) penalty += 40;
          if (s + 11 * n <= static_cast<int>(cells.size()) && light(s + 7 * n, 4 * n))
            penalty += 40;
        }
      }
    }
  }
  long dark = 0;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      dark += at(x, y);
      if (x + 1 < size && y + 1 < size && at(x, y) == at(x + 1, y) && at(x, y) == at(x, y + 1) &&
          at(x, y) == at(x + 1, y + 1)) {
        penalty += 3;
      }
    }
  }
  const long total = static_cast<long>(size) * size;
  return penalty + std::labs(dark * 20 - total * 10) / total * 10;
}

}  // namespace

TEST_CASE("The bit-parallel mask scorer agrees with a direct reading of the rules", "[qr]") {
  uint32_t seed = 12345;
  const auto next = [&] { return (seed = seed * 1664525u + 1013904223u) >> 24; };
  for (int size : {21, 25, 45, 63, 64, 65, 101, 177}) {
    for (int trial = 0; trial < 3; ++trial) {
      std::vector<uint8_t> modules(static_cast<size_t>(size) * size), bits(modules.size());
      for (size_t i = 0; i < modules.size(); ++i) {
        // Long runs and blocks appear more often than in uniform noise.
        modules[i] = (trial == 2) ? (i / 7 % 3 == 0) : next() & 1;
        bits[i] = static_cast<uint8_t>(next());
      }
      QrMaskScorer scorer(modules, bits, size);
      const std::vector<QrFixedModule> fixed = {{0, 0, true}, {size - 1, 3, false}};
      for (int mask = 0; mask < 8; ++mask) {
        std::vector<uint8_t> masked = modules;
        for (size_t i = 0; i < masked.size(); ++i) masked[i] ^= (bits[i] >> mask) & 1;
        for (const auto& f : fixed) masked[static_cast<size_t>(f.y) * size + f.x] = f.dark;
        INFO("size " << size << " trial " << trial << " mask " << mask);
        CHECK(scorer.Penalty(mask, fixed) == ReferencePenalty(masked, size));
      }
    }
  }
}
