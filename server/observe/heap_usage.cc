#include "server/observe/heap_usage.h"

#include <malloc.h>

#include <cstddef>

// Under AddressSanitizer malloc is the sanitizer's, and glibc's arenas stay
// empty: ask the sanitizer instead (the test builds run the same metrics).
#if defined(__SANITIZE_ADDRESS__)
#define DESKGATE_ASAN_HEAP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DESKGATE_ASAN_HEAP 1
#endif
#endif
#ifdef DESKGATE_ASAN_HEAP
// From the sanitizer's allocator interface (its header is not packaged for
// GCC): bytes handed out, and the heap it keeps.
extern "C" size_t __sanitizer_get_current_allocated_bytes();
extern "C" size_t __sanitizer_get_heap_size();
#endif

namespace deskgate::observe {

HeapUsage ReadHeapUsage() {
  HeapUsage usage;
#ifdef DESKGATE_ASAN_HEAP
  usage.in_use_bytes = static_cast<int64_t>(__sanitizer_get_current_allocated_bytes());
  usage.held_bytes = static_cast<int64_t>(__sanitizer_get_heap_size());
#else
  const struct mallinfo2 info = mallinfo2();
  // uordblks: chunks handed out from the arenas; hblkhd: large blocks
  // mmap'd one by one (always in use). arena: every arena's size.
  usage.in_use_bytes = static_cast<int64_t>(info.uordblks + info.hblkhd);
  usage.held_bytes = static_cast<int64_t>(info.arena + info.hblkhd);
#endif
  return usage;
}

}  // namespace deskgate::observe
