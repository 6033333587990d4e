#include "server/crypto/secret_box.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

#include "tests/support/temp_dir.h"

using deskgate::crypto::SecretBox;

TEST_CASE("Sealed secrets open with the same key only, and tampering is caught",
          "[unit][secret_box]") {
  deskgate::testing::TempDir dir;
  unsetenv("DESKGATE_MASTER_KEY");
  auto box = SecretBox::Load((dir.path() / "master.key").string());
  REQUIRE(box.ok());
  const auto sealed = box.value().Seal("JBSWY3DPEHPK3PXP");
  CHECK(sealed.size() == 24 + 16 + 16);
  auto opened = box.value().Open(sealed);
  REQUIRE(opened.ok());
  CHECK(opened.value().view() == "JBSWY3DPEHPK3PXP");
  // A second seal of the same text differs (fresh nonce).
  CHECK(box.value().Seal("JBSWY3DPEHPK3PXP") != sealed);

  auto tampered = sealed;
  tampered.back() ^= 1;
  CHECK_FALSE(box.value().Open(tampered).ok());
  CHECK_FALSE(box.value().Open({1, 2, 3}).ok());

  // The key file was created private, and the next load reads the same key.
  struct stat st {};
  REQUIRE(stat((dir.path() / "master.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(st.st_size == 32);
  auto again = SecretBox::Load((dir.path() / "master.key").string());
  REQUIRE(again.ok());
  CHECK(again.value().Open(sealed).ok());

  auto other = SecretBox::Load((dir.path() / "other.key").string());
  REQUIRE(other.ok());
  CHECK_FALSE(other.value().Open(sealed).ok());
}

TEST_CASE("The master key can come from the environment, and bad keys are refused",
          "[unit][secret_box]") {
  deskgate::testing::TempDir dir;
  setenv("DESKGATE_MASTER_KEY", std::string(64, 'a').c_str(), 1);
  auto from_env = SecretBox::Load((dir.path() / "unused.key").string());
  REQUIRE(from_env.ok());
  CHECK_FALSE(std::filesystem::exists(dir.path() / "unused.key"));
  setenv("DESKGATE_MASTER_KEY", "abc", 1);
  auto bad = SecretBox::Load((dir.path() / "unused.key").string());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error() == "DESKGATE_MASTER_KEY must be 64 hexadecimal digits");
  unsetenv("DESKGATE_MASTER_KEY");

  // A key file others can read is refused rather than trusted.
  const auto loose = dir.path() / "loose.key";
  std::ofstream(loose) << std::string(32, 'k');
  chmod(loose.c_str(), 0644);
  auto refused = SecretBox::Load(loose.string());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().find("chmod 600") != std::string::npos);
}

TEST_CASE("A key bundle opens with its passphrase only, and holds the same key",
          "[unit][secret_box]") {
  const SecretBox key = SecretBox::Generate();
  const std::string bundle = key.ExportBundle("correct horse battery staple");
  REQUIRE(bundle.rfind("deskgate-key-bundle-1\nargon2id ", 0) == 0);
  CHECK(bundle.find(key.Fingerprint()) == std::string::npos);
  auto opened = SecretBox::ImportBundle(bundle, "correct horse battery staple");
  REQUIRE(opened.ok());
  CHECK(opened.value().Fingerprint() == key.Fingerprint());
  CHECK(opened.value().Open(key.Seal("secret")).ok());

  auto wrong = SecretBox::ImportBundle(bundle, "correct horse battery stapler");
  CHECK(wrong.error() == "the passphrase does not open this key bundle");
  std::string tampered = bundle;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'a' ? 'b' : 'a';
  CHECK(!SecretBox::ImportBundle(tampered, "correct horse battery staple").ok());
  CHECK(SecretBox::ImportBundle("not a bundle", "x").error() == "not a deskgate key bundle");
  // Absurd work factors are refused before any is spent.
  std::string greedy = bundle;
  greedy.replace(greedy.find("argon2id ") + 9, 1, "9999999999");
  CHECK(!SecretBox::ImportBundle(greedy, "correct horse battery staple").ok());
}

TEST_CASE("Fingerprints tell keys apart without revealing them", "[unit][secret_box]") {
  const SecretBox a = SecretBox::Generate();
  const SecretBox b = SecretBox::Generate();
  CHECK(a.Fingerprint().size() == 64);
  CHECK(a.Fingerprint() == a.Fingerprint());
  CHECK(a.Fingerprint() != b.Fingerprint());
}
