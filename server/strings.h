// String helpers for messages. This Abseil build's absl::string_view is its own
// type, not std::string_view, so absl::StrCat does not take std::string_view;
// Cat takes both, plus anything absl::StrCat takes.
#ifndef FAULTDRILL_SERVER_STRINGS_H_
#define FAULTDRILL_SERVER_STRINGS_H_

#include <string>
#include <string_view>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace faultdrill::server {

inline std::string_view ToStd(absl::string_view text) { return {text.data(), text.size()}; }
inline absl::string_view ToAbsl(std::string_view text) { return {text.data(), text.size()}; }

namespace strings_internal {
template <typename T>
void Append(std::string* out, const T& piece) {
  if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    out->append(std::string_view(piece));
  } else if constexpr (std::is_same_v<T, absl::string_view>) {
    out->append(piece.data(), piece.size());
  } else {
    absl::StrAppend(out, piece);
  }
}
}  // namespace strings_internal

template <typename... Pieces>
std::string Cat(const Pieces&... pieces) {
  std::string out;
  (strings_internal::Append(&out, pieces), ...);
  return out;
}

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_STRINGS_H_
