// The sections of report.html that say what the faults did:
// - "Recovery": per fault, when it ended, how long the service took to be
//   healthy again (or what ended the measurement), with the definition used;
// - "Poisoned inputs": per poison-inputs fault and variant, the answers
//   expected, how many were sent, answered as expected, answered otherwise
//   (with the first unexpected code), timed out or crashed the server; a row
//   with any of the last three is marked as a problem;
// - "Injector log": per fault, its number (the key of its band in the
//   timeline's charts), kind, what it does, what it touched, planned,
//   applied and reverted times, its state, error and counters.
// Every string from the RunResult is escaped; long lists are bounded.
#ifndef FAULTDRILL_REPORTS_HTML_FAULTS_H_
#define FAULTDRILL_REPORTS_HTML_FAULTS_H_

#include <cstddef>
#include <string>

#include "core/run_result.h"

namespace faultdrill::reports {

// The most touched things listed per fault (a note says how many more).
inline constexpr size_t kMaxTouchesShown = 20;

// Nothing when the run had no faults.
void AppendRecoverySection(const RunResult& result, std::string& out);

// Nothing when no fault recorded poison outcomes.
void AppendPoisonSection(const RunResult& result, std::string& out);

// Says so when the run had no faults.
void AppendInjectorLogSection(const RunResult& result, std::string& out);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_HTML_FAULTS_H_
