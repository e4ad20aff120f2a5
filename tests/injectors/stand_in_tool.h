// A stand-in for an external tool (kubectl, docker) for injector tests: a
// small shell script in a temporary folder that is put first on PATH. Each
// call records its arguments (NUL-separated, so any byte but NUL survives)
// and answers a listing call with prepared text. faultdrill itself never runs
// a shell; only the stand-in is one.
#ifndef FAULTDRILL_TESTS_INJECTORS_STAND_IN_TOOL_H_
#define FAULTDRILL_TESTS_INJECTORS_STAND_IN_TOOL_H_

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/common/files.h"

namespace faultdrill::testing {

class StandInTool {
 public:
  // `name`: the program name (kubectl, docker). `list_words`: arguments that
  // make it a listing call (it prints list.txt); any other call prints "ok".
  StandInTool(const std::string& name, const std::string& list_words) : name_(name) {
    std::filesystem::create_directories(dir_.File("calls"));
    std::ofstream script(path());
    script << "#!/bin/sh\n"
           << "d='" << dir_.path() << "'\n"
           << "n=$(ls \"$d/calls\" | wc -l)\n"
           << "printf '%s\\0' \"$@\" > \"$d/calls/$n\"\n"
           << "for a in \"$@\"; do\n"
           << "  case \"$a\" in\n"
           << "    " << list_words << ") cat \"$d/list.txt\" 2>/dev/null; exit $(cat \"$d/list.exit\" 2>/dev/null || echo 0);;\n"
           << "  esac\n"
           << "done\n"
           << "echo ok; exit $(cat \"$d/act.exit\" 2>/dev/null || echo 0)\n";
    script.close();
    ::chmod(path().c_str(), 0755);
    const char* old = std::getenv("PATH");
    old_path_ = old != nullptr ? old : "";
    ::setenv("PATH", (dir_.path() + ":" + old_path_).c_str(), 1);
  }
  ~StandInTool() { ::setenv("PATH", old_path_.c_str(), 1); }
  StandInTool(const StandInTool&) = delete;
  StandInTool& operator=(const StandInTool&) = delete;

  std::string path() const { return dir_.File(name_); }
  const std::string& folder() const { return dir_.path(); }

  // What the listing call prints, and the exit codes of listing and other calls.
  void SetList(const std::string& text, int exit_code = 0) {
    std::ofstream(dir_.File("list.txt")) << text;
    std::ofstream(dir_.File("list.exit")) << exit_code;
  }
  void SetActionExit(int exit_code) { std::ofstream(dir_.File("act.exit")) << exit_code; }

  // The arguments (without argv[0]) of each call so far, in order.
  std::vector<std::vector<std::string>> Calls() const {
    std::vector<std::vector<std::string>> calls;
    for (int i = 0;; ++i) {
      const std::string file = dir_.File("calls/" + std::to_string(i));
      if (!std::filesystem::exists(file)) break;
      const std::string text = ReadWholeFile(file);
      std::vector<std::string> args;
      size_t start = 0;
      for (size_t end = text.find('\0'); end != std::string::npos; end = text.find('\0', start)) {
        args.push_back(text.substr(start, end - start));
        start = end + 1;
      }
      calls.push_back(args);
    }
    return calls;
  }

 private:
  TempDir dir_;
  std::string name_;
  std::string old_path_;
};

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_INJECTORS_STAND_IN_TOOL_H_
