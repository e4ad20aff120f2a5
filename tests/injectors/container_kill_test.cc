#include "injectors/container_kill.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/injectors/scenario_fixture.h"
#include "tests/injectors/stand_in_tool.h"

namespace faultdrill::injectors {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

using Args = std::vector<std::string>;

const std::string kId1 = "0123456789ab";
const std::string kId2 = "abcdef012345";
const std::string kId3 = "fedcba987654";

class ContainerKillTest : public ::faultdrill::testing::InjectorTest {
 protected:
  ContainerKillTest() : InjectorTest(&ContainerKillInjector::Create) {}
  ::faultdrill::testing::StandInTool docker_{"docker", "ps"};
};

TEST_F(ContainerKillTest, NeedsExactlyOneOfLabelAndContainerName) {
  auto none = Create("{kind: container-kill, at: 1s}");
  EXPECT_THAT(none.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(none.status().message(), HasSubstr("`label`"));
  auto both = Create("{kind: container-kill, at: 1s, label: a, container_name: b}");
  EXPECT_THAT(both.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(both.status().message(), HasSubstr("not both"));
}

TEST_F(ContainerKillTest, RejectsSignalsThatDoNotEndAContainer) {
  auto injector = Create("{kind: container-kill, at: 1s, label: a, signal: SIGSTOP}");
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(injector.status().message(), HasSubstr("SIGSTOP"));
  EXPECT_THAT(Create("{kind: container-kill, at: 1s, label: a, signal: SIGNOPE}").status().message(),
              HasSubstr("SIGNOPE"));
}

TEST_F(ContainerKillTest, BuildsTheExactCommands) {
  ContainerKillSettings settings;
  settings.filter = "label=role=model";
  settings.signal = 15;
  EXPECT_EQ(ListContainersCommand(settings), (Args{"docker", "ps", "-q", "--filter", "label=role=model"}));
  EXPECT_EQ(KillContainersCommand(settings, {kId1, kId2}), (Args{"docker", "kill", "--signal", "SIGTERM", kId1, kId2}));
}

TEST_F(ContainerKillTest, ParsesIdsAndSkipsWarnings) {
  EXPECT_THAT(ParseContainerIds("WARNING: blah\n" + kId1 + "\n\n" + kId2 + "  \nnot-an-id\n"), ElementsAre(kId1, kId2));
}

TEST_F(ContainerKillTest, ListsThenSignalsTheChosenContainers) {
  docker_.SetList(kId3 + "\n" + kId1 + "\n" + kId2 + "\n");
  auto injector = Create("{kind: container-kill, at: 1s, label: \"com.example.role=model\", signal: SIGTERM, count: all}",
                         /*embedded=*/false);
  ASSERT_TRUE(injector.ok()) << injector.status();
  ASSERT_TRUE((*injector)->Apply().ok());
  const auto calls = docker_.Calls();
  ASSERT_THAT(calls, SizeIs(2));
  EXPECT_EQ(calls[0], (Args{"ps", "-q", "--filter", "label=com.example.role=model"}));
  EXPECT_EQ(calls[1], (Args{"kill", "--signal", "SIGTERM", kId1, kId2, kId3}));
  EXPECT_EQ((*injector)->Counters().at("containers_matched"), 3);
  EXPECT_EQ((*injector)->Counters().at("containers_killed"), 3);
  EXPECT_THAT(static_cast<ContainerKillInjector*>(injector->get())->Killed(), ElementsAre(kId1, kId2, kId3));
  EXPECT_THAT((*injector)->Describe(), HasSubstr("signalled " + kId1));
  EXPECT_TRUE((*injector)->Revert().ok());
  EXPECT_TRUE(run_.journal().Records().empty());
}

TEST_F(ContainerKillTest, KillsOneByDefault) {
  docker_.SetList(kId1 + "\n" + kId2 + "\n");
  auto injector = Create("{kind: container-kill, at: 1s, container_name: web}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  ASSERT_TRUE((*injector)->Apply().ok());
  const auto calls = docker_.Calls();
  ASSERT_THAT(calls, SizeIs(2));
  EXPECT_EQ(calls[0], (Args{"ps", "-q", "--filter", "name=web"}));
  ASSERT_THAT(calls[1], SizeIs(4));
  EXPECT_EQ(calls[1][2], "SIGKILL");
}

TEST_F(ContainerKillTest, NoMatchingContainerAndAFailingDockerAreClearErrors) {
  auto injector = Create("{kind: container-kill, at: 1s, container_name: web}");
  ASSERT_TRUE(injector.ok());
  docker_.SetList("");
  EXPECT_THAT((*injector)->Apply().message(), HasSubstr("no running containers match name=web"));
  docker_.SetList("Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\n", 1);
  absl::Status status = (*injector)->Apply();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("Cannot connect to the Docker daemon"));
  EXPECT_THAT(status.message(), HasSubstr("exit 1"));
}

TEST_F(ContainerKillTest, HostileStringsReachDockerAsSingleArgumentsUnchanged) {
  const std::string marker = docker_.folder() + "/pwned";
  docker_.SetList(kId1 + "\n");
  auto injector = Create("{kind: container-kill, at: 1s, container_name: \"web; rm -rf /tmp/x; touch " + marker +
                         " 'q' \\\"dq\\\" $(touch " + marker + ") `touch " + marker + "`\\nsecond line\"}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  ASSERT_TRUE((*injector)->Apply().ok());
  const auto calls = docker_.Calls();
  ASSERT_THAT(calls, SizeIs(2));
  EXPECT_EQ(calls[0], (Args{"ps", "-q", "--filter",
                            "name=web; rm -rf /tmp/x; touch " + marker + " 'q' \"dq\" $(touch " + marker +
                                ") `touch " + marker + "`\nsecond line"}));
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST_F(ContainerKillTest, AMissingDockerIsANeed) {
  auto injector = Create("{kind: container-kill, at: 1s, container_name: web, docker: /nonexistent/docker}");
  ASSERT_TRUE(injector.ok());
  EXPECT_THAT((*injector)->Needs().at(0).status.message(), HasSubstr("install the Docker CLI"));
}

}  // namespace
}  // namespace faultdrill::injectors
