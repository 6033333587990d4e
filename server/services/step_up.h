// Step-up: dangerous changes (the identity provider, someone's second
// factor) need the session's holder to have proved who they are within the
// last few minutes: by the sign-in that completed the session, or by a
// re-authentication (AuthService::Reauthenticate). A stolen session alone
// then cannot make them. The services that guard such changes ask here.
#pragma once

#include <cstdint>

#include "server/store/store.h"
#include "shared/core/status.h"

namespace deskgate::services {

inline constexpr int64_t kStepUpSeconds = 5 * 60;

// OK, or kReauthenticationRequired.
inline Status RequireRecentAuthentication(const store::Session& session, int64_t now) {
  if (session.reauthenticated_at > 0 && now - session.reauthenticated_at <= kStepUpSeconds) {
    return Status::Ok();
  }
  return Status::Of(StatusCode::kReauthenticationRequired,
                    "confirm it is you: enter your password again to make this change");
}

}  // namespace deskgate::services
