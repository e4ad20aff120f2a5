#include "golden/golden_verdicts.h"

#include <cmath>
#include <string>

#include "fmt/format.h"

namespace faultdrill::golden {
namespace {

std::string Number(double value) { return std::isinf(value) ? "inf" : fmt::format("{:.3g}", value); }

std::string VerdictName(const std::string& against, const std::string& window) {
  if (against == "primary") return fmt::format("shadow outputs match the primary in {}", window);
  return fmt::format("golden outputs match the masters in {}", window);
}

// ", max abs error 0.003, max rel error 0.01, 12 ULP, argmax differs in 2 rows"
std::string HowMuch(const GoldenWindowResult& r) {
  std::string out = fmt::format("max abs error {}, max rel error {}, {} ULP", Number(r.max_abs_error),
                                Number(r.max_rel_error), r.max_ulp);
  if (r.argmax_disagreements > 0) out += fmt::format(", argmax differs in {} rows", r.argmax_disagreements);
  if (r.top_k_disagreements > 0) out += fmt::format(", top-k differs in {} rows", r.top_k_disagreements);
  if (r.max_edit_distance > 0) out += fmt::format(", edit distance up to {}", r.max_edit_distance);
  return out;
}

std::string FirstDifference(const ResponseDiff& d) {
  std::string out = fmt::format("first: request {}", d.request_index);
  if (!d.output.empty()) out += fmt::format(" output {}", d.output);
  out += fmt::format(": {}", d.problem);
  if (!d.side_by_side.empty()) {
    const auto& [index, expected, actual] = d.side_by_side.front();
    out += fmt::format(" ({} expected {}, actual {})", index, expected, actual);
  }
  return out;
}

Verdict Judge(const GoldenSpec& spec, const GoldenWindowResult& r) {
  const std::string expected_side = r.against == "primary" ? "the primary" : "the masters";
  Verdict v;
  v.name = VerdictName(r.against, r.window);
  v.group = "golden";
  v.window = r.window;
  v.metric = "differing_responses";
  v.comparison = "<=";
  v.threshold = double(spec.max_differing);
  const std::string without_master =
      r.without_master > 0 ? fmt::format("; {} responses had no master", r.without_master) : "";
  if (r.compared == 0) {
    v.passed = false;
    v.message = fmt::format("no responses compared with {} in window {} (nothing measured, nothing proven){}",
                            expected_side, r.window, without_master);
    return v;
  }
  v.measured = double(r.differing);
  v.passed = r.differing <= spec.max_differing;
  v.message = fmt::format("{} of {} responses differ from {} in {} (at most {} may); {}", r.differing, r.compared,
                          expected_side, r.window, spec.max_differing, HowMuch(r));
  if (!r.first_differences.empty()) v.message += "; " + FirstDifference(r.first_differences.front());
  v.message += without_master;
  return v;
}

}  // namespace

std::vector<Verdict> GoldenVerdicts(const GoldenSpec& spec, const std::vector<GoldenWindowResult>& results) {
  std::vector<WindowSpec> windows = spec.windows;
  if (windows.empty()) windows.push_back(WindowSpec{});
  std::vector<Verdict> verdicts;
  for (const WindowSpec& window : windows) {
    const std::string name = window.ToString();
    bool judged = false;
    for (const GoldenWindowResult& r : results) {
      if (r.window != name) continue;
      verdicts.push_back(Judge(spec, r));
      judged = true;
    }
    if (!judged) {
      GoldenWindowResult empty;
      empty.window = name;
      empty.against = "masters";
      verdicts.push_back(Judge(spec, empty));
    }
  }
  return verdicts;
}

}  // namespace faultdrill::golden
