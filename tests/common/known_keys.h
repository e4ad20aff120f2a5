// The keys an "unknown key" error lists ("...; known keys: a, b, c"), so that
// tests can ask the loader or an injector which keys it knows and hold the
// JSON Schema to the same list.
#ifndef FAULTDRILL_TESTS_COMMON_KNOWN_KEYS_H_
#define FAULTDRILL_TESTS_COMMON_KNOWN_KEYS_H_

#include <set>
#include <string>

namespace faultdrill::testing {

// Empty when `message` lists no known keys.
inline std::set<std::string> KnownKeysIn(const std::string& message) {
  std::set<std::string> keys;
  size_t start = message.find("known keys: ");
  if (start == std::string::npos) return keys;
  std::string list = message.substr(start + 12);
  for (size_t pos = 0; pos <= list.size();) {
    size_t comma = list.find(", ", pos);
    keys.insert(list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
    if (comma == std::string::npos) break;
    pos = comma + 2;
  }
  return keys;
}

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_COMMON_KNOWN_KEYS_H_
