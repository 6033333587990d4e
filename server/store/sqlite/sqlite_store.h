// SqliteStore: the Store on one SQLite database file.
//
// Writes go through one connection serialized by a mutex, each multi-row
// write in one transaction. The reads on every request's path (session and
// person lookups) use a pool of read-only connections instead, which WAL
// lets run alongside the writer, and sessions found recently are answered
// from a SessionCache.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "server/store/count_cache.h"
#include "server/store/session_cache.h"
#include "server/store/sqlite/checkpointer.h"
#include "server/store/sqlite/concurrency_limit.h"
#include "server/store/sqlite/position_index.h"
#include "server/store/sqlite/read_pool.h"
#include "server/store/sqlite/sqlite.h"
#include "server/store/sqlite/writer_mutex.h"
#include "server/store/store.h"

namespace deskgate::store {

class SqliteStore : public Store {
 public:
  // `db` writes; `checkpoints` copies its log back into the file
  // (checkpointer.h).
  SqliteStore(Database db, Database checkpoints, std::string path);
  ~SqliteStore() override;

  // Opens the database file (creating its folder), and brings its schema to
  // the latest version.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);

  Result<int64_t> AddPerson(const NewPerson& person, const AuditEvent& audit) override;
  Result<std::optional<Person>> FindPerson(Portal portal, const std::string& email) override;
  Result<std::optional<Person>> PersonById(int64_t id) override;
  Result<int64_t> CountPeople() override;
  Result<std::vector<Person>> ListAdministrators() override;

  // DirectoryStore
  Result<DirectoryPage> ListPeople(const DirectoryQuery& query) override;
  Result<std::optional<PersonSummary>> PersonSummaryById(int64_t id) override;
  Status UpdatePerson(int64_t id, const PersonChange& change, const AuditEvent& audit) override;
  Result<std::vector<RoleSummary>> ListRoles() override;
  Status UnlinkSsoIdentity(int64_t id, const AuditEvent& audit) override;
  Status UpdateRole(const Role& role, const AuditEvent& audit) override;

  // CatalogStore
  Result<std::vector<CatalogEntry>> ListCatalog(CatalogKind kind) override;
  Result<int64_t> AddCatalogEntry(CatalogKind kind, const std::string& name,
                                  const AuditEvent& audit) override;
  Status RenameCatalogEntry(CatalogKind kind, int64_t id, const std::string& name,
                            const AuditEvent& audit) override;
  Status DeleteRole(int64_t id, std::optional<int64_t> move_to, const AuditEvent& audit) override;

  // PasswordResetStore
  Status AddPasswordReset(int64_t person_id, const std::string& token_hash, int64_t created_at,
                          int64_t expires_at, const OutgoingMail& mail,
                          const AuditEvent& audit) override;
  Result<std::optional<PasswordResetRow>> FindPasswordReset(const std::string& token_hash) override;
  Status CompletePasswordReset(int64_t reset_id, int64_t person_id,
                               const std::string& password_hash, const AuditEvent& audit) override;

  // MailSettingsStore
  Result<std::optional<MailSettingsRow>> GetMailSettings() override;
  Status PutMailSettings(const MailSettingsRow& row, const AuditEvent& audit) override;
  Status DeleteMailSettings(const AuditEvent& audit) override;
  Status RecordMailTest(int64_t at, const std::string& error, const AuditEvent& audit) override;
  Result<MailDelivery> MailDeliveryState(int64_t now) override;

  // InvitationStore
  Result<int64_t> InvitePerson(const NewPerson& person, const std::vector<int64_t>& group_ids,
                               const NewInvitation& invitation, const AuditEvent& audit) override;
  Result<std::vector<int64_t>> InvitePeople(const std::vector<PersonInvitation>& people,
                                            const AuditEvent& audit) override;
  Status Reinvite(int64_t person_id, const NewInvitation& invitation,
                  const AuditEvent& audit) override;
  Status RevokeInvitations(int64_t person_id, const AuditEvent& audit) override;
  Result<std::optional<InvitationRow>> FindInvitation(const std::string& token_hash) override;
  Result<std::optional<InvitationRow>> FindInvitationById(int64_t id) override;
  Result<std::vector<InvitationRow>> ListOpenInvitations(std::optional<Portal> portal) override;
  Status AcceptInvitation(int64_t invitation_id, int64_t person_id,
                          const std::string& password_hash, const AuditEvent& audit) override;
  Result<int> SchemaVersion() override;

