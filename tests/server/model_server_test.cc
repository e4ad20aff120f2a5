#include "server/model_server.h"

#include <gtest/gtest.h>

namespace faultdrill::server {
namespace {

TEST(ParseDurationFlag, AcceptsDurationsWithUnits) {
  EXPECT_EQ(*ParseDurationFlag("500us"), absl::Microseconds(500));
  EXPECT_EQ(*ParseDurationFlag("2ms"), absl::Milliseconds(2));
  EXPECT_EQ(*ParseDurationFlag("1.5s"), absl::Milliseconds(1500));
  EXPECT_EQ(*ParseDurationFlag("0"), absl::ZeroDuration());
}

TEST(ParseDurationFlag, RejectsNonsense) {
  for (const char* text : {"", "soon", "-1ms", "5", "ms"}) {
    EXPECT_EQ(ParseDurationFlag(text).status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
}

TEST(ValidateServerOptions, RejectsOutOfRangeValues) {
  ServerOptions options;
  options.models_dir = "/";
  EXPECT_TRUE(ValidateServerOptions(options).ok());
  ServerOptions bad_port = options;
  bad_port.port = 70000;
  EXPECT_EQ(ValidateServerOptions(bad_port).code(), absl::StatusCode::kInvalidArgument);
  ServerOptions no_workers = options;
  no_workers.workers = 0;
  EXPECT_EQ(ValidateServerOptions(no_workers).code(), absl::StatusCode::kInvalidArgument);
  ServerOptions missing = options;
  missing.models_dir = "/no/such/folder";
  EXPECT_EQ(ValidateServerOptions(missing).code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace faultdrill::server
