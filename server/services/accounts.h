// Accounts: creating agents and contacts. Passwords are judged by the same
// shared/ policy code the browser runs, then hashed with Argon2id.
#pragma once

#include <optional>
#include <string>

#include "server/crypto/password_hasher.h"
#include "server/crypto/secret_box.h"
#include "server/services/clock.h"
#include "server/services/throttle.h"
#include "server/store/store.h"
#include "shared/password/password_policy.h"

namespace deskgate::services {

struct NewAccount {
  store::Portal portal;
  std::string email;
  std::string name;
  std::string role;  // agents: "Administrator", "Agent" or a custom role
  std::string password;
};

class Accounts {
 public:
  Accounts(store::Store& store, crypto::PasswordHasher& hasher, const Clock& clock)
      : store_(store), hasher_(hasher), clock_(clock), throttle_(store) {}

  // Validates everything first; nothing is written on error. The error
  // message is safe to show (it never repeats the password).
  Result<int64_t> Add(const NewAccount& account, const PasswordPolicy& policy,
                      const std::string& actor);

  // First-run setup, open while no Administrator can sign in (the demo
  // data's agents and pending invitations never count). StartSetup returns
  // the one-time token for the setup link (nullopt once an Administrator
  // can sign in): the same one at every start until it is used or expires
  // (kSetupLinkLifetime), kept sealed by `box`. CompleteSetup uses it to
  // create an Administrator. The link is an unauthenticated door that
  // costs a password hash, so the cheap checks come first: the address's
  // throttle, then the token (kPermissionDenied when it cannot be used,
  // counted against the address: kSetupFailuresPerAddress per
  // Throttle::kWindow, then kThrottled); only then is the password hashed.
  Result<std::optional<std::string>> StartSetup(const crypto::SecretBox& box);
  Result<int64_t> CompleteSetup(const std::string& token, const std::string& email,
                                const std::string& name, const std::string& password,
                                const std::string& ip);

  static constexpr int64_t kSetupLinkLifetime = 7 * 24 * 60 * 60;
  static constexpr int kSetupFailuresPerAddress = 10;

 private:
  // Validates an account and hashes its password.
  Result<store::NewPerson> Prepare(const NewAccount& account, const PasswordPolicy& policy);

  store::Store& store_;
  crypto::PasswordHasher& hasher_;
  const Clock& clock_;
  Throttle throttle_;
};

// A plausible email address: one '@' with text on both sides, at most 254
// bytes, valid UTF-8, no spaces or control characters.
bool IsPlausibleEmail(std::string_view email);

// "j•••@example.com": enough for people to recognise their own address.
std::string MaskEmail(std::string_view email);

// The form addresses are stored and compared in: ASCII letters lower-cased
// (the domain is case-insensitive and nearly every mailbox is).
std::string NormalizeEmail(std::string_view email);

}  // namespace deskgate::services
