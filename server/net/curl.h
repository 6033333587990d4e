// Ownership and option helpers for libcurl easy handles, shared by the SMTP
// sender and the HTTPS client.
#pragma once

#include <curl/curl.h>

#include <memory>

namespace deskgate::net {

struct EasyCleanup {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
using CurlHandle = std::unique_ptr<CURL, EasyCleanup>;

struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlList = std::unique_ptr<curl_slist, SlistFree>;

// curl_global_init, once per process (it is not thread-safe to call twice).
bool InitCurlOnce();

// Sets options in sequence and remembers the first one curl refused.
class CurlOptions {
 public:
  explicit CurlOptions(CURL* curl) : curl_(curl) {}
  template <typename T>
  CurlOptions& Set(CURLoption option, T value) {
    if (first_error_ == CURLE_OK) first_error_ = curl_easy_setopt(curl_, option, value);
    return *this;
  }
  CURLcode result() const { return first_error_; }

 private:
  CURL* curl_;
  CURLcode first_error_ = CURLE_OK;
};

}  // namespace deskgate::net
