#include "server/crypto/secret_box.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
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

Result<SecretBox> SecretBox::LoadFile(const std::string& key_file) {
  if (sodium_init() < 0) return Status::Error("libsodium failed to initialise");
  struct stat st {};
  if (::stat(key_file.c_str(), &st) != 0) {
    return Status::Error("no master key file at " + key_file);
  }
  auto key = KeyFromFile(key_file);
  if (!key.ok()) return key.status();
  return SecretBox(std::move(key).value());
}

SecretBox SecretBox::Generate() {
  return SecretBox(RandomSecret(kKeyBytes));
}

Status SecretBox::WriteKeyFile(const std::string& key_file) const {
  const int fd = ::open(key_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Error("cannot create " + key_file + ": " + std::strerror(errno));
  const bool written = ::write(fd, key_.bytes().data(), kKeyBytes) == kKeyBytes;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) return Status::Error("cannot write " + key_file);
  return Status::Ok();
}

namespace {

constexpr std::string_view kBundleFormat = "deskgate-key-bundle-1";

std::string ToHex(const unsigned char* bytes, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

bool FromHex(std::string_view hex, std::vector<uint8_t>& out) {
  out.assign(hex.size() / 2, 0);
  size_t length = 0;
  return hex.size() % 2 == 0 &&
         sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &length,
                        nullptr) == 0 &&
         length == out.size();
}

// The secretbox key derived from `passphrase` and `salt`.
Result<SecretBytes> BundleKey(std::string_view passphrase, const std::vector<uint8_t>& salt,
                              unsigned long long ops, size_t mem) {
  std::vector<uint8_t> key(kKeyBytes);
  if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), salt.data(), ops,
                    mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Error("not enough memory to derive the bundle's key");
  }
  return SecretBytes(std::move(key));
}

}  // namespace

// Format, one field per line:
//   deskgate-key-bundle-1
//   argon2id OPSLIMIT MEMLIMIT SALT_HEX
//   SEALED_HEX            (nonce || ciphertext of the 32-byte key)
std::string SecretBox::ExportBundle(std::string_view passphrase) const {
  std::vector<uint8_t> salt(crypto_pwhash_SALTBYTES);
  randombytes_buf(salt.data(), salt.size());
  const unsigned long long ops = crypto_pwhash_OPSLIMIT_MODERATE;
  const size_t mem = crypto_pwhash_MEMLIMIT_MODERATE;
  auto key = BundleKey(passphrase, salt, ops, mem);
  if (!key.ok()) return "";
  const SecretBox wrapper(std::move(key).value());
  const std::vector<uint8_t> sealed = wrapper.Seal(key_.view());
  return std::string(kBundleFormat) + "\nargon2id " + std::to_string(ops) + " " +
         std::to_string(mem) + " " + ToHex(salt.data(), salt.size()) + "\n" +
         ToHex(sealed.data(), sealed.size()) + "\n";
}

Result<SecretBox> SecretBox::ImportBundle(std::string_view bundle, std::string_view passphrase) {
  if (sodium_init() < 0) return Status::Error("libsodium failed to initialise");
  const auto bad = Status::Error("not a deskgate key bundle");
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < bundle.size();) {
    const size_t end = std::min(bundle.find('\n', start), bundle.size());
    lines.push_back(bundle.substr(start, end - start));
    start = end + 1;
  }
  if (lines.size() != 3 || lines[0] != kBundleFormat) return bad;
  char salt_hex[129] = {};
  unsigned long long ops = 0, mem = 0;
  const std::string params(lines[1]);
  if (std::sscanf(params.c_str(), "argon2id %llu %llu %128s", &ops, &mem, salt_hex) != 3 ||
      ops < crypto_pwhash_OPSLIMIT_MIN || ops > crypto_pwhash_OPSLIMIT_SENSITIVE ||
      mem < crypto_pwhash_MEMLIMIT_MIN || mem > crypto_pwhash_MEMLIMIT_SENSITIVE) {
    return bad;
  }
  std::vector<uint8_t> salt, sealed;
  if (!FromHex(salt_hex, salt) || salt.size() != crypto_pwhash_SALTBYTES ||
      !FromHex(lines[2], sealed)) {
    return bad;
  }
  auto key = BundleKey(passphrase, salt, ops, static_cast<size_t>(mem));
  if (!key.ok()) return key.status();
  auto opened = SecretBox(std::move(key).value()).Open(sealed);
  if (!opened.ok() || opened.value().bytes().size() != kKeyBytes) {
    return Status::Error("the passphrase does not open this key bundle");
  }
  return SecretBox(std::move(opened).value());
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
