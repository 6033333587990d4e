#include "server/net/curl.h"

#include <mutex>

namespace deskgate::net {

bool InitCurlOnce() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result == CURLE_OK;
}

}  // namespace deskgate::net
