#include "server/http/mfa_routes.h"
#include "server/observe/metrics.h"

#include "server/http/api_routes.h"
#include "server/http/error_response.h"
#include "server/http/http_server.h"
#include "server/http/json_request.h"
#include "server/services/accounts.h"
#include "server/services/settings_service.h"
#include "shared/core/json_writer.h"
#include "shared/mfa/recovery_code.h"

namespace deskgate::http {
namespace {

constexpr const char* kPortalPrefix = R"(/api/(agent|contact)/mfa/)";
// A pending sign-in that is gone (15 minutes passed, or it completed) is
// told apart from a wrong code by "sign_in_again", so the page can go back
// to the password step instead of asking for another code.
void SendSignInAgain(httplib::Response& res) {
  res.status = 401;
  res.set_content(R"({"error":"Your sign-in has expired. Sign in again.","sign_in_again":true})",
                  "application/json");
}

store::Portal PortalOf(const httplib::Request& req) {
  return *store::ParsePortal(req.matches[1].str());
}

void WriteCodes(JsonWriter& w, const std::vector<std::string>& codes) {
  w.Key("recovery_codes").BeginArray();
  for (const std::string& c : codes) w.String(c);
  w.EndArray();
}

// A completed sign-in: the new cookie and where the person goes next.
void SendSignedIn(const Site& site, httplib::Response& res, const services::MfaOutcome& o) {
  if (!o.session_token.empty()) SetSessionCookie(site, res, o.session_token, false);
  JsonWriter w;
  w.BeginObject()
      .Key("status")
      .String(o.sign_in_status)
      .Key("setup_suggested")
      .Bool(o.setup_suggested);
  if (!o.recovery_codes.empty()) WriteCodes(w, o.recovery_codes);
  SendJson(res, w.EndObject().Take());
}

// Who may enroll: a signed-in person of this portal, a sign-in that is
// waiting at the enrollment step, or one waiting for an email code on a
// deskgate with no mail server (the service still refuses anyone enrolled
// already). Wherever mail is set up, the email code comes first and the
// app is offered after it.
std::optional<store::ActiveSession> Enroller(const Site& site, services::AuthService& auth,
                                             services::MfaService& mfa,
                                             services::MailSettings& mail,
                                             const httplib::Request& req, httplib::Response& res) {
  const std::string token = SessionToken(site, req);
  if (auto signed_in = auth.Authenticate(token, site.ClientAddress(req))) {
    if (signed_in->person.portal == PortalOf(req)) return signed_in;
  } else if (auto pending = mfa.Pending(token, PortalOf(req))) {
    if (pending->session.stage == store::SessionStage::kMfaSetup) return pending;
    // Only while no mail server is set at all: email codes then protect
    // nobody and lock everyone out, so the app is no weaker. Mail that is
    // set but failing (a stuck message) never opens this door.
    if (pending->session.stage == store::SessionStage::kMfa && !mail.Configured()) {
      return pending;
    }
  }
  SendSignInAgain(res);
  return std::nullopt;
}

// The person id in an admin route (0, which matches nobody, when it is
// not a valid id).
int64_t TargetId(const httplib::Request& req) {
  return ParseId(req.matches[1].str()).value_or(0);
}

// The signed-in person if they hold the MFA recovery permission.
std::optional<services::SessionInfo> RequireMfaAdmin(const Site& site, services::AuthService& auth,
                                                     const httplib::Request& req,
                                                     httplib::Response& res) {
  auto info = RequireSession(site, auth, req, res);
  if (!info) return std::nullopt;
  if (!services::MfaService::CanManageMfa(info->person)) {
    SendError(res, 403, "you do not have Access to Agent Recovery Code and Reset MFA");
    return std::nullopt;
  }
  return info;
}

void InstallSignInRoutes(httplib::Server& server, const Site& site, services::MfaService& mfa,
                         mail::OutboxSender& outbox, services::MailSettings& mail) {
  server.Post(std::string(kPortalPrefix) + "verify",
              [&](const httplib::Request& req, httplib::Response& res) {
                if (!AcceptJson(req, res)) return;
                auto body = JsonBody(req, res);
                if (!body) return;
                auto method = StringField(*body, "method", 16, res);
                if (!method) return;
                auto code = StringField(*body, "code", 64, res);
                if (!code) return;
                auto pending = mfa.Pending(SessionToken(site, req), PortalOf(req));
                if (!pending) return SendSignInAgain(res);
                const auto o = mfa.Verify(*pending, *method, *code, site.ClientAddress(req));
                const bool known = *method == "totp" || *method == "email" || *method == "recovery";
                observe::Count(observe::Counter::kMfaVerifications,
                               {known ? *method : std::string("other"),
                                o.ok() ? "success" : observe::OutcomeOf(o.status.code())});
                if (!o.ok()) return SendStatus(res, o.status);
                SendSignedIn(site, res, o);
              });

  server.Post(std::string(kPortalPrefix) + "email/send",
              [&](const httplib::Request& req, httplib::Response& res) {
                if (!AcceptJson(req, res)) return;
                auto pending = mfa.Pending(SessionToken(site, req), PortalOf(req));
                if (!pending) return SendSignInAgain(res);
                const auto o = mfa.SendEmailCode(*pending, site.ClientAddress(req));
                if (!o.ok()) return SendStatus(res, o.status);
                outbox.Wake();
                JsonWriter w;
                w.BeginObject().Key("sent_to").String(o.sent_to);
                w.Key("expires_in").Int(services::MfaService::kEmailCodeLifetime);
                w.Key("resend_after").Int(services::MfaService::kEmailResendAfter);
                SendJson(res, w.EndObject().Take());
              });

  // Whether an emailed code can be expected, for a sign-in at its second
  // step: the page says "sent" only when mail is known to work, and offers
  // the app's setup when the code may never come.
  server.Get(std::string(kPortalPrefix) + "email/delivery", [&](const httplib::Request& req,
                                                                httplib::Response& res) {
    auto pending = mfa.Pending(SessionToken(site, req), PortalOf(req));
    if (!pending) return SendSignInAgain(res);
    const std::string delivery = mail.Health().Delivery();
    auto status = mfa.StatusOf(pending->person);
    if (!status.ok()) return SendStatus(res, status.status());
    // As Enroller allows: only where no mail server is set.
    const bool can_enroll_app = !mail.Configured() && status.value().settings.authenticator_app &&
                                !status.value().totp_enrolled;
    JsonWriter w;
    w.BeginObject().Key("delivery").String(delivery);
    w.Key("can_enroll_app").Bool(can_enroll_app);
    SendJson(res, w.EndObject().Take());
  });
}

void InstallEnrollmentRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                             services::MfaService& mfa, services::MailSettings& mail,
                             services::Notices& notices) {
  server.Post(std::string(kPortalPrefix) + "totp/setup",
              [&](const httplib::Request& req, httplib::Response& res) {
                if (!AcceptJson(req, res)) return;
                // The body is optional: {"current_code"} when moving to a new phone.
                std::string current_code;
                if (!req.body.empty()) {
                  auto body = JsonBody(req, res);
                  if (!body) return;
                  if (body->Find("current_code") != nullptr) {
                    auto code = StringField(*body, "current_code", 64, res);
                    if (!code) return;
                    current_code = *code;
                  }
                }
                auto who = Enroller(site, auth, mfa, mail, req, res);
                if (!who) return;
                const auto o = mfa.StartTotpSetup(*who, current_code, site.ClientAddress(req));
                if (!o.ok()) return SendStatus(res, o.status);
                JsonWriter w;
                w.BeginObject().Key("secret").String(o.setup->secret);
                w.Key("grouped_key").String(o.setup->grouped_key);
                w.Key("otpauth_uri").String(o.setup->otpauth_uri);
                SendJson(res, w.EndObject().Take());
              });

  server.Post(std::string(kPortalPrefix) + "totp/confirm", [&](const httplib::Request& req,
                                                               httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto body = JsonBody(req, res);
    if (!body) return;
    auto code = StringField(*body, "code", 64, res);
    if (!code) return;
    auto who = Enroller(site, auth, mfa, mail, req, res);
    if (!who) return;
    const auto o = mfa.ConfirmTotp(*who, *code, site.ClientAddress(req));
    if (!o.ok()) return SendStatus(res, o.status);
    notices.AccountChanged(who->person, "A new authenticator app was set up for your account",
                           services::Notices::By::kThemselves);
    SendSignedIn(site, res, o);
  });
}

void InstallOwnRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                      services::MfaService& mfa, services::Notices& notices) {
  server.Get("/api/mfa", [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res, true);
    if (!me) return;
    auto status = mfa.StatusOf(me->person);
    if (!status.ok()) return SendStatus(res, status.status());
    const services::MfaStatus& s = status.value();
    JsonWriter w;
    w.BeginObject().Key("methods").BeginObject();
    w.Key("authenticator_app").Bool(s.settings.authenticator_app);
    w.Key("email_otp").Bool(s.settings.email_otp).EndObject();
    w.Key("totp").BeginObject().Key("enrolled").Bool(s.totp_enrolled);
    w.Key("enrolled_at").Int(s.enrolled_at).EndObject();
    w.Key("recovery_codes").BeginObject().Key("remaining").Int(s.recovery_codes_remaining);
    w.Key("per_set").Int(kRecoveryCodeCount);
    w.Key("low").Bool(s.totp_enrolled &&
                      s.recovery_codes_remaining <= services::MfaService::kRecoveryCodesLow);
    w.EndObject().Key("recovery_request").BeginObject();
    w.Key("last_requested_at").Int(s.last_recovery_request);
    w.Key("next_allowed_at")
        .Int(s.last_recovery_request == 0
                 ? 0
                 : s.last_recovery_request + services::MfaService::kRecoveryRequestInterval);
    w.EndObject();
    SendJson(res, w.EndObject().Take());
  });

  // Also open to a sign-in stuck at the second factor: that is where
  // someone who lost their phone and their codes finds themselves.
  server.Post(
      "/api/mfa/recovery-request", [&](const httplib::Request& req, httplib::Response& res) {
        if (!AcceptJson(req, res)) return;
        const std::string token = SessionToken(site, req);
        std::optional<store::ActiveSession> who = auth.Authenticate(token, site.ClientAddress(req));
        for (store::Portal p : {store::Portal::kAgent, store::Portal::kContact}) {
          if (!who) who = mfa.Pending(token, p);
        }
        if (!who) return SendError(res, 401, "not signed in");
        const auto o = mfa.RequestRecovery(who->person, site.ClientAddress(req));
        if (!o.ok()) return SendStatus(res, o.status);
        notices.RecoveryRequested(who->person);
        SendJson(res, R"({"status":"requested"})", 201);
      });
}

