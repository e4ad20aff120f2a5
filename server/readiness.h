// Whether the server and each model are ready, as ServerReady, ModelReady and
// the health service report it: the server is ready once the first load of the
// model files has finished (whatever its outcome: a model that failed to load is
// reported not ready by itself, the server stays up) and until it starts
// draining on shutdown; a model is ready when it has weights and the server is
// not draining. Thread-safe.
#ifndef FAULTDRILL_SERVER_READINESS_H_
#define FAULTDRILL_SERVER_READINESS_H_

#include <atomic>
#include <string_view>

#include "absl/status/statusor.h"
#include "server/model_repository.h"

namespace faultdrill::server {

class Readiness {
 public:
  // `repository` must outlive this object.
  explicit Readiness(const ModelRepository& repository) : repository_(repository) {}

  bool ServerReady() const { return !draining_.load() && repository_.initial_load_done(); }

  // NotFound for an unknown model or version.
  absl::StatusOr<bool> ModelReady(std::string_view name, std::string_view version) const {
    absl::StatusOr<bool> ready = repository_.IsReady(name, version);
    if (ready.ok() && draining_.load()) return false;
    return ready;
  }

  bool draining() const { return draining_.load(); }
  void StartDraining() { draining_.store(true); }

 private:
  const ModelRepository& repository_;
  std::atomic<bool> draining_{false};
};

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_READINESS_H_
