// result.json: the RunResult as core's ToJson writes it, pretty-printed. The
// one report that can be read back (`faultdrill report`, `faultdrill diff`).
#ifndef FAULTDRILL_REPORTS_JSON_REPORT_H_
#define FAULTDRILL_REPORTS_JSON_REPORT_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/run_result.h"

namespace faultdrill::reports {

// ToJson(result), indented by 2, ending in a newline. Invalid UTF-8 in strings
// is written as U+FFFD rather than failing.
std::string RenderJson(const RunResult& result);

// Writes RenderJson(result) to `path` atomically (core/durable_file.h). Never throws.
absl::Status WriteJsonReport(const RunResult& result, const std::string& path);

// Reads a file written by WriteJsonReport (format: docs/result-json.md).
// Errors name the path: NotFound and the like from the file system;
// InvalidArgument for an empty file, text that is not JSON (with line and
// column; "truncated?" when it ends early), JSON that is not an object or has
// no schema_version, a schema_version other than kResultSchemaVersion (a newer
// one says it was written by a newer faultdrill), and JSON that is not a
// RunResult (with the JSON path, from RunResultFromJson). Never throws.
absl::StatusOr<RunResult> ReadJsonReport(const std::string& path);
// The same for a file's `content` already read; `path` names it in errors.
absl::StatusOr<RunResult> ParseJsonReport(std::string_view content, const std::string& path);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_JSON_REPORT_H_
