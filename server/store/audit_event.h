// AuditEvent: one entry of the audit log as a write hands it to the store,
// which records it in the same transaction as the change it describes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace deskgate::store {

struct AuditEvent {
  int64_t at = 0;
  std::optional<int64_t> actor_id;
  std::string portal;  // "" when not about a portal
  std::string event;   // e.g. "login.success"
  std::string target;  // e.g. the email a failed login named
  std::string ip;
  std::string details = "{}";  // JSON object
};

}  // namespace deskgate::store
