// Signal names as scenarios write them: "SIGKILL", "KILL", "kill" or "9".
#ifndef FAULTDRILL_INJECTORS_SIGNAL_NAMES_H_
#define FAULTDRILL_INJECTORS_SIGNAL_NAMES_H_

#include <optional>
#include <string>
#include <string_view>

namespace faultdrill::injectors {

// The signal number, or nullopt when the text names no signal that faultdrill sends.
std::optional<int> ParseSignal(std::string_view text);

// "SIGKILL" for 9; "signal N" for others.
std::string SignalName(int signal);

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_SIGNAL_NAMES_H_
