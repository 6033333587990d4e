// The process's heap as its allocator sees it, for /metrics: what the
// program holds (in use) against what the allocator keeps from the system
// (in use, free pages not yet returned, its own bookkeeping). A steady climb
// of the first is a leak; of the second only, fragmentation. The allocator
// is jemalloc in the release build, AddressSanitizer's in the test build,
// glibc's otherwise.
#pragma once

#include <cstdint>

namespace deskgate::observe {

struct HeapUsage {
  int64_t in_use_bytes = 0;
  int64_t held_bytes = 0;
};

// Asks the allocator for its totals (jemalloc's statistics, or glibc's
// mallinfo2, which walks the arenas): cheap, but not for a hot path.
HeapUsage ReadHeapUsage();

}  // namespace deskgate::observe
