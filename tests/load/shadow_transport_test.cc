// Shadow traffic: the load sees the primary only; the candidate is timed on
// its own and every pair of answers reaches the comparator once.
#include "load/shadow_transport.h"

#include <gtest/gtest.h>

#include <deque>
#include <utility>

#include "tests/core/fake_clock.h"

namespace faultdrill::load {
namespace {

using std::chrono::milliseconds;

// Holds every call until the test answers it, with one output "OUT" = value.
class ManualTransport final : public InferenceTransport {
 public:
  void Infer(const inference::ModelInferRequest&, std::chrono::system_clock::time_point, Callback done) override {
    pending_.push_back(std::move(done));
  }
  void Answer(grpc::Status status, float value) {
    Callback done = std::move(pending_.front());
    pending_.pop_front();
    inference::ModelInferResponse response;
    if (status.ok()) {
      auto* out = response.add_outputs();
      out->set_name("OUT");
      out->set_datatype("FP32");
      out->add_shape(1);
      out->mutable_contents()->add_fp32_contents(value);
    }
    done(status, response);
  }
  size_t pending() const { return pending_.size(); }

 private:
  std::deque<Callback> pending_;
};

struct Compared {
  Duration sent;
  grpc::StatusCode primary_code, candidate_code;
  float primary, candidate;
};

class ShadowTransportTest : public ::testing::Test {
 protected:
  ShadowTransportTest()
      : recorder_({Window{"all", Duration(0), std::chrono::seconds(10)}}),
        shadow_(primary_, candidate_, recorder_, clock_,
                [this](Duration sent, const grpc::Status& ps, const inference::ModelInferResponse& p,
                       const grpc::Status& cs, const inference::ModelInferResponse& c) {
                  auto value = [](const inference::ModelInferResponse& r) {
                    return r.outputs_size() ? r.outputs(0).contents().fp32_contents(0) : -1.0f;
                  };
                  compared_.push_back({sent, ps.error_code(), cs.error_code(), value(p), value(c)});
                }) {
    shadow_.SetStart(clock_.Now());
  }

  void Send() {
    shadow_.Infer(request_, {}, [this](const grpc::Status& status, inference::ModelInferResponse& response) {
      load_saw_.emplace_back(status.error_code(),
                             response.outputs_size() ? response.outputs(0).contents().fp32_contents(0) : -1.0f);
    });
  }

  testing::FakeClock clock_;
  ManualTransport primary_, candidate_;
  Recorder recorder_;
  ShadowTransport shadow_;
  inference::ModelInferRequest request_;
  std::vector<std::pair<grpc::StatusCode, float>> load_saw_;
  std::vector<Compared> compared_;
};

TEST_F(ShadowTransportTest, TheLoadSeesOnlyThePrimary) {
  Send();
  ASSERT_EQ(primary_.pending(), 1u);
  ASSERT_EQ(candidate_.pending(), 1u);
  candidate_.Answer(grpc::Status::OK, 2.0f);
  EXPECT_TRUE(load_saw_.empty());  // the candidate's answer is not the load's
  primary_.Answer(grpc::Status::OK, 1.0f);
  ASSERT_EQ(load_saw_.size(), 1u);
  EXPECT_EQ(load_saw_[0].second, 1.0f);
}

TEST_F(ShadowTransportTest, ComparesEachPairOnceWhicheverAnswersLast) {
  clock_.Advance(milliseconds(300));
  Send();
  Send();
  primary_.Answer(grpc::Status::OK, 1.0f);  // call 1: primary first
  EXPECT_TRUE(compared_.empty());
  candidate_.Answer(grpc::Status::OK, 1.5f);
  candidate_.Answer(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"), 0);  // call 2: candidate first
  primary_.Answer(grpc::Status::OK, 3.0f);
  ASSERT_EQ(compared_.size(), 2u);
  EXPECT_EQ(compared_[0].sent, milliseconds(300));
  EXPECT_EQ(compared_[0].primary, 1.0f);
  EXPECT_EQ(compared_[0].candidate, 1.5f);
  EXPECT_EQ(compared_[1].candidate_code, grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(compared_[1].primary, 3.0f);
}

TEST_F(ShadowTransportTest, TimesTheCandidateInItsOwnRecorder) {
  Send();
  clock_.Advance(milliseconds(40));
  candidate_.Answer(grpc::Status::OK, 1.0f);
  primary_.Answer(grpc::Status::OK, 1.0f);
  Send();
  candidate_.Answer(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, ""), 0);
  primary_.Answer(grpc::Status::OK, 1.0f);
  std::vector<WindowResult> windows = recorder_.WindowResults(std::chrono::seconds(10));
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_EQ(windows[0].requests, 2u);
  EXPECT_EQ(windows[0].errors, 1u);
  EXPECT_NEAR(windows[0].service_time.max_ms, 40.0, 1.0);
}

}  // namespace
}  // namespace faultdrill::load