  Status CreateSession(const std::string& token_hash, int64_t person_id, Portal portal,
                       SessionStage stage, int64_t now, const std::string& ip,
                       const std::string& user_agent, const AuditEvent& audit) override;
  Status CompleteSession(int64_t session_id, const std::string& new_token_hash,
                         const AuditEvent& audit) override;
  Result<std::optional<ActiveSession>> FindSession(const std::string& token_hash) override;
  Status TouchSession(int64_t session_id, int64_t now) override;
  Status MarkReauthenticated(int64_t session_id, const AuditEvent& audit) override;
  Result<std::vector<SessionRow>> ListSessions(int64_t person_id) override;
  Result<int64_t> EndSessions(int64_t person_id, int64_t session_id, int64_t keep_id,
                              const AuditEvent& audit) override;
  Status DeleteSession(int64_t session_id, const AuditEvent& audit) override;

  Result<Throttle> GetThrottle(const std::string& key) override;
  Result<Throttle> CountThrottle(const std::string& key, int delta, int64_t now,
                                 int64_t window) override;
  Status ClearThrottle(const std::string& key) override;

  Result<bool> AdministratorCanSignIn() override;
  Status AddSetupToken(const std::string& token_hash, const std::vector<uint8_t>& sealed,
                       int64_t expires_at) override;
  Result<std::optional<std::vector<uint8_t>>> OpenSetupToken(int64_t now) override;
  Result<bool> SetupTokenUsable(const std::string& token_hash, int64_t now) override;
  Result<int64_t> CompleteSetup(const std::string& token_hash, const NewPerson& person,
                                const AuditEvent& audit) override;

  Result<std::vector<std::string>> PasswordHistory(int64_t person_id, int limit) override;
  Status ChangePassword(int64_t person_id, const std::string& hash, int64_t keep_session_id,
                        const AuditEvent& audit) override;
  Status RequirePasswordChange(int64_t person_id, bool end_sessions,
                               const AuditEvent& audit) override;
  Result<std::optional<std::string>> GetPortalSettings(Portal portal) override;
  Result<int64_t> SettingsVersion() override;

  Status ForEachSealed(
      const std::function<void(std::string_view where, const std::vector<uint8_t>& sealed)>& visit)
      override;
  Status ResealAll(const Reseal& reseal, const std::string& fingerprint) override;
  Result<std::optional<std::string>> KeyFingerprint() override;
  Status RecordKeyFingerprint(const std::string& fingerprint) override;
  Status PutPortalSettings(Portal portal, const std::string& json, const AuditEvent& audit,
                           bool end_sessions, int64_t keep_session_id,
                           const SignInGuard& guard) override;
  Result<int64_t> AddRole(const Role& role, const AuditEvent& audit) override;

  Result<TotpEnrollment> GetTotp(int64_t person_id) override;
  Status PutPendingTotp(int64_t person_id, const std::vector<uint8_t>& sealed_secret,
                        const AuditEvent& audit) override;
  Status ConfirmTotp(int64_t person_id, const std::vector<uint8_t>& pending_secret, int64_t step,
                     const std::vector<std::vector<uint8_t>>& recovery_codes,
                     const AuditEvent& audit) override;
  Result<bool> AcceptTotpStep(int64_t person_id, int64_t step) override;
  Result<std::vector<RecoveryCode>> RecoveryCodes(int64_t person_id) override;
  Result<bool> UseRecoveryCode(int64_t code_id, const AuditEvent& audit) override;
  Status ReplaceRecoveryCodes(int64_t person_id, const std::vector<std::vector<uint8_t>>& codes,
                              const AuditEvent& audit) override;
  Status PutEmailOtp(int64_t person_id, const std::string& code_hash, int64_t expires_at,
                     const OutgoingMail& mail, const AuditEvent& audit) override;
  Result<std::optional<EmailOtp>> GetEmailOtp(int64_t person_id) override;
  Status CountEmailOtpFailure(int64_t person_id) override;
  Result<bool> UseEmailOtp(int64_t person_id, int64_t now) override;
  Result<bool> AddRecoveryRequest(int64_t person_id, int64_t not_since,
                                  const AuditEvent& audit) override;
  Result<int64_t> LastRecoveryRequest(int64_t person_id) override;
  Result<std::vector<RecoveryRequestRow>> PendingRecoveryRequests() override;
  Status ResetMfa(int64_t person_id, const AuditEvent& audit) override;

