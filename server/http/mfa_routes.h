// The /api routes of multi-factor authentication (docs/mfa.md): the second
// step of sign-in, enrollment, the person's own MFA status, recovery
// requests, administrators' recovery tools and the outbox.
#pragma once

#include <httplib.h>

#include "server/http/site.h"
#include "server/mail/outbox_sender.h"
#include "server/services/auth_service.h"
#include "server/services/mail_settings.h"
#include "server/services/mfa_service.h"
#include "server/services/notices.h"

namespace deskgate::http {

void InstallMfaRoutes(httplib::Server& server, const Site& site, services::AuthService& auth,
                      services::MfaService& mfa, mail::OutboxSender& outbox,
                      services::MailSettings& mail, services::Notices& notices,
                      store::PeopleStore& people);

}  // namespace deskgate::http
