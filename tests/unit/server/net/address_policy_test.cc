#include <arpa/inet.h>
#include <netinet/in.h>

#include <catch2/catch.hpp>

#include "server/net/address_policy.h"

using deskgate::net::IsPublicAddress;

namespace {

bool Public(const char* text) {
  sockaddr_in6 v6{};
  sockaddr_in v4{};
  if (inet_pton(AF_INET, text, &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    return IsPublicAddress(reinterpret_cast<sockaddr*>(&v4));
  }
  REQUIRE(inet_pton(AF_INET6, text, &v6.sin6_addr) == 1);
  v6.sin6_family = AF_INET6;
  return IsPublicAddress(reinterpret_cast<sockaddr*>(&v6));
}

}  // namespace

TEST_CASE("Identity providers are reached on public addresses only", "[net]") {
  for (const char* inside : {"127.0.0.1",
                             "127.1.2.3",
                             "0.0.0.0",
                             "10.0.0.1",
                             "10.255.255.255",
                             "172.16.0.1",
                             "172.31.255.254",
                             "192.168.1.1",
                             "169.254.169.254",
                             "100.64.0.1",
                             "100.127.255.255",
                             "224.0.0.1",
                             "255.255.255.255",
                             "198.18.0.1",
                             "192.0.2.1",
                             "::1",
                             "::",
                             "fe80::1",
                             "fc00::1",
                             "fd12:3456::1",
                             "ff02::1",
                             "::ffff:127.0.0.1",
                             "::ffff:10.1.2.3",
                             "::ffff:169.254.169.254",
                             "::127.0.0.1",
                             "2001:db8::1",
                             "64:ff9b::10.0.0.1"}) {
    INFO(inside);
    CHECK_FALSE(Public(inside));
  }
  for (const char* outside :
       {"8.8.8.8", "1.1.1.1", "20.190.128.1", "172.32.0.1", "172.15.255.255", "100.128.0.1",
        "11.0.0.1", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "2a01:111:f400::1"}) {
    INFO(outside);
    CHECK(Public(outside));
  }
}
