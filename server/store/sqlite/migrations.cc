#include "server/store/sqlite/migrations.h"

#include <string>

namespace deskgate::store {

const std::vector<Migration>& SchemaMigrations() {
  static const std::vector<Migration> migrations = {
      {1, R"sql(
        -- Facts about this deskgate instance (creation time, helpdesk name).
        CREATE TABLE instance (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
        INSERT INTO instance (key, value) VALUES ('created_at', CAST(unixepoch() AS TEXT));
      )sql"},
      {2, R"sql(
        -- Agent roles. The two flags are the product's explicit permissions.
        CREATE TABLE roles (
          id                    INTEGER PRIMARY KEY,
          name                  TEXT NOT NULL UNIQUE COLLATE NOCASE,
          builtin               INTEGER NOT NULL DEFAULT 0,
          is_admin              INTEGER NOT NULL DEFAULT 0,
          manage_authentication INTEGER NOT NULL DEFAULT 0,
          manage_agent_mfa      INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        INSERT INTO roles (name, builtin, is_admin, manage_authentication, manage_agent_mfa)
          VALUES ('Administrator', 1, 1, 1, 1), ('Agent', 1, 0, 0, 0);

        -- Agents and contacts. The same address may exist once per portal;
        -- only agents have a role.
        CREATE TABLE people (
          id                   INTEGER PRIMARY KEY,
          portal               TEXT NOT NULL CHECK (portal IN ('agent', 'contact')),
          email                TEXT NOT NULL COLLATE NOCASE,
          name                 TEXT NOT NULL DEFAULT '',
          role_id              INTEGER REFERENCES roles (id),
          password_hash        TEXT NOT NULL,
          password_changed_at  INTEGER NOT NULL,
          must_change_password INTEGER NOT NULL DEFAULT 0,
          created_at           INTEGER NOT NULL,
          UNIQUE (portal, email),
          CHECK ((portal = 'agent') = (role_id IS NOT NULL))
        ) STRICT;

        CREATE TABLE password_history (
          person_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
          password_hash TEXT NOT NULL,
          changed_at    INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX password_history_person ON password_history (person_id, changed_at);

        CREATE TABLE sessions (
          id           INTEGER PRIMARY KEY,
          token_hash   TEXT NOT NULL UNIQUE,
          person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
          portal       TEXT NOT NULL,
          created_at   INTEGER NOT NULL,
          last_seen_at INTEGER NOT NULL,
          ip           TEXT NOT NULL,
          user_agent   TEXT NOT NULL
        ) STRICT;
        CREATE INDEX sessions_person ON sessions (person_id);

        CREATE TABLE login_throttle (
          key          TEXT PRIMARY KEY,
          failures     INTEGER NOT NULL,
          window_start INTEGER NOT NULL
        ) STRICT;

        -- Authentication settings per portal, as the settings API's JSON.
        CREATE TABLE portal_settings (
          portal     TEXT PRIMARY KEY CHECK (portal IN ('agent', 'contact')),
          settings   TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE audit_log (
          id       INTEGER PRIMARY KEY,
          at       INTEGER NOT NULL,
          actor_id INTEGER,
          portal   TEXT NOT NULL DEFAULT '',
          event    TEXT NOT NULL,
          target   TEXT NOT NULL DEFAULT '',
          ip       TEXT NOT NULL DEFAULT '',
          details  TEXT NOT NULL DEFAULT '{}'
        ) STRICT;
        CREATE INDEX audit_log_at ON audit_log (at);
        CREATE INDEX audit_log_event ON audit_log (event, at);
      )sql"},
      {3, R"sql(
        -- One-time links for creating the first administrator.
        CREATE TABLE setup_tokens (
          token_hash TEXT PRIMARY KEY,
          expires_at INTEGER NOT NULL,
          used_at    INTEGER
        ) STRICT;
      )sql"},
      {4, R"sql(
        -- Where a session stands in signing in: 'done', or waiting for a
        -- second factor ('mfa') or for authenticator enrollment ('mfa_setup').
        ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'done'
          CHECK (stage IN ('done', 'mfa', 'mfa_setup'));

        -- Authenticator-app enrollment. Secrets are sealed under the master
        -- key. `pending_secret` waits for a code from the app; `last_step`
        -- is the newest time step accepted, so no code works twice.
        CREATE TABLE mfa_totp (
          person_id      INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
          secret         BLOB,
          pending_secret BLOB,
          last_step      INTEGER NOT NULL DEFAULT 0,
          enrolled_at    INTEGER
        ) STRICT;

        -- One-time recovery codes, sealed (admins may view the unused ones).
        CREATE TABLE recovery_codes (
          id         INTEGER PRIMARY KEY,
          person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
          code       BLOB NOT NULL,
          created_at INTEGER NOT NULL,
          used_at    INTEGER
        ) STRICT;
        CREATE INDEX recovery_codes_person ON recovery_codes (person_id);

        -- The live email code of a person (a resend replaces it), hashed.
        CREATE TABLE email_otps (
          person_id  INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
          code_hash  TEXT NOT NULL,
          sent_at    INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          failures   INTEGER NOT NULL DEFAULT 0,
          used_at    INTEGER
        ) STRICT;

        CREATE TABLE recovery_requests (
          id           INTEGER PRIMARY KEY,
          person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
          requested_at INTEGER NOT NULL,
          resolved_at  INTEGER,
          resolved_by  INTEGER REFERENCES people (id) ON DELETE SET NULL,
          resolution   TEXT
        ) STRICT;
        CREATE INDEX recovery_requests_person ON recovery_requests (person_id, requested_at);

        -- Mail waiting to be sent. Bodies are sealed (they carry sign-in
        -- codes) and wiped once sent; a message past `expires_at` is
        -- no longer worth sending.
        CREATE TABLE outbox (
          id              INTEGER PRIMARY KEY,
          recipient       TEXT NOT NULL,
          subject         TEXT NOT NULL,
          body            BLOB NOT NULL,
          created_at      INTEGER NOT NULL,
          expires_at      INTEGER NOT NULL,
          attempts        INTEGER NOT NULL DEFAULT 0,
          next_attempt_at INTEGER NOT NULL,
          sent_at         INTEGER,
          last_error      TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
      )sql"},
      {5, R"sql(
        -- Who may edit assets and software: every record ('all'), only
        -- records managed by one of the agent's groups ('own_groups'), or none.
        ALTER TABLE roles ADD COLUMN asset_edit TEXT NOT NULL DEFAULT 'none'
          CHECK (asset_edit IN ('all', 'own_groups', 'none'));
        UPDATE roles SET asset_edit = 'all' WHERE builtin = 1;

        CREATE TABLE locations (
          id   INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE COLLATE NOCASE
        ) STRICT;

        CREATE TABLE agent_groups (
          id   INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE COLLATE NOCASE
        ) STRICT;

        CREATE TABLE group_members (
          group_id  INTEGER NOT NULL REFERENCES agent_groups (id) ON DELETE CASCADE,
          person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
          PRIMARY KEY (group_id, person_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX group_members_person ON group_members (person_id);

        -- Assets and software records share the four fields agents edit in
        -- the lists; `version` grows by one with every change (If-Match).
        CREATE TABLE assets (
          id                  INTEGER PRIMARY KEY,
          name                TEXT NOT NULL,
          asset_tag           TEXT NOT NULL UNIQUE,
          type                TEXT NOT NULL,
          impact              TEXT NOT NULL DEFAULT 'low' CHECK (impact IN ('low', 'medium', 'high')),
          location_id         INTEGER REFERENCES locations (id) ON DELETE SET NULL,
          managed_by_group_id INTEGER REFERENCES agent_groups (id) ON DELETE SET NULL,
          managed_by_agent_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
          version             INTEGER NOT NULL DEFAULT 1,
          created_at          INTEGER NOT NULL,
          updated_at          INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX assets_name ON assets (name, id);
        CREATE INDEX assets_type ON assets (type, id);
        CREATE INDEX assets_impact ON assets (impact, id);
        CREATE INDEX assets_location ON assets (location_id, id);
        CREATE INDEX assets_group ON assets (managed_by_group_id, id);
        CREATE INDEX assets_agent ON assets (managed_by_agent_id, id);
        CREATE INDEX assets_updated ON assets (updated_at, id);

        CREATE TABLE software (
          id                  INTEGER PRIMARY KEY,
          name                TEXT NOT NULL,
          publisher           TEXT NOT NULL,
          version_string      TEXT NOT NULL,
          impact              TEXT NOT NULL DEFAULT 'low' CHECK (impact IN ('low', 'medium', 'high')),
          location_id         INTEGER REFERENCES locations (id) ON DELETE SET NULL,
          managed_by_group_id INTEGER REFERENCES agent_groups (id) ON DELETE SET NULL,
          managed_by_agent_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
          version             INTEGER NOT NULL DEFAULT 1,
          created_at          INTEGER NOT NULL,
          updated_at          INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX software_name ON software (name, id);
        CREATE INDEX software_publisher ON software (publisher, id);
        CREATE INDEX software_impact ON software (impact, id);
        CREATE INDEX software_location ON software (location_id, id);
        CREATE INDEX software_group ON software (managed_by_group_id, id);
        CREATE INDEX software_agent ON software (managed_by_agent_id, id);
        CREATE INDEX software_updated ON software (updated_at, id);

        -- Every change of a record: who, when, and each changed field's
        -- value before and after, as {"field":[before, after], …}.
        CREATE TABLE record_history (
          id        INTEGER PRIMARY KEY,
          kind      TEXT NOT NULL CHECK (kind IN ('asset', 'software')),
          record_id INTEGER NOT NULL,
          at        INTEGER NOT NULL,
          actor_id  INTEGER REFERENCES people (id) ON DELETE SET NULL,
          changes   TEXT NOT NULL,
          bulk      INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE INDEX record_history_record ON record_history (kind, record_id, id);
      )sql"},
      {6, R"sql(
        -- Single sign-on. One identity provider per portal: its settings as
        -- the settings API's JSON, the client secret sealed under the master
        -- key, and who last completed a test sign-in with these settings
        -- (any change clears it; switching to SSO-only needs it). `version`
        -- counts changes, so a test vouches only for the settings it began with.
        CREATE TABLE sso_providers (
          portal        TEXT PRIMARY KEY CHECK (portal IN ('agent', 'contact')),
          settings      TEXT NOT NULL,
          client_secret BLOB,
          version       INTEGER NOT NULL,
          updated_at    INTEGER NOT NULL,
          tested_by     INTEGER REFERENCES people (id) ON DELETE SET NULL,
          tested_at     INTEGER NOT NULL DEFAULT 0
        ) STRICT;

        -- Sign-ins sent to a provider and not back yet, by the SHA-256 of
        -- their state. Each is taken (deleted) when the provider answers, so
        -- a state works once. `secrets` is the sealed PKCE verifier and
        -- nonce; `binding_hash` ties the attempt to the browser that began it.
        CREATE TABLE sso_attempts (
          state_hash   TEXT PRIMARY KEY,
          portal       TEXT NOT NULL CHECK (portal IN ('agent', 'contact')),
          purpose      TEXT NOT NULL CHECK (purpose IN ('login', 'test')),
          secrets      BLOB NOT NULL,
          binding_hash TEXT NOT NULL,
          provider_version INTEGER NOT NULL,
          person_id    INTEGER REFERENCES people (id) ON DELETE CASCADE,
          created_at   INTEGER NOT NULL,
          expires_at   INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX sso_attempts_expiry ON sso_attempts (expires_at);

        -- Accounts linked to a provider's stable subject (Entra: oid). Linked
        -- by verified email the first time, by subject afterwards. A person
        -- has at most one linked identity (whatever the issuer: an Entra
        -- multi-tenant app has one issuer per tenant), so a changed email at
        -- the provider can never reach an account linked already. Pointing
        -- the portal at another provider or application removes its links.
        CREATE TABLE sso_identities (
          portal          TEXT NOT NULL CHECK (portal IN ('agent', 'contact')),
          issuer          TEXT NOT NULL,
          subject         TEXT NOT NULL,
          person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
          email_at_link   TEXT NOT NULL,
          linked_at       INTEGER NOT NULL,
          last_sign_in_at INTEGER NOT NULL,
          PRIMARY KEY (portal, issuer, subject),
          UNIQUE (person_id)
        ) STRICT;

        -- How a session signed in: SSO sessions may offer the provider's logout.
        ALTER TABLE sessions ADD COLUMN via_sso INTEGER NOT NULL DEFAULT 0;
      )sql"},
      {7, R"sql(
        -- When the session's holder last proved who they are (the sign-in
        -- itself, or a re-authentication): dangerous changes need it recent.
        ALTER TABLE sessions ADD COLUMN reauthenticated_at INTEGER NOT NULL DEFAULT 0;

        -- A provider identity whose verified email names an existing account
        -- that it is not linked to: the link waits for the account's holder
        -- to confirm it, by signing in with their password (and second
        -- factor) or through a link mailed to the account's address, in the
        -- browser that signed in at the provider (binding_hash).
        CREATE TABLE sso_pending_links (
          id               INTEGER PRIMARY KEY,
          portal           TEXT NOT NULL CHECK (portal IN ('agent', 'contact')),
          binding_hash     TEXT NOT NULL,
          token_hash       TEXT NOT NULL UNIQUE,
          person_id        INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
          issuer           TEXT NOT NULL,
          subject          TEXT NOT NULL,
          email            TEXT NOT NULL,
          provider_version INTEGER NOT NULL,
          created_at       INTEGER NOT NULL,
          expires_at       INTEGER NOT NULL,
          mailed           INTEGER NOT NULL,
          -- Sessions up to this id existed before the link was left: none of
          -- them can confirm it (a stolen one would, otherwise).
          last_session_id  INTEGER NOT NULL,
          UNIQUE (portal, binding_hash)
        ) STRICT;
      )sql"},
      {8, R"sql(
        -- A deactivated person keeps their history and records but no
        -- sign-in path lets them in.
        ALTER TABLE people ADD COLUMN deactivated_at INTEGER;

        -- Custom roles may open the audit log without being Administrators.
        ALTER TABLE roles ADD COLUMN read_audit INTEGER NOT NULL DEFAULT 0;

        -- The last completed sign-in and how (the people lists show it),
        -- kept by the database whenever a session reaches 'done'.
        ALTER TABLE people ADD COLUMN last_sign_in_at INTEGER;
        ALTER TABLE people ADD COLUMN last_sign_in_method TEXT;
        CREATE TRIGGER sessions_signed_in AFTER INSERT ON sessions
          WHEN NEW.stage = 'done'
        BEGIN
          UPDATE people SET last_sign_in_at = NEW.created_at,
            last_sign_in_method = CASE WHEN NEW.via_sso THEN 'sso' ELSE 'password' END
          WHERE id = NEW.person_id;
        END;
        CREATE TRIGGER sessions_completed AFTER UPDATE OF stage ON sessions
          WHEN NEW.stage = 'done' AND OLD.stage != 'done'
        BEGIN
          UPDATE people SET last_sign_in_at = NEW.last_seen_at,
            last_sign_in_method = CASE WHEN NEW.via_sso THEN 'sso' ELSE 'password' END
          WHERE id = NEW.person_id;
        END;

        -- One-time links with which invited people choose their first
        -- password (the token's SHA-256 only). At most one is open per
        -- person: a new one revokes the others.
        CREATE TABLE invitations (
          id         INTEGER PRIMARY KEY,
          person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
          token_hash TEXT NOT NULL UNIQUE,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          created_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
          used_at    INTEGER,
          revoked_at INTEGER
        ) STRICT;
        CREATE INDEX invitations_person ON invitations (person_id);

        -- Single-use links for a forgotten password (the token's SHA-256).
        CREATE TABLE password_resets (
          id         INTEGER PRIMARY KEY,
          person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
          token_hash TEXT NOT NULL UNIQUE,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          used_at    INTEGER
        ) STRICT;
        CREATE INDEX password_resets_person ON password_resets (person_id);
      )sql"},
      {9, R"sql(
        -- A single sign-on may accept an invitation (portals that sign in
        -- through the provider only): the attempt names the invitation.
        -- Attempts live ten minutes, so the table starts again empty.
        DROP TABLE sso_attempts;
        CREATE TABLE sso_attempts (
          state_hash   TEXT PRIMARY KEY,
          portal       TEXT NOT NULL CHECK (portal IN ('agent', 'contact')),
          purpose      TEXT NOT NULL CHECK (purpose IN ('login', 'test', 'invitation')),
          secrets      BLOB NOT NULL,
          binding_hash TEXT NOT NULL,
          provider_version INTEGER NOT NULL,
          person_id    INTEGER REFERENCES people (id) ON DELETE CASCADE,
          invitation_id INTEGER REFERENCES invitations (id) ON DELETE CASCADE,
          created_at   INTEGER NOT NULL,
          expires_at   INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX sso_attempts_expiry ON sso_attempts (expires_at);

        -- The setup link, sealed with the master key, so that a restart
        -- prints the same link until it is used.
        ALTER TABLE setup_tokens ADD COLUMN sealed_token BLOB;

        -- The SMTP server, as an Administrator set it in the product (the
        -- server's --smtp-* flags, when given, take precedence). One row.
        CREATE TABLE mail_settings (
          id           INTEGER PRIMARY KEY CHECK (id = 1),
          host         TEXT NOT NULL,
          port         INTEGER NOT NULL,
          starttls     INTEGER NOT NULL,
          username     TEXT NOT NULL,
          password     BLOB,  -- sealed; NULL when none
          from_address TEXT NOT NULL,
          updated_at   INTEGER NOT NULL,
          tested_at    INTEGER,
          test_error   TEXT NOT NULL DEFAULT ''
        ) STRICT;
      )sql"},
      {10, R"sql(
        -- Records, whole: what describes an asset or software record beyond
        -- the four list fields, and retirement. A record is retired while
        -- retired_at is set (lists leave it out; it can be restored with
        -- everything it held); an asset keeps the status it had.
        ALTER TABLE assets ADD COLUMN serial_number TEXT NOT NULL DEFAULT '';
        ALTER TABLE assets ADD COLUMN status TEXT NOT NULL DEFAULT 'in_use'
          CHECK (status IN ('in_use', 'in_stock'));
        ALTER TABLE assets ADD COLUMN notes TEXT NOT NULL DEFAULT '';
        ALTER TABLE assets ADD COLUMN retired_at INTEGER;
        ALTER TABLE software ADD COLUMN licence_count INTEGER CHECK (licence_count >= 0);
        ALTER TABLE software ADD COLUMN notes TEXT NOT NULL DEFAULT '';
        ALTER TABLE software ADD COLUMN retired_at INTEGER;
        CREATE INDEX assets_retired ON assets (retired_at) WHERE retired_at IS NOT NULL;
        CREATE INDEX software_retired ON software (retired_at) WHERE retired_at IS NOT NULL;
      )sql"},
      {11, R"sql(
        -- The lists show records not retired, in one of their sort orders.
        -- Partial indexes of exactly those rows let a page deep in the list
        -- be found by walking the index alone (SQLite defers reading a row
        -- until it is past the OFFSET): 1,000,000 assets, page 10,000 by
        -- name, ~25 ms instead of ~550 ms. They replace the full indexes
        -- on the same columns; the impact order is indexed as the list
        -- sorts it.
        DROP INDEX assets_name;
        DROP INDEX assets_type;
        DROP INDEX assets_impact;
        DROP INDEX assets_updated;
        CREATE INDEX assets_live_name ON assets (name, id) WHERE retired_at IS NULL;
        CREATE INDEX assets_live_tag ON assets (asset_tag, id) WHERE retired_at IS NULL;
        CREATE INDEX assets_live_type ON assets (type, id) WHERE retired_at IS NULL;
        CREATE INDEX assets_live_impact ON assets (
          (CASE impact WHEN 'low' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END), id)
          WHERE retired_at IS NULL;
        CREATE INDEX assets_live_updated ON assets (updated_at, id) WHERE retired_at IS NULL;
        DROP INDEX software_name;
        DROP INDEX software_publisher;
        DROP INDEX software_impact;
        DROP INDEX software_updated;
        CREATE INDEX software_live_name ON software (name, id) WHERE retired_at IS NULL;
        CREATE INDEX software_live_publisher ON software (publisher, id) WHERE retired_at IS NULL;
        CREATE INDEX software_live_version ON software (version_string, id) WHERE retired_at IS NULL;
        CREATE INDEX software_live_impact ON software (
          (CASE impact WHEN 'low' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END), id)
          WHERE retired_at IS NULL;
        CREATE INDEX software_live_updated ON software (updated_at, id) WHERE retired_at IS NULL;
      )sql"},
      {12, R"sql(
        -- Substring search over the live records without reading every row:
        -- an FTS5 index of each field's trigrams (three characters in a row,
        -- folded to lower case). A query of three characters or more is a
        -- phrase of its trigrams, which matches where the text occurs inside
        -- one field. The index holds only records not retired (the lists
        -- search those; the retired lists are short and scanned) and only
        -- the searched fields; the rows stay in the tables (external
        -- content), so triggers keep it exact. They fire only when a
        -- searched field or the retirement changes, so bulk changes of impact
        -- or references leave the index alone.
        --
        -- FTS5 writes out what it holds at every statement that runs a
        -- trigger: a row at a time, an import of 100,000 rows took seconds
        -- longer. So the server's record writes pause the triggers (a row in
        -- search_paused, never committed): the triggers then note each
        -- record's first state in the transaction in *_search_pending, and
        -- the writer brings the index up to date in one statement per list
        -- just before it commits (records.cc, CatchUpSearchLocked). Every
        -- other writer (the sqlite3 shell, another tool) keeps the index
        -- exact row by row.
        CREATE TABLE search_paused (paused INTEGER NOT NULL);
        CREATE VIRTUAL TABLE assets_search USING fts5(
          name, asset_tag, type, serial_number,
          content = 'assets', content_rowid = 'id', tokenize = 'trigram');
        INSERT INTO assets_search (rowid, name, asset_tag, type, serial_number)
          SELECT id, name, asset_tag, type, serial_number FROM assets WHERE retired_at IS NULL;
        CREATE TABLE assets_search_pending (
          id       INTEGER PRIMARY KEY,
          was_live INTEGER NOT NULL,
          name TEXT,
          asset_tag TEXT,
          type TEXT,
          serial_number TEXT
        );
        CREATE TRIGGER assets_search_insert AFTER INSERT ON assets BEGIN
          INSERT INTO assets_search (rowid, name, asset_tag, type, serial_number)
            SELECT new.id, new.name, new.asset_tag, new.type, new.serial_number
            WHERE new.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused);
          INSERT OR IGNORE INTO assets_search_pending (id, was_live)
            SELECT new.id, 0 WHERE EXISTS (SELECT 1 FROM search_paused);
        END;
        CREATE TRIGGER assets_search_delete AFTER DELETE ON assets BEGIN
          INSERT INTO assets_search (assets_search, rowid, name, asset_tag, type, serial_number)
            SELECT 'delete', old.id, old.name, old.asset_tag, old.type, old.serial_number
            WHERE old.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused);
          INSERT OR IGNORE INTO assets_search_pending (id, was_live, name, asset_tag, type, serial_number)
            SELECT old.id, old.retired_at IS NULL, old.name, old.asset_tag, old.type, old.serial_number
            WHERE EXISTS (SELECT 1 FROM search_paused);
        END;
        CREATE TRIGGER assets_search_update AFTER UPDATE OF name, asset_tag, type, serial_number, retired_at ON assets
          WHEN old.name IS NOT new.name OR old.asset_tag IS NOT new.asset_tag OR old.type IS NOT new.type OR old.serial_number IS NOT new.serial_number
            OR (old.retired_at IS NULL) <> (new.retired_at IS NULL) BEGIN
          INSERT INTO assets_search (assets_search, rowid, name, asset_tag, type, serial_number)
            SELECT 'delete', old.id, old.name, old.asset_tag, old.type, old.serial_number
            WHERE old.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused);
          INSERT INTO assets_search (rowid, name, asset_tag, type, serial_number)
            SELECT new.id, new.name, new.asset_tag, new.type, new.serial_number
            WHERE new.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused);
          INSERT OR IGNORE INTO assets_search_pending (id, was_live, name, asset_tag, type, serial_number)
            SELECT old.id, old.retired_at IS NULL, old.name, old.asset_tag, old.type, old.serial_number
            WHERE EXISTS (SELECT 1 FROM search_paused);
        END;
        CREATE VIRTUAL TABLE software_search USING fts5(
          name, publisher, version_string,
          content = 'software', content_rowid = 'id', tokenize = 'trigram');
        INSERT INTO software_search (rowid, name, publisher, version_string)
          SELECT id, name, publisher, version_string FROM software WHERE retired_at IS NULL;
        CREATE TABLE software_search_pending (
          id       INTEGER PRIMARY KEY,
          was_live INTEGER NOT NULL,
          name TEXT,
          publisher TEXT,
          version_string TEXT
        );
        CREATE TRIGGER software_search_insert AFTER INSERT ON software BEGIN
          INSERT INTO software_search (rowid, name, publisher, version_string)
            SELECT new.id, new.name, new.publisher, new.version_string
            WHERE new.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused);
          INSERT OR IGNORE INTO software_search_pending (id, was_live)
            SELECT new.id, 0 WHERE EXISTS (SELECT 1 FROM search_paused);
        END;
        CREATE TRIGGER software_search_delete AFTER DELETE ON software BEGIN
          INSERT INTO software_search (software_search, rowid, name, publisher, version_string)
            SELECT 'delete', old.id, old.name, old.publisher, old.version_string
            WHERE old.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused);
          INSERT OR IGNORE INTO software_search_pending (id, was_live, name, publisher, version_string)
            SELECT old.id, old.retired_at IS NULL, old.name, old.publisher, old.version_string
            WHERE EXISTS (SELECT 1 FROM search_paused);
        END;
        CREATE TRIGGER software_search_update AFTER UPDATE OF name, publisher, version_string, retired_at ON software
          WHEN old.name IS NOT new.name OR old.publisher IS NOT new.publisher OR old.version_string IS NOT new.version_string
            OR (old.retired_at IS NULL) <> (new.retired_at IS NULL) BEGIN
          INSERT INTO software_search (software_search, rowid, name, publisher, version_string)
            SELECT 'delete', old.id, old.name, old.publisher, old.version_string
            WHERE old.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused);
          INSERT INTO software_search (rowid, name, publisher, version_string)
            SELECT new.id, new.name, new.publisher, new.version_string
            WHERE new.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_paused);
          INSERT OR IGNORE INTO software_search_pending (id, was_live, name, publisher, version_string)
            SELECT old.id, old.retired_at IS NULL, old.name, old.publisher, old.version_string
            WHERE EXISTS (SELECT 1 FROM search_paused);
        END;
      )sql"},
      {13, R"sql(
        -- The impact order as a column (generated, stored nowhere): an
        -- index on an expression serves a plain ORDER BY, but SQLite sorts
        -- the equal-impact branch of a page read from a position anchor in
        -- a temporary B-tree, every row of the tie (600,000 at a million).
        ALTER TABLE assets ADD COLUMN impact_rank INTEGER
          GENERATED ALWAYS AS (CASE impact WHEN 'low' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END) VIRTUAL;
        DROP INDEX assets_live_impact;
        CREATE INDEX assets_live_impact ON assets (impact_rank, id) WHERE retired_at IS NULL;
        ALTER TABLE software ADD COLUMN impact_rank INTEGER
          GENERATED ALWAYS AS (CASE impact WHEN 'low' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END) VIRTUAL;
        DROP INDEX software_live_impact;
        CREATE INDEX software_live_impact ON software (impact_rank, id) WHERE retired_at IS NULL;

        -- The live rows of each reference, in id order: a page sorted by a
        -- reference reads one location's (group's, agent's) rows from an
        -- anchor without visiting retired ones. (The full indexes stay for
        -- the foreign keys and the retired lists.)
        CREATE INDEX assets_live_location ON assets (location_id, id) WHERE retired_at IS NULL;
        CREATE INDEX assets_live_group ON assets (managed_by_group_id, id) WHERE retired_at IS NULL;
        CREATE INDEX assets_live_agent ON assets (managed_by_agent_id, id) WHERE retired_at IS NULL;
        CREATE INDEX software_live_location ON software (location_id, id) WHERE retired_at IS NULL;
        CREATE INDEX software_live_group ON software (managed_by_group_id, id) WHERE retired_at IS NULL;
        CREATE INDEX software_live_agent ON software (managed_by_agent_id, id) WHERE retired_at IS NULL;

        -- The lists sort by a location's, group's or agent's name, which no
        -- record holds: the position index of such an order numbers the
        -- names, and is good only while they stay as they were. This
        -- counter moves with every rename or deletion (from any process);
        -- a new name matters only once a record names it, which the index
        -- sees in that record's write.
        CREATE TABLE record_names_version (n INTEGER NOT NULL) STRICT;
        INSERT INTO record_names_version (n) VALUES (0);
        CREATE TRIGGER locations_names_update AFTER UPDATE OF name ON locations BEGIN
          UPDATE record_names_version SET n = n + 1;
        END;
        CREATE TRIGGER locations_names_delete AFTER DELETE ON locations BEGIN
          UPDATE record_names_version SET n = n + 1;
        END;
        CREATE TRIGGER agent_groups_names_update AFTER UPDATE OF name ON agent_groups BEGIN
          UPDATE record_names_version SET n = n + 1;
        END;
        CREATE TRIGGER agent_groups_names_delete AFTER DELETE ON agent_groups BEGIN
          UPDATE record_names_version SET n = n + 1;
        END;
        CREATE TRIGGER people_names_update AFTER UPDATE OF name ON people
          WHEN old.name IS NOT new.name BEGIN
          UPDATE record_names_version SET n = n + 1;
        END;
        CREATE TRIGGER people_names_delete AFTER DELETE ON people BEGIN
          UPDATE record_names_version SET n = n + 1;
        END;
      )sql"},
      {14, R"sql(
        -- Servers keep each portal's settings in memory; a change written by
        -- another process (the break-glass command, a second server on the
        -- same database) moves this counter, and they read them again.
        CREATE TABLE settings_version (n INTEGER NOT NULL) STRICT;
        INSERT INTO settings_version (n) VALUES (0);
        CREATE TRIGGER portal_settings_version_insert AFTER INSERT ON portal_settings BEGIN
          UPDATE settings_version SET n = n + 1;
        END;
        CREATE TRIGGER portal_settings_version_update AFTER UPDATE ON portal_settings BEGIN
          UPDATE settings_version SET n = n + 1;
        END;
        CREATE TRIGGER portal_settings_version_delete AFTER DELETE ON portal_settings BEGIN
          UPDATE settings_version SET n = n + 1;
        END;
      )sql"},
      {15, R"sql(
        -- Which master key the sealed values are sealed under (a keyed
        -- digest, not the key): a server started with another key says so
        -- instead of failing at every secret, and a key rotation cut short
        -- between its commit and the key file's rename is finished at the
        -- next start.
        CREATE TABLE master_key (fingerprint TEXT NOT NULL) STRICT;
      )sql"},
      {16, R"sql(
        -- The search index holds retired records too. Taking a record's
        -- trigrams out at its retirement and putting them back at its
        -- restore cost more than the rest of a bulk retirement or restore
        -- together (300,000 assets: 2.1 s out, 5.8 s back in); searches
        -- read each match's row anyway, and leave out those of the other
        -- list there. The triggers now fire only when a searched field
        -- changes; *_search_pending notes whether the record was indexed
        -- (any record but one added in the same transaction).
        DROP TRIGGER assets_search_insert;
        DROP TRIGGER assets_search_delete;
        DROP TRIGGER assets_search_update;
        DROP TABLE assets_search_pending;
        INSERT INTO assets_search (rowid, name, asset_tag, type, serial_number)
          SELECT id, name, asset_tag, type, serial_number FROM assets WHERE retired_at IS NOT NULL;
        CREATE TABLE assets_search_pending (
          id          INTEGER PRIMARY KEY,
          was_indexed INTEGER NOT NULL,
          name TEXT,
          asset_tag TEXT,
          type TEXT,
          serial_number TEXT
        );
        CREATE TRIGGER assets_search_insert AFTER INSERT ON assets BEGIN
          INSERT INTO assets_search (rowid, name, asset_tag, type, serial_number)
            SELECT new.id, new.name, new.asset_tag, new.type, new.serial_number
            WHERE NOT EXISTS (SELECT 1 FROM search_paused);
          INSERT OR IGNORE INTO assets_search_pending (id, was_indexed)
            SELECT new.id, 0 WHERE EXISTS (SELECT 1 FROM search_paused);
        END;
        CREATE TRIGGER assets_search_delete AFTER DELETE ON assets BEGIN
          INSERT INTO assets_search (assets_search, rowid, name, asset_tag, type, serial_number)
            SELECT 'delete', old.id, old.name, old.asset_tag, old.type, old.serial_number
            WHERE NOT EXISTS (SELECT 1 FROM search_paused);
          INSERT OR IGNORE INTO assets_search_pending (id, was_indexed, name, asset_tag, type, serial_number)
            SELECT old.id, 1, old.name, old.asset_tag, old.type, old.serial_number
            WHERE EXISTS (SELECT 1 FROM search_paused);
        END;
        CREATE TRIGGER assets_search_update AFTER UPDATE OF name, asset_tag, type, serial_number ON assets
          WHEN old.name IS NOT new.name OR old.asset_tag IS NOT new.asset_tag OR old.type IS NOT new.type
            OR old.serial_number IS NOT new.serial_number BEGIN
          INSERT INTO assets_search (assets_search, rowid, name, asset_tag, type, serial_number)
            SELECT 'delete', old.id, old.name, old.asset_tag, old.type, old.serial_number
            WHERE NOT EXISTS (SELECT 1 FROM search_paused);
          INSERT INTO assets_search (rowid, name, asset_tag, type, serial_number)
            SELECT new.id, new.name, new.asset_tag, new.type, new.serial_number
            WHERE NOT EXISTS (SELECT 1 FROM search_paused);
          INSERT OR IGNORE INTO assets_search_pending (id, was_indexed, name, asset_tag, type, serial_number)
            SELECT old.id, 1, old.name, old.asset_tag, old.type, old.serial_number
            WHERE EXISTS (SELECT 1 FROM search_paused);
        END;
        DROP TRIGGER software_search_insert;
        DROP TRIGGER software_search_delete;
        DROP TRIGGER software_search_update;
        DROP TABLE software_search_pending;
        INSERT INTO software_search (rowid, name, publisher, version_string)
          SELECT id, name, publisher, version_string FROM software WHERE retired_at IS NOT NULL;
        CREATE TABLE software_search_pending (
          id          INTEGER PRIMARY KEY,
          was_indexed INTEGER NOT NULL,
          name TEXT,
          publisher TEXT,
          version_string TEXT
        );
        CREATE TRIGGER software_search_insert AFTER INSERT ON software BEGIN
          INSERT INTO software_search (rowid, name, publisher, version_string)
            SELECT new.id, new.name, new.publisher, new.version_string
            WHERE NOT EXISTS (SELECT 1 FROM search_paused);
          INSERT OR IGNORE INTO software_search_pending (id, was_indexed)
            SELECT new.id, 0 WHERE EXISTS (SELECT 1 FROM search_paused);
        END;
        CREATE TRIGGER software_search_delete AFTER DELETE ON software BEGIN
          INSERT INTO software_search (software_search, rowid, name, publisher, version_string)
            SELECT 'delete', old.id, old.name, old.publisher, old.version_string
            WHERE NOT EXISTS (SELECT 1 FROM search_paused);
          INSERT OR IGNORE INTO software_search_pending (id, was_indexed, name, publisher, version_string)
            SELECT old.id, 1, old.name, old.publisher, old.version_string
            WHERE EXISTS (SELECT 1 FROM search_paused);
        END;
        CREATE TRIGGER software_search_update AFTER UPDATE OF name, publisher, version_string ON software
          WHEN old.name IS NOT new.name OR old.publisher IS NOT new.publisher
            OR old.version_string IS NOT new.version_string BEGIN
          INSERT INTO software_search (software_search, rowid, name, publisher, version_string)
            SELECT 'delete', old.id, old.name, old.publisher, old.version_string
            WHERE NOT EXISTS (SELECT 1 FROM search_paused);
          INSERT INTO software_search (rowid, name, publisher, version_string)
            SELECT new.id, new.name, new.publisher, new.version_string
            WHERE NOT EXISTS (SELECT 1 FROM search_paused);
          INSERT OR IGNORE INTO software_search_pending (id, was_indexed, name, publisher, version_string)
            SELECT old.id, 1, old.name, old.publisher, old.version_string
            WHERE EXISTS (SELECT 1 FROM search_paused);
        END;
      )sql"},
      {17, R"sql(
        -- The orders' indexes hold every record, retired or not. As partial
        -- indexes of the live rows (migrations 11 and 13) each retirement or
        -- restore took a row out of or put it into eight of them: 400,000
        -- assets retired in 3.1 s of UPDATE and 2.0 s of COMMIT, against
        -- 1.2 s and 1.2 s when only the updated_at order moves. Reads of the
        -- live list step over the retired rows: a position index's build
        -- skips the ids it read from *_retired, a page reads fewer than 64
        -- rows before its own. The asset tag order is the tag's UNIQUE index.
        DROP INDEX assets_live_name;
        DROP INDEX assets_live_tag;
        DROP INDEX assets_live_type;
        DROP INDEX assets_live_updated;
        DROP INDEX assets_live_impact;
        DROP INDEX assets_live_location;
        DROP INDEX assets_live_group;
        DROP INDEX assets_live_agent;
        CREATE INDEX assets_name ON assets (name, id);
        CREATE INDEX assets_type ON assets (type, id);
        CREATE INDEX assets_updated ON assets (updated_at, id);
        CREATE INDEX assets_impact ON assets (impact_rank, id);
        DROP INDEX software_live_name;
        DROP INDEX software_live_publisher;
        DROP INDEX software_live_version;
        DROP INDEX software_live_updated;
        DROP INDEX software_live_impact;
        DROP INDEX software_live_location;
        DROP INDEX software_live_group;
        DROP INDEX software_live_agent;
        CREATE INDEX software_name ON software (name, id);
        CREATE INDEX software_publisher ON software (publisher, id);
        CREATE INDEX software_version ON software (version_string, id);
        CREATE INDEX software_updated ON software (updated_at, id);
        CREATE INDEX software_impact ON software (impact_rank, id);
      )sql"},
  };
  return migrations;
}

Result<int> SchemaVersion(const Database& db) {
  auto stmt = Statement::Prepare(db, "PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  auto version = stmt.value().ReadInt();
  if (!version.ok()) return version.status();
  return static_cast<int>(version.value());
}

Status Migrate(Database& db, const std::vector<Migration>& migrations) {
  auto current = SchemaVersion(db);
  if (!current.ok()) return current.status();
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (current.value() > latest) {
    return Status::Error("database schema version " + std::to_string(current.value()) +
                         " is newer than this deskgate (" + std::to_string(latest) + ")");
  }
  for (const Migration& m : migrations) {
    if (m.version <= current.value()) continue;
    // BEGIN IMMEDIATE takes the write lock at once; the version is read again
    // under it, so two servers starting together apply each migration once.
    if (Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    auto locked = SchemaVersion(db);
    Status s = locked.ok() ? Status::Ok() : locked.status();
    if (s.ok() && locked.value() < m.version) {
      s = db.Exec(m.sql);
      if (s.ok()) s = db.Exec("PRAGMA user_version = " + std::to_string(m.version));
    }
    if (s.ok()) s = db.Exec("COMMIT");
    if (!s.ok()) {
      db.Exec("ROLLBACK");
      return Status::Error("migration " + std::to_string(m.version) + " failed: " + s.message());
    }
  }
  return Status::Ok();
}

}  // namespace deskgate::store
