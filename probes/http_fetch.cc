#include "probes/http_fetch.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <exception>

#include "fmt/format.h"

namespace faultdrill::probes {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;

constexpr uint32_t kMaxHeaderBytes = 64 << 10;

absl::Status BadUrl(std::string_view url, std::string_view problem) {
  return absl::InvalidArgumentError(fmt::format("URL '{}': {}", url, problem));
}

class BeastHttpFetcher final : public HttpFetcher {
 public:
  absl::StatusOr<HttpResponse> Get(const HttpUrl& url, const FetchLimits& limits) override {
    try {
      return Fetch(url, limits);
    } catch (const std::exception& e) {  // Asio and Beast throw on allocation and setup failures
      return absl::InternalError(fmt::format("GET {}: {}", url.ToString(), e.what()));
    }
  }

 private:
  static absl::StatusOr<HttpResponse> Fetch(const HttpUrl& url, const FetchLimits& limits) {
    const std::string name = url.ToString();
    const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    boost::system::error_code error;
    const auto endpoints = resolver.resolve(url.host, std::to_string(url.port), error);
    if (error)
      return absl::UnavailableError(fmt::format("GET {}: cannot resolve {}: {}", name, url.host, error.message()));
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= Duration::zero()) return TimedOut(name, limits, "resolving the host");

    beast::tcp_stream stream(io);
    // One expiry for every operation that follows: connect, write, read.
    stream.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(left));
    http::request<http::empty_body> request{http::verb::get, url.target, 11};
    const bool ipv6 = url.host.find(':') != std::string::npos;
    const std::string host = ipv6 ? fmt::format("[{}]", url.host) : url.host;
    request.set(http::field::host, url.port == 80 ? host : fmt::format("{}:{}", host, url.port));
    request.set(http::field::user_agent, "faultdrill");
    request.set(http::field::accept, "text/plain;version=0.0.4;q=1, */*;q=0.1");
    request.set(http::field::accept_encoding, "identity");
    request.set(http::field::connection, "close");
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(limits.max_body_bytes);

    const char* stage = "connecting";
    stream.async_connect(endpoints, [&](boost::system::error_code ec, const asio::ip::tcp::endpoint&) {
      if ((error = ec)) return;
      stage = "sending the request";
      http::async_write(stream, request, [&](boost::system::error_code ec, size_t) {
        if ((error = ec)) return;
        stage = "reading the response";
        http::async_read_header(stream, buffer, parser, [&](boost::system::error_code ec, size_t) {
          if ((error = ec)) return;
          // Beast 1.74 does not apply body_limit to a Content-Length that
          // arrives in the same read as the header: refuse it here, unread.
          if (parser.content_length() && *parser.content_length() > limits.max_body_bytes) {
            error = http::error::body_limit;
            return;
          }
          http::async_read(stream, buffer, parser, [&](boost::system::error_code ec, size_t) { error = ec; });
        });
      });
    });
    io.run();  // returns when the chain ends: done, failed, or expired

    if (error == beast::error::timeout) return TimedOut(name, limits, stage);
    if (error == http::error::body_limit || (!error && parser.get().body().size() > limits.max_body_bytes)) {
      return absl::ResourceExhaustedError(
          fmt::format("GET {}: response body larger than {} bytes", name, limits.max_body_bytes));
    }
    if (error == http::error::header_limit) {
      return absl::UnavailableError(
          fmt::format("GET {}: response headers larger than {} bytes", name, kMaxHeaderBytes));
    }
    if (error) return absl::UnavailableError(fmt::format("GET {}: {}: {}", name, stage, error.message()));

    http::response<http::string_body>& response = parser.get();
    const int status = static_cast<int>(response.result_int());
    if (status < 200 || status > 299) {
      return absl::UnavailableError(fmt::format("GET {}: HTTP {} {}", name, status, std::string(response.reason())));
    }
    HttpResponse out;
    out.status = status;
    out.content_type = std::string(response[http::field::content_type]);
    out.body = std::move(response.body());
    return out;
  }

  static absl::Status TimedOut(const std::string& name, const FetchLimits& limits, std::string_view stage) {
    return absl::DeadlineExceededError(fmt::format("GET {}: no complete response within {} (timed out {})", name,
                                                   FormatDuration(limits.timeout), stage));
  }
};

}  // namespace

std::string HttpUrl::ToString() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return fmt::format("http://{}{}{}:{}{}", ipv6 ? "[" : "", host, ipv6 ? "]" : "", port, target);
}

absl::StatusOr<HttpUrl> ParseHttpUrl(std::string_view url) {
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return BadUrl(url, "blanks and control characters are not allowed (percent-encode them)");
    }
  }
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return BadUrl(url, "expected a URL starting with http://");
  std::string scheme(url.substr(0, scheme_end));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme == "https") {
    return BadUrl(url, "https is not supported (TLS is not built into the probe); use an http:// endpoint");
  }
  if (scheme != "http") return BadUrl(url, fmt::format("scheme '{}' is not supported; expected http://", scheme));
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('#'));
  const size_t path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  HttpUrl out;
  out.target = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (out.target.front() == '?') out.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) return BadUrl(url, "credentials in the URL are not supported");

  std::string_view port;
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return BadUrl(url, "expected ']' after an IPv6 address");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return BadUrl(url, "expected ':PORT' after ']'");
    if (!after.empty()) port = after.substr(1);
    if (after == ":") return BadUrl(url, "expected a port after ':'");
  } else {
    const size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return BadUrl(url, "expected a port after ':'");
    }
  }
  if (out.host.empty()) return BadUrl(url, "expected a host after http://");
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (error != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
      return BadUrl(url, fmt::format("port '{}' is not 1..65535", port));
    }
    out.port = static_cast<uint16_t>(value);
  }
  return out;
}

std::unique_ptr<HttpFetcher> MakeHttpFetcher() { return std::make_unique<BeastHttpFetcher>(); }

}  // namespace faultdrill::probes
