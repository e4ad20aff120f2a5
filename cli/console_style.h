// Colour on the console: only on a terminal, never when NO_COLOR is set
// (https://no-color.org) or TERM is "dumb", so CI logs and files stay plain.
#ifndef FAULTDRILL_CLI_CONSOLE_STYLE_H_
#define FAULTDRILL_CLI_CONSOLE_STYLE_H_

#include <string>
#include <string_view>

namespace faultdrill::cli {

enum class Colour { kRed, kGreen, kYellow, kBold, kDim };

// Whether text written to file descriptor `fd` may carry colour.
bool ColourWanted(int fd);

// `text` wrapped in the ANSI sequence for `colour` when `enabled`, else as it is.
std::string Paint(std::string_view text, Colour colour, bool enabled);

}  // namespace faultdrill::cli

#endif  // FAULTDRILL_CLI_CONSOLE_STYLE_H_