// Tells the person `id` (when they exist) of a change to their account.
void TellPerson(services::Notices& notices, store::PeopleStore& people, int64_t id,
                const std::string& what) {
  auto person = people.PersonById(id);
  if (person.ok() && person.value()) {
    notices.AccountChanged(*person.value(), what, services::Notices::By::kSomeoneElse);
  }
}

void InstallAdminRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                        services::MfaService& mfa, services::Notices& notices,
                        store::PeopleStore& people) {
  server.Get("/api/mfa/recovery-requests",
             [&](const httplib::Request& req, httplib::Response& res) {
               if (!RequireMfaAdmin(site, auth, req, res)) return;
               auto rows = mfa.PendingRequests();
               if (!rows.ok()) return SendStatus(res, rows.status());
               JsonWriter w;
               w.BeginObject().Key("requests").BeginArray();
               for (const store::RecoveryRequestRow& r : rows.value()) {
                 w.BeginObject().Key("id").Int(r.id).Key("person_id").Int(r.person_id);
                 w.Key("email").String(r.email).Key("name").String(r.name);
                 w.Key("portal").String(store::PortalName(r.portal));
                 w.Key("requested_at").Int(r.requested_at).EndObject();
               }
               w.EndArray();
               SendJson(res, w.EndObject().Take());
             });

  server.Get("/api/people/lookup", [&](const httplib::Request& req, httplib::Response& res) {
    auto admin = RequireMfaAdmin(site, auth, req, res);
    if (!admin) return;
    const auto portal = store::ParsePortal(req.get_param_value("portal"));
    if (!portal) return SendError(res, 400, "portal: must be agent or contact");
    const std::string email = req.get_param_value("email");
    if (email.empty() || email.size() > 254) return SendError(res, 400, "email: required");
    auto found = mfa.Lookup(admin->person, *portal, email);
    if (!found.ok()) return SendStatus(res, found.status());
    const auto& [p, status] = found.value();
    JsonWriter w;
    w.BeginObject().Key("id").Int(p.id).Key("email").String(p.email).Key("name").String(p.name);
    w.Key("portal").String(store::PortalName(p.portal));
    w.Key("totp_enrolled").Bool(status.totp_enrolled);
    w.Key("recovery_codes_remaining").Int(status.recovery_codes_remaining);
    // Whether this viewer may act on them, and if not why, so the page can
    // disable the actions and say so instead of failing on a click.
    const auto why_not = services::MfaService::WhyNotHandle(admin->person, p);
    w.Key("can_handle").Bool(!why_not);
    if (why_not) w.Key("cannot_handle_reason").String(*why_not);
    SendJson(res, w.EndObject().Take());
  });

  const std::string codes_path = R"(/api/people/(\d+)/mfa/recovery-codes)";
  server.Get(codes_path, [&](const httplib::Request& req, httplib::Response& res) {
    auto admin = RequireMfaAdmin(site, auth, req, res);
    if (!admin) return;
    const auto o = mfa.ViewRecoveryCodes(*admin, TargetId(req), site.ClientAddress(req));
    if (!o.ok()) return SendStatus(res, o.status);
    TellPerson(notices, people, TargetId(req),
               "An administrator (" + admin->person.email + ") viewed your recovery codes");
    JsonWriter w;
    w.BeginObject();
    WriteCodes(w, o.recovery_codes);
    SendJson(res, w.EndObject().Take());
  });

  server.Post(codes_path, [&](const httplib::Request& req, httplib::Response& res) {
    if (!AcceptJson(req, res)) return;
    auto admin = RequireMfaAdmin(site, auth, req, res);
    if (!admin) return;
    const auto o = mfa.RegenerateRecoveryCodes(*admin, TargetId(req), site.ClientAddress(req));
    if (!o.ok()) return SendStatus(res, o.status);
    TellPerson(notices, people, TargetId(req),
               "An administrator (" + admin->person.email +
                   ") issued you new recovery codes; your earlier ones no longer work");
    JsonWriter w;
    w.BeginObject();
    WriteCodes(w, o.recovery_codes);
    SendJson(res, w.EndObject().Take());
  });

  server.Post(R"(/api/people/(\d+)/mfa/reset)",
              [&](const httplib::Request& req, httplib::Response& res) {
                if (!AcceptJson(req, res)) return;
                auto admin = RequireMfaAdmin(site, auth, req, res);
                if (!admin) return;
                const auto o = mfa.Reset(*admin, TargetId(req), site.ClientAddress(req));
                if (!o.ok()) return SendStatus(res, o.status);
                TellPerson(notices, people, TargetId(req),
                           "An administrator (" + admin->person.email +
                               ") reset your multi-factor authentication: you set it up again at "
                               "your next sign-in");
                SendJson(res, R"({"status":"reset"})");
              });
}

