#include "injectors/poison_variants.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <set>

#include "tests/injectors/poison_test_requests.h"

namespace faultdrill::injectors {
namespace {

using ::faultdrill::testing::BothModels;
using ::faultdrill::testing::GeneratedRequest;
using ::faultdrill::testing::RawClassifierRequest;
using ::testing::HasSubstr;
using Request = inference::ModelInferRequest;

float FirstFp32(const Request& r) {
  if (r.raw_input_contents_size() > 0) {
    float value = 0;
    std::memcpy(&value, r.raw_input_contents(0).data(), 4);
    return value;
  }
  return r.inputs(0).contents().fp32_contents(0);
}

Request Build(std::string_view name, const load::RequestSource& planned) {
  auto request = BuildPoisonVariant(name, planned, {.oversized_bytes = 4096});
  EXPECT_TRUE(request.ok()) << name << ": " << request.status();
  return request.ok() ? *request : Request();
}

// What each variant must have broken, checked against the request it came from.
const std::map<std::string, std::function<bool(const Request&, const Request&)>>& Checks() {
  static const auto* checks = new std::map<std::string, std::function<bool(const Request&, const Request&)>>{
      {"nan", [](const Request& p, const Request&) { return std::isnan(FirstFp32(p)); }},
      {"pos-inf", [](const Request& p, const Request&) { return FirstFp32(p) == INFINITY; }},
      {"neg-inf", [](const Request& p, const Request&) { return FirstFp32(p) == -INFINITY; }},
      {"denormal",
       [](const Request& p, const Request&) { return std::fpclassify(FirstFp32(p)) == FP_SUBNORMAL; }},
      {"wrong-shape",
       [](const Request& p, const Request& b) { return p.inputs(0).shape_size() == b.inputs(0).shape_size() + 1; }},
      {"wrong-datatype",
       [](const Request& p, const Request& b) {
         return p.inputs(0).datatype() != b.inputs(0).datatype() &&
                (p.inputs(0).datatype() == "INT32" || p.inputs(0).datatype() == "FP32");
       }},
      {"unknown-datatype", [](const Request& p, const Request&) { return p.inputs(0).datatype() == "FP33"; }},
      {"missing-input", [](const Request& p, const Request& b) { return p.inputs_size() == b.inputs_size() - 1; }},
      {"unknown-input",
       [](const Request& p, const Request& b) { return p.inputs(0).name() != b.inputs(0).name(); }},
      {"extra-input",
       [](const Request& p, const Request& b) {
         return p.inputs_size() == b.inputs_size() + 1 && p.inputs(1).name() != b.inputs(0).name();
       }},
      {"duplicate-input",
       [](const Request& p, const Request&) {
         return p.inputs_size() == 2 && p.inputs(0).name() == p.inputs(1).name();
       }},
      {"empty-tensor",
       [](const Request& p, const Request&) {
         return p.inputs(0).shape(0) == 0 && p.inputs(0).contents().fp32_contents_size() == 0 &&
                p.inputs(0).contents().bytes_contents_size() == 0;
       }},
      {"huge-dimension",
       [](const Request& p, const Request&) { return p.inputs(0).shape(0) == std::numeric_limits<int64_t>::max(); }},
      {"negative-dimension", [](const Request& p, const Request&) { return p.inputs(0).shape(0) == -1; }},
      {"shape-data-mismatch",
       [](const Request& p, const Request& b) {
         return p.inputs(0).shape(0) == b.inputs(0).shape(0) + 1 &&
                p.inputs(0).contents().fp32_contents_size() == b.inputs(0).contents().fp32_contents_size();
       }},
      {"raw-and-typed",
       [](const Request& p, const Request&) {
         return p.raw_input_contents_size() == 1 &&
                (p.inputs(0).contents().fp32_contents_size() > 0 || p.inputs(0).contents().bytes_contents_size() > 0);
       }},
      {"truncated-raw",
       [](const Request& p, const Request& b) {
         const int values = b.inputs(0).contents().fp32_contents_size();
         return p.raw_input_contents_size() == 1 && p.raw_input_contents(0).size() == size_t(values) * 4 - 1 &&
                p.inputs(0).contents().fp32_contents_size() == 0;
       }},
      {"raw-count-mismatch",
       [](const Request& p, const Request& b) { return p.raw_input_contents_size() == b.inputs_size() + 1; }},
      {"invalid-utf8",
       [](const Request& p, const Request&) {
         const std::string& text = p.inputs(0).contents().bytes_contents(0);
         return text.find('\xff') != std::string::npos;
       }},
      {"oversized-message", [](const Request& p, const Request&) { return p.ByteSizeLong() > 4096; }},
      {"unknown-model", [](const Request& p, const Request& b) { return p.model_name() != b.model_name(); }},
      {"bad-version", [](const Request& p, const Request&) { return p.model_version() == "999999"; }},
      {"absurd-parameters",
       [](const Request& p, const Request&) {
         return p.parameters().at("max_tokens").int64_param() == std::numeric_limits<int64_t>::max();
       }},
      {"parameter-type",
       [](const Request& p, const Request&) {
         return p.parameters().at("max_tokens").parameter_choice_case() == inference::InferParameter::kStringParam;
       }},
      {"unknown-output",
       [](const Request& p, const Request&) {
         return p.outputs_size() == 1 && p.outputs(0).name() == "FAULTDRILL_POISON_NO_SUCH_OUTPUT";
       }},
      {"wrong-contents-field",
       [](const Request& p, const Request&) {
         return p.inputs(0).contents().fp32_contents_size() == 0 && p.inputs(0).contents().int_contents_size() > 0;
       }},
  };
  return *checks;
}

TEST(PoisonVariants, TheCatalogueHasAtLeastTwentyDistinctVariants) {
  std::set<std::string_view> names;
  for (const PoisonVariantInfo& info : PoisonVariants()) {
    names.insert(info.name);
    EXPECT_FALSE(info.breaks.empty()) << info.name;
    EXPECT_NE(info.default_expect, 0u) << info.name;
  }
  EXPECT_EQ(names.size(), PoisonVariants().size());
  EXPECT_GE(names.size(), 20u);
}

TEST(PoisonVariants, EachVariantIsMalformedInTheIntendedWay) {
  const load::VectorRequestSource planned = BothModels();
  for (const PoisonVariantInfo& info : PoisonVariants()) {
    SCOPED_TRACE(std::string(info.name));
    auto check = Checks().find(std::string(info.name));
    ASSERT_NE(check, Checks().end()) << "no check for this variant";
    const Request poisoned = Build(info.name, planned);
    const Request& base =
        info.needs == "a BYTES input" || info.needs == "a request parameter" ? planned.At(1) : planned.At(0);
    EXPECT_TRUE(check->second(poisoned, base));
    EXPECT_EQ(poisoned.id(), "faultdrill-poison-" + std::string(info.name));
  }
}

TEST(PoisonVariants, RawRequestsAreBrokenInTheirRawForm) {
  const load::VectorRequestSource planned({RawClassifierRequest()});
  EXPECT_TRUE(std::isnan(FirstFp32(Build("nan", planned))));
  const Request truncated = Build("truncated-raw", planned);
  EXPECT_EQ(truncated.raw_input_contents(0).size(), planned.At(0).raw_input_contents(0).size() - 1);
  const Request both = Build("raw-and-typed", planned);
  EXPECT_EQ(both.raw_input_contents_size(), 1);
  EXPECT_EQ(both.inputs(0).contents().fp32_contents_size(), 1);
  const Request duplicate = Build("duplicate-input", planned);
  EXPECT_EQ(duplicate.raw_input_contents_size(), 2);  // still one raw entry per input
}

TEST(PoisonVariants, RawBytesKeepTheirLengthPrefixesConsistent) {
  Request tinylm = GeneratedRequest("tinylm");
  std::string raw;
  const std::string& prompt = tinylm.inputs(0).contents().bytes_contents(0);
  const uint32_t length = prompt.size();
  raw.append(reinterpret_cast<const char*>(&length), 4);
  raw += prompt;
  tinylm.mutable_inputs(0)->clear_contents();
  tinylm.add_raw_input_contents(raw);
  const Request poisoned = Build("invalid-utf8", load::VectorRequestSource({tinylm}));
  const std::string& out = poisoned.raw_input_contents(0);
  uint32_t new_length = 0;
  std::memcpy(&new_length, out.data(), 4);
  EXPECT_EQ(out.size(), 4 + new_length);
  EXPECT_NE(out.find('\xff'), std::string::npos);
}

TEST(PoisonVariants, AVariantThatCannotBeMadeSaysWhatIsMissing) {
  const load::VectorRequestSource classifier_only({GeneratedRequest("classifier")});
  auto utf8 = BuildPoisonVariant("invalid-utf8", classifier_only, {});
  EXPECT_EQ(utf8.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(utf8.status().message(), HasSubstr("a BYTES input"));
  auto parameters = BuildPoisonVariant("absurd-parameters", classifier_only, {});
  EXPECT_THAT(parameters.status().message(), HasSubstr("a request parameter"));
}

TEST(PoisonVariants, ExpectedCodesFollowTheProtocol) {
  EXPECT_EQ(FindPoisonVariant("unknown-model")->default_expect, CodeBit(grpc::StatusCode::NOT_FOUND));
  EXPECT_EQ(FindPoisonVariant("oversized-message")->default_expect, CodeBit(grpc::StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_TRUE(Contains(FindPoisonVariant("nan")->default_expect, grpc::StatusCode::OK));
  EXPECT_TRUE(FindPoisonVariant("wrong-shape")->follows_expect);
  EXPECT_FALSE(FindPoisonVariant("bad-version")->follows_expect);
  EXPECT_EQ(FormatCodeSet(CodeBit(grpc::StatusCode::OK) | CodeBit(grpc::StatusCode::INVALID_ARGUMENT)),
            "OK|INVALID_ARGUMENT");
  EXPECT_EQ(ParseStatusCodeName("NOT_FOUND"), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ParseStatusCodeName("not_found"), std::nullopt);
}

}  // namespace
}  // namespace faultdrill::injectors
