// SecretBox: authenticated encryption of secrets at rest (TOTP secrets,
// recovery codes, queued mail bodies) under a master key kept outside the
// database, so a copy of the database alone reveals none of them.
//
// The key comes from DESKGATE_MASTER_KEY (64 hex digits) when set, else
// from a key file, created with mode 0600 and 32 random bytes on first use.
// Sealed values are nonce || XSalsa20-Poly1305 ciphertext (libsodium
// crypto_secretbox_easy); Open fails on any tampering.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/core/status.h"

namespace deskgate::crypto {

// Bytes wiped from memory when destroyed. For plaintext secrets.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  SecretBytes(SecretBytes&& other) noexcept = default;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  const std::vector<uint8_t>& bytes() const { return bytes_; }
  std::string_view view() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }

 private:
  std::vector<uint8_t> bytes_;
};

// `count` bytes from the operating system's CSPRNG.
SecretBytes RandomSecret(size_t count);

class SecretBox {
 public:
  // Reads DESKGATE_MASTER_KEY, or the key at `key_file` (creating it).
  static Result<SecretBox> Load(const std::string& key_file);
  // Reads the key at `key_file`, which must exist (DESKGATE_MASTER_KEY is
  // not consulted: for commands about that file).
  static Result<SecretBox> LoadFile(const std::string& key_file);
  // A new random key.
  static SecretBox Generate();
  // Writes the key to `key_file`, which must not exist yet (mode 0600,
  // synced to disk before returning).
  Status WriteKeyFile(const std::string& key_file) const;

  // The key sealed under a passphrase (Argon2id, then XSalsa20-Poly1305),
  // as a small text document safe to keep beside a backup; and back.
  std::string ExportBundle(std::string_view passphrase) const;
  static Result<SecretBox> ImportBundle(std::string_view bundle, std::string_view passphrase);

  // A digest naming this key without revealing it (64 hex digits).
  std::string Fingerprint() const { return Digest("deskgate master key fingerprint", ""); }
  // For tests: a fixed key.
  explicit SecretBox(SecretBytes key) : key_(std::move(key)) {}

  std::vector<uint8_t> Seal(std::string_view plaintext) const;
  Result<SecretBytes> Open(const std::vector<uint8_t>& sealed) const;
  // A keyed BLAKE2b-256 digest of `text`, hex, under a subkey for `purpose`:
  // for short secrets such as 6-digit codes, whose plain hashes anyone
  // holding the database could reverse by trying all of them.
  std::string Digest(std::string_view purpose, std::string_view text) const;

 private:
  SecretBytes key_;
};

}  // namespace deskgate::crypto
