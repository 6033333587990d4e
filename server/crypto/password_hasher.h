// PasswordHasher: Argon2id password hashes (libsodium crypto_pwhash_str).
//
// Parameters follow OWASP's Argon2id guidance (m = 19 MiB, t = 2), about
// 20 ms per hash here. At most `max_concurrent` hashes run at once; further
// callers wait, so a login flood queues instead of exhausting memory
// (each hash holds its 19 MiB while it runs).
#pragma once

#include <atomic>
#include <cstdint>
#include <semaphore>
#include <string>
#include <string_view>

#include "shared/core/status.h"

namespace deskgate::crypto {

class PasswordHasher {
 public:
  explicit PasswordHasher(int max_concurrent);

  Result<std::string> Hash(std::string_view password);
  // Constant-time verification (libsodium compares in constant time).
  // A `hash` that is not an Argon2id hash verifies nothing, after the same
  // work as a real one, so no refusal is faster than another.
  bool Verify(std::string_view password, const std::string& hash);
  // Spends the same time as Verify against a real hash, for unknown
  // accounts, so timing does not reveal whether an account exists.
  void VerifyDummy(std::string_view password);

  // Argon2id computations so far (hashes and verifications), for metrics
  // and for tests that check work is done, or not done, without timing it.
  uint64_t hashes_computed() const { return hashes_computed_; }

 private:
  bool VerifyAgainst(const std::string& hash, std::string_view password);

  std::counting_semaphore<1024> slots_;
  std::atomic<uint64_t> hashes_computed_ = 0;
  std::string dummy_hash_;
};

}  // namespace deskgate::crypto
