// The models this server serves, loaded from `<models_dir>/<name>.fdw`.
//
// Each model is either ready (it has weights) or not (with the reason: still
// loading, missing file, bad checksum, wrong shapes). A reload swaps in new
// weights only when they loaded cleanly; a model whose new file is bad keeps
// serving its previous weights and records the error. Requests hold a
// shared_ptr to the model they run on, so a swap never pulls weights from under
// a running request.
//
// Thread-safe: every method may be called from any thread; LoadAll calls are
// serialised so that two reloads never interleave.
#ifndef FAULTDRILL_SERVER_MODEL_REPOSITORY_H_
#define FAULTDRILL_SERVER_MODEL_REPOSITORY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/model.h"
#include "server/weights_file.h"
#include "server/weights_generator.h"

namespace faultdrill::server {

// A kind of model the server knows how to run, with the file it is loaded from.
struct ModelKind {
  std::string name;
  const ModelSignature& (*signature)();
  std::vector<TensorRecipe> (*recipe)();
  absl::StatusOr<std::shared_ptr<const Model>> (*load)(const WeightsFile&);
};

// tinylm and classifier.
const std::vector<ModelKind>& ReferenceModelKinds();

// Writes `<dir>/<name>.fdw` for every reference model, generated from `seed`
// (same seed, byte-identical files). Creates `dir` if needed.
absl::Status WriteReferenceModels(const std::string& dir, uint64_t seed);

// The only version each model has.
inline constexpr std::string_view kModelVersion = "1";

struct ModelRepositoryOptions {
  std::string models_dir;
  bool verify_checksums = true;
};

class ModelRepository {
 public:
  explicit ModelRepository(ModelRepositoryOptions options,
                           std::vector<ModelKind> kinds = ReferenceModelKinds());
  ModelRepository(const ModelRepository&) = delete;
  ModelRepository& operator=(const ModelRepository&) = delete;

  struct LoadResult {
    std::string model;
    absl::Status status;   // OK when the new weights are now served
    bool kept_previous = false;  // failed, but earlier weights are still served
  };

  // (Re)loads every model from its file; see the class comment for what a
  // failure does. Returns one result per model, in kind order.
  std::vector<LoadResult> LoadAll() ABSL_LOCKS_EXCLUDED(load_mu_, mu_);

  // True once the first LoadAll has finished, whatever its results.
  bool initial_load_done() const ABSL_LOCKS_EXCLUDED(mu_);

  // The model to run. NotFound for an unknown model or a version other than
  // "" or "1"; Unavailable "model X is not ready: <reason>" when it has no weights.
  absl::StatusOr<std::shared_ptr<const Model>> Get(std::string_view name,
                                                   std::string_view version) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // The signature of a known model, ready or not; NotFound as for Get.
  absl::StatusOr<const ModelSignature*> Signature(std::string_view name,
                                                  std::string_view version) const;

  // Whether `name` (any version accepted by Get) is ready. NotFound as for Get.
  absl::StatusOr<bool> IsReady(std::string_view name, std::string_view version) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // The error of the latest load of `name` (OK if it succeeded or none ran yet).
  absl::Status LastLoadError(std::string_view name) const ABSL_LOCKS_EXCLUDED(mu_);

  std::vector<std::string> model_names() const;

  // The hex SHA-256 of the contents of the weights file `name` serves now
  // (WeightsFile::content_sha256); empty while it has none or for an unknown
  // model. Changes when a reload swaps in new weights.
  std::string WeightsSha256(std::string_view name) const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Slot {
    std::shared_ptr<const Model> model;  // null while not ready
    std::string not_ready_reason = "loading";
    absl::Status last_load_error;
    std::string weights_sha256;  // of `model`'s file; empty when model is null
  };

  const ModelKind* FindKind(std::string_view name, std::string_view version,
                            absl::Status* error) const;

  // Constant after construction.
  const ModelRepositoryOptions options_;
  const std::vector<ModelKind> kinds_;

  absl::Mutex load_mu_;  // serialises LoadAll
  mutable absl::Mutex mu_;
  std::map<std::string, Slot, std::less<>> slots_ ABSL_GUARDED_BY(mu_);
  bool initial_load_done_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_MODEL_REPOSITORY_H_
