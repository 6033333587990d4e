#include "server/store/people_store.h"

namespace deskgate::store {

const char* AssetEditName(Role::AssetEdit scope) {
  switch (scope) {
    case Role::AssetEdit::kAll:
      return "all";
    case Role::AssetEdit::kOwnGroups:
      return "own_groups";
    case Role::AssetEdit::kNone:
      return "none";
  }
  return "none";
}

}  // namespace deskgate::store
