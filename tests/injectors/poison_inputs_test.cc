#include "injectors/poison_inputs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <set>

#include "injectors/fault_proxy.h"
#include "load/load_driver.h"
#include "tests/injectors/poison_test_requests.h"
#include "tests/injectors/scenario_fixture.h"
#include "tests/load/event_clock.h"
#include "tests/load/fake_transport.h"

namespace faultdrill::injectors {
namespace {

using ::faultdrill::testing::BothModels;
using ::testing::HasSubstr;
using std::chrono::milliseconds;
using std::chrono::seconds;

class PoisonInputsTest : public ::faultdrill::testing::InjectorTest {
 protected:
  PoisonInputsTest() : InjectorTest(&PoisonInputsInjector::Create) {}

  PoisonInputsInjector* Make(const std::string& keys) {
    auto injector = Create("{kind: poison-inputs, at: 1s, for: 1s" + (keys.empty() ? "" : ", " + keys) + "}");
    EXPECT_TRUE(injector.ok()) << injector.status();
    if (!injector.ok()) return nullptr;
    injector_ = *std::move(injector);
    auto* poison = static_cast<PoisonInputsInjector*>(injector_.get());
    EXPECT_TRUE(poison->PrepareRequests(planned_).ok());
    return poison;
  }

  std::string CreateError(const std::string& keys) {
    auto injector = Create("{kind: poison-inputs, at: 1s, for: 1s, " + keys + "}");
    EXPECT_FALSE(injector.ok());
    return std::string(injector.status().message());
  }

  // Runs a 1 s open-loop load of 1000 requests through the injector, which is
  // applied from 200 ms to 800 ms; the fake server answers a poisoned request
  // with `answer(variant name)` and a planned one with OK.
  load::LoadStats RunLoad(PoisonInputsInjector& poison, std::function<grpc::StatusCode(std::string_view)> answer,
                          load::Recorder& recorder) {
    load::testing::EventClock clock;
    load::testing::FakeTransport transport(clock, milliseconds(3));
    transport.SetStatusFor([&](uint64_t call) {
      const std::string& id = transport.requests()[call]->id();
      constexpr std::string_view kPrefix = "faultdrill-poison-";
      return id.starts_with(kPrefix) ? answer(std::string_view(id).substr(kPrefix.size())) : grpc::StatusCode::OK;
    });
    LoadSpec spec;
    spec.mode = LoadMode::kOpen;
    spec.rate = Rate{1000};
    spec.duration = seconds(1);
    spec.deadline = seconds(1);
    load::LoadDriver driver(spec, planned_, transport, recorder, clock);
    driver.SetInterceptor(&poison.interceptor());
    const auto start = clock.Now();
    clock.Schedule(start + milliseconds(200), [&] { EXPECT_TRUE(poison.Apply().ok()); });
    clock.Schedule(start + milliseconds(800), [&] { EXPECT_TRUE(poison.Revert().ok()); });
    load::LoadStats stats = driver.Run(start, {});
    clock.SleepUntil(clock.Now() + std::chrono::hours(1), {});
    return stats;
  }

