// MfaPolicy: what a person who just proved their password is asked next,
// given the portal's MFA settings and what they have enrolled.
//
// Pure rules, shared by the server's login flow and its tests: the
// challenge offers only enabled methods, the app first, and a person not
// yet enrolled in the app may still sign in by email while being nudged to
// enroll. With the app as the only method and no enrollment, they must
// enroll before anything else.
#pragma once

#include <string>
#include <vector>

#include "shared/mfa/mfa_settings.h"

namespace deskgate {

// What the person has enrolled, as far as the challenge cares.
struct MfaEnrollment {
  bool totp = false;            // an authenticator app is enrolled
  bool recovery_codes = false;  // at least one unused recovery code
};

// How the person proved who they are. Single sign-on skips MFA: the
// identity provider applies its own.
enum class SignInMethod { kPassword, kSingleSignOn };

struct MfaChallenge {
  enum class Step { kNone, kVerify, kSetup };
  Step step = Step::kNone;
  // "totp", "email", "recovery": the methods the challenge may offer, most
  // preferred first. Empty unless step is kVerify.
  std::vector<std::string> methods;
  // The app is on but not enrolled: after signing in by email, offer enrollment.
  bool setup_suggested = false;

  bool Offers(const std::string& method) const;
};

MfaChallenge DecideMfaChallenge(const MfaSettings& settings, const MfaEnrollment& enrollment,
                                SignInMethod method = SignInMethod::kPassword);

}  // namespace deskgate
