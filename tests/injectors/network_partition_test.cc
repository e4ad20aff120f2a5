#include "injectors/network_partition.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/injectors/scenario_fixture.h"

namespace faultdrill::injectors {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

class NetworkPartitionTest : public ::faultdrill::testing::InjectorTest {
 protected:
  NetworkPartitionTest() : InjectorTest(&CreateNetworkPartition) {}
  const NetworkFaultSettings* Settings(const std::string& yaml) {
    injector_ = Create(yaml);
    EXPECT_TRUE(injector_.ok()) << injector_.status();
    return injector_.ok() ? &static_cast<const NetworkFaultInjector&>(**injector_).settings() : nullptr;
  }
  absl::StatusOr<std::unique_ptr<Injector>> injector_;
};

TEST_F(NetworkPartitionTest, NetemDropsEveryPacket) {
  const NetworkFaultSettings* s = Settings("{kind: network-partition, at: 1s, interface: eth0}");
  ASSERT_NE(s, nullptr);
  EXPECT_THAT(TcAddRootQdiscArgv(s->target, s->qdisc),
              ElementsAreArray({"tc", "qdisc", "add", "dev", "eth0", "root", "handle", "fd17:", "netem", "loss", "100%"}));
}

TEST_F(NetworkPartitionTest, TheProxyBlackholesEveryCallByDefault) {
  const NetworkFaultSettings* s = Settings("{kind: network-partition, at: 1s, via: proxy}");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->rule.action, ProxyRule::Action::kBlackhole);
  EXPECT_EQ(s->rule.fraction, 1.0);
}

TEST_F(NetworkPartitionTest, TheProxyCanResetInstead) {
  const NetworkFaultSettings* s = Settings("{kind: network-partition, at: 1s, via: proxy, as: reset}");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->rule.action, ProxyRule::Action::kReset);
}

TEST_F(NetworkPartitionTest, RejectsKeysOfOtherKinds) {
  auto injector = Create("{kind: network-partition, at: 1s, via: proxy, loss: 100%}");
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(injector.status().message(), HasSubstr("loss"));
}

}  // namespace
}  // namespace faultdrill::injectors
