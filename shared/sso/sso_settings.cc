#include "shared/sso/sso_settings.h"

#include <algorithm>
#include <cctype>

#include "shared/core/char_class.h"
#include "shared/core/json_fields.h"
#include "shared/core/json_writer.h"
#include "shared/core/url_encoding.h"
#include "shared/sso/id_token.h"

namespace deskgate {
namespace {

constexpr size_t kMaxListEntries = 50;

// A DNS name with at least one dot: letters, digits, hyphens, dots.
bool IsDomain(std::string_view text) {
  if (text.empty() || text.size() > 253 || text.find('.') == std::string_view::npos) return false;
  if (text.front() == '.' || text.back() == '.' || text.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.'; });
}

// An https URL without query or fragment; outbound requests refuse others.
bool IsHttpsUrl(std::string_view text) {
  constexpr std::string_view kScheme = "https://";
  if (text.size() <= kScheme.size() || text.size() > 512 ||
      text.substr(0, kScheme.size()) != kScheme) {
    return false;
  }
  return std::none_of(text.begin(), text.end(), [](unsigned char c) {
    return c <= ' ' || c >= 0x7f || c == '?' || c == '#' || c == '"' || c == '<' || c == '>' ||
           c == '\\';
  });
}

bool IsClientId(std::string_view text) {
  return !text.empty() && text.size() <= 255 &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return c > ' ' && c < 0x7f; });
}

// A list of strings, each passing `valid`, lower-cased, duplicates dropped.
Status ReadList(const JsonValue& body, std::string_view key, bool (*valid)(std::string_view),
                std::string_view what, std::vector<std::string>& out) {
  const JsonValue* v = body.Find(key);
  if (v == nullptr || v->is_null()) return Status::Ok();
  const std::string name(key);
  if (!v->is_array()) return Status::Error(name + ": must be a list");
  if (v->items().size() > kMaxListEntries) {
    return Status::Error(name + ": at most " + std::to_string(kMaxListEntries) + " entries");
  }
  out.clear();
  for (const JsonValue& item : v->items()) {
    if (!item.is_string() || !valid(item.as_string())) {
      return Status::Error(name + ": each entry must be " + std::string(what));
    }
    std::string entry = LowerAscii(item.as_string());
    if (std::find(out.begin(), out.end(), entry) == out.end()) out.push_back(std::move(entry));
  }
  return Status::Ok();
}

Status CheckEntra(const SsoSettings& s) {
  if (!IsTenantId(s.tenant) && !IsDomain(s.tenant) && s.tenant != "organizations" &&
      s.tenant != "common") {
    return Status::Error(
        "tenant: the directory (tenant) id, a verified domain, \"organizations\" or \"common\"");
  }
  if (!IsHttpsUrl(s.authority)) return Status::Error("authority: must be an https URL");
  if (!s.issuer.empty()) return Status::Error("issuer: only for kind \"oidc\"; Entra uses tenant");
  return Status::Ok();
}

Status CheckOidc(const SsoSettings& s) {
  if (!IsHttpsUrl(s.issuer)) {
    return Status::Error("issuer: the provider's issuer URL, starting with https://");
  }
  if (!s.tenant.empty()) return Status::Error("tenant: only for kind \"entra\"");
  return Status::Ok();
}

}  // namespace

std::string SsoSettings::DiscoveryUrl() const {
  const std::string base = kind == "entra"
                               ? WithoutTrailingSlash(authority) + "/" + tenant + "/v2.0"
                               : WithoutTrailingSlash(issuer);
  return base + "/.well-known/openid-configuration";
}

std::string_view SsoSettings::ButtonLabel() const {
  return kind == "entra" ? "Microsoft" : "single sign-on";
}

bool SsoSettings::SameProviderAs(const SsoSettings& before) const {
  return kind == before.kind && tenant == before.tenant && authority == before.authority &&
         issuer == before.issuer && client_id == before.client_id;
}

Result<SsoSettings> ParseSsoSettings(std::string_view json, bool contact_portal) {
  auto body = ParseJson(json);
  if (!body.ok()) return Status::Error("provider: " + body.error());
  return SsoSettingsFromJson(body.value(), contact_portal);
}

Result<SsoSettings> SsoSettingsFromJson(const JsonValue& b, bool contact_portal) {
  if (Status st =
          CheckObject(b, "provider",
                      {"kind", "tenant", "authority", "issuer", "client_id", "client_secret",
                       "allowed_tenants", "allowed_domains", "create_contacts", "link_by_email"});
      !st.ok()) {
    return st;
  }
  SsoSettings s;
  for (Status st :
       {ReadString(b, "kind", 16, s.kind), ReadString(b, "tenant", 253, s.tenant),
        ReadString(b, "authority", 512, s.authority), ReadString(b, "issuer", 512, s.issuer),
        ReadString(b, "client_id", 255, s.client_id),
        ReadString(b, "client_secret", 1024, s.client_secret),
        ReadBool(b, "create_contacts", s.create_contacts),
        ReadBool(b, "link_by_email", s.link_by_email)}) {
    if (!st.ok()) return st;
  }
  if (Status st =
          ReadList(b, "allowed_tenants", IsTenantId, "a tenant id (GUID)", s.allowed_tenants);
      !st.ok()) {
    return st;
  }
  if (Status st = ReadList(b, "allowed_domains", IsDomain, "a domain name such as example.com",
                           s.allowed_domains);
      !st.ok()) {
    return st;
  }
  s.tenant = LowerAscii(s.tenant);
  s.authority = WithoutTrailingSlash(s.authority);
  if (s.kind != "entra" && s.kind != "oidc") return Status::Error("kind: must be entra or oidc");
  if (Status st = s.kind == "entra" ? CheckEntra(s) : CheckOidc(s); !st.ok()) return st;
  if (!IsClientId(s.client_id)) {
    return Status::Error("client_id: required; the application (client) id from the provider");
  }
  if (s.create_contacts && !contact_portal) {
    return Status::Error("create_contacts: agents are never created by single sign-on");
  }
  return s;
}

std::string SsoSettingsToJson(const SsoSettings& s) {
  JsonWriter w;
  w.BeginObject().Key("kind").String(s.kind).Key("tenant").String(s.tenant);
  w.Key("authority").String(s.authority).Key("issuer").String(s.issuer);
  w.Key("client_id").String(s.client_id).Key("allowed_tenants").BeginArray();
  for (const std::string& t : s.allowed_tenants) w.String(t);
  w.EndArray().Key("allowed_domains").BeginArray();
  for (const std::string& d : s.allowed_domains) w.String(d);
  w.EndArray().Key("create_contacts").Bool(s.create_contacts);
  w.Key("link_by_email").Bool(s.link_by_email);
  return w.EndObject().Take();
}

}  // namespace deskgate
