#include "server/crypto/password_hasher.h"

#include <sodium.h>

namespace deskgate::crypto {
namespace {

constexpr unsigned long long kOpsLimit = 2;
constexpr size_t kMemLimit = 19 * 1024 * 1024;

// Holds one of the semaphore's slots for its lifetime.
class Slot {
 public:
  explicit Slot(std::counting_semaphore<1024>& s) : s_(s) { s_.acquire(); }
  ~Slot() { s_.release(); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  std::counting_semaphore<1024>& s_;
};

}  // namespace

PasswordHasher::PasswordHasher(int max_concurrent) : slots_(max_concurrent) {
  if (sodium_init() < 0) std::abort();  // no safe way to continue without a CSPRNG
  dummy_hash_ = Hash("deskgate dummy password").value();
}

Result<std::string> PasswordHasher::Hash(std::string_view password) {
  Slot slot(slots_);
  ++hashes_computed_;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), kOpsLimit, kMemLimit) != 0) {
    return Status::Error("out of memory while hashing a password");
  }
  return std::string(out);
}

bool PasswordHasher::Verify(std::string_view password, const std::string& hash) {
  // A stored value that is no Argon2id hash (the "!" of accounts that
  // cannot sign in with a password, an empty one) would fail at once;
  // refusing it after a real hash's work keeps every refusal the same.
  const bool usable = crypto_pwhash_str_needs_rehash(hash.c_str(), kOpsLimit, kMemLimit) != -1;
  const bool verified = VerifyAgainst(usable ? hash : dummy_hash_, password);
  return usable && verified;
}

void PasswordHasher::VerifyDummy(std::string_view password) {
  [[maybe_unused]] const bool verified = VerifyAgainst(dummy_hash_, password);
}

bool PasswordHasher::VerifyAgainst(const std::string& hash, std::string_view password) {
  Slot slot(slots_);
  ++hashes_computed_;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace deskgate::crypto
