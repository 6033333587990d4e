// Store: everything the services persist, behind one interface so that no
// code above it knows which database it talks to (SQLite today; a
// PostgreSQL backend for multi-instance deployments can implement the same).
//
// Every method that writes more than one row does so in one transaction,
// and a method that takes an AuditEvent writes it in that same transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/store/records.h"
#include "shared/core/status.h"

namespace deskgate::store {

enum class Portal { kAgent, kContact };
const char* PortalName(Portal portal);
std::optional<Portal> ParsePortal(std::string_view name);

struct Role {
  int64_t id = 0;
  std::string name;
  bool is_admin = false;
  bool manage_authentication = false;  // Access to Agent & Contact Authentication
  bool manage_agent_mfa = false;       // Access to Agent Recovery Code and Reset MFA
  // Which asset and software records the role may edit.
  enum class AssetEdit { kNone, kOwnGroups, kAll };
  AssetEdit asset_edit = AssetEdit::kNone;
};
const char* AssetEditName(Role::AssetEdit scope);  // "none", "own_groups", "all"

struct Person {
  int64_t id = 0;
  Portal portal = Portal::kAgent;
  std::string email;
  std::string name;
  std::optional<Role> role;  // agents only
  std::string password_hash;
  int64_t password_changed_at = 0;
  bool must_change_password = false;
};

struct NewPerson {
  Portal portal;
  std::string email;
  std::string name;
  std::string role_name;  // agents only
  std::string password_hash;
};

// Where a session stands in signing in: complete, or holding only the
// password step and waiting for a second factor or for enrollment.
enum class SessionStage { kDone, kMfa, kMfaSetup };
const char* SessionStageName(SessionStage stage);
SessionStage ParseSessionStage(std::string_view name);

struct Session {
  int64_t id = 0;
  int64_t person_id = 0;
  Portal portal = Portal::kAgent;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  SessionStage stage = SessionStage::kDone;
  bool via_sso = false;  // signed in through the portal's identity provider
  // When its holder last proved who they are: the sign-in that completed
  // it, or a later re-authentication (0: never, a pending sign-in).
  int64_t reauthenticated_at = 0;
};

// A session with the person it belongs to, as one lookup returns them.
struct ActiveSession {
  Session session;
  Person person;
};

struct SessionRow {
  int64_t id = 0;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  std::string ip;
  std::string user_agent;
};

struct AuditEvent {
  int64_t at = 0;
  std::optional<int64_t> actor_id;
  std::string portal;  // "" when not about a portal
  std::string event;   // e.g. "login.success"
  std::string target;  // e.g. the email a failed login named
  std::string ip;
  std::string details = "{}";  // JSON object
};

struct AuditFilter {
  std::string person;  // an email: events by or about them; "" = anyone
  std::string event;   // an event name or a prefix ending in "." ("login."); "" = all
  int64_t from = 0;    // Unix seconds, inclusive; 0 = no bound
  int64_t to = 0;      // exclusive; 0 = no bound
  int limit = 100;
  int offset = 0;
};

struct AuditRow {
  int64_t id = 0;
  int64_t at = 0;
  std::string actor;  // the actor's email, or ""
  std::string portal;
  std::string event;
  std::string target;
  std::string ip;
  std::string details;
};

// Authenticator-app enrollment; secrets sealed by the caller.
struct TotpEnrollment {
  std::vector<uint8_t> secret;          // empty when not enrolled
  std::vector<uint8_t> pending_secret;  // empty when no setup waits for a code
  int64_t last_step = 0;                // newest time step accepted
  int64_t enrolled_at = 0;
  bool enrolled() const { return !secret.empty(); }
};

struct RecoveryCode {
  int64_t id = 0;
  std::vector<uint8_t> code;  // sealed
  bool used = false;
};

struct EmailOtp {
  std::string code_hash;
  int64_t sent_at = 0;
  int64_t expires_at = 0;
  int failures = 0;
  bool used = false;
};

// A message for the outbox; the body sealed by the caller.
struct OutgoingMail {
  std::string recipient;
  std::string subject;
  std::vector<uint8_t> body;
  int64_t expires_at = 0;  // not worth sending after
};

struct OutboxRow {
  int64_t id = 0;
  std::string recipient;
  std::string subject;
  std::vector<uint8_t> body;  // sealed; empty once sent (and in listings)
  int64_t created_at = 0;
  int64_t expires_at = 0;
  int attempts = 0;
  int64_t next_attempt_at = 0;
  int64_t sent_at = 0;  // 0 = not sent
  std::string last_error;
};

struct RecoveryRequestRow {
  int64_t id = 0;
  int64_t person_id = 0;
  std::string email;
  std::string name;
  Portal portal = Portal::kAgent;
  int64_t requested_at = 0;
};

// A portal's identity provider as stored.
struct SsoProviderRow {
  std::string settings_json;           // SsoSettingsToJson, without the secret
  std::vector<uint8_t> client_secret;  // sealed; empty for a public client
  int64_t version = 0;                 // set by the store: 1, then +1 per change
  int64_t updated_at = 0;
  // The admin whose test sign-in last succeeded with these settings.
  std::optional<int64_t> tested_by;
  int64_t tested_at = 0;
};

// A sign-in sent to the identity provider, waiting for its answer.
struct SsoAttempt {
  std::string state_hash;
  Portal portal = Portal::kAgent;
  std::string purpose;               // "login" or "test"
  std::vector<uint8_t> secrets;      // sealed PKCE verifier and nonce
  std::string binding_hash;          // SHA-256 of the browser's binding cookie
  int64_t provider_version = 0;      // the provider settings it began with
  std::optional<int64_t> person_id;  // "test": the admin who started it
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

// A portal's sign-in setup as stored: its settings JSON and its provider.
struct PortalSignInState {
  std::optional<std::string> settings_json;
  std::optional<SsoProviderRow> provider;
};
// A check that a write which could lock people out runs inside its own
// transaction, on the state as it is there; an error aborts the write.
using SignInGuard = std::function<Status(const PortalSignInState&)>;

// What a successful single sign-on writes, in one transaction.
// An identity waiting for the account's holder to confirm its link
// (sso_pending_links in migrations.cc).
struct SsoPendingLink {
  Portal portal = Portal::kAgent;
  std::string binding_hash;  // the browser that signed in at the provider
  std::string token_hash;    // the mailed link's token
  int64_t person_id = 0;
  std::string issuer;
  std::string subject;
  std::string email;
  int64_t provider_version = 0;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  bool mailed = false;  // a confirmation link went out to the account's address
  // The newest session when the link was left (set by the store): only a
  // later sign-in confirms it.
  int64_t last_session_id = 0;
};

struct SsoSignIn {
  Portal portal = Portal::kAgent;
  std::string issuer;
  std::string subject;
  std::string email;
  int64_t person_id = 0;  // 0: create a contact with `email` and `name`
  std::string name;
  bool link = false;       // first sign-in: remember (issuer, subject) for the person
  std::string token_hash;  // the new session's
  std::string ip;
  std::string user_agent;
};

// Throttling counters for one key (an account, an address, or both).
struct Throttle {
  int failures = 0;
  int64_t window_start = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual Result<int64_t> AddPerson(const NewPerson& person, const AuditEvent& audit) = 0;
  virtual Result<std::optional<Person>> FindPerson(Portal portal, const std::string& email) = 0;
  virtual Result<std::optional<Person>> PersonById(int64_t id) = 0;
  virtual Result<int64_t> CountPeople() = 0;
  // People whose role is Administrator (the ones told of dangerous changes).
  virtual Result<std::vector<Person>> ListAdministrators() = 0;
  // The schema version the database is at; also tells that it answers.
  virtual Result<int> SchemaVersion() = 0;

