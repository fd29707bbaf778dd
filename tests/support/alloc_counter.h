#pragma once
// Counts calls to the global operator new (every form), process-wide. alloc_counter.cc
// replaces the global allocation functions with versions that count and then allocate as
// usual, so linking it changes nothing but the count. Used to prove the hot path does not
// allocate: read the count, run the code, read it again.

#include <cstdint>

namespace icmpgate::test {

// Allocations (any operator new / new[]) since the program started.
[[nodiscard]] std::uint64_t allocation_count() noexcept;

}  // namespace icmpgate::test
