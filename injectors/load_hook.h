// A fault that acts on the load's own requests (poison-inputs) rather than on
// the target. The runner finds such injectors (dynamic_cast) and wires them in
// two steps:
//
//   1. once the load's requests are built, before the run (compile time, so
//      `validate` and `plan` report problems too):
//        hook->PrepareRequests(*requests)         // an error: invalid scenario
//   2. for the whole load:
//        load::InterceptorChain chain;            // declared BEFORE the driver:
//        load::LoadDriver driver(...);            // its destructor waits for
//        chain.Add(&hook->interceptor());         // completions that reach the chain
//        driver.SetInterceptor(&chain);
//
// The interceptor substitutes requests only while the fault is applied, so it
// can stay installed from the first request to the last.
#ifndef FAULTDRILL_INJECTORS_LOAD_HOOK_H_
#define FAULTDRILL_INJECTORS_LOAD_HOOK_H_

#include "absl/status/status.h"
#include "load/request_interceptor.h"
#include "load/request_source.h"

namespace faultdrill::injectors {

class LoadHook {
 public:
  virtual ~LoadHook() = default;

  // Builds what the fault will send from the load's planned requests. Called
  // once, before the load starts; the fault keeps copies, not references.
  // Errors name the fault but not its location: the runner adds that.
  virtual absl::Status PrepareRequests(const load::RequestSource& planned) = 0;

  // The interceptor to install on the LoadDriver; lives as long as the injector.
  virtual load::RequestInterceptor& interceptor() = 0;
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_LOAD_HOOK_H_
