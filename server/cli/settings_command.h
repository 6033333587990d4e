// `deskgate settings portal-access --portal agent|contact --mode MODE [--db FILE]`
//
// The way back in when single sign-on fails on a portal that accepts no
// passwords (an expired client secret, a wrong domain list): sets a mode
// that allows password sign-in ("password" or "both" for agents,
// "email_only" or "microsoft_and_email" for contacts), audited. Modes
// without passwords are set from the settings page, after a test sign-in.
// A running server reads settings once: restart it afterwards.
#pragma once

#include <string>
#include <vector>

namespace deskgate::cli {

int RunSettingsCommand(const std::vector<std::string>& args);

}  // namespace deskgate::cli
