// AuditStore: the audit log — who did what, when, from where.
//
// Thread safety: every method may be called from many threads at once; each
// is atomic (a write that changes several rows does so in one transaction,
// with its audit entry), and a read sees only committed writes.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "server/store/audit_event.h"
#include "shared/core/status.h"

namespace deskgate::store {

struct AuditFilter {
  std::string person;  // an email: events by or about them; "" = anyone
  std::string event;   // an event name or a prefix ending in "." ("login."); "" = all
  int64_t from = 0;    // Unix seconds, inclusive; 0 = no bound
  int64_t to = 0;      // exclusive; 0 = no bound
  int limit = 100;
  int offset = 0;
};

struct AuditRow {
  int64_t id = 0;
  int64_t at = 0;
  std::string actor;  // the actor's email, or ""
  std::string portal;
  std::string event;
  std::string target;
  std::string ip;
  std::string details;
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  virtual Status Audit(const AuditEvent& event) = 0;
  virtual Result<int64_t> CountAudit(const std::string& event) = 0;
  // Matching entries, newest first, and how many match in all.
  virtual Result<std::pair<std::vector<AuditRow>, int64_t>> QueryAudit(const AuditFilter& f) = 0;
};

}  // namespace deskgate::store
