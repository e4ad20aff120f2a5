// A FaultProxy that records the rules it is given, for injector unit tests.
#ifndef FAULTDRILL_TESTS_INJECTORS_RECORDING_FAULT_PROXY_H_
#define FAULTDRILL_TESTS_INJECTORS_RECORDING_FAULT_PROXY_H_

#include <map>
#include <string>

#include "injectors/fault_proxy.h"

namespace faultdrill::testing {

class RecordingFaultProxy final : public injectors::FaultProxy {
 public:
  std::string endpoint() const override { return "127.0.0.1:1"; }
  absl::Status SetRule(const std::string& id, const injectors::ProxyRule& rule) override {
    rules[id] = rule;
    ++sets;
    return absl::OkStatus();
  }
  absl::Status ClearRule(const std::string& id) override {
    rules.erase(id);
    ++clears;
    return absl::OkStatus();
  }
  absl::StatusOr<injectors::ProxyRuleStats> Stats(const std::string& id) override {
    if (!rules.contains(id)) return absl::NotFoundError("no rule " + id);
    return injectors::ProxyRuleStats{.matched = matched, .passed = 0};
  }

  std::map<std::string, injectors::ProxyRule> rules;  // the rules in force, by id
  int sets = 0;
  int clears = 0;
  int64_t matched = 0;  // what Stats reports for every rule
};

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_INJECTORS_RECORDING_FAULT_PROXY_H_
