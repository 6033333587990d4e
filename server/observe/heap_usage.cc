#include "server/observe/heap_usage.h"

#include <malloc.h>

#include <cstddef>
#include <cstdint>

#ifdef DESKGATE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

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

#ifdef DESKGATE_JEMALLOC
namespace {

// One of jemalloc's statistics, as of its last refresh (epoch).
int64_t JemallocStat(const char* name) {
  size_t value = 0;
  size_t size = sizeof value;
  return mallctl(name, &value, &size, nullptr, 0) == 0 ? static_cast<int64_t>(value) : 0;
}

}  // namespace
#endif

HeapUsage ReadHeapUsage() {
  HeapUsage usage;
#if defined(DESKGATE_JEMALLOC) && !defined(DESKGATE_ASAN_HEAP)
  // The release server's malloc is jemalloc (server/CMakeLists.txt): its
  // statistics are cached until the epoch moves.
  uint64_t epoch = 1;
  size_t size = sizeof epoch;
  mallctl("epoch", &epoch, &size, &epoch, size);
  usage.in_use_bytes = JemallocStat("stats.allocated");
  usage.held_bytes = JemallocStat("stats.resident");
#elif defined(DESKGATE_ASAN_HEAP)
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
