#include "server/weights_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "server/classifier.h"
#include "server/model_repository.h"
#include "server/weights_generator.h"
#include "tests/server/server_process.h"

namespace faultdrill::server {
namespace {

using ::testing::HasSubstr;

WeightsFile ClassifierWeights(uint64_t seed = 42) {
  return GenerateWeights(kClassifierName, Classifier::WeightsRecipe(), seed);
}

std::string ClassifierBytes(uint64_t seed = 42) {
  absl::StatusOr<std::string> bytes = SerializeWeights(ClassifierWeights(seed));
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.value_or("");
}

// Offset of the data section: the file minus its data and 32-byte digest.
size_t DataStart(const std::string& bytes) {
  size_t data = 0;
  for (const WeightsTensor& t : ClassifierWeights().tensors) data += t.values.size() * 4;
  return bytes.size() - 32 - data;
}

std::string Message(const absl::Status& status) { return std::string(status.message()); }

TEST(WeightsFile, RoundTripsEveryTensorExactly) {
  const WeightsFile original = ClassifierWeights();
  absl::StatusOr<WeightsFile> parsed = ParseWeights(ClassifierBytes(), {});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->model_name, "classifier");
  ASSERT_EQ(parsed->tensors.size(), original.tensors.size());
  for (size_t i = 0; i < original.tensors.size(); ++i) {
    EXPECT_EQ(parsed->tensors[i].name, original.tensors[i].name);
    EXPECT_EQ(parsed->tensors[i].shape, original.tensors[i].shape);
    EXPECT_EQ(parsed->tensors[i].values, original.tensors[i].values);
  }
}

TEST(WeightsFile, ReportsTheSha256OfWhatItReadEvenUnverified) {
  const std::string bytes = ClassifierBytes();
  absl::StatusOr<WeightsFile> intact = ParseWeights(bytes, {});
  ASSERT_TRUE(intact.ok()) << intact.status();
  // Intact: the digest the file records in its trailer.
  std::string trailer_hex;
  for (unsigned char c : bytes.substr(bytes.size() - 32)) {
    trailer_hex += "0123456789abcdef"[c >> 4];
    trailer_hex += "0123456789abcdef"[c & 0xf];
  }
  EXPECT_EQ(intact->content_sha256, trailer_hex);
  // A flipped bit in the data, served without verification, shows a new digest.
  std::string flipped = bytes;
  flipped[DataStart(bytes)] ^= 0x01;
  absl::StatusOr<WeightsFile> corrupted = ParseWeights(flipped, {.verify_checksum = false});
  ASSERT_TRUE(corrupted.ok()) << corrupted.status();
  EXPECT_EQ(corrupted->content_sha256.size(), 64u);
  EXPECT_NE(corrupted->content_sha256, intact->content_sha256);
}

TEST(WeightsFile, WriteThenReadFromDisk) {
  testing::TempDir dir;
  const std::string path = dir.File("classifier.fdw");
  ASSERT_TRUE(WriteWeightsFile(path, ClassifierWeights()).ok());
  absl::StatusOr<WeightsFile> read = ReadWeightsFile(path, {});
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->tensors.size(), 4u);
}

TEST(WeightsFile, SameSeedGivesByteIdenticalFilesAndOtherSeedsDiffer) {
  EXPECT_EQ(ClassifierBytes(42), ClassifierBytes(42));
  EXPECT_NE(ClassifierBytes(42), ClassifierBytes(43));
}

TEST(WeightsFile, ReferenceModelsWrittenTwiceAreByteIdentical) {
  testing::TempDir a, b;
  ASSERT_TRUE(WriteReferenceModels(a.path(), 7).ok());
  ASSERT_TRUE(WriteReferenceModels(b.path(), 7).ok());
  for (const char* name : {"tinylm.fdw", "classifier.fdw"}) {
    EXPECT_EQ(testing::ReadWholeFile(a.File(name)), testing::ReadWholeFile(b.File(name))) << name;
  }
}

TEST(WeightsFile, MissingFileIsNotFoundNamingThePath) {
  absl::StatusOr<WeightsFile> read = ReadWeightsFile("/nonexistent/x.fdw", {});
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(Message(read.status()), HasSubstr("/nonexistent/x.fdw"));
}

TEST(WeightsFile, BadMagicIsRejected) {
  std::string bytes = ClassifierBytes();
  bytes[0] = 'X';
  absl::StatusOr<WeightsFile> parsed = ParseWeights(bytes, {});
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(Message(parsed.status()), HasSubstr("magic"));
}

TEST(WeightsFile, UnknownVersionIsRejected) {
  std::string bytes = ClassifierBytes();
  bytes[4] = 9;
  EXPECT_THAT(Message(ParseWeights(bytes, {.verify_checksum = false}).status()),
              HasSubstr("version 9"));
}

