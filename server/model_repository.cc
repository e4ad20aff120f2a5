#include "server/model_repository.h"

#include <filesystem>
#include <system_error>

#include "server/strings.h"
#include "server/classifier.h"
#include "server/tinylm.h"

namespace faultdrill::server {
namespace {

std::string WeightsPath(const std::string& dir, std::string_view model) {
  return (std::filesystem::path(dir) / Cat(model, ".fdw")).string();
}

}  // namespace

const std::vector<ModelKind>& ReferenceModelKinds() {
  static const std::vector<ModelKind>* const kinds = new std::vector<ModelKind>{
      {std::string(kTinyLmName), &TinyLmSignature, &TinyLm::WeightsRecipe, &LoadTinyLmModel},
      {std::string(kClassifierName), &ClassifierSignature, &Classifier::WeightsRecipe,
       &LoadClassifierModel},
  };
  return *kinds;
}

absl::Status WriteReferenceModels(const std::string& dir, uint64_t seed) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::UnavailableError(Cat("cannot create ", dir, ": ", error.message()));
  }
  for (const ModelKind& kind : ReferenceModelKinds()) {
    const WeightsFile weights = GenerateWeights(kind.name, kind.recipe(), seed);
    if (auto s = WriteWeightsFile(WeightsPath(dir, kind.name), weights); !s.ok()) return s;
  }
  return absl::OkStatus();
}

ModelRepository::ModelRepository(ModelRepositoryOptions options, std::vector<ModelKind> kinds)
    : options_(std::move(options)), kinds_(std::move(kinds)) {
  absl::MutexLock lock(&mu_);
  for (const ModelKind& kind : kinds_) slots_[kind.name] = Slot{};
}

std::vector<ModelRepository::LoadResult> ModelRepository::LoadAll() {
  absl::MutexLock load_lock(&load_mu_);
  std::vector<LoadResult> results;
  for (const ModelKind& kind : kinds_) {
    // Read and build outside mu_: requests keep being served meanwhile.
    const WeightsReadOptions read_options{options_.verify_checksums};
    absl::StatusOr<std::shared_ptr<const Model>> model;
    std::string sha256;
    absl::StatusOr<WeightsFile> weights =
        ReadWeightsFile(WeightsPath(options_.models_dir, kind.name), read_options);
    if (weights.ok()) {
      sha256 = weights->content_sha256;
      model = kind.load(*weights);
      if (!model.ok()) {
        model = absl::Status(model.status().code(),
                             Cat(WeightsPath(options_.models_dir, kind.name), ": ",
                                          model.status().message()));
      }
    } else {
      model = weights.status();
    }
    LoadResult result{kind.name, model.status(), false};
    absl::MutexLock lock(&mu_);
    Slot& slot = slots_[kind.name];
    slot.last_load_error = model.status();
    if (model.ok()) {
      slot.model = *std::move(model);
      slot.weights_sha256 = std::move(sha256);
      slot.not_ready_reason.clear();
    } else if (slot.model != nullptr) {
      result.kept_previous = true;
    } else {
      slot.not_ready_reason = std::string(model.status().message());
    }
    results.push_back(std::move(result));
  }
  absl::MutexLock lock(&mu_);
  initial_load_done_ = true;
  return results;
}

bool ModelRepository::initial_load_done() const {
  absl::MutexLock lock(&mu_);
  return initial_load_done_;
}

const ModelKind* ModelRepository::FindKind(std::string_view name, std::string_view version,
                                           absl::Status* error) const {
  for (const ModelKind& kind : kinds_) {
    if (kind.name != name) continue;
    if (!version.empty() && version != kModelVersion) {
      *error = absl::NotFoundError(Cat("model '", name, "' has no version '", version,
                                                "' (it has version ", kModelVersion, ")"));
      return nullptr;
    }
    return &kind;
  }
  *error = absl::NotFoundError(Cat("unknown model '", name, "'"));
  return nullptr;
}

absl::StatusOr<std::shared_ptr<const Model>> ModelRepository::Get(std::string_view name,
                                                                  std::string_view version) const {
  absl::Status error;
  const ModelKind* kind = FindKind(name, version, &error);
  if (kind == nullptr) return error;
  absl::MutexLock lock(&mu_);
  const Slot& slot = slots_.find(kind->name)->second;
  if (slot.model == nullptr) {
    return absl::UnavailableError(
        Cat("model ", kind->name, " is not ready: ", slot.not_ready_reason));
  }
  return slot.model;
}

absl::StatusOr<const ModelSignature*> ModelRepository::Signature(std::string_view name,
                                                                 std::string_view version) const {
  absl::Status error;
  const ModelKind* kind = FindKind(name, version, &error);
  if (kind == nullptr) return error;
  return &kind->signature();
}

absl::StatusOr<bool> ModelRepository::IsReady(std::string_view name,
                                              std::string_view version) const {
  absl::Status error;
  const ModelKind* kind = FindKind(name, version, &error);
  if (kind == nullptr) return error;
  absl::MutexLock lock(&mu_);
  return slots_.find(kind->name)->second.model != nullptr;
}

absl::Status ModelRepository::LastLoadError(std::string_view name) const {
  absl::MutexLock lock(&mu_);
  const auto it = slots_.find(name);
  if (it == slots_.end()) return absl::NotFoundError(Cat("unknown model '", name, "'"));
  return it->second.last_load_error;
}

std::string ModelRepository::WeightsSha256(std::string_view name) const {
  absl::MutexLock lock(&mu_);
  const auto it = slots_.find(name);
  return it == slots_.end() ? std::string() : it->second.weights_sha256;
}

std::vector<std::string> ModelRepository::model_names() const {
  std::vector<std::string> names;
  for (const ModelKind& kind : kinds_) names.push_back(kind.name);
  return names;
}

}  // namespace faultdrill::server
