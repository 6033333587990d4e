// StaticFiles serves the pages and the WebAssembly module from folders.
//
// A request path maps to a file only if, after resolving symlinks and "..",
// it stays inside one of the mounted folders; anything else is "not found",
// so path traversal cannot reach other files. Files are read on each request
// (pages are small) and carry an ETag so browsers revalidate cheaply.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace deskgate::http {

struct StaticFile {
  std::string body;
  std::string content_type;
  std::string etag;           // quoted, strong
  std::string cache_control;  // html revalidates every time; assets may be cached briefly
};

class StaticFiles {
 public:
  // Serves files under `folder` at URL paths starting with `url_prefix`
  // ("/" or "/wasm/"). Later mounts win over earlier ones for their prefix.
  void Mount(std::string url_prefix, std::filesystem::path folder);

  // Serves the file at URL path `target` also at `url_path`: one page that
  // reads its variant from the address (the agent and customer sign-in
  // pages, the asset and software lists).
  void Alias(std::string url_path, std::string target);

  // The file for a decoded URL path, or nullopt. "/" and folder paths serve
  // the folder's index.html.
  std::optional<StaticFile> Find(std::string_view url_path) const;

 private:
  struct MountPoint {
    std::string prefix;
    std::filesystem::path root;  // canonical
  };
  std::optional<std::filesystem::path> Resolve(const MountPoint& mount,
                                               std::string_view relative) const;
  std::optional<StaticFile> Read(std::string_view url_path) const;
  std::vector<MountPoint> mounts_;
  std::vector<std::pair<std::string, std::string>> aliases_;
};

// The Content-Type for a file name, by extension.
std::string_view ContentTypeFor(const std::filesystem::path& file);

}  // namespace deskgate::http
