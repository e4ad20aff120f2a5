#include "injectors/corrupt_weights.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <bit>
#include <cstring>
#include <filesystem>

#include "core/journal.h"
#include "injectors/undo.h"
#include "injectors/weights_corruption.h"
#include "tests/common/files.h"
#include "tests/injectors/scenario_fixture.h"
#include "tests/server/server_process.h"

namespace faultdrill::injectors {
namespace {

using ::faultdrill::testing::ReadWholeFile;
using ::faultdrill::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class CorruptWeightsTest : public ::faultdrill::testing::InjectorTest {
 protected:
  CorruptWeightsTest() : InjectorTest(&CorruptWeightsInjector::Create) {}

  void SetUp() override {
    ASSERT_TRUE(::faultdrill::testing::GenerateModels(dir_.File("models")).ok())
        << "needs faultdrill-model-server in FAULTDRILL_BIN_DIR";
    auto journal = Journal::Open(dir_.File("journal"), "t");
    ASSERT_TRUE(journal.ok()) << journal.status();
    journal_ = *std::move(journal);
    run_.set_journal(journal_.get());
    original_ = ReadWholeFile(weights());
  }

  std::string weights() const { return dir_.File("models/classifier.fdw"); }

  // Creates a fault on the classifier's weights with the given extra keys.
  std::unique_ptr<Injector> Make(const std::string& keys) {
    auto injector = Create("{kind: corrupt-weights, at: 1s, file: " + weights() + ", " + keys + "}");
    EXPECT_TRUE(injector.ok()) << injector.status();
    return injector.ok() ? *std::move(injector) : nullptr;
  }

  std::string CreateError(const std::string& fault, bool embedded = true) {
    auto injector = Create(fault, embedded);
    EXPECT_FALSE(injector.ok());
    return std::string(injector.status().message());
  }

  TempDir dir_;
  std::unique_ptr<Journal> journal_;
  std::string original_;
};

int DifferingBits(const std::string& a, const std::string& b) {
  int bits = 0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) bits += std::popcount(uint8_t(a[i] ^ b[i]));
  return bits;
}

TEST_F(CorruptWeightsTest, RejectsAFaultWithoutOperation) {
  EXPECT_THAT(CreateError("{kind: corrupt-weights, at: 1s, file: /x.fdw}"),
              HasSubstr("t.yaml:5:"));
  EXPECT_THAT(CreateError("{kind: corrupt-weights, at: 1s, file: /x.fdw}"), HasSubstr("give one operation"));
}

TEST_F(CorruptWeightsTest, RejectsTwoOperations) {
  EXPECT_THAT(CreateError("{kind: corrupt-weights, at: 1s, file: /x.fdw, flips: 1, truncate: 10}"),
              HasSubstr("only one of"));
}

TEST_F(CorruptWeightsTest, RejectsUnknownKeysWithTheirLocation) {
  const std::string error = CreateError("{kind: corrupt-weights, at: 1s, file: /x.fdw, flip: 3}");
  EXPECT_THAT(error, HasSubstr("t.yaml:5:"));
  EXPECT_THAT(error, HasSubstr("'flip'"));
}

TEST_F(CorruptWeightsTest, RejectsBadValuesAtTheirColumn) {
  EXPECT_THAT(CreateError("{kind: corrupt-weights, at: 1s, file: /x.fdw, flips: 0}"),
              HasSubstr("t.yaml:5:58: fault 'corrupt-weights' (corrupt-weights): flips"));
  EXPECT_THAT(CreateError("{kind: corrupt-weights, at: 1s, file: /x.fdw, truncate: 100%}"), HasSubstr("changes nothing"));
  EXPECT_THAT(CreateError("{kind: corrupt-weights, at: 1s, file: /x.fdw, truncate: lots}"), HasSubstr("truncate"));
  EXPECT_THAT(CreateError("{kind: corrupt-weights, at: 1s, file: /x.fdw, zero: {offset: 10}}"),
              HasSubstr("zero: missing required key 'length'"));
  EXPECT_THAT(CreateError("{kind: corrupt-weights, at: 1s, file: /x.fdw, zero: {offset: 1, length: 2, x: 1}}"),
              HasSubstr("unknown key 'x'"));
  EXPECT_THAT(CreateError("{kind: corrupt-weights, at: 1s, file: /x.fdw, scale: {tensor: w1, factor: 1}}"),
              HasSubstr("1 changes nothing"));
  EXPECT_THAT(CreateError("{kind: corrupt-weights, at: 1s, file: /x.fdw, scale: {factor: 2}}"),
              HasSubstr("tensor"));
  EXPECT_THAT(CreateError("{kind: corrupt-weights, at: 1s, file: /x.fdw, truncate: 10, region: file}"),
              HasSubstr("only to `flips`"));
  EXPECT_THAT(CreateError("{kind: corrupt-weights, at: 1s, file: /x.fdw, flips: 1, reload: yes}"),
              HasSubstr("reload"));
}

TEST_F(CorruptWeightsTest, FileIsRequiredUnlessTheTargetIsEmbedded) {
  EXPECT_THAT(CreateError("{kind: corrupt-weights, at: 1s, flips: 1}", /*embedded=*/false), HasSubstr("give `file:`"));
}

TEST_F(CorruptWeightsTest, ReloadNeedsALaunchedTarget) {
  const std::string error =
      CreateError("{kind: corrupt-weights, at: 1s, file: /x.fdw, flips: 1, reload: sighup}", /*embedded=*/false);
  EXPECT_THAT(error, HasSubstr("t.yaml:5:"));
  EXPECT_THAT(error, HasSubstr("reload: none"));
}

TEST_F(CorruptWeightsTest, EmbeddedTargetDefaultsToTheEmbeddedServersWeights) {
  auto injector = Create("{kind: corrupt-weights, at: 1s, flips: 1}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_THAT((*injector)->Touches()[0], HasSubstr("models/classifier.fdw in the run's folder"));
  run_.set_work_dir(dir_.path());
  EXPECT_THAT((*injector)->Touches()[0], HasSubstr(weights()));
  ASSERT_TRUE((*injector)->Apply().ok());
  EXPECT_NE(ReadWholeFile(weights()), original_);
  ASSERT_TRUE((*injector)->Revert().ok());
  EXPECT_EQ(ReadWholeFile(weights()), original_);
}

TEST_F(CorruptWeightsTest, FlipsTheGivenNumberOfBitsOnlyInTheTensorData) {
  auto injector = Make("flips: 16");
  ASSERT_TRUE(injector->Apply().ok());
  const std::string corrupted = ReadWholeFile(weights());
  ASSERT_EQ(corrupted.size(), original_.size());
  EXPECT_EQ(DifferingBits(corrupted, original_), 16);
  auto layout = ReadWeightsLayout(original_);
  ASSERT_TRUE(layout.ok()) << layout.status();
  EXPECT_EQ(corrupted.substr(0, layout->data_begin), original_.substr(0, layout->data_begin));
  EXPECT_EQ(corrupted.substr(corrupted.size() - 32), original_.substr(original_.size() - 32));
  EXPECT_EQ(injector->Counters().at("bits_flipped"), 16);
  EXPECT_GE(injector->Counters().at("bytes_changed"), 1);
}

TEST_F(CorruptWeightsTest, FlipsAreSeededSoARunRepeatsExactly) {
  std::string a = original_, b = original_, c = original_;
  Corruption flips{.kind = Corruption::Kind::kFlips, .flips = 32};
  ASSERT_TRUE(Corrupt(a, flips, 7).ok());
  ASSERT_TRUE(Corrupt(b, flips, 7).ok());
  ASSERT_TRUE(Corrupt(c, flips, 8).ok());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST_F(CorruptWeightsTest, ZeroesTheRange) {
  auto injector = Make("zero: {offset: 100, length: 64}");
  ASSERT_TRUE(injector->Apply().ok());
  const std::string corrupted = ReadWholeFile(weights());
  EXPECT_EQ(corrupted.substr(100, 64), std::string(64, '\0'));
  EXPECT_EQ(corrupted.substr(0, 100), original_.substr(0, 100));
  EXPECT_EQ(corrupted.substr(164), original_.substr(164));
  int nonzero = 0;
  for (char ch : original_.substr(100, 64)) nonzero += ch != '\0';
  EXPECT_EQ(injector->Counters().at("bytes_changed"), nonzero);
}

TEST_F(CorruptWeightsTest, TruncatesToBytesOrPercent) {
  auto bytes = Make("truncate: 100");
  ASSERT_TRUE(bytes->Apply().ok());
  EXPECT_EQ(ReadWholeFile(weights()), original_.substr(0, 100));
  ASSERT_TRUE(bytes->Revert().ok());

  std::string half = original_;
  ASSERT_TRUE(Corrupt(half, {.kind = Corruption::Kind::kTruncate, .keep_fraction = 0.5}, 0).ok());
  EXPECT_EQ(half, original_.substr(0, original_.size() / 2));
}

TEST_F(CorruptWeightsTest, ScalesOneTensorAndLeavesTheChecksumStale) {
  auto injector = Make("scale: {tensor: b1, factor: 2}");
  ASSERT_TRUE(injector->Apply().ok());
  const std::string corrupted = ReadWholeFile(weights());
  auto layout = ReadWeightsLayout(original_);
  ASSERT_TRUE(layout.ok());
  const WeightsLayout::Tensor* b1 = layout->Find("b1");
  ASSERT_NE(b1, nullptr);
  for (uint64_t at = b1->offset; at < b1->offset + b1->length; at += 4) {
    float before = 0, after = 0;
    std::memcpy(&before, original_.data() + at, 4);
    std::memcpy(&after, corrupted.data() + at, 4);
    EXPECT_EQ(after, before * 2);
  }
  EXPECT_EQ(corrupted.substr(0, b1->offset), original_.substr(0, b1->offset));
  EXPECT_EQ(corrupted.substr(b1->offset + b1->length), original_.substr(b1->offset + b1->length));
}

TEST_F(CorruptWeightsTest, AnUnknownTensorFailsWithoutTouchingTheFile) {
  auto injector = Make("scale: {tensor: nope, factor: 2}");
  absl::Status status = injector->Apply();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("no tensor 'nope'"));
  EXPECT_THAT(status.message(), HasSubstr("w1"));
  EXPECT_EQ(ReadWholeFile(weights()), original_);
  EXPECT_TRUE(journal_->Records().size() == 1);  // the run record only: nothing to undo
  EXPECT_TRUE(injector->Revert().ok());
}

TEST_F(CorruptWeightsTest, RevertRestoresEveryOperationByteIdentical) {
  for (const std::string keys : {"flips: 1000", "zero: {offset: 0, length: 1MiB}", "truncate: 50%",
                                 "scale: {tensor: w2, factor: -3}", "flips: 5, region: file"}) {
    SCOPED_TRACE(keys);
    auto injector = Make(keys);
    ASSERT_TRUE(injector->Apply().ok());
    EXPECT_NE(ReadWholeFile(weights()), original_);
    ASSERT_TRUE(injector->Revert().ok());
    EXPECT_EQ(ReadWholeFile(weights()), original_);
  }
}

TEST_F(CorruptWeightsTest, JournalsTheRestoreBeforeChangingTheFile) {
  auto sha = Sha256OfFile(weights());
  ASSERT_TRUE(sha.ok());
  auto injector = Make("flips: 8");
  ASSERT_TRUE(injector->Apply().ok());
  const std::vector<JournalRecord> records = journal_->Records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].type, "run");
  EXPECT_EQ(records[1].type, "undo");
  EXPECT_EQ(records[1].kind, "corrupt-weights");
  EXPECT_EQ(records[1].undo.action, "restore-file");
  EXPECT_EQ(records[1].undo.args["path"].get<std::string>(), weights());
  EXPECT_EQ(records[1].undo.args["sha256"].get<std::string>(), *sha);
  const std::string backup = records[1].undo.args["backup"].get<std::string>();
  EXPECT_THAT(backup, HasSubstr(journal_->files_dir()));
  EXPECT_EQ(ReadWholeFile(backup), original_);
}

