// The error form every binding returns: {"error": message}. api.js turns
// it into a thrown Error.
#pragma once

#include <string>

#include "shared/core/json_writer.h"

namespace deskgate {

inline std::string ErrorJson(const std::string& message) {
  JsonWriter w;
  w.BeginObject().Key("error").String(message).EndObject();
  return w.Take();
}

}  // namespace deskgate
