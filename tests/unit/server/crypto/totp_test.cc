#include "server/crypto/totp.h"

#include <cstdio>
#include <random>

#include <catch2/catch.hpp>

#include "shared/mfa/base32.h"

using deskgate::Base32Encode;
using deskgate::crypto::HotpCode;
using deskgate::crypto::kTotpStep;
using deskgate::crypto::MatchTotp;
using deskgate::crypto::TotpStep;

namespace {

// The 20-byte ASCII key of RFC 4226 Appendix D and RFC 6238 Appendix B.
std::span<const uint8_t> RfcKey() {
  static constexpr std::string_view kKey = "12345678901234567890";
  return {reinterpret_cast<const uint8_t*>(kKey.data()), kKey.size()};
}

// Runs `command` through the shell; what it printed (standard error
// included, so a failure explains itself) without the final newline. Fails
// the test when the command cannot run or exits non-zero.
std::string RunCommand(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[256];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pclose(pipe);
  INFO(command << " printed: " << output);
  REQUIRE(status == 0);
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  return output;
}

std::vector<uint8_t> RandomKey(std::mt19937& random, size_t size) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<uint8_t> key(size);
  for (uint8_t& b : key) b = static_cast<uint8_t>(byte(random));
  return key;
}

}  // namespace

TEST_CASE("HOTP matches RFC 4226 Appendix D", "[mfa][hotp]") {
  const std::string_view expected[] = {"755224", "287082", "359152", "969429", "338314",
                                       "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t counter = 0; counter < 10; ++counter) {
    INFO("counter " << counter);
    CHECK(HotpCode(RfcKey(), counter) == expected[counter]);
  }
  CHECK(HotpCode(RfcKey(), 1, 8) == "94287082");  // the 8-digit form used by RFC 6238
  CHECK(HotpCode(RfcKey(), 0, 1) == "4");
  CHECK(HotpCode({}, 0).size() == 6);  // an empty key still yields a code
}

TEST_CASE("TOTP matches RFC 6238 Appendix B (SHA-1)", "[mfa][totp]") {
  const std::pair<int64_t, std::string_view> vectors[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
  };
  for (const auto& [time, code] : vectors) {
    INFO("time " << time);
    CHECK(HotpCode(RfcKey(), static_cast<uint64_t>(TotpStep(time)), 8) == code);
  }
}

TEST_CASE("TOTP time steps are 30 seconds, floored", "[mfa][totp]") {
  CHECK(kTotpStep == 30);
  CHECK(TotpStep(0) == 0);
  CHECK(TotpStep(29) == 0);
  CHECK(TotpStep(30) == 1);
  CHECK(TotpStep(59) == 1);
  CHECK(TotpStep(1111111109) == 37037036);
  CHECK(TotpStep(1111111111) == 37037037);
  CHECK(TotpStep(-1) == -1);
  CHECK(TotpStep(-30) == -1);
  CHECK(TotpStep(-31) == -2);
}

TEST_CASE("TOTP accepts the previous, current and next step only", "[mfa][totp-window]") {
  // 1111111110 is the first second of step 37037037, 1111111139 its last.
  for (const int64_t time : {int64_t{1111111110}, int64_t{1111111125}, int64_t{1111111139}}) {
    INFO("time " << time);
    const int64_t step = TotpStep(time);
    REQUIRE(step == 37037037);
    const auto code_at = [](int64_t s) { return HotpCode(RfcKey(), static_cast<uint64_t>(s)); };
    CHECK(MatchTotp(RfcKey(), code_at(step - 1), time, -1) == step - 1);
    CHECK(MatchTotp(RfcKey(), code_at(step), time, -1) == step);
    CHECK(MatchTotp(RfcKey(), code_at(step + 1), time, -1) == step + 1);
    CHECK_FALSE(MatchTotp(RfcKey(), code_at(step - 2), time, -1).has_value());
    CHECK_FALSE(MatchTotp(RfcKey(), code_at(step + 2), time, -1).has_value());
  }
  // One second later the window has moved on.
  const std::string old_code = HotpCode(RfcKey(), 37037036);
  CHECK(MatchTotp(RfcKey(), old_code, 1111111139, -1) == 37037036);
  CHECK_FALSE(MatchTotp(RfcKey(), old_code, 1111111140, -1).has_value());
}

TEST_CASE("TOTP codes are never accepted twice", "[mfa][totp-replay]") {
  const int64_t time = 1234567890;
  const int64_t step = TotpStep(time);
  const std::string current = HotpCode(RfcKey(), static_cast<uint64_t>(step));
  const std::string previous = HotpCode(RfcKey(), static_cast<uint64_t>(step - 1));
  const std::string next = HotpCode(RfcKey(), static_cast<uint64_t>(step + 1));

  REQUIRE(MatchTotp(RfcKey(), current, time, step - 2) == step);
  CHECK_FALSE(MatchTotp(RfcKey(), current, time, step).has_value());      // replay
  CHECK_FALSE(MatchTotp(RfcKey(), current, time + 5, step).has_value());  // later replay
  CHECK_FALSE(MatchTotp(RfcKey(), previous, time, step).has_value());     // older after newer
  CHECK(MatchTotp(RfcKey(), next, time, step) == step + 1);               // newer still fine
  CHECK_FALSE(MatchTotp(RfcKey(), current, time, step + 1).has_value());  // older after newer
  CHECK_FALSE(MatchTotp(RfcKey(), next, time, step + 1).has_value());     // replay of next
}

TEST_CASE("Malformed TOTP codes are refused", "[mfa][totp-input]") {
  const int64_t time = 1111111111;
  const std::string valid = HotpCode(RfcKey(), static_cast<uint64_t>(TotpStep(time)));
  REQUIRE(MatchTotp(RfcKey(), valid, time, -1).has_value());
  const std::string refused[] = {
      "12345",
      "1234567",
      "12a456",
      "",
      " " + valid,
      valid + " ",
      valid + "0",
      valid.substr(0, 3) + " " + valid.substr(3),
      "-12345",
      "+12345",
      "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94\xEF\xBC\x95\xEF\xBC\x96",  // fullwidth
      HotpCode(RfcKey(), static_cast<uint64_t>(TotpStep(time)), 8),
  };
  for (const std::string& code : refused) {
    INFO("code '" << code << "'");
    CHECK_FALSE(MatchTotp(RfcKey(), code, time, -1).has_value());
  }
}

TEST_CASE("HOTP and TOTP agree with oathtool", "[mfa][interop]") {
  const unsigned seed = std::random_device()();
  INFO("seed " << seed);
  std::mt19937 random(seed);
  std::uniform_int_distribution<int64_t> any_time(0, 4'000'000'000);
  std::uniform_int_distribution<uint64_t> any_counter(0, 1'000'000'000'000);
  const size_t key_sizes[] = {20, 20, 20, 10, 16, 32};
  for (const size_t size : key_sizes) {
    const std::vector<uint8_t> key = RandomKey(random, size);
    const std::string secret = Base32Encode(key);
    const int64_t time = any_time(random);
    INFO("secret " << secret << " at @" << time);
    const std::string totp =
        RunCommand("oathtool --totp -b " + secret + " -N @" + std::to_string(time));
    CHECK(totp == HotpCode(key, static_cast<uint64_t>(TotpStep(time))));
    CHECK(MatchTotp(key, totp, time, -1) == TotpStep(time));

    const uint64_t counter = any_counter(random);
    INFO("counter " << counter);
    const std::string hotp =
        RunCommand("oathtool -b " + secret + " -d 8 -c " + std::to_string(counter));
    CHECK(hotp == HotpCode(key, counter, 8));
  }
}
