#include "server/store/session_store.h"

namespace deskgate::store {

const char* SessionStageName(SessionStage stage) {
  switch (stage) {
    case SessionStage::kMfa:
      return "mfa";
    case SessionStage::kMfaSetup:
      return "mfa_setup";
    case SessionStage::kDone:
      break;
  }
  return "done";
}

SessionStage ParseSessionStage(std::string_view name) {
  if (name == "mfa") return SessionStage::kMfa;
  if (name == "mfa_setup") return SessionStage::kMfaSetup;
  return SessionStage::kDone;
}

}  // namespace deskgate::store
