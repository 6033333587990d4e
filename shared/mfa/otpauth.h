// otpauth:// URIs (Google Key Uri Format) and the related display helpers
// for setting up an authenticator app.
//
// The URI always names TOTP with SHA-1, 6 digits and a 30-second period:
// the only parameters every authenticator app honours. Issuer and account
// are percent-encoded byte by byte (RFC 3986 unreserved characters kept),
// so the URI is plain ASCII whatever the names contain.
#pragma once

#include <string>
#include <string_view>

#include "shared/core/status.h"

namespace deskgate {

// otpauth://totp/ISSUER:ACCOUNT?secret=SECRET&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
// `issuer` should have passed CheckIssuer; `base32_secret` is unpadded base32.
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view base32_secret);

// The key in groups of four symbols for typing by hand: "JBSW Y3DP EHPK 3PXP".
std::string GroupedKey(std::string_view base32);

// `issuer` without leading and trailing white space (ASCII and Unicode);
// the form to store and to put in the URI. Invalid UTF-8 is returned as is.
std::string_view TrimIssuer(std::string_view issuer);

// The issuer the settings page may save: valid UTF-8, 1 to 64 code points
// once trimmed, no ':' (it separates issuer from account) and no control
// characters. Messages are sentences the page can show.
Status CheckIssuer(std::string_view issuer);

}  // namespace deskgate
