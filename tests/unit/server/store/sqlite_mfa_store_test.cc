// The store's MFA and outbox operations on a real SQLite file.
#include <catch2/catch.hpp>

#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/temp_dir.h"

using namespace deskgate::store;

namespace {

struct Fixture {
  deskgate::testing::TempDir dir;
  std::unique_ptr<SqliteStore> store;
  int64_t person = 0;

  Fixture() {
    auto opened = SqliteStore::Open((dir.path() / "t.db").string());
    REQUIRE(opened.ok());
    store = std::move(opened).value();
    auto id = store->AddPerson({Portal::kContact, "c@example.com", "C", "", "hash"}, Event("add"));
    REQUIRE(id.ok());
    person = id.value();
  }
  static AuditEvent Event(const std::string& name, int64_t at = 1000) {
    return {at, std::nullopt, "contact", name, "", "127.0.0.1", "{}"};
  }
};

std::vector<uint8_t> Bytes(const std::string& s) {
  return {s.begin(), s.end()};
}

}  // namespace

TEST_CASE("Enrollment confirms the pending secret and each time step is accepted once",
          "[unit][mfa_store]") {
  Fixture f;
  CHECK_FALSE(f.store->GetTotp(f.person).value().enrolled());
  // No enrollment yet: nothing to accept, nothing to confirm.
  CHECK_FALSE(f.store->AcceptTotpStep(f.person, 5).value());
  CHECK_FALSE(
      f.store->ConfirmTotp(f.person, Bytes("sealed"), 5, {}, Fixture::Event("totp.enrolled")).ok());

  REQUIRE(f.store->PutPendingTotp(f.person, Bytes("sealed"), Fixture::Event("totp.setup")).ok());
  auto pending = f.store->GetTotp(f.person).value();
  CHECK_FALSE(pending.enrolled());
  CHECK(pending.pending_secret == Bytes("sealed"));

  std::vector<std::vector<uint8_t>> codes = {Bytes("a"), Bytes("b")};
  // A setup that replaced the secret after the code was checked wins: the
  // confirm names the secret it checked and fails.
  CHECK_FALSE(
      f.store->ConfirmTotp(f.person, Bytes("older"), 100, codes, Fixture::Event("totp.enrolled"))
          .ok());
  REQUIRE(
      f.store->ConfirmTotp(f.person, Bytes("sealed"), 100, codes, Fixture::Event("totp.enrolled"))
          .ok());
  auto enrolled = f.store->GetTotp(f.person).value();
  CHECK(enrolled.enrolled());
  CHECK(enrolled.pending_secret.empty());
  CHECK(enrolled.last_step == 100);
  CHECK(f.store->RecoveryCodes(f.person).value().size() == 2);

  CHECK_FALSE(f.store->AcceptTotpStep(f.person, 100).value());  // the step used to enroll
  CHECK(f.store->AcceptTotpStep(f.person, 101).value());
  CHECK_FALSE(f.store->AcceptTotpStep(f.person, 101).value());  // replay
  CHECK_FALSE(f.store->AcceptTotpStep(f.person, 100).value());  // older after newer
  CHECK(f.store->CountAudit("totp.enrolled").value() == 1);
}

TEST_CASE("Recovery codes work once and a new set replaces the old", "[unit][mfa_store]") {
  Fixture f;
  REQUIRE(
      f.store->ReplaceRecoveryCodes(f.person, {Bytes("a"), Bytes("b")}, Fixture::Event("r")).ok());
  auto codes = f.store->RecoveryCodes(f.person).value();
  REQUIRE(codes.size() == 2);
  CHECK(f.store->UseRecoveryCode(codes[0].id, Fixture::Event("used")).value());
  CHECK_FALSE(f.store->UseRecoveryCode(codes[0].id, Fixture::Event("used")).value());
  CHECK(f.store->CountAudit("used").value() == 1);
  CHECK(f.store->RecoveryCodes(f.person).value()[0].used);

  CHECK(f.store->AddRecoveryRequest(f.person, 0, Fixture::Event("asked", 2000)).value());
  // Another within the interval is refused, atomically.
  CHECK_FALSE(f.store->AddRecoveryRequest(f.person, 1000, Fixture::Event("asked", 2500)).value());
  CHECK(f.store->CountAudit("asked").value() == 1);
  CHECK(f.store->LastRecoveryRequest(f.person).value() == 2000);
  CHECK(f.store->PendingRecoveryRequests().value().size() == 1);
  REQUIRE(f.store->ReplaceRecoveryCodes(f.person, {Bytes("c")}, Fixture::Event("r")).ok());
  auto fresh = f.store->RecoveryCodes(f.person).value();
  REQUIRE(fresh.size() == 1);
  CHECK(fresh[0].code == Bytes("c"));
  CHECK_FALSE(fresh[0].used);
  CHECK(f.store->PendingRecoveryRequests().value().empty());
}

