#include "server/http/static_files.h"

#include <fstream>
#include <iterator>
#include <system_error>

namespace deskgate::http {
namespace fs = std::filesystem;
namespace {

// FNV-1a over the content: cheap, stable across restarts, good enough to
// tell versions of one file apart (not a security boundary).
std::string ContentEtag(std::string_view body) {
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : body) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string etag = "\"";
  for (int shift = 60; shift >= 0; shift -= 4) etag.push_back(kHex[(hash >> shift) & 0xF]);
  return etag + "\"";
}

bool IsInside(const fs::path& root, const fs::path& candidate) {
  auto r = root.begin(), c = candidate.begin();
  for (; r != root.end(); ++r, ++c) {
    if (c == candidate.end() || *r != *c) return false;
  }
  return true;
}

}  // namespace

std::string_view ContentTypeFor(const fs::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".wasm") return "application/wasm";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".woff2") return "font/woff2";
  return "application/octet-stream";
}

void StaticFiles::Mount(std::string url_prefix, fs::path folder) {
  std::error_code ec;
  fs::path root = fs::canonical(folder, ec);
  if (ec) root = fs::absolute(folder).lexically_normal();  // missing folder: serves nothing
  mounts_.insert(mounts_.begin(), MountPoint{std::move(url_prefix), std::move(root)});
}

std::optional<fs::path> StaticFiles::Resolve(const MountPoint& mount,
                                             std::string_view relative) const {
  // Refuse what no legitimate page asks for before touching the file system.
  if (relative.find('\0') != std::string_view::npos ||
      relative.find('\\') != std::string_view::npos) {
    return std::nullopt;
  }
  fs::path candidate = mount.root / fs::path(relative).relative_path();
  std::error_code ec;
  if (fs::is_directory(candidate, ec)) candidate /= "index.html";
  candidate = fs::canonical(candidate, ec);  // resolves "..", symlinks; fails if missing
  if (ec || !IsInside(mount.root, candidate) || !fs::is_regular_file(candidate, ec)) {
    return std::nullopt;
  }
  // Hidden files (dotfiles) are never served.
  for (const auto& part : candidate.lexically_relative(mount.root)) {
    if (!part.empty() && part.string()[0] == '.') return std::nullopt;
  }
  return candidate;
}

void StaticFiles::Alias(std::string url_path, std::string target) {
  aliases_.emplace_back(std::move(url_path), std::move(target));
}

std::optional<StaticFile> StaticFiles::Find(std::string_view url_path) const {
  for (const auto& [alias, target] : aliases_) {
    if (url_path == alias) return Read(target);
  }
  return Read(url_path);
}

std::optional<StaticFile> StaticFiles::Read(std::string_view url_path) const {
  for (const MountPoint& mount : mounts_) {
    if (url_path.substr(0, mount.prefix.size()) != mount.prefix) continue;
    const auto file = Resolve(mount, url_path.substr(mount.prefix.size()));
    if (!file) return std::nullopt;
    std::ifstream in(*file, std::ios::binary);
    if (!in) return std::nullopt;
    StaticFile out;
    out.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    out.content_type = ContentTypeFor(*file);
    out.etag = ContentEtag(out.body);
    // File names carry no content hash, so every file revalidates; the ETag
    // makes that a cheap 304.
    out.cache_control = "no-cache";
    return out;
  }
  return std::nullopt;
}

}  // namespace deskgate::http