  // Sessions are found by the SHA-256 of their token; the token itself is
  // never stored.
  virtual Status CreateSession(const std::string& token_hash, int64_t person_id, Portal portal,
                               SessionStage stage, int64_t now, const std::string& ip,
                               const std::string& user_agent, const AuditEvent& audit) = 0;
  // Marks a session's sign-in complete and gives it a new token (the one
  // that held only the password step stops working).
  virtual Status CompleteSession(int64_t session_id, const std::string& new_token_hash,
                                 const AuditEvent& audit) = 0;
  virtual Result<std::optional<ActiveSession>> FindSession(const std::string& token_hash) = 0;
  virtual Status TouchSession(int64_t session_id, int64_t now) = 0;
  // Records that the session's holder proved who they are again, and audits.
  virtual Status MarkReauthenticated(int64_t session_id, const AuditEvent& audit) = 0;
  // A person's sessions, most recently seen first.
  virtual Result<std::vector<SessionRow>> ListSessions(int64_t person_id) = 0;
  // Ends sessions of `person_id`: the one with `session_id`, or (when
  // `session_id` is 0) all but `keep_id`. Returns how many ended.
  virtual Result<int64_t> EndSessions(int64_t person_id, int64_t session_id, int64_t keep_id,
                                      const AuditEvent& audit) = 0;
  virtual Status DeleteSession(int64_t session_id, const AuditEvent& audit) = 0;

