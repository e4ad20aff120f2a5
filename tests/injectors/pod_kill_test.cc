#include "injectors/pod_kill.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/injectors/scenario_fixture.h"
#include "tests/injectors/stand_in_tool.h"

namespace faultdrill::injectors {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSubsetOf;
using ::testing::SizeIs;

using Args = std::vector<std::string>;

class PodKillTest : public ::faultdrill::testing::InjectorTest {
 protected:
  PodKillTest() : InjectorTest(&PodKillInjector::Create) {}
  ::faultdrill::testing::StandInTool kubectl_{"kubectl", "get"};
};

TEST_F(PodKillTest, NeedsASelectorWithItsLocation) {
  auto injector = Create("{kind: pod-kill, at: 1s}");
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(injector.status().message(), HasSubstr("selector"));
}

TEST_F(PodKillTest, RejectsBadKeysAndValuesWithTheirLocation) {
  EXPECT_THAT(Create("{kind: pod-kill, at: 1s, selector: a=b, count: 0}").status().message(),
              HasSubstr("`all`"));
  EXPECT_THAT(Create("{kind: pod-kill, at: 1s, selector: a=b, count: some}").status().message(),
              HasSubstr("t.yaml:5:"));
  EXPECT_THAT(Create("{kind: pod-kill, at: 1s, selector: a=b, grace_period: 1.5s}").status().message(),
              HasSubstr("whole seconds"));
  EXPECT_THAT(Create("{kind: pod-kill, at: 1s, selector: --all}").status().message(), HasSubstr("'-'"));
  EXPECT_THAT(Create("{kind: pod-kill, at: 1s, selector: a=b, namespace: -A}").status().message(), HasSubstr("'-'"));
  EXPECT_THAT(Create("{kind: pod-kill, at: 1s, selector: a=b, labels: x}").status().message(), HasSubstr("labels"));
}

TEST_F(PodKillTest, DoesNotNeedALaunchedTarget) {
  auto injector = Create("{kind: pod-kill, at: 1s, selector: app=web}", /*embedded=*/false);
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_THAT((*injector)->Describe(), HasSubstr("nothing to undo"));
  EXPECT_THAT((*injector)->Touches(), ElementsAre(HasSubstr("'app=web' in namespace default")));
}

TEST_F(PodKillTest, BuildsTheExactCommands) {
  PodKillSettings settings;
  settings.selector = "app=web,tier in (a,b)";
  settings.pod_namespace = "serving";
  settings.context = "staging";
  settings.grace_period_s = 0;
  EXPECT_EQ(ListPodsCommand(settings),
            (Args{"kubectl", "--context", "staging", "get", "pods", "-n", "serving", "-l", "app=web,tier in (a,b)",
                  "--field-selector", "status.phase=Running", "-o", "name"}));
  EXPECT_EQ(DeletePodsCommand(settings, {"a", "b"}),
            (Args{"kubectl", "--context", "staging", "delete", "pod", "-n", "serving", "--grace-period=0", "--force",
                  "--wait=false", "a", "b"}));
  settings.context.clear();
  settings.grace_period_s.reset();
  EXPECT_EQ(DeletePodsCommand(settings, {"a"}), (Args{"kubectl", "delete", "pod", "-n", "serving", "--wait=false", "a"}));
}

TEST_F(PodKillTest, ParsesPodNamesAndSkipsWarnings) {
  EXPECT_THAT(ParsePodNames("Warning: something\npod/web-1\n  pod/web-2  \n\nservice/x\n"),
              ElementsAre("web-1", "web-2"));
}

TEST_F(PodKillTest, ListsThenDeletesTheChosenPods) {
  kubectl_.SetList("pod/web-1\npod/web-2\npod/web-3\n");
  auto injector = Create("{kind: pod-kill, at: 1s, selector: app=web, namespace: shop, count: 2, grace_period: 5s}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  ASSERT_TRUE((*injector)->Apply().ok());
  const auto calls = kubectl_.Calls();
  ASSERT_THAT(calls, SizeIs(2));
  EXPECT_EQ(calls[0], (Args{"get", "pods", "-n", "shop", "-l", "app=web", "--field-selector",
                            "status.phase=Running", "-o", "name"}));
  ASSERT_THAT(calls[1], SizeIs(8));
  EXPECT_EQ(Args(calls[1].begin(), calls[1].begin() + 6),
            (Args{"delete", "pod", "-n", "shop", "--grace-period=5", "--wait=false"}));
  const Args deleted(calls[1].begin() + 6, calls[1].end());
  EXPECT_THAT(deleted, IsSubsetOf({"web-1", "web-2", "web-3"}));
  EXPECT_NE(deleted[0], deleted[1]);
  EXPECT_EQ((*injector)->Counters().at("pods_matched"), 3);
  EXPECT_EQ((*injector)->Counters().at("pods_killed"), 2);
  auto* pod_kill = static_cast<PodKillInjector*>(injector->get());
  EXPECT_THAT(pod_kill->Killed(), ElementsAre("shop/" + deleted[0], "shop/" + deleted[1]));
  EXPECT_THAT((*injector)->Describe(), HasSubstr("deleted shop/" + deleted[0]));
  EXPECT_TRUE((*injector)->Revert().ok());
  EXPECT_THAT(kubectl_.Calls(), SizeIs(2));  // nothing to undo
  EXPECT_TRUE(run_.journal().Records().empty());
}

TEST_F(PodKillTest, TheChoiceFollowsTheSeed) {
  kubectl_.SetList("pod/c\npod/a\npod/b\npod/d\n");
  auto first = Create("{kind: pod-kill, at: 1s, selector: app=web}");
  auto second = Create("{kind: pod-kill, at: 1s, selector: app=web}");
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE((*first)->Apply().ok());
  ASSERT_TRUE((*second)->Apply().ok());
  EXPECT_EQ(static_cast<PodKillInjector*>(first->get())->Killed(),
            static_cast<PodKillInjector*>(second->get())->Killed());
}

TEST_F(PodKillTest, CountAllDeletesEveryMatchingPod) {
  kubectl_.SetList("pod/b\npod/a\n");
  auto injector = Create("{kind: pod-kill, at: 1s, selector: app=web, count: all}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  ASSERT_TRUE((*injector)->Apply().ok());
  EXPECT_EQ(kubectl_.Calls().at(1), (Args{"delete", "pod", "-n", "default", "--wait=false", "a", "b"}));
}

TEST_F(PodKillTest, NoMatchingPodIsAClearError) {
  kubectl_.SetList("No resources found in default namespace.\n");
  auto injector = Create("{kind: pod-kill, at: 1s, selector: app=none}");
  ASSERT_TRUE(injector.ok());
  absl::Status status = (*injector)->Apply();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("no running pods match 'app=none' in namespace default"));
  EXPECT_THAT(kubectl_.Calls(), SizeIs(1));
}

TEST_F(PodKillTest, AFailingKubectlIsAClearError) {
  kubectl_.SetList("error: You must be logged in to the server (Unauthorized)\n", 1);
  auto injector = Create("{kind: pod-kill, at: 1s, selector: app=web}");
  ASSERT_TRUE(injector.ok());
  absl::Status status = (*injector)->Apply();
  EXPECT_THAT(status.message(), HasSubstr("failed (exit 1)"));
  EXPECT_THAT(status.message(), HasSubstr("Unauthorized"));

  kubectl_.SetList("pod/web-1\n");
  kubectl_.SetActionExit(2);
  status = (*injector)->Apply();
  EXPECT_THAT(status.message(), HasSubstr("delete pod"));
  EXPECT_THAT(status.message(), HasSubstr("exit 2"));
}

TEST_F(PodKillTest, AMissingKubectlIsANeedAndAnError) {
  auto injector = Create("{kind: pod-kill, at: 1s, selector: app=web, kubectl: /nonexistent/kubectl}");
  ASSERT_TRUE(injector.ok());
  const auto needs = (*injector)->Needs();
  ASSERT_THAT(needs, SizeIs(1));
  EXPECT_EQ(needs[0].status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(needs[0].status.message(), HasSubstr("install kubectl"));
  EXPECT_EQ((*injector)->Apply().code(), absl::StatusCode::kFailedPrecondition);
  auto found = Create("{kind: pod-kill, at: 1s, selector: app=web}");
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE((*found)->Needs().at(0).status.ok());  // the stand-in on PATH
}

TEST_F(PodKillTest, HostileStringsReachKubectlAsSingleArgumentsUnchanged) {
  const std::string marker = kubectl_.folder() + "/pwned";
  kubectl_.SetList("pod/web-1\n");
  // YAML double-quoted scalars: \" is a quote, \n a newline.
  auto injector = Create(
      "{kind: pod-kill, at: 1s, selector: \"app=x; rm -rf /tmp/x; touch " + marker + "\", "
      "namespace: \"name with spaces 'single' \\\"double\\\" $(touch " + marker + ") `touch " + marker + "`\", "
      "context: \"ctx\\nsecond line | cat > " + marker + " && echo $HOME\"}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  ASSERT_TRUE((*injector)->Apply().ok());
  const auto calls = kubectl_.Calls();
  ASSERT_THAT(calls, SizeIs(2));
  const std::string ns = "name with spaces 'single' \"double\" $(touch " + marker + ") `touch " + marker + "`";
  const std::string ctx = "ctx\nsecond line | cat > " + marker + " && echo $HOME";
  EXPECT_EQ(calls[0], (Args{"--context", ctx, "get", "pods", "-n", ns, "-l",
                            "app=x; rm -rf /tmp/x; touch " + marker, "--field-selector", "status.phase=Running",
                            "-o", "name"}));
  EXPECT_EQ(calls[1], (Args{"--context", ctx, "delete", "pod", "-n", ns, "--wait=false", "web-1"}));
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST_F(PodKillTest, RejectsAListedNameThatCouldBeAnOption) {
  kubectl_.SetList("pod/--all\n");
  auto injector = Create("{kind: pod-kill, at: 1s, selector: app=web}");
  ASSERT_TRUE(injector.ok());
  EXPECT_THAT((*injector)->Apply().message(), HasSubstr("not one"));
  EXPECT_THAT(kubectl_.Calls(), SizeIs(1));
}

TEST(ChooseVictims, ChoosesDistinctMembersRegardlessOfListingOrder) {
  const VictimCount two{.all = false, .count = 2};
  const auto chosen = ChooseVictims({"e", "a", "d", "b", "c"}, two, 7);
  EXPECT_THAT(chosen, SizeIs(2));
  EXPECT_THAT(chosen, IsSubsetOf({"a", "b", "c", "d", "e"}));
  EXPECT_EQ(ChooseVictims({"a", "b", "c", "d", "e"}, two, 7), chosen);
  EXPECT_EQ(ChooseVictims({"b", "a"}, VictimCount{.all = true}, 7), (Args{"a", "b"}));
  EXPECT_EQ(ChooseVictims({"b", "a"}, VictimCount{.all = false, .count = 5}, 7), (Args{"a", "b"}));
  // Different seeds choose differently at least sometimes.
  bool differs = false;
  for (uint64_t seed = 0; seed < 20 && !differs; ++seed) differs = ChooseVictims({"a", "b", "c", "d"}, two, seed) != ChooseVictims({"a", "b", "c", "d"}, two, 99);
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace faultdrill::injectors
