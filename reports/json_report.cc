#include "reports/json_report.h"

#include <exception>

#include "core/durable_file.h"
#include "core/json_text.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

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

namespace {

// What a file that is JSON but not a result.json of this version is, in the
// words a user can act on; OK when RunResultFromJson should judge the rest.
absl::Status CheckIsAResult(const nlohmann::json& json) {
  if (!json.is_object()) {
    return absl::InvalidArgumentError(
        fmt::format("not a faultdrill result: expected a JSON object at the top level, got {}", json.type_name()));
  }
  auto version = json.find("schema_version");
  if (version == json.end()) {
    return absl::InvalidArgumentError(
        "not a faultdrill result: it has no schema_version (faultdrill run writes result.json with one)");
  }
  if (!version->is_number_integer()) {
    return absl::InvalidArgumentError(
        fmt::format("schema_version: expected an integer, got {} {}", version->type_name(), version->dump()));
  }
  if (version->is_number_unsigned() && version->get<uint64_t>() > uint64_t(kResultSchemaVersion)) {
    return absl::InvalidArgumentError(
        fmt::format("schema_version {} is newer than this faultdrill reads ({}): it was written by a newer faultdrill; "
                    "read it with that version or newer",
                    version->dump(), kResultSchemaVersion));
  }
  if (version->get<int64_t>() != kResultSchemaVersion) {
    return absl::InvalidArgumentError(
        fmt::format("schema_version {} is not one this faultdrill reads (it reads {} only)", version->dump(),
                    kResultSchemaVersion));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RunResult> ReadJsonReport(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return ParseJsonReport(*text, path);
}

absl::StatusOr<RunResult> ParseJsonReport(std::string_view content, const std::string& path) {
  if (content.find_first_not_of(" \t\r\n") == std::string::npos) {
    return absl::InvalidArgumentError(fmt::format("{}: not a JSON file: the file is empty", path));
  }
  JsonTextPosition where;
  absl::StatusOr<nlohmann::json> parsed = ParseJsonText(content, &where);
  if (!parsed.ok()) {
    // At the very end, the file was cut short.
    const bool cut_short = where.byte >= content.size();
    std::string problem(parsed.status().message());
    if (problem.starts_with("not valid JSON: ")) problem.erase(0, 16);
    return absl::InvalidArgumentError(fmt::format("{}: not a JSON file{}: parse error at line {}, column {}: {}", path,
                                                  cut_short ? " (it ends early: truncated?)" : "", where.line,
                                                  where.column, problem));
  }
  const nlohmann::json& json = *parsed;
  if (absl::Status s = CheckIsAResult(json); !s.ok()) {
    return absl::Status(s.code(), fmt::format("{}: {}", path, std::string(s.message())));
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