  load::VectorRequestSource planned_ = BothModels();
  std::unique_ptr<Injector> injector_;
};

TEST_F(PoisonInputsTest, DefaultsToTenPercentAndEveryVariant) {
  PoisonInputsInjector* poison = Make("");
  ASSERT_NE(poison, nullptr);
  EXPECT_EQ(poison->variant_names().size(), PoisonVariants().size());
  EXPECT_THAT(poison->Describe(), HasSubstr("10%"));
  EXPECT_EQ(poison->ActiveFor(), seconds(1));
}

TEST_F(PoisonInputsTest, RejectsBadKeysWithTheirLocation) {
  EXPECT_THAT(CreateError("fraction: 0"), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(CreateError("fraction: 0"), HasSubstr("more than 0"));
  EXPECT_THAT(CreateError("fraction: 150%"), HasSubstr("fraction"));
  EXPECT_THAT(CreateError("variants: [nan, nope]"), HasSubstr("t.yaml:5:60: fault 'poison-inputs' (poison-inputs): "
                                                              "variants: 'nope' is not a poison variant"));
  EXPECT_THAT(CreateError("variants: [nan, nan]"), HasSubstr("listed twice"));
  EXPECT_THAT(CreateError("expect: INVALID"), HasSubstr("'INVALID' is not a gRPC status name"));
  EXPECT_THAT(CreateError("expect: [OK, nope]"), HasSubstr("'nope'"));
  EXPECT_THAT(CreateError("expect_by_variant: {nope: OK}"), HasSubstr("'nope' is not a poison variant"));
  EXPECT_THAT(CreateError("variants: [nan], expect_by_variant: {pos-inf: OK}"), HasSubstr("not among `variants`"));
  EXPECT_THAT(CreateError("fractions: 0.1"), HasSubstr("unknown key 'fractions'"));
  EXPECT_THAT(CreateError("oversized_bytes: 10"), HasSubstr("1KiB..1GiB"));
}

TEST_F(PoisonInputsTest, ExpectReplacesOnlyTheInvalidArgumentDefaults) {
  auto injector = Create(
      "{kind: poison-inputs, at: 1s, variants: [wrong-shape, unknown-model, nan], expect: [INVALID_ARGUMENT, "
      "FAILED_PRECONDITION], expect_by_variant: {nan: INVALID_ARGUMENT}}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  auto* poison = static_cast<PoisonInputsInjector*>(injector->get());
  ASSERT_TRUE(poison->PrepareRequests(planned_).ok());
  // The fake server answers FAILED_PRECONDITION, NOT_FOUND, OK: only nan's is unexpected.
  load::Recorder recorder({});
  RunLoad(*poison,
          [](std::string_view variant) {
            return variant == "wrong-shape"     ? grpc::StatusCode::FAILED_PRECONDITION
                   : variant == "unknown-model" ? grpc::StatusCode::NOT_FOUND
                                                : grpc::StatusCode::OK;
          },
          recorder);
  const auto counters = poison->Counters();
  EXPECT_GT(counters.at("expected"), 0);
  EXPECT_NEAR(counters.at("unexpected"), counters.at("poisoned_sent") / 3.0, 1);
  EXPECT_THAT(poison->Verdicts()[0].message, HasSubstr("nan: "));
  EXPECT_THAT(poison->Verdicts()[0].message, HasSubstr("first OK, expected INVALID_ARGUMENT"));
}

TEST_F(PoisonInputsTest, FractionSelectionIsSeededAndWithinBounds) {
  PoisonInputsInjector* poison = Make("fraction: 0.1");
  ASSERT_NE(poison, nullptr);
  int selected = 0;
  std::vector<bool> first;
  for (uint64_t seq = 0; seq < 100000; ++seq) {
    const bool s = poison->Selects(seq);
    selected += s;
    if (seq < 1000) first.push_back(s);
  }
  EXPECT_GT(selected, 9500);
  EXPECT_LT(selected, 10500);
  // The same scenario seed and fault name choose the same requests.
  InjectorContext context{scenario_, targets_, run_};
  auto again = PoisonInputsInjector::Create(scenario_.faults[0], context);
  ASSERT_TRUE(again.ok());
  for (uint64_t seq = 0; seq < 1000; ++seq) {
    EXPECT_EQ(static_cast<PoisonInputsInjector*>(again->get())->Selects(seq), first[seq]) << seq;
  }
  // Another seed chooses others.
  scenario_.seed = 99;
  auto other = PoisonInputsInjector::Create(scenario_.faults[0], context);
  ASSERT_TRUE(other.ok());
  int same = 0;
  for (uint64_t seq = 0; seq < 1000; ++seq) same += static_cast<PoisonInputsInjector*>(other->get())->Selects(seq) == first[seq];
  EXPECT_LT(same, 1000);
}

TEST_F(PoisonInputsTest, SubstitutesOnlyWhileApplied) {
  PoisonInputsInjector* poison = Make("fraction: 100%");
  ASSERT_NE(poison, nullptr);
  load::RequestInterceptor& interceptor = poison->interceptor();
  EXPECT_EQ(interceptor.Substitute(0, planned_.At(0)), nullptr);
  ASSERT_TRUE(poison->Apply().ok());
  std::set<std::string> seen;
  for (uint64_t seq = 0; seq < PoisonVariants().size(); ++seq) {
    const inference::ModelInferRequest* substitute = interceptor.Substitute(seq, planned_.At(seq));
    ASSERT_NE(substitute, nullptr);
    seen.insert(substitute->id());
  }
  EXPECT_EQ(seen.size(), PoisonVariants().size());  // in turn: every variant once
  ASSERT_TRUE(poison->Revert().ok());
  EXPECT_EQ(interceptor.Substitute(99, planned_.At(0)), nullptr);
}

TEST_F(PoisonInputsTest, ApplyWithoutPreparedRequestsFails) {
  auto injector = Create("{kind: poison-inputs, at: 1s}");
  ASSERT_TRUE(injector.ok());
  EXPECT_EQ((*injector)->Apply().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE((*injector)->Revert().ok());
}

TEST_F(PoisonInputsTest, VariantsThatTheLoadCannotCarryAreSkippedOrRefused) {
  load::VectorRequestSource classifier_only({::faultdrill::testing::GeneratedRequest("classifier")});
  auto all = Create("{kind: poison-inputs, at: 1s}");
  ASSERT_TRUE(all.ok());
  auto* poison = static_cast<PoisonInputsInjector*>(all->get());
  ASSERT_TRUE(poison->PrepareRequests(classifier_only).ok());
  EXPECT_EQ(poison->variant_names().size(), PoisonVariants().size() - 3);  // invalid-utf8 and the two parameter ones
  EXPECT_THAT(poison->Verdicts()[0].message, HasSubstr("skipped: invalid-utf8 (needs a BYTES input)"));

  auto named = Create("{kind: poison-inputs, at: 1s, variants: [invalid-utf8]}");
  ASSERT_TRUE(named.ok());
  absl::Status status = static_cast<PoisonInputsInjector*>(named->get())->PrepareRequests(classifier_only);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("fault 'poison-inputs' (poison-inputs): variant 'invalid-utf8' needs a "
                                          "planned request with a BYTES input"));
}

TEST_F(PoisonInputsTest, EveryExpectedAnswerPassesAndStaysOutOfTheServiceErrors) {
  PoisonInputsInjector* poison = Make("fraction: 20%, variants: [wrong-shape, unknown-model, nan]");
  ASSERT_NE(poison, nullptr);
  load::Recorder recorder({Window{"all", seconds(0), seconds(1)}});
  const load::LoadStats stats = RunLoad(
      *poison,
      [](std::string_view variant) {
        return variant == "unknown-model" ? grpc::StatusCode::NOT_FOUND : grpc::StatusCode::INVALID_ARGUMENT;
      },
      recorder);
  const auto counters = poison->Counters();
  // About 20% of the 600 requests sent while applied.
  EXPECT_GT(counters.at("poisoned_sent"), 80);
  EXPECT_LT(counters.at("poisoned_sent"), 160);
  EXPECT_EQ(counters.at("requests_affected"), counters.at("poisoned_sent"));
  EXPECT_EQ(counters.at("expected"), counters.at("poisoned_sent"));
  EXPECT_EQ(counters.at("unexpected") + counters.at("timeouts") + counters.at("crashes"), 0);
  EXPECT_EQ(stats.substituted, uint64_t(counters.at("poisoned_sent")));
  const std::vector<Verdict> verdicts = poison->Verdicts();
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].name, "poison-inputs poison-inputs: every poisoned request answered as expected");
  EXPECT_TRUE(verdicts[0].passed) << verdicts[0].message;
  EXPECT_EQ(verdicts[0].measured, 0);
  EXPECT_THAT(verdicts[0].message, HasSubstr("all answered as expected"));
  const WindowResult all = recorder.WindowResults(seconds(1))[0];
  EXPECT_EQ(all.errors, 0u);
  EXPECT_EQ(all.requests + stats.substituted, 1000u);
}

TEST_F(PoisonInputsTest, CountsUnexpectedAnswersTimeoutsAndCrashesByVariant) {
  PoisonInputsInjector* poison = Make("fraction: 30%, variants: [wrong-shape, nan, bad-version, missing-input]");
  ASSERT_NE(poison, nullptr);
  load::Recorder recorder({});
  RunLoad(*poison,
          [](std::string_view variant) {
            if (variant == "nan") return grpc::StatusCode::INTERNAL;
            if (variant == "bad-version") return grpc::StatusCode::DEADLINE_EXCEEDED;
            if (variant == "missing-input") return grpc::StatusCode::UNAVAILABLE;
            return grpc::StatusCode::INVALID_ARGUMENT;
          },
          recorder);
  const auto counters = poison->Counters();
  const int64_t quarter = counters.at("poisoned_sent") / 4;
  EXPECT_NEAR(counters.at("expected"), quarter, 1);
  EXPECT_NEAR(counters.at("unexpected"), quarter, 1);
  EXPECT_NEAR(counters.at("timeouts"), quarter, 1);
  EXPECT_NEAR(counters.at("crashes"), quarter, 1);
  const Verdict v = poison->Verdicts()[0];
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(*v.measured, counters.at("unexpected") + counters.at("timeouts") + counters.at("crashes"));
  EXPECT_THAT(v.message, HasSubstr("nan: "));
  EXPECT_THAT(v.message, HasSubstr("unexpected (first INTERNAL, expected OK|INVALID_ARGUMENT)"));
  EXPECT_THAT(v.message, HasSubstr("bad-version: "));
  EXPECT_THAT(v.message, HasSubstr("timeouts"));
  EXPECT_THAT(v.message, HasSubstr("missing-input: "));
  EXPECT_THAT(v.message, HasSubstr("crashes (UNAVAILABLE)"));
  EXPECT_THAT(v.message, ::testing::Not(HasSubstr("wrong-shape")));
}

TEST_F(PoisonInputsTest, ATargetThatDiedDuringThePoisonIsACrash) {
  PoisonInputsInjector* poison = Make("variants: [wrong-shape]");
  ASSERT_NE(poison, nullptr);
  targets_.set_launched(&process_);
  ASSERT_TRUE(poison->Apply().ok());
  const inference::ModelInferRequest* sent = nullptr;
  for (uint64_t seq = 0; sent == nullptr; ++seq) sent = poison->interceptor().Substitute(seq, planned_.At(0));
  poison->interceptor().OnSubstitutedComplete({.seq = 0, .request = sent, .code = grpc::StatusCode::INVALID_ARGUMENT});
  ASSERT_TRUE(process_.Signal(SIGKILL).ok());
  ASSERT_TRUE(poison->Revert().ok());
  EXPECT_EQ(poison->Counters().at("crashes"), 1);
  EXPECT_FALSE(poison->Verdicts()[0].passed);
  EXPECT_THAT(poison->Verdicts()[0].message, HasSubstr("not running when the fault ended"));
}

TEST_F(PoisonInputsTest, AnErrorTheFaultProxyInjectedIsNotACrashOfTheTarget) {
  PoisonInputsInjector* poison = Make("variants: [wrong-shape]");
  ASSERT_NE(poison, nullptr);
  ASSERT_TRUE(poison->Apply().ok());
  std::vector<const inference::ModelInferRequest*> sent;
  for (uint64_t seq = 0; sent.size() < 3; ++seq) {
    if (const auto* request = poison->interceptor().Substitute(seq, planned_.At(0))) sent.push_back(request);
  }
  // A grpc-fault abort (UNAVAILABLE by default) the proxy answered itself, a
  // deadline it held, and the target's own right answer.
  poison->interceptor().OnSubstitutedComplete(
      {.seq = 0, .request = sent[0], .code = grpc::StatusCode::UNAVAILABLE, .error_details = kProxyInjectedDetails});
  poison->interceptor().OnSubstitutedComplete({.seq = 1,
                                               .request = sent[1],
                                               .code = grpc::StatusCode::DEADLINE_EXCEEDED,
                                               .error_details = kProxyInjectedDetails});
  poison->interceptor().OnSubstitutedComplete({.seq = 2, .request = sent[2], .code = grpc::StatusCode::INVALID_ARGUMENT});
  ASSERT_TRUE(poison->Revert().ok());
  const auto counters = poison->Counters();
  EXPECT_EQ(counters.at("crashes"), 0);
  EXPECT_EQ(counters.at("timeouts"), 0);
  EXPECT_EQ(counters.at("ended_by_proxy"), 2);
  EXPECT_EQ(counters.at("expected"), 1);
  const Verdict v = poison->Verdicts()[0];
  EXPECT_TRUE(v.passed) << v.message;
  EXPECT_THAT(v.message, HasSubstr("2 ended by the fault proxy before the target saw them, not judged"));
}

TEST_F(PoisonInputsTest, UnavailableFromTheTargetItselfIsStillACrash) {
  PoisonInputsInjector* poison = Make("variants: [wrong-shape]");
  ASSERT_NE(poison, nullptr);
  ASSERT_TRUE(poison->Apply().ok());
  const inference::ModelInferRequest* sent = nullptr;
  for (uint64_t seq = 0; sent == nullptr; ++seq) sent = poison->interceptor().Substitute(seq, planned_.At(0));
  // Details that are not the proxy's mark (a server's own google.rpc.Status).
  poison->interceptor().OnSubstitutedComplete(
      {.seq = 0, .request = sent, .code = grpc::StatusCode::UNAVAILABLE, .error_details = "\x08\x0e"});
  ASSERT_TRUE(poison->Revert().ok());
  EXPECT_EQ(poison->Counters().at("crashes"), 1);
  EXPECT_EQ(poison->Counters().at("ended_by_proxy"), 0);
  EXPECT_FALSE(poison->Verdicts()[0].passed);
}

TEST_F(PoisonInputsTest, NothingPoisonedIsNotAPass) {
  PoisonInputsInjector* poison = Make("");
  ASSERT_NE(poison, nullptr);
  EXPECT_FALSE(poison->Verdicts()[0].passed);
  EXPECT_THAT(poison->Verdicts()[0].message, HasSubstr("never applied"));
  ASSERT_TRUE(poison->Apply().ok());
  ASSERT_TRUE(poison->Revert().ok());
  EXPECT_THAT(poison->Verdicts()[0].message, HasSubstr("no request was poisoned"));
}

TEST_F(PoisonInputsTest, IgnoresCompletionsOfRequestsItDidNotSend) {
  PoisonInputsInjector* poison = Make("");
  ASSERT_NE(poison, nullptr);
  inference::ModelInferRequest foreign;
  poison->interceptor().OnSubstitutedComplete({.seq = 0, .request = &foreign, .code = grpc::StatusCode::INTERNAL});
  EXPECT_EQ(poison->Counters().at("unexpected"), 0);
}

}  // namespace
}  // namespace faultdrill::injectors
