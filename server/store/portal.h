// The portals as the store names them: shared/core/portal.h's.
#pragma once

#include "shared/core/portal.h"

namespace deskgate::store {

using deskgate::ParsePortal;
using deskgate::Portal;
using deskgate::PortalName;

}  // namespace deskgate::store