TEST(WeightsFile, EveryTruncationIsRejectedWithoutCrashing) {
  const std::string bytes = ClassifierBytes();
  for (size_t length = 0; length < bytes.size(); ++length) {
    for (bool verify : {true, false}) {
      absl::StatusOr<WeightsFile> parsed =
          ParseWeights(std::string_view(bytes).substr(0, length), {.verify_checksum = verify});
      ASSERT_FALSE(parsed.ok()) << "length " << length;
      EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss);
    }
  }
  EXPECT_THAT(Message(ParseWeights(bytes.substr(0, bytes.size() - 10), {}).status()),
              HasSubstr("truncated"));
}

TEST(WeightsFile, BitFlipInDataFailsTheChecksum) {
  std::string bytes = ClassifierBytes();
  bytes[DataStart(bytes) + 5] ^= 0x10;
  absl::StatusOr<WeightsFile> parsed = ParseWeights(bytes, {});
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(Message(parsed.status()), HasSubstr("checksum mismatch"));
}

TEST(WeightsFile, EverySingleBitFlipIsDetected) {
  const std::string bytes = ClassifierBytes();
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string flipped = bytes;
    flipped[i] ^= static_cast<char>(1 << (i % 8));
    EXPECT_FALSE(ParseWeights(flipped, {}).ok()) << "byte " << i;
  }
}

TEST(WeightsFile, ZeroedRangeIsRejected) {
  std::string bytes = ClassifierBytes();
  std::fill(bytes.begin() + 100, bytes.begin() + 612, '\0');
  EXPECT_EQ(ParseWeights(bytes, {}).status().code(), absl::StatusCode::kDataLoss);
  std::string header_zeroed = ClassifierBytes();
  std::fill(header_zeroed.begin(), header_zeroed.begin() + 64, '\0');
  EXPECT_THAT(Message(ParseWeights(header_zeroed, {}).status()), HasSubstr("magic"));
}

TEST(WeightsFile, CorruptedHeadersNeverCrashEvenUnverified) {
  // Every byte of the header and table set to a few hostile values.
  const std::string bytes = ClassifierBytes();
  for (size_t i = 0; i < DataStart(bytes); ++i) {
    for (unsigned char value : {0x00, 0x7f, 0x80, 0xff}) {
      std::string corrupted = bytes;
      corrupted[i] = static_cast<char>(value);
      absl::StatusOr<WeightsFile> parsed = ParseWeights(corrupted, {.verify_checksum = false});
      if (parsed.ok()) {
        // Only a change that keeps the structure valid (e.g. a name byte) may pass.
        EXPECT_EQ(parsed->tensors.size(), 4u);
      }
    }
  }
}

TEST(WeightsFile, UnverifiedBitFlipLoadsAndChangesTheModelsOutput) {
  std::string bytes = ClassifierBytes();
  bytes[DataStart(bytes) + 3] ^= static_cast<char>(0x80);  // sign bit of w1[0]
  ASSERT_FALSE(ParseWeights(bytes, {}).ok());
  absl::StatusOr<WeightsFile> flipped = ParseWeights(bytes, {.verify_checksum = false});
  ASSERT_TRUE(flipped.ok()) << flipped.status();

  const auto original = Classifier::FromWeights(ClassifierWeights());
  const auto corrupted = Classifier::FromWeights(*flipped);
  ASSERT_TRUE(original.ok() && corrupted.ok());
  const std::vector<float> row(16, 0.5f);
  std::vector<float> a(4), b(4);
  original->Predict(row, a);
  corrupted->Predict(row, b);
  EXPECT_NE(a, b);
}

TEST(WeightsFile, NonFiniteValuesAreRejectedEvenUnverified) {
  WeightsFile weights = ClassifierWeights();
  weights.tensors[1].values[3] = std::numeric_limits<float>::infinity();
  absl::StatusOr<std::string> bytes = SerializeWeights(weights);
  ASSERT_TRUE(bytes.ok());
  EXPECT_THAT(Message(ParseWeights(*bytes, {.verify_checksum = false}).status()),
              HasSubstr("non-finite"));
}

TEST(WeightsFile, WrongShapeForTheModelNamesTheTensor) {
  WeightsFile weights = ClassifierWeights();
  weights.tensors[0].shape = {32, 16};
  absl::StatusOr<Classifier> classifier = Classifier::FromWeights(weights);
  EXPECT_EQ(classifier.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(Message(classifier.status()), HasSubstr("'w1' has shape [32,16]"));
}

TEST(WeightsFile, WeightsOfAnotherModelAreRejected) {
  WeightsFile weights = ClassifierWeights();
  weights.model_name = "tinylm";
  EXPECT_THAT(Message(Classifier::FromWeights(weights).status()), HasSubstr("for model 'tinylm'"));
}

}  // namespace
}  // namespace faultdrill::server
