#include "cli/console_style.h"

#include <unistd.h>

#include <cstdlib>

namespace faultdrill::cli {

bool ColourWanted(int fd) {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && *no_colour != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return ::isatty(fd) == 1;
}

std::string Paint(std::string_view text, Colour colour, bool enabled) {
  if (!enabled) return std::string(text);
  std::string_view code;
  switch (colour) {
    case Colour::kRed: code = "31"; break;
    case Colour::kGreen: code = "32"; break;
    case Colour::kYellow: code = "33"; break;
    case Colour::kBold: code = "1"; break;
    case Colour::kDim: code = "2"; break;
  }
  return "\x1b[" + std::string(code) + "m" + std::string(text) + "\x1b[0m";
}

}  // namespace faultdrill::cli
