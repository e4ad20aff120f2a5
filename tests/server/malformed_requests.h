// A table of malformed ModelInferRequests, each breaking one rule, with a piece
// of the InvalidArgument message it must produce. Shared by the validation unit
// test and the integration test against the real server.
#ifndef FAULTDRILL_TESTS_SERVER_MALFORMED_REQUESTS_H_
#define FAULTDRILL_TESTS_SERVER_MALFORMED_REQUESTS_H_

#include <cmath>
#include <functional>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "tests/server/infer_requests.h"

namespace faultdrill::testing {

struct MalformedCase {
  std::string name;
  std::function<inference::ModelInferRequest()> make;
  std::string message_part;  // must occur in the error message

  friend void PrintTo(const MalformedCase& c, std::ostream* os) { *os << c.name; }
};

inline std::vector<MalformedCase> MalformedRequests() {
  using Request = inference::ModelInferRequest;
  const auto classifier = [] { return ClassifierRequest(ClassifierRows(2)); };
  const auto classifier_raw = [] { return ClassifierRequest(ClassifierRows(2), TensorForm::kRaw); };
  const auto tinylm = [] { return TinyLmRequest("hello", 4); };
  const auto tinylm_raw = [] { return TinyLmRequest("hello", 4, TensorForm::kRaw); };
  return {
      {"NoInputs", [=] { Request r = classifier(); r.clear_inputs(); return r; }, "no inputs"},
      {"UnknownInputName",
       [=] { Request r = classifier(); r.mutable_inputs(0)->set_name("IMAGE"); return r; },
       "input 'IMAGE'"},
      {"LowercaseInputName",
       [=] {
         Request r = tinylm();
         r.mutable_inputs(0)->set_name("prompt");
         return r;
       },
       "input 'prompt'"},
      {"DuplicateInput",
       [=] { Request r = classifier(); *r.add_inputs() = r.inputs(0); return r; },
       "more than once"},
      {"WrongDatatype",
       [=] { Request r = classifier(); r.mutable_inputs(0)->set_datatype("FP64"); return r; },
       "datatype FP64"},
      {"UnknownDatatype",
       [=] { Request r = classifier(); r.mutable_inputs(0)->set_datatype("FLOAT"); return r; },
       "unknown datatype 'FLOAT'"},
      {"WrongRank",
       [=] { Request r = classifier(); r.mutable_inputs(0)->mutable_shape()->RemoveLast(); return r; },
       "rank 1"},
      {"WrongInnerDim",
       [=] { Request r = classifier(); r.mutable_inputs(0)->set_shape(1, 15); return r; },
       "does not match"},
      {"ZeroBatch",
       [=] { Request r = classifier(); r.mutable_inputs(0)->set_shape(0, 0); return r; },
       "dimension 0 is 0"},
      {"BatchTooLarge",
       [=] {
         Request r = ClassifierRequest(ClassifierRows(65));
         return r;
       },
       "must be 1..64"},
      {"NegativeDim",
       [=] { Request r = classifier(); r.mutable_inputs(0)->set_shape(0, -2); return r; },
       "negative"},
      {"HugeDims",
       [=] {
         Request r = classifier();
         r.mutable_inputs(0)->set_shape(0, std::numeric_limits<int64_t>::max());
         return r;
       },
       "dimension 0"},
      {"TypedCountMismatch",
       [=] { Request r = classifier(); r.mutable_inputs(0)->set_shape(0, 3); return r; },
       "needs 48 values"},
      {"EmptyTypedContents",
       [=] { Request r = classifier(); r.mutable_inputs(0)->clear_contents(); return r; },
       "fp32_contents holds 0"},
      {"ValuesInTheWrongTypedField",
       [=] {
         Request r = classifier();
         r.mutable_inputs(0)->mutable_contents()->add_fp64_contents(1.0);
         return r;
       },
       "not in fp64_contents"},
      {"RawByteLengthMismatch",
       [=] {
         Request r = classifier_raw();
         r.mutable_raw_input_contents(0)->resize(100);
         return r;
       },
       "got 100"},
      {"RawAndTypedTogether",
       [=] {
         Request r = classifier_raw();
         r.mutable_inputs(0)->mutable_contents()->add_fp32_contents(1.0f);
         return r;
       },
       "use one form"},
      {"RawEntryCountMismatch",
       [=] { Request r = classifier_raw(); r.add_raw_input_contents("extra"); return r; },
       "2 entries for 1 inputs"},
      {"NaNInput",
       [=] {
         Request r = classifier();
         r.mutable_inputs(0)->mutable_contents()->set_fp32_contents(
             5, std::numeric_limits<float>::quiet_NaN());
         return r;
       },
       "element 5 is NaN"},
      {"InfinityInRawInput",
       [=] {
         std::vector<float> rows = ClassifierRows(2);
         rows[17] = -std::numeric_limits<float>::infinity();
         return ClassifierRequest(rows, TensorForm::kRaw);
       },
       "element 17 is infinite"},
      {"AbsurdlyLargeValue",
       [=] {
         Request r = classifier();
         r.mutable_inputs(0)->mutable_contents()->set_fp32_contents(3, 3e38f);
         return r;
       },
       "element 3 is 3e+38, outside +-1e+06"},
      {"InvalidUtf8Prompt", [=] { return TinyLmRequest("ab\xc3\x28", 4); }, "not valid UTF-8"},
      {"OverlongUtf8Prompt", [=] { return TinyLmRequest("\xc0\xaf", 4); }, "not valid UTF-8"},
      {"EmptyPrompt", [=] { return TinyLmRequest("", 4); }, "empty"},
      {"OversizedPrompt", [=] { return TinyLmRequest(std::string(5000, 'a'), 4); },
       "5000 bytes"},
      {"TwoPrompts",
       [=] {
         Request r = tinylm();
         r.mutable_inputs(0)->set_shape(0, 2);
         r.mutable_inputs(0)->mutable_contents()->add_bytes_contents("second");
         return r;
       },
       "does not match"},
      {"RawBytesLengthPastTheEnd",
       [=] {
         Request r = tinylm_raw();
         (*r.mutable_raw_input_contents(0))[0] = 100;
         return r;
       },
       "claims 100 bytes"},
      {"RawBytesTrailingData",
       [=] { Request r = tinylm_raw(); r.mutable_raw_input_contents(0)->append("zz"); return r; },
       "after its 1 elements"},
      {"MaxTokensZero", [=] { return TinyLmRequest("hi", 0); }, "'max_tokens' is 0"},
      {"MaxTokensTooLarge", [=] { return TinyLmRequest("hi", 100000); }, "must be 1..256"},
      {"MaxTokensWrongType",
       [=] {
         Request r = tinylm();
         (*r.mutable_parameters())["max_tokens"].set_string_param("16");
         return r;
       },
       "must be an int64_param"},
      {"UnknownRequestedOutput",
       [=] { Request r = classifier(); r.add_outputs()->set_name("LOGITS"); return r; },
       "'LOGITS' does not exist"},
      {"DuplicateRequestedOutput",
       [=] {
         Request r = tinylm();
         r.add_outputs()->set_name("TEXT");
         r.add_outputs()->set_name("TEXT");
         return r;
       },
       "requested twice"},
  };
}

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_SERVER_MALFORMED_REQUESTS_H_
