// Percent-encoding for the URLs and form bodies of OpenID Connect requests.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace deskgate {

using UrlParams = std::vector<std::pair<std::string, std::string>>;

// RFC 3986: everything but unreserved characters (A-Z a-z 0-9 - . _ ~) as %XX.
std::string PercentEncode(std::string_view text);

// name=value pairs joined by '&', each part percent-encoded: a query string
// or an application/x-www-form-urlencoded body.
std::string EncodeParams(const UrlParams& params);

// `url` without trailing slashes ("https://id.example/" → "https://id.example"),
// so configured and discovered issuers compare as the same URL.
std::string WithoutTrailingSlash(std::string url);

// `base` with `params` appended as its query (after '&' if it has one).
std::string AppendQuery(std::string_view base, const UrlParams& params);

}  // namespace deskgate
