// Bad masters files: every problem is located ("file:line: ...") and none crashes.
#include <fstream>

#include "gmock/gmock.h"
#include "golden/masters.h"
#include "gtest/gtest.h"
#include "tests/common/files.h"
#include "tests/golden/responses.h"

namespace faultdrill::golden {
namespace {

using ::faultdrill::testing::ReadWholeFile;
using ::faultdrill::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kHeader = R"({"format":"faultdrill-golden","version":1,"model":"m","requests":1})";

class BadMasters : public ::testing::Test {
 protected:
  std::string Write(std::string_view text) {
    const std::string path = dir_.File("m.golden.jsonl");
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  // The error of loading a file with `text`.
  std::string LoadError(std::string_view text) {
    absl::StatusOr<Masters> m = Masters::Load(Write(text));
    EXPECT_FALSE(m.ok());
    return m.ok() ? "" : std::string(m.status().message());
  }
  // The error of a file whose only request line has the output `output`.
  std::string OutputError(std::string_view output) {
    return LoadError(std::string(kHeader) + "\n{\"request_index\":0,\"outputs\":[" + std::string(output) + "]}\n");
  }
  std::string File() const { return dir_.File("m.golden.jsonl"); }

  TempDir dir_;
};

TEST_F(BadMasters, MissingFileIsNotFound) {
  EXPECT_EQ(Masters::Load(dir_.File("nope.jsonl")).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(BadMasters, EmptyFile) { EXPECT_THAT(LoadError(""), HasSubstr("empty file")); }

TEST_F(BadMasters, InvalidJsonIsLocatedByLineAndColumn) {
  const std::string error = LoadError(std::string(kHeader) + "\n{\"request_index\":0,,}\n");
  EXPECT_THAT(error, StartsWith(File() + ":2: column 20: not valid JSON"));
}

TEST_F(BadMasters, NotAMastersFile) {
  EXPECT_THAT(LoadError("{\"hello\":1}\n"), HasSubstr(":1: not a golden masters file"));
  EXPECT_THAT(LoadError("[1,2]\n"), HasSubstr(":1: not a golden masters file"));
}

TEST_F(BadMasters, NewerVersionSaysSo) {
  EXPECT_THAT(LoadError(R"({"format":"faultdrill-golden","version":2,"model":"m","requests":0})"),
              HasSubstr("masters format version 2 is not supported"));
}

TEST_F(BadMasters, HeaderFieldsAreChecked) {
  EXPECT_THAT(LoadError(R"({"format":"faultdrill-golden","version":1,"requests":0})"), HasSubstr("missing \"model\""));
  EXPECT_THAT(LoadError(R"({"format":"faultdrill-golden","version":1,"model":3,"requests":0})"),
              HasSubstr("\"model\" must be a string"));
  EXPECT_THAT(LoadError(R"({"format":"faultdrill-golden","version":1,"model":"m","requests":-1})"),
              HasSubstr("\"requests\" must be an integer >= 0"));
  EXPECT_THAT(LoadError(R"({"format":"faultdrill-golden","version":1,"model":"m","requests":0,"x":1})"),
              HasSubstr("unknown key \"x\""));
}

TEST_F(BadMasters, TruncatedFileIsReported) {
  const std::string error = LoadError(R"({"format":"faultdrill-golden","version":1,"model":"m","requests":3})"
                                      "\n"
                                      R"({"request_index":0,"outputs":[]})"
                                      "\n");
  EXPECT_THAT(error, HasSubstr("truncated: the header promises 3 requests, the file holds 1"));
  EXPECT_THAT(LoadError(std::string(kHeader) + "\n{\"request_index\":0,\"outp"), HasSubstr(":2: column"));
}

TEST_F(BadMasters, MoreLinesThanPromised) {
  EXPECT_THAT(LoadError(std::string(kHeader) + "\n{\"request_index\":0,\"outputs\":[]}\n" +
                        "{\"request_index\":1,\"outputs\":[]}\n"),
              HasSubstr(":3: more request lines than the 1 the header promises"));
}

TEST_F(BadMasters, DuplicateRequestIndex) {
  const std::string header = R"({"format":"faultdrill-golden","version":1,"model":"m","requests":2})";
  EXPECT_THAT(LoadError(header + "\n{\"request_index\":4,\"outputs\":[]}\n{\"request_index\":4,\"outputs\":[]}\n"),
              HasSubstr(":3: there is already a master for request 4"));
}

TEST_F(BadMasters, RequestLinesAreChecked) {
  EXPECT_THAT(LoadError(std::string(kHeader) + "\n{\"outputs\":[]}\n"), HasSubstr(":2: missing \"request_index\""));
  EXPECT_THAT(LoadError(std::string(kHeader) + "\n{\"request_index\":0}\n"), HasSubstr(":2: missing \"outputs\""));
  EXPECT_THAT(LoadError(std::string(kHeader) + "\n3\n"), HasSubstr(":2: each request line must be a JSON object"));
}

TEST_F(BadMasters, OutputsAreChecked) {
  EXPECT_THAT(OutputError(R"({"datatype":"FP32","shape":[1],"data":[1]})"),
              HasSubstr(":2: an output needs a \"name\""));
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"FP9","shape":[1],"data":[1]})"),
              HasSubstr("output 'x': unknown datatype \"FP9\""));
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"FP32","shape":[-1],"data":[]})"),
              HasSubstr("\"shape\" has -1, not a dimension"));
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"FP32","shape":[2],"data":[1]})"),
              HasSubstr("\"data\" holds 1 values, but FP32 [2] needs 2"));
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"FP32","shape":[1]})"),
              HasSubstr("needs exactly one of \"data\" and \"blob\""));
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"FP32","shape":[1],"data":[1],"colour":2})"),
              HasSubstr("unknown key \"colour\""));
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"FP32","shape":[1],"data":[1]},)"
                          R"({"name":"x","datatype":"FP32","shape":[1],"data":[1]})"),
              HasSubstr("output 'x' appears twice"));
}

