#include "server/services/mail_settings.h"

#include <cctype>

#include "server/services/accounts.h"
#include "server/services/permissions.h"
#include "shared/core/json_fields.h"
#include "shared/core/json_writer.h"
#include "shared/core/utf8.h"

namespace deskgate::services {
namespace {

bool HasControl(const std::string& text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// "addr@example.com" or "Display Name <addr@example.com>", one line of text.
bool PlausibleFrom(const std::string& from) {
  if (HasControl(from) || !IsValidUtf8(from)) return false;
  const size_t open = from.rfind('<');
  if (open == std::string::npos) return IsPlausibleEmail(from);
  if (from.back() != '>') return false;
  return IsPlausibleEmail(from.substr(open + 1, from.size() - open - 2));
}

bool PlausibleHost(const std::string& host) {
  if (host.empty() || host.size() > 253) return false;
  for (char c : host) {
    const bool fits = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                      c == ':' || c == '[' || c == ']';
    if (!fits) return false;
  }
  return true;
}

// The settings' fields (never the password), inside an object the caller opened.
void WriteSettingsFields(JsonWriter& w, const store::MailSettingsRow& row) {
  w.Key("host").String(row.host).Key("port").Int(row.port);
  w.Key("starttls").Bool(row.starttls).Key("username").String(row.username);
  w.Key("password_set").Bool(!row.password.empty()).Key("from").String(row.from);
}

std::string SettingsDetails(const store::MailSettingsRow& row) {
  JsonWriter w;
  w.BeginObject();
  WriteSettingsFields(w, row);
  return w.EndObject().Take();
}

}  // namespace

Status MailSettings::RequireAdministrator(const store::Person& person) const {
  if (PermissionsOf(person).administrator) return Status::Ok();
  return Status::Of(StatusCode::kPermissionDenied, "only Administrators manage mail settings");
}

Result<std::optional<mail::SmtpConfig>> MailSettings::StoredConfig() {
  auto row = store_.GetMailSettings();
  if (!row.ok()) return row.status();
  if (!row.value()) return std::optional<mail::SmtpConfig>();
  const store::MailSettingsRow& r = *row.value();
  mail::SmtpConfig config;
  config.host = r.host;
  config.port = static_cast<int>(r.port);
  config.starttls = r.starttls;
  config.username = r.username;
  if (!r.password.empty()) {
    auto password = box_.Open(r.password);
    if (!password.ok()) return password.status();
    config.password = std::string(password.value().view());
  }
  config.from = r.from;
  config.ca_file = ca_file_;
  return std::optional<mail::SmtpConfig>(std::move(config));
}

Status MailSettings::Start(bool set_by_flags, std::string ca_file) {
  set_by_flags_ = set_by_flags;
  ca_file_ = std::move(ca_file);
  if (set_by_flags_) return Status::Ok();
  auto config = StoredConfig();
  if (!config.ok()) return config.status();
  outbox_.Configure(std::move(config).value());
  return Status::Ok();
}

MailHealth MailSettings::Health() {
  MailHealth health;
  health.configured = outbox_.configured();
  auto delivery = store_.MailDeliveryState(clock_.Now());
  if (!delivery.ok()) return health;
  health.delivered = delivery.value().last_delivered_at.has_value();
  health.last_error = delivery.value().last_error;
  health.waiting = delivery.value().waiting;
  return health;
}

Result<std::string> MailSettings::Json(const store::Person& viewer) {
  if (Status s = RequireAdministrator(viewer); !s.ok()) return s;
  auto row = store_.GetMailSettings();
  if (!row.ok()) return row.status();
  auto delivery = store_.MailDeliveryState(clock_.Now());
  if (!delivery.ok()) return delivery.status();
  JsonWriter w;
  w.BeginObject().Key("source").String(set_by_flags_ ? "command_line"
                                       : row.value() ? "settings"
                                                     : "none");
  w.Key("configured").Bool(outbox_.configured());
  w.Key("settings");
  if (row.value() && !set_by_flags_) {
    const store::MailSettingsRow& r = *row.value();
    w.BeginObject();
    WriteSettingsFields(w, r);
    w.Key("tested_at").OptionalInt(r.tested_at).Key("test_error").String(r.test_error);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("delivery").BeginObject();
  w.Key("last_delivered_at").OptionalInt(delivery.value().last_delivered_at);
  w.Key("last_error").String(delivery.value().last_error);
  w.Key("waiting").Int(delivery.value().waiting).EndObject();
  return w.EndObject().Take();
}

Status MailSettings::Put(const store::Person& admin, const JsonValue& body, const std::string& ip) {
  if (Status s = RequireAdministrator(admin); !s.ok()) return s;
  if (set_by_flags_) {
    return Status::Of(StatusCode::kConflict,
                      "mail is set by the server's --smtp-* options: change them there");
  }
  if (Status s = CheckObject(body, "mail settings",
                             {"host", "port", "starttls", "username", "password", "from"});
      !s.ok()) {
    return s;
  }
  auto current = store_.GetMailSettings();
  if (!current.ok()) return current.status();
  store::MailSettingsRow row;
  std::string password;
  bool password_given = false;
  std::vector<std::string> problems;  // every bad field at once
  const auto note = [&](Status s) {
    if (!s.ok()) problems.push_back(s.message());
  };
  note(ReadString(body, "host", 253, row.host));
  int port = 587;
  note(ReadInt(body, "port", {1, 65535}, port));
  row.port = port;
  note(ReadBool(body, "starttls", row.starttls));
  note(ReadString(body, "username", 254, row.username));
  if (body.Find("password") && !body.Find("password")->is_null()) {
    password_given = true;
    note(ReadString(body, "password", 1024, password));
  }
  note(ReadString(body, "from", 320, row.from));
  if (!PlausibleHost(row.host)) problems.push_back("host: the mail server's name or address");
  if (HasControl(row.username) || !IsValidUtf8(row.username)) {
    problems.push_back("username: one line of text");
  }
  if (!PlausibleFrom(row.from)) {
    problems.push_back(
        "from: an address such as helpdesk@example.com or Helpdesk <helpdesk@example.com>");
  }
  if (!problems.empty()) {
    std::string message;
    for (const std::string& p : problems) {
      if (!message.empty()) message += '\n';
      message += p;
    }
    return Status::Error(message);
  }
  if (password_given) {
    row.password = password.empty() ? std::vector<uint8_t>() : box_.Seal(password);
  } else if (current.value()) {
    row.password = current.value()->password;  // kept
  }
  row.updated_at = clock_.Now();
  if (Status s =
          store_.PutMailSettings(row, {row.updated_at, admin.id, "agent", "mail.settings_changed",
                                       row.host, ip, SettingsDetails(row)});
      !s.ok()) {
    return s;
  }
  auto config = StoredConfig();
  if (!config.ok()) return config.status();
  outbox_.Configure(std::move(config).value());
  outbox_.Wake();
  return Status::Ok();
}

Status MailSettings::Delete(const store::Person& admin, const std::string& ip) {
  if (Status s = RequireAdministrator(admin); !s.ok()) return s;
  if (set_by_flags_) {
    return Status::Of(StatusCode::kConflict,
                      "mail is set by the server's --smtp-* options: change them there");
  }
  if (Status s = store_.DeleteMailSettings(
          {clock_.Now(), admin.id, "agent", "mail.settings_removed", "", ip, "{}"});
      !s.ok()) {
    return s;
  }
  outbox_.Configure(std::nullopt);
  return Status::Ok();
}

Result<std::string> MailSettings::SendTest(const store::Person& admin, const std::string& to,
                                           const std::string& ip) {
  if (Status s = RequireAdministrator(admin); !s.ok()) return s;
  const std::string recipient = to.empty() ? admin.email : to;
  if (!IsPlausibleEmail(recipient)) return Status::Error("to: not a valid email address");
  if (set_by_flags_) {
    return Status::Of(
        StatusCode::kConflict,
        "mail is set by the server's --smtp-* options: the outbox shows what it sends");
  }
  auto config = StoredConfig();
  if (!config.ok()) return config.status();
  if (!config.value()) {
    return Status::Of(StatusCode::kConflict, "save the mail server's settings first");
  }
  const mail::SmtpSender sender(*config.value());
  const Status sent = sender.Send(
      {recipient, "deskgate test email",
       "This is a test message from deskgate. Mail from deskgate reaches you: sign-in codes,\r\n"
       "invitations and password links will arrive the same way.\r\n"},
      "");
  const int64_t now = clock_.Now();
  JsonWriter details;
  details.BeginObject().Key("to").String(recipient).Key("error").String(sent.message());
  if (Status s = store_.RecordMailTest(
          now, sent.message(),
          {now, admin.id, "agent", sent.ok() ? "mail.test_sent" : "mail.test_failed", recipient, ip,
           details.EndObject().Take()});
      !s.ok()) {
    return s;
  }
  return sent.message();
}

}  // namespace deskgate::services
