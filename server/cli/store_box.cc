#include "server/cli/store_box.h"

#include <cstdlib>
#include <filesystem>

namespace deskgate::cli {

std::string KeyFileBeside(const std::string& db_path) {
  const std::filesystem::path dir = std::filesystem::path(db_path).parent_path();
  return (dir / "master.key").string();
}

Result<crypto::SecretBox> OpenMasterKey(store::SealedStore& store, const std::string& key_file) {
  auto recorded = store.KeyFingerprint();
  if (!recorded.ok()) return recorded.status();
  const bool from_environment = std::getenv("DESKGATE_MASTER_KEY") != nullptr;
  std::error_code ec;
  if (recorded.value() && !from_environment && !std::filesystem::exists(key_file, ec)) {
    return Status::Error("no master key at " + key_file +
                         "; this database's secrets are sealed under one (restore the key "
                         "file, or a key bundle with deskgate restore --key-bundle)");
  }
  auto box = crypto::SecretBox::Load(key_file);
  if (!box.ok()) return box.status();
  if (!recorded.value()) {
    if (Status s = store.RecordKeyFingerprint(box.value().Fingerprint()); !s.ok()) return s;
    return box;
  }
  if (*recorded.value() == box.value().Fingerprint()) return box;
  // A rotation committed its new key to the database but was stopped
  // before the key file's rename: finish it.
  const std::string rotated = key_file + ".new";
  if (!from_environment && std::filesystem::exists(rotated, ec)) {
    auto next = crypto::SecretBox::LoadFile(rotated);
    if (next.ok() && next.value().Fingerprint() == *recorded.value()) {
      std::filesystem::rename(rotated, key_file, ec);
      if (ec) return Status::Error("cannot finish the key rotation: " + ec.message());
      return next;
    }
  }
  return Status::Error(std::string("the master key ") +
                       (from_environment ? "in DESKGATE_MASTER_KEY" : "at " + key_file) +
                       " is not the key this database's secrets are sealed under");
}

}  // namespace deskgate::cli
