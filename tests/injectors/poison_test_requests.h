// Planned requests for poison-inputs tests: one classifier request (an FP32
// input) and one tinylm request (a BYTES input and an int64 parameter), as the
// load's generator builds them, so that every poison variant applies.
#ifndef FAULTDRILL_TESTS_INJECTORS_POISON_TEST_REQUESTS_H_
#define FAULTDRILL_TESTS_INJECTORS_POISON_TEST_REQUESTS_H_

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "load/request_generator.h"
#include "load/request_source.h"

namespace faultdrill::testing {

inline inference::ModelInferRequest GeneratedRequest(const std::string& model) {
  GeneratorSpec spec;
  spec.model = model;
  spec.batch = 2;
  spec.max_tokens = 2;
  auto source = load::MakeGenerator(spec, model, "", 1);
  EXPECT_TRUE(source.ok()) << source.status();
  return source.ok() ? (*source)->At(0) : inference::ModelInferRequest();
}

// The classifier request with its FP32 values in raw_input_contents.
inline inference::ModelInferRequest RawClassifierRequest() {
  inference::ModelInferRequest request = GeneratedRequest("classifier");
  const auto& values = request.inputs(0).contents().fp32_contents();
  std::string raw(values.size() * 4, '\0');
  std::memcpy(raw.data(), values.data(), raw.size());
  request.mutable_inputs(0)->clear_contents();
  request.add_raw_input_contents(raw);
  return request;
}

inline load::VectorRequestSource BothModels() {
  return load::VectorRequestSource({GeneratedRequest("classifier"), GeneratedRequest("tinylm")});
}

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_INJECTORS_POISON_TEST_REQUESTS_H_
