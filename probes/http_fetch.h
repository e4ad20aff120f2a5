// Plain HTTP/1.1 GET, the one thing probes need from the web: read a metrics
// page. Behind a narrow interface (HttpFetcher) so that probes are tested
// with a fake (tests/probes/fake_http_fetcher.h); the real one uses
// Boost.Beast.
//
// Only http:// is spoken: an https:// URL is a clear InvalidArgument from
// ParseHttpUrl, not a garbled exchange. A fetch never hangs: one deadline
// covers connecting, sending and reading the whole response, so a server
// that accepts and never answers is a DeadlineExceeded error.
#ifndef FAULTDRILL_PROBES_HTTP_FETCH_H_
#define FAULTDRILL_PROBES_HTTP_FETCH_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/duration.h"

namespace faultdrill::probes {

struct HttpUrl {
  std::string host;  // "127.0.0.1", "localhost", "::1" (no brackets)
  uint16_t port = 80;
  std::string target;  // path and query, "/metrics"; "/" when the URL has none

  // "http://host:port/target" (IPv6 hosts in brackets).
  std::string ToString() const;
};

// Parses "http://HOST[:PORT][/PATH[?QUERY]]" (a "#fragment" is dropped).
// InvalidArgument naming the problem: another scheme (https: "TLS is not
// supported"), no host, a bad port, user credentials, blanks or control
// characters.
absl::StatusOr<HttpUrl> ParseHttpUrl(std::string_view url);

struct FetchLimits {
  Duration timeout = std::chrono::seconds(1);  // the whole exchange
  uint64_t max_body_bytes = 32u << 20;
};

struct HttpResponse {
  int status = 0;  // 2xx: anything else is an error from Get
  std::string content_type;
  std::string body;
};

class HttpFetcher {
 public:
  virtual ~HttpFetcher() = default;

  // GETs `url` (asking for the Prometheus text format, no compression).
  // Errors, each naming the URL: DeadlineExceeded when the response is not
  // complete within limits.timeout; ResourceExhausted when the body is larger
  // than limits.max_body_bytes; Unavailable when the host cannot be resolved
  // or reached, the connection breaks, the reply is not HTTP, or its status is
  // not 2xx ("HTTP 404 Not Found"). Host names are resolved by the system
  // resolver before the deadline starts (loopback and allow-listed hosts in
  // practice). Thread-compatible.
  virtual absl::StatusOr<HttpResponse> Get(const HttpUrl& url, const FetchLimits& limits) = 0;
};

// The real fetcher (Boost.Beast over Boost.Asio, one connection per Get).
std::unique_ptr<HttpFetcher> MakeHttpFetcher();

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_HTTP_FETCH_H_