  virtual Result<Throttle> GetThrottle(const std::string& key) = 0;
  // Adds `delta` to the key's count, atomically, first starting a new
  // window at `now` if `window` seconds have passed since it began; the
  // count never goes below 0. Returns the new state.
  virtual Result<Throttle> CountThrottle(const std::string& key, int delta, int64_t now,
                                         int64_t window) = 0;
  virtual Status ClearThrottle(const std::string& key) = 0;

  // First-run setup: a one-time token, and its use to create the first
  // administrator. CompleteSetup fails unless the token is known, unused and
  // unexpired and no account exists yet; it marks the token used, creates
  // the person and audits, all in one transaction (kPermissionDenied for a
  // token that cannot be used). SetupTokenUsable reads the same conditions
  // without using the token: the cheap check before a password is hashed.
  virtual Status AddSetupToken(const std::string& token_hash, int64_t expires_at) = 0;
  virtual Result<bool> SetupTokenUsable(const std::string& token_hash, int64_t now) = 0;
  virtual Result<int64_t> CompleteSetup(const std::string& token_hash, const NewPerson& person,
                                        const AuditEvent& audit) = 0;

  // The newest `limit` password hashes of a person, newest first (the
  // current password is the first).
  virtual Result<std::vector<std::string>> PasswordHistory(int64_t person_id, int limit) = 0;
  // Sets a new password: updates the person, records it in the history,
  // clears must_change_password and ends every other session of theirs.
  virtual Status ChangePassword(int64_t person_id, const std::string& hash, int64_t keep_session_id,
                                const AuditEvent& audit) = 0;
  // Marks a person as having to change their password before doing anything
  // else; with `end_sessions`, signs them out everywhere.
  virtual Status RequirePasswordChange(int64_t person_id, bool end_sessions,
                                       const AuditEvent& audit) = 0;

  // A portal's authentication settings as JSON text, or nullopt when never saved.
  virtual Result<std::optional<std::string>> GetPortalSettings(Portal portal) = 0;
  // With `end_sessions`, also ends every session of the portal except
  // `keep_session_id` (MFA required "immediately"). `guard` runs first, in
  // the same transaction.
  virtual Status PutPortalSettings(Portal portal, const std::string& json, const AuditEvent& audit,
                                   bool end_sessions = false, int64_t keep_session_id = 0,
                                   const SignInGuard& guard = nullptr) = 0;

  // A custom agent role carrying the given permission flags.
  virtual Result<int64_t> AddRole(const Role& role, const AuditEvent& audit) = 0;