  Result<std::vector<OutboxRow>> DueMail(int64_t now, int limit) override;
  Status MailSent(int64_t mail_id, int64_t now) override;
  Status WipeExpiredMail(int64_t now) override;
  Status MailFailed(int64_t mail_id, const std::string& error, int64_t next_attempt_at) override;
  Result<std::vector<OutboxRow>> ListOutbox(int limit) override;
  Status QueueMail(const std::vector<OutgoingMail>& mails, int64_t now) override;

  Result<RecordPage> ListRecords(RecordKind kind, const RecordQuery& query) override;
  Result<std::optional<Record>> GetRecord(RecordKind kind, int64_t id) override;
  Result<std::vector<int64_t>> MatchingIds(RecordKind kind, const RecordFilter& filter,
                                           const std::vector<int64_t>& ids) override;
  Result<std::unique_ptr<RecordCursor>> OpenRecordCursor(RecordKind kind,
                                                         const RecordQuery& query) override;
  Result<std::unique_ptr<RecordWrite>> BeginRecordWrite() override;
  Result<std::vector<HistoryRow>> RecordHistory(RecordKind kind, int64_t id, int limit) override;
  Result<RecordNames> ListRecordNames() override;
  Result<std::vector<int64_t>> GroupsOf(int64_t person_id) override;
  Result<int64_t> Seed(const SeedRecords& seed, int64_t now, const AuditEvent& audit) override;

  Result<std::optional<SsoProviderRow>> GetSsoProvider(Portal portal) override;
  Status PutSsoProvider(Portal portal, const SsoProviderRow& row, bool unlink,
                        const AuditEvent& audit, const SignInGuard& guard,
                        const std::vector<OutgoingMail>& notices) override;
  Status DeleteSsoProvider(Portal portal, const AuditEvent& audit, const SignInGuard& guard,
                           const std::vector<OutgoingMail>& notices) override;
  Result<bool> MarkSsoTested(Portal portal, int64_t person_id, int64_t version,
                             const AuditEvent& audit) override;
  Status AddSsoAttempt(const SsoAttempt& attempt) override;
  Result<std::optional<SsoAttempt>> TakeSsoAttempt(const std::string& state_hash,
                                                   int64_t now) override;
  Result<std::optional<int64_t>> FindSsoIdentity(Portal portal, const std::string& issuer,
                                                 const std::string& subject) override;
  Result<bool> HasSsoIdentity(int64_t person_id) override;
  Result<int64_t> CompleteSsoSignIn(const SsoSignIn& sign_in, const AuditEvent& audit) override;
  Status AddSsoPendingLink(const SsoPendingLink& link, const std::optional<OutgoingMail>& mail,
                           const AuditEvent& audit) override;
  Result<std::optional<SsoPendingLink>> FindSsoPendingLink(Portal portal,
                                                           const std::string& binding_hash,
                                                           int64_t now) override;
  Result<std::optional<SsoPendingLink>> TakeSsoPendingLink(Portal portal,
                                                           const std::string& binding_hash,
                                                           int64_t now) override;
  Status LinkSsoIdentity(const SsoPendingLink& link, const AuditEvent& audit) override;

  Status Audit(const AuditEvent& event) override;
  Result<int64_t> CountAudit(const std::string& event) override;
  Result<std::pair<std::vector<AuditRow>, int64_t>> QueryAudit(const AuditFilter& f) override;

 private:
  // What the writer's page cache keeps between writes (writer_mutex.h): a
  // stream of inline edits or sign-ins would otherwise fill it page by page
  // and keep it.
  static constexpr int64_t kWriteCacheKept = 8 << 20;

  // Holds the writer lock; when it ends, after the commit, drops the cached
  // sessions. For every write that changes people, roles or sessions.
  class SessionWrite {
   public:
    explicit SessionWrite(SqliteStore& store) : store_(store), lock_(store.mutex_) {}
    ~SessionWrite() { store_.sessions_.Invalidate(); }
    SessionWrite(const SessionWrite&) = delete;
    SessionWrite& operator=(const SessionWrite&) = delete;

   private:
    SqliteStore& store_;
    std::lock_guard<WriterMutex> lock_;
  };

  // Holds the writer lock; when it ends, after the commit, drops the cached
  // list totals. For every write to asset or software records.
  class RecordWriteLock {
   public:
    explicit RecordWriteLock(SqliteStore& store) : store_(store), lock_(store.mutex_) {}
    ~RecordWriteLock() { store_.record_counts_.Invalidate(); }
    RecordWriteLock(const RecordWriteLock&) = delete;
    RecordWriteLock& operator=(const RecordWriteLock&) = delete;

