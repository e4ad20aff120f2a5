#include "reports/json_report.h"

#include <exception>

#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "reports/atomic_file.h"

namespace faultdrill::reports {

std::string RenderJson(const RunResult& result) {
  return ToJson(result).dump(2, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace) + "\n";
}

absl::Status WriteJsonReport(const RunResult& result, const std::string& path) {
  std::string text;
  try {
    text = RenderJson(result);
  } catch (const std::exception& e) {  // bad_alloc, or a bug in ToJson: report it, do not unwind past here
    return absl::InternalError(fmt::format("cannot render {}: {}", path, e.what()));
  }
  return WriteFileAtomically(path, text);
}

absl::StatusOr<RunResult> ReadJsonReport(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() reads "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    return absl::InvalidArgumentError(fmt::format("{}: not a JSON file: {}", path, e.what()));
  } catch (const std::exception& e) {
    return absl::InternalError(fmt::format("cannot parse {}: {}", path, e.what()));
  }
  absl::StatusOr<RunResult> result;
  try {
    result = RunResultFromJson(json);
  } catch (const std::exception& e) {
    return absl::InternalError(fmt::format("cannot read {}: {}", path, e.what()));
  }
  if (!result.ok()) {
    return absl::Status(result.status().code(), fmt::format("{}: {}", path, std::string(result.status().message())));
  }
  return result;
}

}  // namespace faultdrill::reports