TEST_F(CorruptWeightsTest, RecoverAfterACrashRestoresTheFile) {
  auto injector = Make("truncate: 10");
  ASSERT_TRUE(injector->Apply().ok());
  // faultdrill dies here without reverting; `faultdrill recover` reads the journal.
  auto report = RecoverJournal(journal_->dir());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(ReadWholeFile(weights()), original_);
  EXPECT_TRUE(injector->Revert().ok());  // and the revert that comes late is harmless
  EXPECT_EQ(ReadWholeFile(weights()), original_);
}

TEST_F(CorruptWeightsTest, RevertIsIdempotentAndReloadsOnce) {
  targets_.set_launched(&process_);
  auto injector = Make("flips: 4, reload: sighup");
  ASSERT_TRUE(injector->Apply().ok());
  EXPECT_THAT(process_.signals, ElementsAre(SIGHUP));
  ASSERT_TRUE(injector->Revert().ok());
  ASSERT_TRUE(injector->Revert().ok());
  EXPECT_THAT(process_.signals, ElementsAre(SIGHUP, SIGHUP));
  EXPECT_EQ(injector->Counters().at("reloads"), 2);
  EXPECT_EQ(ReadWholeFile(weights()), original_);
}

TEST_F(CorruptWeightsTest, RestartReloadStopsAndStartsTheTarget) {
  targets_.set_launched(&process_);
  auto injector = Make("flips: 4, reload: restart");
  ASSERT_TRUE(injector->Apply().ok());
  EXPECT_THAT(process_.signals, ElementsAre(SIGTERM));
  EXPECT_EQ(process_.restarts, 1);
  ASSERT_TRUE(injector->Revert().ok());
  EXPECT_EQ(process_.restarts, 2);
  EXPECT_TRUE(process_.Running());
}

TEST_F(CorruptWeightsTest, RevertWithoutApplyTouchesNothing) {
  targets_.set_launched(&process_);
  auto injector = Make("flips: 4, reload: sighup");
  ASSERT_TRUE(injector->Revert().ok());
  EXPECT_TRUE(process_.signals.empty());
}

TEST_F(CorruptWeightsTest, RefusesToApplyWithoutADurableJournal) {
  run_.set_journal(nullptr);
  auto injector = Make("flips: 4");
  EXPECT_EQ(injector->Apply().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReadWholeFile(weights()), original_);
}

TEST_F(CorruptWeightsTest, NeedsTheFileToBeWritable) {
  auto present = Make("flips: 4");
  ASSERT_EQ(present->Needs().size(), 1u);
  EXPECT_TRUE(present->Needs()[0].status.ok());
  auto missing = Create("{kind: corrupt-weights, at: 1s, file: /nonexistent/x.fdw, flips: 1}");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ((*missing)->Needs()[0].status.code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace faultdrill::injectors
