// DemoData: realistic asset and software records for trying deskgate and
// for benchmarks (`deskgate seed`). Deterministic for a given seed, so a
// benchmark run can be repeated on the same data.
#pragma once

#include <cstdint>

#include "server/store/records.h"

namespace deskgate::services {

// `assets` and `software` records over a dozen locations, six agent groups
// and 24 demo agents (who cannot sign in). Asset tags are unique within a
// call for `tag_offset` + index; pass the number of assets already present
// to seed again without clashes.
store::SeedRecords MakeDemoData(int assets, int software, uint64_t seed, int64_t tag_offset = 0);

}  // namespace deskgate::services
