#include "shared/mfa/mfa_policy.h"

#include <algorithm>

namespace deskgate {

bool MfaChallenge::Offers(const std::string& method) const {
  return std::find(methods.begin(), methods.end(), method) != methods.end();
}

MfaChallenge DecideMfaChallenge(const MfaSettings& settings, const MfaEnrollment& enrollment,
                                SignInMethod method) {
  MfaChallenge challenge;
  if (!settings.enabled() || method == SignInMethod::kSingleSignOn) return challenge;
  const bool app = settings.authenticator_app && enrollment.totp;
  if (app) challenge.methods.push_back("totp");
  if (settings.email_otp) challenge.methods.push_back("email");
  // Recovery codes stand in for the app, so they count only while it is on.
  if (settings.authenticator_app && enrollment.recovery_codes) {
    challenge.methods.push_back("recovery");
  }
  challenge.setup_suggested = settings.authenticator_app && !enrollment.totp;
  // Only the app is on and it is not enrolled (recovery codes left over
  // from an earlier enrollment do not replace enrolling): set it up first.
  if (!app && !settings.email_otp) {
    challenge.step = MfaChallenge::Step::kSetup;
    challenge.methods.clear();
    return challenge;
  }
  challenge.step = MfaChallenge::Step::kVerify;
  return challenge;
}

}  // namespace deskgate