TEST_F(BadMasters, ValuesMustFitTheDatatype) {
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"INT8","shape":[2],"data":[1,200]})"),
              HasSubstr("output 'x': element [1]: 200 is out of range for INT8"));
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"UINT32","shape":[1],"data":[-1]})"),
              HasSubstr("-1 is out of range for UINT32"));
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"INT32","shape":[1],"data":[1.5]})"),
              HasSubstr("expected an integer, got 1.5"));
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"FP16","shape":[1],"data":[0.1]})"),
              HasSubstr("0.1 is not an FP16 value"));
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"FP32","shape":[1],"data":[1e39]})"),
              HasSubstr("is not an FP32 value"));
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"FP32","shape":[1],"data":["nan"]})"),
              HasSubstr("\"nan\" is not a number, \"NaN\""));
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"FP32","shape":[1],"data":["NaN:0x3f800000"]})"),
              HasSubstr("is not a number"));
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"BOOL","shape":[1],"data":[1]})"),
              HasSubstr("expected true or false"));
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"BYTES","shape":[1],"data":[{"base64":"!!"}]})"),
              HasSubstr("expected a string or {\"base64\": \"...\"}"));
}

TEST_F(BadMasters, SidecarProblemsAreDataLoss) {
  // A real sidecar first.
  Masters masters;
  ASSERT_TRUE(
      masters.Add(*Masters::MasterFromResponse(0, testing::RawFp32("X", {1000}, std::vector<float>(1000, 1)))).ok());
  ASSERT_TRUE(masters.Save(File()).ok());
  const std::string sidecar = Masters::SidecarPath(File());
  std::string bytes = ReadWholeFile(sidecar);

  bytes[17] ^= 1;
  std::ofstream(sidecar, std::ios::binary) << bytes;
  absl::StatusOr<Masters> flipped = Masters::Load(File());
  EXPECT_EQ(flipped.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(flipped.status().message()), HasSubstr(":2: output 'X': blob at offset 0 of 4000 in"));
  EXPECT_THAT(std::string(flipped.status().message()), HasSubstr("does not match its sha256"));

  std::ofstream(sidecar, std::ios::binary) << bytes.substr(0, 100);
  EXPECT_THAT(std::string(Masters::Load(File()).status().message()), HasSubstr("lies past the end"));

  std::filesystem::remove(sidecar);
  EXPECT_THAT(std::string(Masters::Load(File()).status().message()),
              HasSubstr("the masters refer to the sidecar, but cannot open"));
}

TEST_F(BadMasters, BlobReferencesAreChecked) {
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"FP32","shape":[1],"blob":{"offset":0}})"),
              HasSubstr("\"blob\" must be {\"offset\": N, \"bytes\": N, \"sha256\": \"hex\"}"));
  EXPECT_THAT(OutputError(R"({"name":"x","datatype":"FP32","shape":[1],)"
                          R"("blob":{"offset":18446744073709551615,"bytes":4,"sha256":"00"}})"),
              HasSubstr("cannot open"));  // no sidecar at all
}

TEST_F(BadMasters, ANumberBeyondDoubleIsALocatedErrorNotAnAbort) {
  const std::string error = OutputError(R"({"name":"x","datatype":"FP32","shape":[1],"data":[1e400]})");
  EXPECT_THAT(error, StartsWith(File() + ":2: column "));
  EXPECT_THAT(error, HasSubstr("number overflow parsing '1e400'"));
  EXPECT_THAT(LoadError("[1e400]\n"), StartsWith(File() + ":1: column 2: not valid JSON: number overflow parsing '1e400'"));
}

TEST_F(BadMasters, DeepNestingIsALocatedErrorNotAStackOverflow) {
  // A value nested 200000 deep where a number belongs: its error message
  // would print it, recursing once per level.
  const std::string deep = std::string(200000, '[') + "1" + std::string(200000, ']');
  const std::string error = OutputError(R"({"name":"x","datatype":"FP32","shape":[1],"data":[)" + deep + "]}");
  EXPECT_THAT(error, StartsWith(File() + ":2: column "));
  EXPECT_THAT(error, HasSubstr("nested more than 64 levels deep"));
  EXPECT_THAT(LoadError(deep + "\n"), StartsWith(File() + ":1: column 65: nested more than 64 levels deep"));
}

TEST_F(BadMasters, RandomCorruptionNeverCrashes) {
  Masters masters;
  ASSERT_TRUE(masters.Add(*Masters::MasterFromResponse(0, testing::RawFp32("X", {3}, {1, 2, 3}))).ok());
  ASSERT_TRUE(masters.Save(File()).ok());
  const std::string good = ReadWholeFile(File());
  for (size_t cut = 0; cut < good.size(); cut += 5) {
    std::string bad = good;
    bad[cut] = bad[cut] == '1' ? '"' : '1';
    Write(bad);
    (void)Masters::Load(File());  // ok or an error; never a crash
    Write(good.substr(0, cut));
    if (cut + 1 < good.size()) {
      EXPECT_FALSE(Masters::Load(File()).ok()) << cut;  // cut short: an error
    }
  }
}

}  // namespace
}  // namespace faultdrill::golden
