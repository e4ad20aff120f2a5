// InferenceTransport over gRPC's asynchronous API (KServe v2 ModelInfer).
//
// `channels` channels, each with its own subchannel (so each has its own TCP
// connection) and its own completion queue served by one thread; calls are
// spread round-robin. One channel per client core is typical. Call state lives
// in preallocated slots (context, response buffer, status) that are reused;
// the pool grows in chunks when more calls are in flight than it holds and
// never shrinks.
//
// Thread-safety: Infer may be called from any thread, including from inside a
// callback. Destruction cancels the calls still in flight (their callbacks run
// with CANCELLED) and waits for every callback to return; nothing may call
// Infer once destruction has begun.
#ifndef FAULTDRILL_LOAD_GRPC_TRANSPORT_H_
#define FAULTDRILL_LOAD_GRPC_TRANSPORT_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "load/transport.h"
#include "proto/grpc_service.grpc.pb.h"

namespace faultdrill::load {

struct GrpcTransportOptions {
  std::string endpoint;  // "host:port"
  int channels = 2;
  size_t initial_slots = 1024;
  // Reconnect backoff after the target went away (kill, restart). gRPC's
  // default starts at 1 s and grows to 120 s, which would measure the client's
  // backoff rather than the target's recovery; a drill reconnects quickly.
  int reconnect_backoff_min_ms = 50;
  int reconnect_backoff_max_ms = 250;
};

class GrpcTransport final : public InferenceTransport {
 public:
  // Does not connect (channels connect on the first call); see WaitForReady.
  // InvalidArgument for an empty endpoint or channels < 1.
  static absl::StatusOr<std::unique_ptr<GrpcTransport>> Create(const GrpcTransportOptions& options);
  ~GrpcTransport() override;
  GrpcTransport(const GrpcTransport&) = delete;
  GrpcTransport& operator=(const GrpcTransport&) = delete;

  void Infer(const inference::ModelInferRequest& request, std::chrono::system_clock::time_point deadline,
             Callback done) override;

  // Connects every channel; false if any is not ready by `deadline`.
  bool WaitForReady(std::chrono::system_clock::time_point deadline);

  size_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }
  size_t slot_count() const;

 private:
  struct Slot {
    std::optional<grpc::ClientContext> context;
    std::unique_ptr<grpc::ClientAsyncResponseReader<inference::ModelInferResponse>> reader;
    inference::ModelInferResponse response;
    grpc::Status status;
    Callback done;
    bool active = false;  // guarded by GrpcTransport::mu_
  };
  struct Lane {
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<inference::GRPCInferenceService::Stub> stub;
    grpc::CompletionQueue cq;
    std::thread thread;
  };

  explicit GrpcTransport(const GrpcTransportOptions& options);
  Slot* Acquire();
  void Release(Slot* slot);
  void GrowLocked(size_t count) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Poll(Lane& lane);

  // Constant after construction.
  std::vector<std::unique_ptr<Lane>> lanes_;

  std::atomic<size_t> next_lane_{0};
  std::atomic<size_t> in_flight_{0};

  mutable std::mutex mu_;
  std::condition_variable idle_;  // signalled when in_flight_ drops to 0 during shutdown
  std::vector<std::unique_ptr<Slot[]>> chunks_ ABSL_GUARDED_BY(mu_);
  std::vector<Slot*> all_slots_ ABSL_GUARDED_BY(mu_);
  std::vector<Slot*> free_ ABSL_GUARDED_BY(mu_);
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace faultdrill::load

#endif  // FAULTDRILL_LOAD_GRPC_TRANSPORT_H_
