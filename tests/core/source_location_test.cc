#include "core/source_location.h"

#include <gtest/gtest.h>

namespace faultdrill {
namespace {

TEST(SourceLocation, PrintsFileLineAndColumn) { EXPECT_EQ((SourceLocation{"s.yaml", 3, 7}).ToString(), "s.yaml:3:7"); }

TEST(SourceLocation, PrintsOnlyTheFileWhenThePositionIsUnknown) {
  EXPECT_EQ((SourceLocation{"s.yaml", 0, 0}).ToString(), "s.yaml");
}

TEST(LocatedError, IsInvalidArgumentWithThePositionFirst) {
  absl::Status s = LocatedError(SourceLocation{"s.yaml", 2, 5}, "load: rate: must be greater than 0/s");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "s.yaml:2:5: load: rate: must be greater than 0/s");
}

}  // namespace
}  // namespace faultdrill