  // Multi-factor authentication.
  virtual Result<TotpEnrollment> GetTotp(int64_t person_id) = 0;
  virtual Status PutPendingTotp(int64_t person_id, const std::vector<uint8_t>& sealed_secret,
                                const AuditEvent& audit) = 0;
  // Makes the pending secret the enrolled one, with `step` as the last
  // accepted, and replaces the person's recovery codes; one transaction.
  // Fails unless the pending secret is still `pending_secret` (the one the
  // code was checked against).
  virtual Status ConfirmTotp(int64_t person_id, const std::vector<uint8_t>& pending_secret,
                             int64_t step, const std::vector<std::vector<uint8_t>>& recovery_codes,
                             const AuditEvent& audit) = 0;
  // Records `step` as used if it is newer than the last one; false when it
  // is not (a replay), atomically, so two requests cannot both win.
  virtual Result<bool> AcceptTotpStep(int64_t person_id, int64_t step) = 0;
  virtual Result<std::vector<RecoveryCode>> RecoveryCodes(int64_t person_id) = 0;
  // Marks a code used; false if it already was.
  virtual Result<bool> UseRecoveryCode(int64_t code_id, const AuditEvent& audit) = 0;
  // A new set (the old one dies); resolves pending requests of the person.
  virtual Status ReplaceRecoveryCodes(int64_t person_id,
                                      const std::vector<std::vector<uint8_t>>& codes,
                                      const AuditEvent& audit) = 0;
  // Replaces the person's email code and queues the mail; one transaction.
  virtual Status PutEmailOtp(int64_t person_id, const std::string& code_hash, int64_t expires_at,
                             const OutgoingMail& mail, const AuditEvent& audit) = 0;
  virtual Result<std::optional<EmailOtp>> GetEmailOtp(int64_t person_id) = 0;
  virtual Status CountEmailOtpFailure(int64_t person_id) = 0;
  // Marks the code used; false if it already was.
  virtual Result<bool> UseEmailOtp(int64_t person_id, int64_t now) = 0;
  // Records a request unless the person made one after `not_since`;
  // false when refused. Check and insert are one transaction.
  virtual Result<bool> AddRecoveryRequest(int64_t person_id, int64_t not_since,
                                          const AuditEvent& audit) = 0;
  // When the person last asked for new recovery codes, or 0.
  virtual Result<int64_t> LastRecoveryRequest(int64_t person_id) = 0;
  virtual Result<std::vector<RecoveryRequestRow>> PendingRecoveryRequests() = 0;
  // Removes enrollment, recovery and email codes, ends every session of
  // the person and resolves their requests; one transaction.
  virtual Status ResetMfa(int64_t person_id, const AuditEvent& audit) = 0;

  // The outbox.
  virtual Result<std::vector<OutboxRow>> DueMail(int64_t now, int limit) = 0;
  virtual Status MailSent(int64_t mail_id, int64_t now) = 0;
  // Wipes the bodies of messages that expired unsent (they held codes).
  virtual Status WipeExpiredMail(int64_t now) = 0;
  virtual Status MailFailed(int64_t mail_id, const std::string& error, int64_t next_attempt_at) = 0;
  // Newest first, bodies left out.
  virtual Result<std::vector<OutboxRow>> ListOutbox(int limit) = 0;

  // Asset and software records.
  virtual Result<RecordPage> ListRecords(RecordKind kind, const RecordQuery& query) = 0;
  virtual Result<std::optional<Record>> GetRecord(RecordKind kind, int64_t id) = 0;
  // Changes one record if it is at `expected_version` and within `scope`;
  // the history row and `audit` (details filled in here) in one transaction.
  virtual Result<RecordUpdate> UpdateRecord(RecordKind kind, int64_t id, int64_t expected_version,
                                            const RecordChange& change, const EditScope& scope,
                                            const AuditEvent& audit) = 0;
  // Applies `change` to every selected record within `scope`, all in one
  // transaction (any failure changes nothing), with a history row per
  // changed record and one audit event for the whole action.
  virtual Result<std::vector<RowResult>> BulkUpdate(RecordKind kind,
                                                    const RecordSelection& selection,
                                                    const RecordChange& change,
                                                    const EditScope& scope,
                                                    const AuditEvent& audit) = 0;
  // Newest first.
  virtual Result<std::vector<HistoryRow>> RecordHistory(RecordKind kind, int64_t id, int limit) = 0;
  virtual Result<RecordNames> ListRecordNames() = 0;
  virtual Result<std::vector<int64_t>> GroupsOf(int64_t person_id) = 0;
  // Adds demo data in one transaction; returns how many records it added.
  virtual Result<int64_t> Seed(const SeedRecords& seed, int64_t now, const AuditEvent& audit) = 0;

