// The real (Boost.Beast) HTTP fetcher against tiny loopback servers that
// answer well, badly, too much, or never; and URL parsing.
#include "probes/http_fetch.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace faultdrill::probes {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

// Listens on 127.0.0.1:<ephemeral>; for each connection reads the request
// head and writes `reply` (then closes), or, when `reply` is empty, holds the
// connection open without a word until the server is destroyed.
class CannedHttpServer {
 public:
  explicit CannedHttpServer(std::string reply) : reply_(std::move(reply)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || ::listen(listener_, 8) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot listen on loopback";
      return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::jthread([this](std::stop_token stop) { Serve(stop); });
  }
  ~CannedHttpServer() {
    thread_.request_stop();
    if (thread_.joinable()) thread_.join();
    ::close(listener_);
  }

  HttpUrl Url(std::string target = "/metrics") const { return HttpUrl{"127.0.0.1", port_, std::move(target)}; }
  int connections() const { return connections_.load(); }

 private:
  void Serve(std::stop_token stop) {
    while (!stop.stop_requested()) {
      pollfd waiting{listener_, POLLIN, 0};
      if (::poll(&waiting, 1, 20) <= 0) continue;
      const int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (connection < 0) continue;
      ++connections_;
      std::string head;
      char buffer[4096];
      while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536 && !stop.stop_requested()) {
        pollfd readable{connection, POLLIN, 0};
        if (::poll(&readable, 1, 20) <= 0) continue;
        const ssize_t n = ::read(connection, buffer, sizeof(buffer));
        if (n <= 0) break;
        head.append(buffer, static_cast<size_t>(n));
      }
      if (reply_.empty()) {
        while (!stop.stop_requested()) std::this_thread::sleep_for(5ms);  // never answer
      } else {
        size_t written = 0;
        while (written < reply_.size()) {
          const ssize_t n = ::send(connection, reply_.data() + written, reply_.size() - written, MSG_NOSIGNAL);
          if (n <= 0) break;
          written += static_cast<size_t>(n);
        }
      }
      ::close(connection);
    }
  }

  const std::string reply_;
  int listener_ = -1;
  uint16_t port_ = 0;
  std::atomic<int> connections_{0};
  std::jthread thread_;
};

std::string Reply(std::string_view status, std::string_view body) {
  return "HTTP/1.1 " + std::string(status) +
         "\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + std::string(body);
}

TEST(HttpFetcher, ReadsTheBodyOfA200) {
  CannedHttpServer server(Reply("200 OK", "up 1\n"));
  auto response = MakeHttpFetcher()->Get(server.Url(), {.timeout = 2s});
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "up 1\n");
  EXPECT_THAT(response->content_type, HasSubstr("text/plain"));
}

TEST(HttpFetcher, AStatusOtherThan2xxIsAnErrorNamingIt) {
  CannedHttpServer server(Reply("404 Not Found", "no such page"));
  auto response = MakeHttpFetcher()->Get(server.Url("/nope"), {.timeout = 2s});
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(response.status().message()), HasSubstr("/nope: HTTP 404 Not Found"));
}

TEST(HttpFetcher, ABodyOverTheCapIsRefused) {
  CannedHttpServer server(Reply("200 OK", std::string(100'000, 'x')));
  auto response = MakeHttpFetcher()->Get(server.Url(), {.timeout = 2s, .max_body_bytes = 1000});
  EXPECT_EQ(response.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(response.status().message()), HasSubstr("larger than 1000 bytes"));
}

TEST(HttpFetcher, AServerThatAcceptsAndNeverAnswersTimesOut) {
  CannedHttpServer server("");
  const auto start = std::chrono::steady_clock::now();
  auto response = MakeHttpFetcher()->Get(server.Url(), {.timeout = 200ms});
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(std::string(response.status().message()), HasSubstr("no complete response within 200ms"));
  EXPECT_LT(took, 5s);  // generous: only "it returned", not how fast
}

TEST(HttpFetcher, ARefusedConnectionIsUnavailable) {
  uint16_t port = 0;
  {
    CannedHttpServer closed("x");  // take a free port, then let it go
    port = closed.Url().port;
  }
  auto response = MakeHttpFetcher()->Get(HttpUrl{"127.0.0.1", port, "/metrics"}, {.timeout = 2s});
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(response.status().message()), HasSubstr("connecting"));
}

TEST(HttpFetcher, AReplyThatIsNotHttpIsUnavailable) {
  CannedHttpServer server("SSH-2.0-OpenSSH\r\n\r\n");
  auto response = MakeHttpFetcher()->Get(server.Url(), {.timeout = 2s});
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(response.status().message()), HasSubstr("reading the response"));
}

TEST(ParseHttpUrl, ReadsHostPortAndTargetWithDefaults) {
  auto url = ParseHttpUrl("http://127.0.0.1:9100/metrics?x=1#top");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 9100);
  EXPECT_EQ(url->target, "/metrics?x=1");
  EXPECT_EQ(url->ToString(), "http://127.0.0.1:9100/metrics?x=1");

  auto bare = ParseHttpUrl("HTTP://localhost");
  ASSERT_TRUE(bare.ok()) << bare.status();
  EXPECT_EQ(bare->port, 80);
  EXPECT_EQ(bare->target, "/");

  auto v6 = ParseHttpUrl("http://[::1]:8080/m");
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->ToString(), "http://[::1]:8080/m");
}

TEST(ParseHttpUrl, RejectsWhatItCannotSpeakWithAClearReason) {
  auto message = [](std::string_view url) { return std::string(ParseHttpUrl(url).status().message()); };
  EXPECT_THAT(message("https://127.0.0.1/metrics"), HasSubstr("https is not supported"));
  EXPECT_THAT(message("ftp://x/"), HasSubstr("scheme 'ftp' is not supported"));
  EXPECT_THAT(message("127.0.0.1:9100/metrics"), HasSubstr("expected a URL starting with http://"));
  EXPECT_THAT(message("http:///metrics"), HasSubstr("expected a host"));
  EXPECT_THAT(message("http://h:0/"), HasSubstr("port '0' is not 1..65535"));
  EXPECT_THAT(message("http://h:99999/"), HasSubstr("is not 1..65535"));
  EXPECT_THAT(message("http://h:/"), HasSubstr("expected a port"));
  EXPECT_THAT(message("http://user:pw@h/"), HasSubstr("credentials"));
  EXPECT_THAT(message("http://h/a b"), HasSubstr("blanks"));
  EXPECT_THAT(message("http://[::1/"), HasSubstr("expected ']'"));
}

}  // namespace
}  // namespace faultdrill::probes
