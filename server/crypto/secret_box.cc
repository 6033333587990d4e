#include "server/crypto/secret_box.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace deskgate::crypto {
namespace {

constexpr size_t kKeyBytes = crypto_secretbox_KEYBYTES;

Result<SecretBytes> KeyFromHex(std::string_view hex) {
  std::vector<uint8_t> key(kKeyBytes);
  size_t length = 0;
  if (hex.size() != kKeyBytes * 2 ||
      sodium_hex2bin(key.data(), key.size(), hex.data(), hex.size(), nullptr, &length, nullptr) !=
          0 ||
      length != kKeyBytes) {
    sodium_memzero(key.data(), key.size());
    return Status::Error("DESKGATE_MASTER_KEY must be 64 hexadecimal digits");
  }
  return SecretBytes(std::move(key));
}

// Reads the key file, or creates it with fresh random bytes. O_EXCL makes
// creation safe against a second process starting at the same moment.
Result<SecretBytes> KeyFromFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    SecretBytes key = RandomSecret(kKeyBytes);
    const bool written = ::write(fd, key.bytes().data(), kKeyBytes) == kKeyBytes;
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!written || !synced) return Status::Error("cannot write the master key file " + path);
    return key;
  }
  if (errno != EEXIST) return Status::Error("cannot create the master key file " + path);
  fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error("cannot read the master key file " + path);
  struct stat st {};
  std::vector<uint8_t> key(kKeyBytes);
  const bool ok = ::fstat(fd, &st) == 0 && st.st_size == static_cast<off_t>(kKeyBytes) &&
                  ::read(fd, key.data(), kKeyBytes) == kKeyBytes;
  ::close(fd);
  if (!ok) return Status::Error("the master key file " + path + " is not a 32-byte key");
  if ((st.st_mode & 077) != 0) {
    return Status::Error("the master key file " + path +
                         " must not be readable by others (chmod 600)");
  }
  return SecretBytes(std::move(key));
}

}  // namespace

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    if (!bytes_.empty()) sodium_memzero(bytes_.data(), bytes_.size());
    bytes_ = std::move(other.bytes_);
  }
  return *this;
}

SecretBytes::~SecretBytes() {
  if (!bytes_.empty()) sodium_memzero(bytes_.data(), bytes_.size());
}

SecretBytes RandomSecret(size_t count) {
  std::vector<uint8_t> bytes(count);
  randombytes_buf(bytes.data(), bytes.size());
  return SecretBytes(std::move(bytes));
}

Result<SecretBox> SecretBox::Load(const std::string& key_file) {
  if (sodium_init() < 0) return Status::Error("libsodium failed to initialise");
  if (const char* hex = std::getenv("DESKGATE_MASTER_KEY"); hex != nullptr && *hex != '\0') {
    auto key = KeyFromHex(hex);
    if (!key.ok()) return key.status();
    return SecretBox(std::move(key).value());
  }
  auto key = KeyFromFile(key_file);
  if (!key.ok()) return key.status();
  return SecretBox(std::move(key).value());
}

std::vector<uint8_t> SecretBox::Seal(std::string_view plaintext) const {
  std::vector<uint8_t> sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                              plaintext.size());
  randombytes_buf(sealed.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(sealed.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        sealed.data(), key_.bytes().data());
  return sealed;
}

Result<SecretBytes> SecretBox::Open(const std::vector<uint8_t>& sealed) const {
  constexpr size_t kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (sealed.size() < kOverhead) return Status::Error("sealed value is truncated");
  std::vector<uint8_t> plain(sealed.size() - kOverhead);
  if (crypto_secretbox_open_easy(plain.data(), sealed.data() + crypto_secretbox_NONCEBYTES,
                                 sealed.size() - crypto_secretbox_NONCEBYTES, sealed.data(),
                                 key_.bytes().data()) != 0) {
    return Status::Error("sealed value failed authentication (wrong master key?)");
  }
  return SecretBytes(std::move(plain));
}

std::string SecretBox::Digest(std::string_view purpose, std::string_view text) const {
  // The subkey keeps digests apart from the encryption key's other use.
  unsigned char subkey[crypto_generichash_KEYBYTES];
  crypto_generichash(subkey, sizeof subkey, reinterpret_cast<const unsigned char*>(purpose.data()),
                     purpose.size(), key_.bytes().data(), key_.bytes().size());
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), subkey, sizeof subkey);
  sodium_memzero(subkey, sizeof subkey);
  char hex[2 * sizeof digest + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace deskgate::crypto
