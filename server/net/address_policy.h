// Which network addresses outbound requests to identity providers may
// reach. An admin types the provider's address, so without a rule a
// settings page would be a way to make the server connect inside its own
// network (to the loopback interface, cloud metadata at 169.254.169.254,
// private ranges) and, from the errors, map it. The check runs on the
// address curl is about to connect to, after DNS, so a name that resolves
// (or rebinds) to such an address is refused too.
#pragma once

#include <sys/socket.h>

namespace deskgate::net {

// True for addresses on the public internet; false for loopback,
// unspecified, link-local, private (RFC 1918, unique local fc00::/7),
// carrier-grade NAT (100.64/10), benchmarking, documentation, multicast and
// reserved ranges, and IPv4-mapped or -compatible forms of any of those.
bool IsPublicAddress(const sockaddr* address);

}  // namespace deskgate::net
