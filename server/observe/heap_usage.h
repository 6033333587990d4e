// The process's heap as the C library's allocator sees it, for /metrics:
// what the program holds (in use) against what the allocator keeps from the
// system (in use, free chunks, every thread's arena). A steady climb of the
// first is a leak; of the second only, fragmentation.
#pragma once

#include <cstdint>

namespace deskgate::observe {

struct HeapUsage {
  int64_t in_use_bytes = 0;
  int64_t held_bytes = 0;
};

// Walks the allocator's arenas (glibc's mallinfo2): cheap, but not for a hot
// path.
HeapUsage ReadHeapUsage();

}  // namespace deskgate::observe
