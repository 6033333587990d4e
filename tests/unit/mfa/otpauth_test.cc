#include "shared/mfa/otpauth.h"

#include <catch2/catch.hpp>

using deskgate::CheckIssuer;
using deskgate::GroupedKey;
using deskgate::OtpauthUri;
using deskgate::TrimIssuer;

TEST_CASE("otpauth URIs percent-encode issuer and account", "[mfa][otpauth]") {
  CHECK(OtpauthUri("RTX \xE2\x80\x93 Support Portal", "jane@example.com", "JBSWY3DPEHPK3PXP") ==
        "otpauth://totp/RTX%20%E2%80%93%20Support%20Portal:jane%40example.com"
        "?secret=JBSWY3DPEHPK3PXP&issuer=RTX%20%E2%80%93%20Support%20Portal"
        "&algorithm=SHA1&digits=6&period=30");
  CHECK(OtpauthUri("Acme", "a:b c+d&e=f?g/h#i%j", "MZXW6") ==
        "otpauth://totp/Acme:a%3Ab%20c%2Bd%26e%3Df%3Fg%2Fh%23i%25j"
        "?secret=MZXW6&issuer=Acme&algorithm=SHA1&digits=6&period=30");
  CHECK(
      OtpauthUri("A-Z_a.z~09", "x", "AB") ==
      "otpauth://totp/A-Z_a.z~09:x?secret=AB&issuer=A-Z_a.z~09&algorithm=SHA1&digits=6&period=30");
}

TEST_CASE("Keys are grouped in fours for typing", "[mfa][otpauth]") {
  CHECK(GroupedKey("JBSWY3DPEHPK3PXP") == "JBSW Y3DP EHPK 3PXP");
  CHECK(GroupedKey("MZXW6YTBOI") == "MZXW 6YTB OI");
  CHECK(GroupedKey("MZXW") == "MZXW");
  CHECK(GroupedKey("MZX") == "MZX");
  CHECK(GroupedKey("") == "");
  CHECK(GroupedKey("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") ==
        "ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567");
}

TEST_CASE("Issuer names are checked for the settings page", "[mfa][otpauth]") {
  CHECK(CheckIssuer("RTX \xE2\x80\x93 Support Portal").ok());
  CHECK(CheckIssuer("  Acme  ").ok());
  CHECK(CheckIssuer("A").ok());
  CHECK(CheckIssuer(std::string(64, 'x')).ok());
  CHECK(CheckIssuer(" " + std::string(64, 'x') + "\t").ok());  // trimmed first
  std::string accents;
  for (int i = 0; i < 64; ++i) accents += "\xC3\xA9";  // 64 code points, 128 bytes
  CHECK(CheckIssuer(accents).ok());

  const std::string too_long = "issuer: use 1 to 64 characters";
  CHECK(CheckIssuer("").message() == too_long);
  CHECK(CheckIssuer("   ").message() == too_long);
  CHECK(CheckIssuer("\xE3\x80\x80 \xC2\xA0").message() == too_long);  // Unicode spaces only
  CHECK(CheckIssuer(std::string(65, 'x')).message() == too_long);
  CHECK(CheckIssuer(accents + "e").message() == too_long);

  CHECK(CheckIssuer("Acme:Support").message() == "issuer: must not contain a colon (:)");
  const std::string control = "issuer: must not contain control characters";
  CHECK(CheckIssuer("Acme\tSupport").message() == control);
  CHECK(CheckIssuer("Acme\nSupport").message() == control);
  CHECK(CheckIssuer(std::string("Acme\0", 5) + "x").message() == control);
  CHECK(CheckIssuer("Acme\x7F").message() == control);
  CHECK(CheckIssuer("Acme\xC2\x85Support").message() == control);  // C1 NEL inside
  CHECK(CheckIssuer("Acme\xFF").message() == "issuer: use valid UTF-8 text");
  CHECK(CheckIssuer("\xED\xA0\x80").message() == "issuer: use valid UTF-8 text");
}

TEST_CASE("Issuers are trimmed of ASCII and Unicode white space", "[mfa][otpauth]") {
  CHECK(TrimIssuer("  Acme Support \t") == "Acme Support");
  CHECK(TrimIssuer("\xC2\xA0\xE3\x80\x80"
                   "Acme\xE2\x80\x83") == "Acme");
  CHECK(TrimIssuer("\xC3\xA9t\xC3\xA9 ") == "\xC3\xA9t\xC3\xA9");
  CHECK(TrimIssuer("   ").empty());
  CHECK(TrimIssuer("Acme") == "Acme");
}
