// Store: everything the services persist, cut by concept into small
// interfaces so that no code above it knows which database it talks to
// (SQLite today; a PostgreSQL backend for multi-instance deployments
// implements the same). A service takes the interfaces it needs; a backend
// implements them all and holds no rule: where a decision needs the state
// inside a transaction, the service makes it there (record_write.h) or
// hands the store a guard (settings_store.h).
//
// Every method that writes more than one row does so in one transaction,
// and a method that takes an AuditEvent writes it in that same transaction.
// Every interface may be called from many threads at once.
#pragma once

#include "server/store/audit_store.h"
#include "server/store/catalog_store.h"
#include "server/store/directory_store.h"
#include "server/store/invitation_store.h"
#include "server/store/mail_settings_store.h"
#include "server/store/mfa_store.h"
#include "server/store/outbox_store.h"
#include "server/store/password_reset_store.h"
#include "server/store/people_store.h"
#include "server/store/record_store.h"
#include "server/store/sealed_store.h"
#include "server/store/session_store.h"
#include "server/store/settings_store.h"
#include "server/store/sso_store.h"
#include "server/store/throttle_store.h"
#include "shared/core/status.h"

namespace deskgate::store {

class Store : public PeopleStore,
              public DirectoryStore,
              public CatalogStore,
              public InvitationStore,
              public PasswordResetStore,
              public SessionStore,
              public ThrottleStore,
              public SettingsStore,
              public MfaStore,
              public OutboxStore,
              public MailSettingsStore,
              public RecordStore,
              public SsoStore,
              public SealedStore,
              public AuditStore {
 public:
  ~Store() override = default;

  // The schema version the database is at; also tells that it answers.
  virtual Result<int> SchemaVersion() = 0;
};

}  // namespace deskgate::store
