// `grpc-fault`: a gRPC-aware fault applied by the fault proxy
// (injectors/fault_proxy.h) to the calls the load sends through it — per
// method and per fraction of calls: delay with jitter, abort with a chosen
// status, deadline exhaustion, connection reset, blackhole, a bandwidth limit,
// or response corruption. Needs no privileges. Apply installs a rule in the
// proxy (keyed by the fault's name), Revert removes it; the rule lives in
// the proxy process, which the run journals and which dies with faultdrill,
// so there is nothing else to undo.
//
//   - {kind: grpc-fault, at: 5s, for: 10s, action: abort, method: ModelInfer, fraction: 0.2, status: UNAVAILABLE}
#ifndef FAULTDRILL_INJECTORS_GRPC_FAULT_H_
#define FAULTDRILL_INJECTORS_GRPC_FAULT_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "injectors/fault_proxy.h"
#include "injectors/injector.h"
#include "injectors/registry.h"

namespace faultdrill::injectors {

struct GrpcFaultSettings {
  std::string name;  // the proxy rule's id
  ProxyRule rule;
  std::optional<Duration> active_for;
};

// "1MB/s", "512KiB/s", "2000/s" (bytes per second, units as ParseBytes takes them), > 0.
absl::StatusOr<double> ParseByteRate(std::string_view text);

// A gRPC status code from its name ("UNAVAILABLE", "deadline_exceeded") or
// number; nullopt for anything else. OK (0) is not a fault and is refused.
std::optional<int> ParseGrpcErrorCode(std::string_view text);
// "UNAVAILABLE" for 14.
std::string GrpcCodeName(int code);

class GrpcFaultInjector final : public Injector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  GrpcFaultInjector(GrpcFaultSettings settings, RunState& run) : settings_(std::move(settings)), run_(run) {}

  std::string Describe() const override;
  std::optional<Duration> ActiveFor() const override { return settings_.active_for; }
  // FailedPrecondition when the run has no fault proxy.
  absl::Status Apply() override;
  absl::Status Revert() override;
  // requests_affected: calls the rule applied to; requests_spared: calls of
  // the method left alone by the fraction.
  std::map<std::string, int64_t> Counters() const override;
  std::vector<std::string> Touches() const override;
  std::vector<Need> Needs() const override;

  const GrpcFaultSettings& settings() const { return settings_; }

 private:
  const GrpcFaultSettings settings_;
  RunState& run_;
  std::atomic<bool> applied_{false};
  std::atomic<int64_t> requests_affected_{0};
  std::atomic<int64_t> requests_spared_{0};
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_GRPC_FAULT_H_
