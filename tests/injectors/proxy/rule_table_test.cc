#include "injectors/proxy/rule_table.h"

#include <gtest/gtest.h>

#include "injectors/proxy/rule_codec.h"

namespace faultdrill::injectors::proxy {
namespace {

using std::chrono::milliseconds;

constexpr char kInfer[] = "/inference.GRPCInferenceService/ModelInfer";
constexpr char kReady[] = "/inference.GRPCInferenceService/ServerReady";

ProxyRule Rule(ProxyRule::Action action, std::string method = "", double fraction = 1.0) {
  ProxyRule rule;
  rule.action = action;
  rule.method = std::move(method);
  rule.fraction = fraction;
  return rule;
}

TEST(MethodMatches, EmptyShortAndFullNames) {
  EXPECT_TRUE(MethodMatches("", kInfer));
  EXPECT_TRUE(MethodMatches("ModelInfer", kInfer));
  EXPECT_TRUE(MethodMatches(kInfer, kInfer));
  EXPECT_FALSE(MethodMatches("ModelInfer", kReady));
  EXPECT_FALSE(MethodMatches("Infer", kInfer));
  EXPECT_FALSE(MethodMatches("/other.Service/ModelInfer", kInfer));
}

TEST(RuleTable, NoRulesPassesEveryCallOn) {
  RuleTable rules;
  CallPlan plan = rules.Plan(kInfer);
  EXPECT_FALSE(plan.ending);
  EXPECT_EQ(plan.delay, Duration(0));
  EXPECT_FALSE(plan.touches_messages());
}

TEST(RuleTable, MethodFilterSelectsOnlyThatMethod) {
  RuleTable rules;
  rules.Set("abort", Rule(ProxyRule::Action::kAbort, "ModelInfer"));
  EXPECT_TRUE(rules.Plan(kInfer).ending);
  EXPECT_FALSE(rules.Plan(kReady).ending);
  EXPECT_EQ(rules.Stats("abort")->matched, 1);
  EXPECT_EQ(rules.Stats("abort")->passed, 0);
}

TEST(RuleTable, FractionSelectsAboutThatShareAndIsSeeded) {
  RuleTable a, b;
  ProxyRule half = Rule(ProxyRule::Action::kAbort, "", 0.3);
  half.seed = 7;
  a.Set("r", half);
  b.Set("r", half);
  int selected = 0;
  for (int i = 0; i < 10000; ++i) {
    const bool in_a = a.Plan(kInfer).ending.has_value();
    ASSERT_EQ(in_a, b.Plan(kInfer).ending.has_value()) << "same seed, same choices (call " << i << ")";
    selected += in_a;
  }
  EXPECT_NEAR(selected, 3000, 200);  // > 4 standard deviations
  EXPECT_EQ(a.Stats("r")->matched, selected);
  EXPECT_EQ(a.Stats("r")->passed, 10000 - selected);
}

TEST(RuleTable, DelaysAddUpWithinTheirJitter) {
  RuleTable rules;
  ProxyRule slow = Rule(ProxyRule::Action::kDelay);
  slow.delay = milliseconds(100);
  slow.jitter = milliseconds(10);
  ProxyRule slower = Rule(ProxyRule::Action::kDelay, "ModelInfer");
  slower.delay = milliseconds(50);
  rules.Set("a", slow);
  rules.Set("b", slower);
  for (int i = 0; i < 100; ++i) {
    const Duration delay = rules.Plan(kInfer).delay;
    EXPECT_GE(delay, milliseconds(140));
    EXPECT_LE(delay, milliseconds(160));
  }
}

TEST(RuleTable, FirstEndingRuleWinsAndTheShadowedOneDoesNotCount) {
  RuleTable rules;
  ProxyRule abort = Rule(ProxyRule::Action::kAbort);
  abort.status = 8;
  rules.Set("abort", abort);
  rules.Set("reset", Rule(ProxyRule::Action::kReset));
  ProxyRule delay = Rule(ProxyRule::Action::kDelay);
  delay.delay = milliseconds(5);
  rules.Set("delay", delay);
  CallPlan plan = rules.Plan(kInfer);
  EXPECT_EQ(plan.ending, ProxyRule::Action::kAbort);
  EXPECT_EQ(plan.status, 8);
  EXPECT_EQ(plan.delay, milliseconds(5)) << "a delay still applies before the ending";
  EXPECT_EQ(rules.Stats("reset")->matched, 0);
}

TEST(RuleTable, ReplacingKeepsThePlaceAndClearingKeepsTheCounts) {
  RuleTable rules;
  rules.Set("first", Rule(ProxyRule::Action::kBlackhole));
  rules.Set("second", Rule(ProxyRule::Action::kAbort));
  rules.Set("first", Rule(ProxyRule::Action::kReset));
  EXPECT_EQ(rules.Plan(kInfer).ending, ProxyRule::Action::kReset);
  rules.Clear("first");
  rules.Clear("first");  // harmless
  rules.Clear("never-set");
  EXPECT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules.Stats("first")->matched, 1);
  EXPECT_EQ(rules.Plan(kInfer).ending, ProxyRule::Action::kAbort);
  EXPECT_FALSE(rules.Stats("never-set"));
}

TEST(RuleTable, BandwidthRulesShareOneLinkAndCorruptionsAddUp) {
  RuleTable rules;
  ProxyRule slow = Rule(ProxyRule::Action::kBandwidth);
  slow.bytes_per_second = 1000;
  rules.Set("link", slow);
  ProxyRule corrupt = Rule(ProxyRule::Action::kCorrupt);
  corrupt.flips = 2;
  rules.Set("c1", corrupt);
  rules.Set("c2", corrupt);
  CallPlan first = rules.Plan(kInfer);
  CallPlan second = rules.Plan(kInfer);
  ASSERT_EQ(first.pacers.size(), 1u);
  EXPECT_EQ(first.pacers[0], second.pacers[0]);
  EXPECT_EQ(first.flips, 4);
  EXPECT_NE(first.corrupt_seed, second.corrupt_seed);
}

TEST(Pacer, BytesQueueBehindEachOther) {
  Pacer pacer(1000);  // bytes per second
  const SteadyTime start{};
  EXPECT_EQ(pacer.Reserve(500, start), start + milliseconds(500));
  EXPECT_EQ(pacer.Reserve(500, start), start + milliseconds(1000));
  EXPECT_EQ(pacer.Reserve(100, start + milliseconds(5000)), start + milliseconds(5100)) << "an idle link is free";
}

TEST(RuleCodec, RoundTripsAndRefusesNonsense) {
  ProxyRule rule = Rule(ProxyRule::Action::kAbort, "ModelInfer", 0.25);
  rule.status = 8;
  rule.message = "full";
  rule.seed = 99;
  absl::StatusOr<ProxyRule> back = RuleFromProto(RuleToProto(rule));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->action, ProxyRule::Action::kAbort);
  EXPECT_EQ(back->method, "ModelInfer");
  EXPECT_EQ(back->fraction, 0.25);
  EXPECT_EQ(back->status, 8);
  EXPECT_EQ(back->message, "full");
  EXPECT_EQ(back->seed, 99u);

  rule.fraction = 1.5;
  EXPECT_FALSE(RuleFromProto(RuleToProto(rule)).ok());
  ProxyRule bandwidth = Rule(ProxyRule::Action::kBandwidth);
  EXPECT_FALSE(RuleFromProto(RuleToProto(bandwidth)).ok()) << "no rate";
  ProxyRule abort_ok = Rule(ProxyRule::Action::kAbort);
  abort_ok.status = 0;
  EXPECT_FALSE(RuleFromProto(RuleToProto(abort_ok)).ok()) << "OK is not an abort";
}

}  // namespace
}  // namespace faultdrill::injectors::proxy
