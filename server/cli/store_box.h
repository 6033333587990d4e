// The master key a database's secrets are sealed with, found beside it.
//
// A database records the fingerprint of the key its secrets are sealed
// under (migration 15). Opening the key checks it, so a server started
// with the wrong key stops with a clear message instead of failing at
// every secret; and it finishes a key rotation that was cut short after
// its commit (the new key still at KEY.new).
#pragma once

#include <string>

#include "server/crypto/secret_box.h"
#include "server/store/sealed_store.h"
#include "shared/core/status.h"

namespace deskgate::cli {

// The master key's default home: beside the database, never inside it.
std::string KeyFileBeside(const std::string& db_path);

// DESKGATE_MASTER_KEY, or the key file (created for a database that
// records no key yet), checked against the database's fingerprint.
Result<crypto::SecretBox> OpenMasterKey(store::SealedStore& store, const std::string& key_file);

}  // namespace deskgate::cli