const char* MailState(const store::OutboxRow& row, int64_t now) {
  if (row.sent_at != 0) return "sent";
  return row.expires_at <= now ? "expired" : "queued";
}

void InstallOutboxRoute(httplib::Server& server, const Site& site, services::AuthService& auth,
                        mail::OutboxSender& outbox) {
  server.Get("/api/outbox", [&](const httplib::Request& req, httplib::Response& res) {
    auto me = RequireSession(site, auth, req, res);
    if (!me) return;
    if (!services::CanManageAuthentication(me->person)) {
      return SendError(res, 403, "you do not have Access to Agent & Contact Authentication");
    }
    auto rows = outbox.Recent(200);
    if (!rows.ok()) return SendStatus(res, rows.status());
    const int64_t now = auth.Now();
    JsonWriter w;
    w.BeginObject().Key("smtp_configured").Bool(outbox.configured());
    w.Key("messages").BeginArray();
    for (const store::OutboxRow& r : rows.value()) {
      w.BeginObject().Key("id").Int(r.id).Key("recipient").String(r.recipient);
      w.Key("subject").String(r.subject).Key("created_at").Int(r.created_at);
      w.Key("expires_at").Int(r.expires_at).Key("attempts").Int(r.attempts);
      w.Key("next_attempt_at").Int(r.next_attempt_at).Key("sent_at").Int(r.sent_at);
      w.Key("last_error").String(r.last_error).Key("state").String(MailState(r, now));
      w.EndObject();
    }
    w.EndArray();
    SendJson(res, w.EndObject().Take());
  });
}

}  // namespace

void InstallMfaRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                      services::MfaService& mfa, mail::OutboxSender& outbox,
                      services::MailSettings& mail, services::Notices& notices,
                      store::PeopleStore& people) {
  InstallSignInRoutes(server, site, mfa, outbox, mail);
  InstallEnrollmentRoutes(server, site, auth, mfa, mail, notices);
  InstallOwnRoutes(server, site, auth, mfa, notices);
  InstallAdminRoutes(server, site, auth, mfa, notices, people);
  InstallOutboxRoute(server, site, auth, outbox);
}

}  // namespace deskgate::http