   private:
    SqliteStore& store_;
    std::lock_guard<WriterMutex> lock_;
  };
  // The RecordWrite on this database (sqlite_record_store.cc).
  class RecordTransaction;

  // Runs one statement to completion inside the current transaction.
  Status ExecLocked(std::string_view sql, const std::function<void(Statement&)>& bind);
  // Runs a query, handing each row to `row`. Caller holds the lock.
  Status QueryLocked(std::string_view sql, const std::function<void(Statement&)>& bind,
                     const std::function<void(const Statement&)>& row);
  Status InsertMailLocked(const OutgoingMail& mail, int64_t now);
  // Links an identity; kConflict when the person or the identity is linked.
  Status InsertIdentityLocked(Portal portal, const std::string& issuer, const std::string& subject,
                              int64_t person_id, const std::string& email, int64_t at);
  // Deletes the portal's rows from each of `tables` (fixed names, never input).
  Status DeletePortalRowsLocked(Portal portal, std::initializer_list<const char*> tables);
  // Queues the administrators' notices, then writes the audit entry.
  Status NoticesAndAuditLocked(const std::vector<OutgoingMail>& notices, const AuditEvent& audit);
  Status ResolveRequestsLocked(int64_t person_id, const AuditEvent& audit,
                               std::string_view resolution);

  Status AuditLocked(const AuditEvent& event);
  // The people lists' helpers (directory.cc).
  static Status GroupsOfLocked(const Database& db, std::vector<PersonSummary>& people);
  Status KeepAnAdministratorLocked();
  Status ExpectOneChangeLocked(const char* what);
  Status DeleteCatalogEntryLocked(CatalogKind kind, int64_t id,
                                  std::optional<int64_t> move_members_to);
  // OK for a custom role; kNotFound, or kConflict for a built-in one.
  Status CustomRoleLocked(int64_t id);
  Status SetDeactivatedLocked(int64_t id, std::optional<int64_t> deactivated_at);
  Status InsertInvitationLocked(int64_t person_id, const NewInvitation& invitation);
  // Sets the password, records it in the history, clears
  // must_change_password and ends every session but keep_session_id.
  Status SetPasswordLocked(int64_t person_id, const std::string& hash, int64_t keep_session_id,
                           int64_t at);
  Result<std::optional<SsoProviderRow>> SsoProviderLocked(Portal portal);
  // Runs `guard` (if any) on the portal's stored settings and provider.
  Status CheckGuardLocked(Portal portal, const SignInGuard& guard);
  // Writes a record as `after` holds it (version + 1) and its history row.
  Status WriteRecordLocked(RecordKind kind, const Record& before, const Record& after,
                           const HistoryEntry& entry);
  Status WriteManyLocked(RecordKind kind, const RecordWrite::ManyWrite& write,
                         const HistoryEntry& entry);
  // Adds a record (version 1) and its history row; its id.
  // Adds the records with ids from the table's highest + 1 on; the first.
  Result<int64_t> InsertManyLocked(RecordKind kind, const RecordWrite::ManyInsert& insert,
                                   const HistoryEntry& entry);
  Result<int64_t> InsertRecordLocked(RecordKind kind, const Record& record,
                                     const HistoryEntry& entry);
  Status InsertHistoryLocked(RecordKind kind, int64_t id, const HistoryEntry& entry);
  // The search index during a transaction (migration 12): paused, its
  // triggers note what changed; caught up in one statement per list.
  Status PauseSearchLocked();
  Status CatchUpSearchLocked();
  Result<int64_t> InsertPersonLocked(const NewPerson& person, const AuditEvent& audit);
  Result<std::optional<Person>> QueryPerson(std::string_view where_sql,
                                            const std::function<void(Statement&)>& bind);
  // A prepared statement kept for the store's lifetime (reset, bindings
  // cleared), for queries on every request's path. Caller holds the lock.
  Result<Statement*> Cached(std::string_view sql);

  // Runs `body` inside BEGIN IMMEDIATE … COMMIT, rolling back on failure.
  Status InTransaction(const std::function<Status()>& body);

