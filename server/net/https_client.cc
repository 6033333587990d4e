#include "server/net/https_client.h"

#include <sys/socket.h>

#include <cstdio>

#include "server/net/address_policy.h"
#include "server/net/curl.h"

namespace deskgate::net {
namespace {

struct Download {
  std::string body;
  bool too_large = false;
};

size_t Collect(char* data, size_t size, size_t count, void* user) {
  auto* download = static_cast<Download*>(user);
  const size_t n = size * count;
  if (download->body.size() + n > HttpsClient::kMaxResponseBytes) {
    download->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  download->body.append(data, n);
  return n;
}

struct Connecting {
  bool allow_private_networks = false;
  bool refused = false;  // the address was not a public one
};

// curl's socket opener: the last word on where a request may connect,
// after name resolution (so DNS answers, rebinding included, are checked).
curl_socket_t OpenCheckedSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* connecting = static_cast<Connecting*>(user);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  if (!connecting->allow_private_networks && !IsPublicAddress(&address->addr)) {
    connecting->refused = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

// The host part of a URL, for messages (never the query, which may hold codes).
std::string HostOf(const std::string& url) {
  const size_t start = url.find("://");
  if (start == std::string::npos) return url;
  const size_t end = url.find_first_of("/?#", start + 3);
  return url.substr(start + 3, end == std::string::npos ? std::string::npos : end - start - 3);
}

}  // namespace

Result<HttpsResponse> HttpsClient::Get(const std::string& url) const {
  return Perform(url, nullptr);
}

Result<HttpsResponse> HttpsClient::PostForm(const std::string& url, const std::string& form) const {
  return Perform(url, &form);
}

Result<HttpsResponse> HttpsClient::Perform(const std::string& url, const std::string* form) const {
  if (url.rfind("https://", 0) != 0) return Status::Error("only https URLs are fetched: " + url);
  if (!InitCurlOnce()) return Status::Error("libcurl failed to initialise");
  // Declared before the handle: curl uses them until curl_easy_cleanup.
  Download download;
  Connecting connecting{allow_private_networks_};
  char detail[CURL_ERROR_SIZE] = "";
  CurlList headers(curl_slist_append(nullptr, "Accept: application/json"));
  CurlHandle curl(curl_easy_init());
  if (!curl || !headers) return Status::Error("libcurl failed to initialise");
  CurlOptions options(curl.get());
  options.Set(CURLOPT_URL, url.c_str())
      .Set(CURLOPT_ERRORBUFFER, detail)
      .Set(CURLOPT_PROTOCOLS_STR, "https")
      .Set(CURLOPT_NOSIGNAL, 1L)
      .Set(CURLOPT_FOLLOWLOCATION, 0L)
      .Set(CURLOPT_CONNECTTIMEOUT, kTimeoutSeconds)
      .Set(CURLOPT_TIMEOUT, kTimeoutSeconds)
      .Set(CURLOPT_SSL_VERIFYPEER, 1L)
      .Set(CURLOPT_SSL_VERIFYHOST, 2L)
      .Set(CURLOPT_HTTPHEADER, headers.get())
      .Set(CURLOPT_WRITEFUNCTION, &Collect)
      .Set(CURLOPT_WRITEDATA, static_cast<void*>(&download))
      .Set(CURLOPT_OPENSOCKETFUNCTION, &OpenCheckedSocket)
      .Set(CURLOPT_OPENSOCKETDATA, static_cast<void*>(&connecting));
  if (!ca_file_.empty()) {
    options.Set(CURLOPT_CAINFO, ca_file_.c_str()).Set(CURLOPT_CAPATH, static_cast<char*>(nullptr));
  }
  if (form != nullptr) {
    options.Set(CURLOPT_POSTFIELDS, form->c_str())
        .Set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(form->size()));
  }
  if (options.result() != CURLE_OK) {
    return Status::Error(std::string("cannot configure the request: ") +
                         curl_easy_strerror(options.result()));
  }
  const CURLcode code = curl_easy_perform(curl.get());
  if (download.too_large) return Status::Error(HostOf(url) + " sent more than 1 MiB");
  if (connecting.refused) {
    return Status::Of(StatusCode::kUnavailable,
                      "cannot reach " + HostOf(url) +
                          ": deskgate contacts no loopback, link-local or private address "
                          "(serve --sso-allow-private-networks allows them)");
  }
  if (code != CURLE_OK) {
    // One answer for every failure; the operator's log has the cause.
    std::fprintf(stderr, "sso: %s: %s%s%s\n", HostOf(url).c_str(), curl_easy_strerror(code),
                 detail[0] != '\0' ? ": " : "", detail);
    return Status::Of(StatusCode::kUnavailable,
                      "cannot reach " + HostOf(url) +
                          " over HTTPS (a network or certificate problem; the server log has "
                          "the details)");
  }
  HttpsResponse response;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &response.status);
  response.body = std::move(download.body);
  return response;
}

}  // namespace deskgate::net
