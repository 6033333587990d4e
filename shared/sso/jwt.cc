#include "shared/sso/jwt.h"

#include "shared/core/base64url.h"

namespace deskgate {
namespace {

Result<JsonValue> DecodeObject(std::string_view part, std::string_view what) {
  auto bytes = DecodeBase64Url(part);
  if (!bytes) return Status::Error(std::string(what) + " is not base64url");
  auto value = ParseJson(*bytes);
  if (!value.ok() || !value.value().is_object()) {
    return Status::Error(std::string(what) + " is not a JSON object");
  }
  return value;
}

}  // namespace

Result<Jwt> ParseJwt(std::string_view compact) {
  if (compact.size() > kMaxJwtBytes) return Status::Error("token too large");
  const size_t first = compact.find('.');
  const size_t second = first == std::string_view::npos ? first : compact.find('.', first + 1);
  if (second == std::string_view::npos || compact.find('.', second + 1) != std::string_view::npos) {
    return Status::Error("not a signed token (three parts)");
  }
  auto header = DecodeObject(compact.substr(0, first), "header");
  if (!header.ok()) return header.status();
  auto claims = DecodeObject(compact.substr(first + 1, second - first - 1), "payload");
  if (!claims.ok()) return claims.status();
  auto signature = DecodeBase64Url(compact.substr(second + 1));
  if (!signature) return Status::Error("signature is not base64url");

  Jwt jwt;
  const JsonValue* alg = header.value().Find("alg");
  if (alg == nullptr || !alg->is_string()) return Status::Error("header has no alg");
  jwt.alg = alg->as_string();
  if (const JsonValue* kid = header.value().Find("kid"); kid != nullptr && kid->is_string()) {
    jwt.kid = kid->as_string();
  }
  jwt.signing_input = std::string(compact.substr(0, second));
  jwt.signature = std::move(*signature);
  jwt.claims = std::move(claims).value();
  return jwt;
}

}  // namespace deskgate
