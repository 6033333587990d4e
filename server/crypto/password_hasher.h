// PasswordHasher: Argon2id password hashes (libsodium crypto_pwhash_str).
//
// Parameters follow OWASP's Argon2id guidance (m = 19 MiB, t = 2), about
// 20 ms per hash here. At most `max_concurrent` hashes run at once; further
// callers wait, so a login flood queues instead of exhausting memory
// (each hash holds its 19 MiB while it runs).
#pragma once

#include <semaphore>
#include <string>
#include <string_view>

#include "shared/status.h"

namespace deskgate::crypto {

class PasswordHasher {
 public:
  explicit PasswordHasher(int max_concurrent);

  Result<std::string> Hash(std::string_view password);
  // Constant-time verification (libsodium compares in constant time).
  bool Verify(std::string_view password, const std::string& hash);
  // Spends the same time as Verify against a real hash, for unknown
  // accounts, so timing does not reveal whether an account exists.
  void VerifyDummy(std::string_view password);

 private:
  std::counting_semaphore<1024> slots_;
  std::string dummy_hash_;
};

}  // namespace deskgate::crypto
