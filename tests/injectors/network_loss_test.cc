#include "injectors/network_loss.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/injectors/scenario_fixture.h"

namespace faultdrill::injectors {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

class NetworkLossTest : public ::faultdrill::testing::InjectorTest {
 protected:
  NetworkLossTest() : InjectorTest(&CreateNetworkLoss) {}
  const NetworkFaultSettings* Settings(const std::string& yaml) {
    injector_ = Create(yaml);
    EXPECT_TRUE(injector_.ok()) << injector_.status();
    return injector_.ok() ? &static_cast<const NetworkFaultInjector&>(**injector_).settings() : nullptr;
  }
  absl::StatusOr<std::unique_ptr<Injector>> injector_;
};

TEST_F(NetworkLossTest, NetemDropsTheFraction) {
  const NetworkFaultSettings* s = Settings("{kind: network-loss, at: 1s, interface: eth0, loss: 5%}");
  ASSERT_NE(s, nullptr);
  EXPECT_THAT(TcAddRootQdiscArgv(s->target, s->qdisc),
              ElementsAreArray({"tc", "qdisc", "add", "dev", "eth0", "root", "handle", "fd17:", "netem", "loss", "5%"}));
}

TEST_F(NetworkLossTest, NetemTakesACorrelation) {
  const NetworkFaultSettings* s =
      Settings("{kind: network-loss, at: 1s, interface: eth0, netns: red, loss: 0.5%, correlation: 25%}");
  ASSERT_NE(s, nullptr);
  EXPECT_THAT(TcAddRootQdiscArgv(s->target, s->qdisc),
              ElementsAreArray({"tc", "-n", "red", "qdisc", "add", "dev", "eth0", "root", "handle", "fd17:", "netem", "loss", "0.5%",
                                "25%"}));
}

TEST_F(NetworkLossTest, TheProxyResetsTheFractionOfCallsByDefault) {
  const NetworkFaultSettings* s = Settings("{kind: network-loss, at: 1s, via: proxy, loss: 10%}");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->rule.action, ProxyRule::Action::kReset);
  EXPECT_DOUBLE_EQ(s->rule.fraction, 0.1);
  EXPECT_EQ(s->rule.method, "");
}

TEST_F(NetworkLossTest, TheProxyCanBlackholeInstead) {
  const NetworkFaultSettings* s =
      Settings("{kind: network-loss, at: 1s, via: proxy, loss: 10%, as: blackhole, method: ModelInfer}");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->rule.action, ProxyRule::Action::kBlackhole);
  EXPECT_EQ(s->rule.method, "ModelInfer");
}

TEST_F(NetworkLossTest, RejectsBadValuesWithTheirLocation) {
  struct Case {
    const char* yaml;
    const char* problem;
  };
  for (const Case& c : {
           Case{"{kind: network-loss, at: 1s, via: proxy}", "loss"},
           Case{"{kind: network-loss, at: 1s, via: proxy, loss: 0%}", "greater than 0%"},
           Case{"{kind: network-loss, at: 1s, via: proxy, loss: 150%}", "100%"},
           Case{"{kind: network-loss, at: 1s, via: proxy, loss: 5%, as: drop}", "drop"},
           Case{"{kind: network-loss, at: 1s, via: proxy, loss: 5%, correlation: 5%}", "`via: netem`"},
           Case{"{kind: network-loss, at: 1s, interface: eth0, loss: 5%, as: reset}", "`via: proxy`"},
       }) {
    auto injector = Create(c.yaml);
    EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:")) << c.yaml;
    EXPECT_THAT(injector.status().message(), HasSubstr(c.problem)) << c.yaml;
  }
}

}  // namespace
}  // namespace faultdrill::injectors