  Database db_;
  // Every use of db_ holds it; its release trims db_'s page cache.
  WriterMutex mutex_{db_, kWriteCacheKept};
  // Declared after db_ so statements are finalized before the connection closes.
  std::unordered_map<std::string, Statement> statements_;
  // After db_, so it stops before the writer closes.
  Checkpointer checkpointer_;
  ReadPool reads_;
  SessionCache sessions_;
  CountCache record_counts_;
  // Where the pages of the plain lists start (position_index.h); one
  // reader at a time builds a missing one, while readers of the column
  // orders read their pages without it.
  PositionIndexes positions_;
  std::mutex position_build_mutex_;
  // List pages read at once, one per core: more only take turns on the
  // cores, each connection faulting the mapped file in again (measured on
  // 2 cores, 64 clients: 3,300 pages/s and p99 ~200 ms unbounded, 12,500
  // and ~45 ms bounded).
  ConcurrencyLimit list_readers_{
      std::max(2, static_cast<int>(std::thread::hardware_concurrency()))};
  // How deep a search's pages are sorted by the position index's ranks
  // (ListSearchByRank); deeper ones sort every match in SQL.
  static constexpr size_t kRankedSearchDepth = 2000;
  // A page of a plain list (no filter) from its position index, or
  // nullopt when it cannot be served that way.
  Result<std::optional<RecordPage>> ListByPosition(RecordKind kind, const RecordQuery& query,
                                                   ReadPool::Lease& lease);
  // Builds an order's index from one read snapshot of `lease`, in step
  // with the commits (PositionIndexes::BeginBuild).
  Status BuildPositionIndex(const PositionIndexes::Order& order, ReadPool::Lease& lease);
  // The records retired when a build reads its order, a flag per id up to
  // the table's highest: the orders' indexes hold them too (migration 17),
  // and builds step over them.
  struct RetiredIds {
    int64_t highest = 0;
    std::vector<bool> by_id;
    bool Has(int64_t id) const {
      return id >= 0 && id <= highest && by_id[static_cast<size_t>(id)];
    }
  };
  Result<RetiredIds> ReadRetiredIds(RecordKind kind, ReadPool::Lease& lease);
  Status BuildColumnIndex(const PositionIndexes::Order& order, uint64_t generation,
                          const RetiredIds& retired, ReadPool::Lease& lease);
  // Builds `order`'s index again when `snapshot` says it is due and no
  // other reader is building one; true when there is a new index to read.
  Result<bool> RefreshPositionIndex(const PositionIndexes::Order& order,
                                    const PositionIndexes::Snapshot& snapshot,
                                    ReadPool::Lease& lease);
  // What a reader does when the order's index is missing or `stale`:
  // build it, one reader at a time (kWait: waiting for the one building;
  // kIfFree: not), or read without it (kNever).
  enum class Build { kWait, kIfFree, kNever };
  using OffsetFor = std::function<int64_t(int64_t total)>;
  using StaleIf = std::function<bool(const PositionIndexes::Snapshot&)>;
  // The snapshot of `order`'s index a page is read from (offset_for as
  // PositionIndexes::Find): found, or built as `build` says, or rebuilt by
  // this reader when due and no other is building; `read` begun on the
  // lease in the same step, so the page's rows are those it counts. None
  // when there is no index to read now; the caller then answers without it.
  Result<std::optional<PositionIndexes::Snapshot>> SnapshotOf(const PositionIndexes::Order& order,
                                                              const OffsetFor& offset_for,
                                                              const StaleIf& stale, Build build,
                                                              ReadPool::Lease& lease,
                                                              ReadTransaction& read);
  // Room for the ranks of a build of `order`, if its builds keep them.
  std::shared_ptr<BuildRanks> NewRanks(const PositionIndexes::Order& order,
                                       const RetiredIds& retired);
  // A search's page and total, its matches sorted by their ranks in the
  // order's position index; nullopt when it cannot be served that way.
  Result<std::optional<RecordPage>> ListSearchByRank(RecordKind kind, const RecordQuery& query,
                                                     ReadPool::Lease& lease);
  Status BuildReferenceIndex(const PositionIndexes::Order& order, uint64_t generation,
                             const RetiredIds& retired, ReadPool::Lease& lease);
  // The rows of a column's order from `snapshot`'s anchor, in order.
  Status ReadColumnRows(const PositionIndexes::Order& order,
                        const PositionIndexes::Snapshot& snapshot, int64_t count,
                        ReadPool::Lease& lease, std::vector<Record>& rows);
  // The rows of a reference order from `snapshot`'s anchor, in order.
  Status ReadReferenceRows(const PositionIndexes::Order& order,
                           const PositionIndexes::Snapshot& snapshot, int64_t count,
                           ReadPool::Lease& lease, std::vector<Record>& rows);
};

}  // namespace deskgate::store
