// The seed of one fault's randomness (which bits corrupt-weights flips, which
// requests poison-inputs replaces): the scenario seed mixed with the fault's
// name, so that a run repeats exactly and two faults of one scenario differ.
#ifndef FAULTDRILL_INJECTORS_FAULT_SEED_H_
#define FAULTDRILL_INJECTORS_FAULT_SEED_H_

#include <cstdint>
#include <string_view>

namespace faultdrill::injectors {

// SplitMix64's finalizer: a well-spread 64-bit value from any 64-bit value.
constexpr uint64_t MixBits(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

constexpr uint64_t FaultSeed(uint64_t scenario_seed, std::string_view fault_name) {
  uint64_t hash = 1469598103934665603ull;  // FNV-1a of the name
  for (char c : fault_name) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return MixBits(hash ^ MixBits(scenario_seed));
}

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_FAULT_SEED_H_
