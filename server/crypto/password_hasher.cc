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
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), kOpsLimit, kMemLimit) != 0) {
    return Status::Error("out of memory while hashing a password");
  }
  return std::string(out);
}

bool PasswordHasher::Verify(std::string_view password, const std::string& hash) {
  Slot slot(slots_);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::VerifyDummy(std::string_view password) {
  Verify(password, dummy_hash_);
}

}  // namespace deskgate::crypto
