#include "golden/masters_diff.h"

#include <algorithm>
#include <vector>

#include "fmt/format.h"
#include "golden/masters_codec.h"
#include "golden/response_compare.h"

namespace faultdrill::golden {
namespace {

void DiffHeaders(const MastersHeader& old_h, const MastersHeader& new_h, MastersDiffResult& out) {
  const std::pair<const char*, const std::string MastersHeader::*> fields[] = {
      {"model", &MastersHeader::model},
      {"model_version", &MastersHeader::model_version},
      {"weights_sha256", &MastersHeader::weights_sha256},
      {"scenario", &MastersHeader::scenario}};
  for (const auto& [name, field] : fields) {
    if (old_h.*field == new_h.*field) continue;
    out.header_changed = true;
    out.text += fmt::format("header: {} {} -> {}\n", name, JsonString(old_h.*field), JsonString(new_h.*field));
  }
}

void DescribeChange(uint64_t request_index, const ResponseComparison& comparison, std::string& text) {
  for (const OutputDifference& d : comparison.differences) {
    text +=
        fmt::format("request {}: {}{}\n", request_index, d.output.empty() ? "" : d.output + ": ", d.comparison.problem);
    for (const auto& [index, expected, actual] : d.comparison.side_by_side) {
      text += fmt::format("    {}  old {}  new {}\n", index, expected, actual);
    }
  }
}

std::vector<const MasterResponse*> InIndexOrder(const Masters& masters) {
  std::vector<const MasterResponse*> out;
  for (const MasterResponse& r : masters.responses()) out.push_back(&r);
  std::sort(out.begin(), out.end(),
            [](const MasterResponse* a, const MasterResponse* b) { return a->request_index < b->request_index; });
  return out;
}

}  // namespace

MastersDiffResult MastersDiff(const Masters& old_masters, const Masters& new_masters, const GoldenSpec& spec) {
  MastersDiffResult out;
  DiffHeaders(old_masters.header(), new_masters.header(), out);
  size_t detailed = 0, not_shown = 0;
  const auto note = [&](const std::string& line) {
    if (detailed < kMastersDiffDetailLimit) {
      out.text += line;
      ++detailed;
    } else {
      ++not_shown;
    }
  };
  for (const MasterResponse* fresh : InIndexOrder(new_masters)) {
    const MasterResponse* old = old_masters.Find(fresh->request_index);
    if (old == nullptr) {
      ++out.added;
      note(fmt::format("request {}: only in the new masters\n", fresh->request_index));
      continue;
    }
    ++out.compared;
    const ResponseComparison comparison = CompareMasters(*fresh, *old, spec);
    if (!comparison.differs) continue;
    ++out.changed;
    std::string lines;
    DescribeChange(fresh->request_index, comparison, lines);
    note(lines);
  }
  for (const MasterResponse* old : InIndexOrder(old_masters)) {
    if (new_masters.Find(old->request_index) != nullptr) continue;
    ++out.removed;
    note(fmt::format("request {}: only in the old masters\n", old->request_index));
  }
  if (not_shown > 0)
    out.text += fmt::format("... and {} more requests that changed, were added or removed\n", not_shown);
  out.text += fmt::format("{} requests in both: {} changed; {} added, {} removed\n", out.compared, out.changed,
                          out.added, out.removed);
  return out;
}

}  // namespace faultdrill::golden
