// MfaService and the challenge rules, with a real SQLite store, a fixed
// master key and a clock the test sets.
#include <catch2/catch.hpp>

#include <regex>

#include "server/crypto/totp.h"
#include "server/services/mfa_service.h"
#include "server/store/sqlite/sqlite_store.h"
#include "shared/mfa/mfa_policy.h"
#include "tests/support/temp_dir.h"

using namespace deskgate;

namespace {

class FixedClock : public services::Clock {
 public:
  int64_t Now() const override { return now; }
  int64_t now = 1'800'000'000;
};

struct Fixture {
  testing::TempDir dir;
  std::unique_ptr<store::SqliteStore> store;
  FixedClock clock;
  crypto::SecretBox box{crypto::SecretBytes(std::vector<uint8_t>(32, 7))};
  std::unique_ptr<services::SettingsService> settings;
  std::unique_ptr<services::MfaService> mfa;
  store::ActiveSession pending;

  explicit Fixture(const std::string& mfa_json) {
    store = std::move(store::SqliteStore::Open((dir.path() / "t.db").string())).value();
    settings = std::make_unique<services::SettingsService>(*store, clock);
    mfa = std::make_unique<services::MfaService>(*store, clock, *settings, box);
    const store::AuditEvent audit{clock.now, std::nullopt, "agent", "test", "", "", "{}"};
    const int64_t id =
        store
            ->AddPerson({store::Portal::kAgent, "jane@example.com", "Jane", "Agent", "hash"}, audit)
            .value();
    REQUIRE(settings
                ->Put(store::Portal::kAgent, ParseJson(R"({"mfa":)" + mfa_json + "}").value(), id,
                      0, "")
                .ok());
    REQUIRE(store
                ->CreateSession("token-hash", id, store::Portal::kAgent, store::SessionStage::kMfa,
                                clock.now, "10.0.0.1", "test", audit)
                .ok());
    pending = store->FindSession("token-hash").value().value();
  }

  // The code in the newest queued mail, read as the mail server would.
  std::string MailedCode() {
    auto due = store->DueMail(clock.now, 10).value();
    REQUIRE(!due.empty());
    const std::string body(box.Open(due.back().body).value().view());
    std::smatch m;
    REQUIRE(std::regex_search(body, m, std::regex("code is ([0-9]{6})")));
    return m[1].str();
  }
};

}  // namespace

TEST_CASE("The challenge offers only enabled methods, the app first", "[unit][mfa]") {
  const MfaSettings off, app{true, false}, email{false, true}, both{true, true};
  const MfaEnrollment none, enrolled{true, true}, codes_only{false, true};
  using Step = MfaChallenge::Step;
  CHECK(DecideMfaChallenge(off, enrolled).step == Step::kNone);
  CHECK(DecideMfaChallenge(app, none).step == Step::kSetup);
  CHECK(DecideMfaChallenge(app, codes_only).step ==
        Step::kSetup);  // codes do not replace enrolling
  CHECK(DecideMfaChallenge(app, enrolled).methods == std::vector<std::string>{"totp", "recovery"});
  CHECK(DecideMfaChallenge(email, enrolled).methods == std::vector<std::string>{"email"});
  CHECK(DecideMfaChallenge(both, enrolled).methods ==
        std::vector<std::string>{"totp", "email", "recovery"});
  const MfaChallenge not_enrolled = DecideMfaChallenge(both, none);
  CHECK(not_enrolled.step == Step::kVerify);
  CHECK(not_enrolled.methods == std::vector<std::string>{"email"});
  CHECK(not_enrolled.setup_suggested);
  CHECK_FALSE(DecideMfaChallenge(both, enrolled).setup_suggested);
  CHECK(DecideMfaChallenge(both, enrolled).Offers("email"));
  // Single sign-on never meets MFA, whatever is on.
  CHECK(DecideMfaChallenge(both, enrolled, SignInMethod::kSingleSignOn).step == Step::kNone);
  CHECK(DecideMfaChallenge(app, none, SignInMethod::kSingleSignOn).step == Step::kNone);
  CHECK_FALSE(DecideMfaChallenge(app, enrolled).Offers("email"));
}

TEST_CASE("An email code dies after 5 wrong tries, whoever makes them", "[unit][mfa]") {
  Fixture f(R"({"email_otp":true})");
  REQUIRE(f.mfa->SendEmailCode(f.pending, "10.0.0.1").ok());
  const std::string code = f.MailedCode();
  const std::string wrong = code == "111111" ? "222222" : "111111";
  // Five addresses, one wrong try each: no throttle is reached.
  for (int i = 1; i <= 5; ++i) {
    auto o = f.mfa->Verify(f.pending, "email", wrong, "10.0.1." + std::to_string(i));
    CHECK(o.status.code() == StatusCode::kUnauthenticated);
  }
  auto dead = f.mfa->Verify(f.pending, "email", code, "10.0.2.1");
  CHECK(dead.status.code() == StatusCode::kUnauthenticated);
  CHECK(dead.status.message().find("expired or was already used") != std::string::npos);
  // A new code (after the resend wait) works.
  f.clock.now += 61;
  REQUIRE(f.mfa->SendEmailCode(f.pending, "10.0.0.1").ok());
  auto ok = f.mfa->Verify(f.pending, "email", f.MailedCode(), "10.0.2.1");
  CHECK(ok.ok());
  CHECK(ok.session_token.size() == 43);
}

TEST_CASE("Looking people up needs the MFA permission, checked before any lookup", "[unit][mfa]") {
  Fixture f(R"({"email_otp":true})");
  const store::Person jane = f.pending.person;  // an Agent: no MFA permission
  auto refused = f.mfa->Lookup(jane, store::Portal::kAgent, "jane@example.com");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.code() == StatusCode::kPermissionDenied);
  // The same answer for an address nobody has: it tells nothing.
  CHECK(f.mfa->Lookup(jane, store::Portal::kAgent, "nobody@example.com").code() ==
        StatusCode::kPermissionDenied);

  store::Person helper = jane;
  helper.role->manage_agent_mfa = true;
  auto found = f.mfa->Lookup(helper, store::Portal::kAgent, "Jane@Example.com");
  REQUIRE(found.ok());
  CHECK(found.value().first.email == "jane@example.com");
  CHECK(f.mfa->Lookup(helper, store::Portal::kAgent, "nobody@example.com").code() ==
        StatusCode::kNotFound);
}
