#include "injectors/signal_names.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace faultdrill::injectors {
namespace {

TEST(ParseSignal, AcceptsNamesWithAndWithoutPrefixAndNumbers) {
  EXPECT_EQ(ParseSignal("SIGKILL"), SIGKILL);
  EXPECT_EQ(ParseSignal("term"), SIGTERM);
  EXPECT_EQ(ParseSignal("9"), SIGKILL);
  EXPECT_EQ(ParseSignal("SigInt"), SIGINT);
}

TEST(ParseSignal, RejectsWhatIsNoSignal) {
  EXPECT_EQ(ParseSignal(""), std::nullopt);
  EXPECT_EQ(ParseSignal("SIGFOO"), std::nullopt);
  EXPECT_EQ(ParseSignal("99"), std::nullopt);
  EXPECT_EQ(ParseSignal("9x"), std::nullopt);
}

TEST(SignalName, NamesKnownSignalsAndNumbersOthers) {
  EXPECT_EQ(SignalName(SIGKILL), "SIGKILL");
  EXPECT_EQ(SignalName(77), "signal 77");
}

}  // namespace
}  // namespace faultdrill::injectors