TEST_CASE("An MFA reset removes enrollment and codes and ends the person's sessions",
          "[unit][mfa_store]") {
  Fixture f;
  REQUIRE(f.store->PutPendingTotp(f.person, Bytes("s"), Fixture::Event("setup")).ok());
  REQUIRE(
      f.store->ConfirmTotp(f.person, Bytes("s"), 1, {Bytes("a")}, Fixture::Event("enrolled")).ok());
  REQUIRE(f.store
              ->CreateSession("tokenhash", f.person, Portal::kContact, SessionStage::kDone, 1000,
                              "127.0.0.1", "test", Fixture::Event("login"))
              .ok());
  REQUIRE(f.store->FindSession("tokenhash").value());
  REQUIRE(f.store->ResetMfa(f.person, Fixture::Event("mfa.reset")).ok());
  CHECK_FALSE(f.store->GetTotp(f.person).value().enrolled());
  CHECK(f.store->RecoveryCodes(f.person).value().empty());
  CHECK_FALSE(f.store->FindSession("tokenhash").value());  // the cache was dropped too
}

TEST_CASE("A session waiting for its second factor completes with a new token",
          "[unit][mfa_store]") {
  Fixture f;
  REQUIRE(f.store
              ->CreateSession("first", f.person, Portal::kContact, SessionStage::kMfa, 1000,
                              "127.0.0.1", "test", Fixture::Event("login"))
              .ok());
  auto pending = f.store->FindSession("first").value();
  REQUIRE(pending);
  CHECK(pending->session.stage == SessionStage::kMfa);
  REQUIRE(f.store->CompleteSession(pending->session.id, "second", Fixture::Event("mfa.ok")).ok());
  // A second completion (a racing verify with another factor) fails.
  CHECK_FALSE(
      f.store->CompleteSession(pending->session.id, "third", Fixture::Event("mfa.ok")).ok());
  CHECK(f.store->CountAudit("mfa.ok").value() == 1);
  CHECK_FALSE(f.store->FindSession("first").value());
  auto done = f.store->FindSession("second").value();
  REQUIRE(done);
  CHECK(done->session.stage == SessionStage::kDone);
}

TEST_CASE("Email codes and their mail are written together, and the outbox tracks delivery",
          "[unit][mfa_store]") {
  Fixture f;
  const OutgoingMail mail{"c@example.com", "Your sign-in code", Bytes("sealed body"), 1600};
  REQUIRE(f.store->PutEmailOtp(f.person, "hash1", 1600, mail, Fixture::Event("otp.sent")).ok());
  auto otp = f.store->GetEmailOtp(f.person).value();
  REQUIRE(otp);
  CHECK(otp->code_hash == "hash1");
  CHECK(otp->expires_at == 1600);
  REQUIRE(f.store->CountEmailOtpFailure(f.person).ok());
  CHECK(f.store->GetEmailOtp(f.person).value()->failures == 1);
  CHECK(f.store->UseEmailOtp(f.person, 1100).value());
  CHECK_FALSE(f.store->UseEmailOtp(f.person, 1101).value());

  auto due = f.store->DueMail(1000, 10).value();
  REQUIRE(due.size() == 1);
  CHECK(due[0].body == Bytes("sealed body"));
  REQUIRE(f.store->MailFailed(due[0].id, "connection refused", 1060).ok());
  CHECK(f.store->DueMail(1030, 10).value().empty());  // waiting for its retry
  due = f.store->DueMail(1060, 10).value();
  REQUIRE(due.size() == 1);
  CHECK(due[0].attempts == 1);
  CHECK(due[0].last_error == "connection refused");
  REQUIRE(f.store->MailSent(due[0].id, 1061).ok());
  CHECK(f.store->DueMail(1100, 10).value().empty());
  auto listed = f.store->ListOutbox(10).value();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].sent_at == 1061);
  CHECK(listed[0].body.empty());

  // A message past its expiry is not sent any more.
  REQUIRE(f.store
              ->PutEmailOtp(f.person, "hash2", 2600, {"c@example.com", "s", Bytes("b"), 2600},
                            Fixture::Event("otp.sent", 2000))
              .ok());
  CHECK(f.store->DueMail(2000, 10).value().size() == 1);
  CHECK(f.store->DueMail(2600, 10).value().empty());
}