  // Single sign-on.
  virtual Result<std::optional<SsoProviderRow>> GetSsoProvider(Portal portal) = 0;
  // Replaces the portal's provider (the test record as given in `row`),
  // giving it the next version. With `unlink`, the portal's linked
  // identities go too (another provider or application: links start over).
  // `notices` (mail to the administrators) are queued in the same transaction.
  virtual Status PutSsoProvider(Portal portal, const SsoProviderRow& row, bool unlink,
                                const AuditEvent& audit, const SignInGuard& guard = nullptr,
                                const std::vector<OutgoingMail>& notices = {}) = 0;
  virtual Status DeleteSsoProvider(Portal portal, const AuditEvent& audit,
                                   const SignInGuard& guard = nullptr,
                                   const std::vector<OutgoingMail>& notices = {}) = 0;
  // Records a successful test sign-in by `person_id`, unless the provider
  // is no longer at `version` (the test then vouches for old settings).
  virtual Result<bool> MarkSsoTested(Portal portal, int64_t person_id, int64_t version,
                                     const AuditEvent& audit) = 0;
  // Stores an attempt, removing expired ones.
  virtual Status AddSsoAttempt(const SsoAttempt& attempt) = 0;
  // Removes and returns the attempt, or nullopt when unknown or expired:
  // a state is good for one answer only.
  virtual Result<std::optional<SsoAttempt>> TakeSsoAttempt(const std::string& state_hash,
                                                           int64_t now) = 0;
  virtual Result<std::optional<int64_t>> FindSsoIdentity(Portal portal, const std::string& issuer,
                                                         const std::string& subject) = 0;
  // Whether the person is linked to an identity at a provider already.
  virtual Result<bool> HasSsoIdentity(int64_t person_id) = 0;
  // Creates the contact if asked, links the identity if asked, creates the
  // signed-in session and audits; one transaction. Returns the person's id.
  virtual Result<int64_t> CompleteSsoSignIn(const SsoSignIn& sign_in, const AuditEvent& audit) = 0;
  // Stores a link waiting for confirmation (replacing the browser's earlier
  // one on that portal, removing expired ones), queues `mail` if given and
  // audits; one transaction.
  virtual Status AddSsoPendingLink(const SsoPendingLink& link,
                                   const std::optional<OutgoingMail>& mail,
                                   const AuditEvent& audit) = 0;
  // The browser's unexpired pending link on `portal`, if any.
  virtual Result<std::optional<SsoPendingLink>> FindSsoPendingLink(Portal portal,
                                                                   const std::string& binding_hash,
                                                                   int64_t now) = 0;
  // Removes and returns it: a confirmation works once.
  virtual Result<std::optional<SsoPendingLink>> TakeSsoPendingLink(Portal portal,
                                                                   const std::string& binding_hash,
                                                                   int64_t now) = 0;
  // Links an identity to a signed-in person (a confirmed pending link) and
  // audits; one transaction. kConflict when either side is linked already.
  virtual Status LinkSsoIdentity(const SsoPendingLink& link, const AuditEvent& audit) = 0;

  virtual Status Audit(const AuditEvent& event) = 0;
  virtual Result<int64_t> CountAudit(const std::string& event) = 0;
  // Matching entries, newest first, and how many match in all.
  virtual Result<std::pair<std::vector<AuditRow>, int64_t>> QueryAudit(const AuditFilter& f) = 0;
};

}  // namespace deskgate::store
