// SessionStore: signed-in sessions, found by the SHA-256 of their token
// (the token itself is never stored).
//
// Thread safety: every method may be called from many threads at once; each
// is atomic (a write that changes several rows does so in one transaction,
// with its audit entry), and a read sees only committed writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/audit_event.h"
#include "server/store/people_store.h"
#include "server/store/portal.h"
#include "shared/core/status.h"

namespace deskgate::store {

// Where a session stands in signing in: complete, or holding only the
// password step and waiting for a second factor or for enrollment.
enum class SessionStage { kDone, kMfa, kMfaSetup };
const char* SessionStageName(SessionStage stage);
SessionStage ParseSessionStage(std::string_view name);

struct Session {
  int64_t id = 0;
  int64_t person_id = 0;
  Portal portal = Portal::kAgent;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  SessionStage stage = SessionStage::kDone;
  bool via_sso = false;  // signed in through the portal's identity provider
  // When its holder last proved who they are: the sign-in that completed
  // it, or a later re-authentication (0: never, a pending sign-in).
  int64_t reauthenticated_at = 0;
};

// A session with the person it belongs to, as one lookup returns them.
struct ActiveSession {
  Session session;
  Person person;
};

struct SessionRow {
  int64_t id = 0;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  std::string ip;
  std::string user_agent;
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  // Sessions are found by the SHA-256 of their token; the token itself is
  // never stored.
  virtual Status CreateSession(const std::string& token_hash, int64_t person_id, Portal portal,
                               SessionStage stage, int64_t now, const std::string& ip,
                               const std::string& user_agent, const AuditEvent& audit) = 0;
  // Marks a session's sign-in complete and gives it a new token (the one
  // that held only the password step stops working).
  virtual Status CompleteSession(int64_t session_id, const std::string& new_token_hash,
                                 const AuditEvent& audit) = 0;
  virtual Result<std::optional<ActiveSession>> FindSession(const std::string& token_hash) = 0;
  virtual Status TouchSession(int64_t session_id, int64_t now) = 0;
  // Records that the session's holder proved who they are again, and audits.
  virtual Status MarkReauthenticated(int64_t session_id, const AuditEvent& audit) = 0;
  // A person's sessions, most recently seen first.
  virtual Result<std::vector<SessionRow>> ListSessions(int64_t person_id) = 0;
  // Ends sessions of `person_id`: the one with `session_id`, or (when
  // `session_id` is 0) all but `keep_id`. Returns how many ended.
  virtual Result<int64_t> EndSessions(int64_t person_id, int64_t session_id, int64_t keep_id,
                                      const AuditEvent& audit) = 0;
  virtual Status DeleteSession(int64_t session_id, const AuditEvent& audit) = 0;
};

}  // namespace deskgate::store
