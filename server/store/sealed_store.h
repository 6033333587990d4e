// SealedStore: every value sealed under the master key (TOTP secrets,
// recovery codes, SSO client secrets and sign-in attempts, the mail
// server's password, queued mail bodies, the setup link), for checking a
// key against a database (deskgate verify) and re-sealing them all under a
// new one (deskgate rotate-key). The database also records which key it is
// sealed under, by a fingerprint that does not reveal the key.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/core/status.h"

namespace deskgate::store {

// Gives a sealed value's replacement, or an error that aborts the change.
using Reseal = std::function<Result<std::vector<uint8_t>>(const std::vector<uint8_t>& sealed)>;

class SealedStore {
 public:
  virtual ~SealedStore() = default;

  // Calls `visit` with each sealed value and where it is ("outbox.body");
  // wiped and absent values are skipped. One snapshot.
  virtual Status ForEachSealed(
      const std::function<void(std::string_view where, const std::vector<uint8_t>& sealed)>&
          visit) = 0;
  // Replaces every sealed value with `reseal` of it, deletes the emailed
  // sign-in codes (their digests are keyed by the old key; people ask for
  // a new one) and records `fingerprint` — all in one transaction.
  virtual Status ResealAll(const Reseal& reseal, const std::string& fingerprint) = 0;
  // The fingerprint of the key the database is sealed under (nullopt before
  // any was recorded), and recording one where none is.
  virtual Result<std::optional<std::string>> KeyFingerprint() = 0;
  virtual Status RecordKeyFingerprint(const std::string& fingerprint) = 0;
};

}  // namespace deskgate::store
