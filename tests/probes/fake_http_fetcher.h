// A scripted HttpFetcher: answers each Get with the next scripted reply (a
// body or an error) and records what was asked. Tests keep a raw pointer to
// it after handing the unique_ptr to a probe. Thread-compatible.
#ifndef FAULTDRILL_TESTS_PROBES_FAKE_HTTP_FETCHER_H_
#define FAULTDRILL_TESTS_PROBES_FAKE_HTTP_FETCHER_H_

#include <deque>
#include <string>
#include <vector>

#include "probes/http_fetch.h"

namespace faultdrill::testing {

class FakeHttpFetcher final : public probes::HttpFetcher {
 public:
  void Reply(std::string body) { replies_.push_back(probes::HttpResponse{200, "text/plain", std::move(body)}); }
  void Fail(absl::Status status) { replies_.push_back(std::move(status)); }

  absl::StatusOr<probes::HttpResponse> Get(const probes::HttpUrl& url, const probes::FetchLimits& limits) override {
    urls_.push_back(url.ToString());
    timeouts_.push_back(limits.timeout);
    if (replies_.empty()) return absl::UnavailableError("GET " + url.ToString() + ": no scripted reply");
    absl::StatusOr<probes::HttpResponse> reply = std::move(replies_.front());
    replies_.pop_front();
    return reply;
  }

  const std::vector<std::string>& urls() const { return urls_; }  // every URL asked, in order
  const std::vector<Duration>& timeouts() const { return timeouts_; }

 private:
  std::deque<absl::StatusOr<probes::HttpResponse>> replies_;
  std::vector<std::string> urls_;
  std::vector<Duration> timeouts_;
};

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_PROBES_FAKE_HTTP_FETCHER_H_
