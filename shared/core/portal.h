// Portal: the two sign-in portals — agents' (staff) and contacts'
// (customers) — and their names in the API, the database and the pages.
// One enum for shared/ rules, the server and the store.
#pragma once

#include <optional>
#include <string_view>

namespace deskgate {

enum class Portal { kAgent, kContact };

constexpr const char* PortalName(Portal portal) {
  return portal == Portal::kAgent ? "agent" : "contact";
}

constexpr std::optional<Portal> ParsePortal(std::string_view name) {
  if (name == "agent") return Portal::kAgent;
  if (name == "contact") return Portal::kContact;
  return std::nullopt;
}

}  // namespace deskgate
