#include "injectors/signal_names.h"

#include <signal.h>

#include <array>
#include <charconv>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace faultdrill::injectors {
namespace {

constexpr std::array<std::pair<std::string_view, int>, 12> kSignals{{
    {"SIGKILL", SIGKILL}, {"SIGTERM", SIGTERM}, {"SIGINT", SIGINT},   {"SIGQUIT", SIGQUIT},
    {"SIGHUP", SIGHUP},   {"SIGUSR1", SIGUSR1}, {"SIGUSR2", SIGUSR2}, {"SIGABRT", SIGABRT},
    {"SIGSEGV", SIGSEGV}, {"SIGSTOP", SIGSTOP}, {"SIGCONT", SIGCONT}, {"SIGPIPE", SIGPIPE},
}};

}  // namespace

std::optional<int> ParseSignal(std::string_view text) {
  int number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec == std::errc() && end == text.data() + text.size()) {
    for (const auto& [name, value] : kSignals) {
      if (value == number) return number;
    }
    return std::nullopt;
  }
  std::string upper = absl::AsciiStrToUpper(std::string(text));
  if (!absl::StartsWith(upper, "SIG")) upper = absl::StrCat("SIG", upper);
  for (const auto& [name, value] : kSignals) {
    if (name == upper) return value;
  }
  return std::nullopt;
}

std::string SignalName(int signal) {
  for (const auto& [name, value] : kSignals) {
    if (value == signal) return std::string(name);
  }
  return absl::StrCat("signal ", signal);
}

}  // namespace faultdrill::injectors
