#include "server/model_repository.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/server/server_process.h"

namespace faultdrill::server {
namespace {

using ::testing::HasSubstr;

// Flips one bit in the middle of a file (its checksum no longer matches).
void FlipABit(const std::string& path) {
  std::string bytes = testing::ReadWholeFile(path);
  bytes[bytes.size() / 2] ^= 0x01;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

class ModelRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(WriteReferenceModels(dir_.path(), 42).ok()); }
  std::string Path(std::string_view model) const { return dir_.File(std::string(model) + ".fdw"); }

  testing::TempDir dir_;
};

TEST_F(ModelRepositoryTest, ModelsAreNotReadyUntilLoaded) {
  ModelRepository repository({dir_.path()});
  EXPECT_FALSE(repository.initial_load_done());
  absl::StatusOr<std::shared_ptr<const Model>> model = repository.Get("tinylm", "");
  EXPECT_EQ(model.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(model.status().message()), HasSubstr("model tinylm is not ready: loading"));
}

TEST_F(ModelRepositoryTest, LoadsEveryReferenceModel) {
  ModelRepository repository({dir_.path()});
  for (const auto& result : repository.LoadAll()) EXPECT_TRUE(result.status.ok()) << result.model;
  EXPECT_TRUE(repository.initial_load_done());
  EXPECT_TRUE(repository.Get("tinylm", "1").ok());
  EXPECT_TRUE(*repository.IsReady("classifier", ""));
}

TEST_F(ModelRepositoryTest, UnknownModelsAndVersionsAreNotFound) {
  ModelRepository repository({dir_.path()});
  repository.LoadAll();
  EXPECT_EQ(repository.Get("resnet", "").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(repository.Get("tinylm", "2").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(repository.Signature("tinylm", "2").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ModelRepositoryTest, AModelWithABadFileIsNotReadyWithTheReason) {
  FlipABit(Path("classifier"));
  ModelRepository repository({dir_.path()});
  repository.LoadAll();
  EXPECT_TRUE(repository.Get("tinylm", "").ok());
  absl::StatusOr<std::shared_ptr<const Model>> classifier = repository.Get("classifier", "");
  EXPECT_EQ(classifier.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(classifier.status().message()), HasSubstr("checksum mismatch"));
}

TEST_F(ModelRepositoryTest, AMissingFileIsNotReady) {
  std::filesystem::remove(Path("tinylm"));
  ModelRepository repository({dir_.path()});
  repository.LoadAll();
  EXPECT_THAT(std::string(repository.Get("tinylm", "").status().message()),
              HasSubstr("no such file"));
}

TEST_F(ModelRepositoryTest, ReloadWithABadFileKeepsThePreviousWeights) {
  ModelRepository repository({dir_.path()});
  repository.LoadAll();
  const auto before = *repository.Get("classifier", "");
  FlipABit(Path("classifier"));
  const auto results = repository.LoadAll();
  EXPECT_FALSE(results[1].status.ok());
  EXPECT_TRUE(results[1].kept_previous);
  EXPECT_EQ(*repository.Get("classifier", ""), before);
  EXPECT_FALSE(repository.LastLoadError("classifier").ok());

  ASSERT_TRUE(WriteReferenceModels(dir_.path(), 42).ok());
  repository.LoadAll();
  EXPECT_NE(*repository.Get("classifier", ""), before);  // a fresh instance
  EXPECT_TRUE(repository.LastLoadError("classifier").ok());
}

TEST_F(ModelRepositoryTest, UnverifiedRepositoryServesABitFlippedFile) {
  FlipABit(Path("classifier"));
  ModelRepository repository({dir_.path(), /*verify_checksums=*/false});
  repository.LoadAll();
  EXPECT_TRUE(repository.Get("classifier", "").ok());
}

}  // namespace
}  // namespace faultdrill::server
