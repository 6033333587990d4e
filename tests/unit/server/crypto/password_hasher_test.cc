#include <catch2/catch.hpp>

#include "server/crypto/password_hasher.h"

using deskgate::crypto::PasswordHasher;

TEST_CASE("Password hashes verify only their own password", "[crypto]") {
  PasswordHasher hasher(2);
  auto hash = hasher.Hash("plum orchard lantern 42");
  REQUIRE(hash.ok());
  CHECK(hash.value().rfind("$argon2id$", 0) == 0);
  CHECK(hasher.Verify("plum orchard lantern 42", hash.value()));
  CHECK_FALSE(hasher.Verify("plum orchard lantern 43", hash.value()));
}

TEST_CASE("Every refusal costs one Argon2id computation, whatever is stored", "[crypto]") {
  PasswordHasher hasher(2);
  auto hash = hasher.Hash("plum orchard lantern 42");
  REQUIRE(hash.ok());
  // "!" marks accounts that cannot sign in with a password; it, an empty
  // value and garbage once failed at once, which timing could tell apart.
  for (const std::string& stored :
       {hash.value(), std::string("!"), std::string(), std::string("$argon2id$v=19$garbage")}) {
    INFO(stored);
    const uint64_t before = hasher.hashes_computed();
    CHECK_FALSE(hasher.Verify("wrong password here", stored));
    CHECK(hasher.hashes_computed() == before + 1);
  }
  const uint64_t before = hasher.hashes_computed();
  hasher.VerifyDummy("anything");
  CHECK(hasher.hashes_computed() == before + 1);
}
