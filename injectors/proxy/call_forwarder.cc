#include "injectors/proxy/call_forwarder.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "proto/channel.h"

namespace faultdrill::injectors::proxy {

namespace {

std::string ToString(grpc::string_ref text) { return std::string(text.data(), text.size()); }

// Metadata that belongs to one hop (HTTP/2 pseudo-headers, gRPC's own
// headers) and is set again by the next one.
bool Forwardable(grpc::string_ref key) {
  const std::string_view name(key.data(), key.size());
  if (name.empty() || name.front() == ':' || name.rfind("grpc-", 0) == 0) return false;
  return name != "user-agent" && name != "te" && name != "content-type" && name != "host";
}

// The port of a peer as gRPC writes it: "ipv4:127.0.0.1:54321", "ipv6:[::1]:54321".
int PeerPort(const std::string& peer) {
  const size_t colon = peer.rfind(':');
  return colon == std::string::npos ? 0 : std::atoi(peer.c_str() + colon + 1);
}

std::chrono::steady_clock::time_point ToSteady(std::chrono::system_clock::time_point when) {
  return std::chrono::steady_clock::now() +
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(when - std::chrono::system_clock::now());
}

// Flips `flips` bits of `message`, chosen with `random`.
void FlipBits(grpc::ByteBuffer& message, int flips, std::mt19937_64& random) {
  std::vector<grpc::Slice> slices;
  if (!message.Dump(&slices).ok()) return;
  std::string bytes;
  for (const grpc::Slice& slice : slices) bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  if (bytes.empty()) return;
  for (int i = 0; i < flips; ++i) {
    const uint64_t bit = random() % (bytes.size() * 8);
    bytes[bit / 8] = static_cast<char>(bytes[bit / 8] ^ (1u << (bit % 8)));
  }
  grpc::Slice slice(bytes);
  message = grpc::ByteBuffer(&slice, 1);
}

// One call through the proxy: the server side facing the client and, when the
// call is passed on, the client side facing the upstream server.
//
// The server side is finished once (FinishOnce) and the object may be
// deleted as soon as that has happened: no code touches the object after
// an operation that can lead to Finish, unless it holds a reference (Ref).
// In particular the first read of the client's request is started before
// the upstream call (an upstream that is gone fails the call at once, on
// another thread, and its OnDone finishes the server side), and every later
// read while the request chain still holds the upstream (kStartingRead).
// A target that died under the proxy with a delay rule on used to abort it
// ("pure virtual method called", heap corruption) through these reads.
//
// Two chains run once the call is passed on: requests (client -> upstream)
// and responses (upstream -> client). Each holds the upstream reactor open
// (a gRPC "hold") while it may still start an operation on it, and lets go
// when it ends; the upstream's OnDone, and with it the final status, comes
// only after both let go, so the server side is finished exactly once, after
// its last write. The object is deleted when the server side, the upstream
// side and every pending timer have let go of it (refs_).
class ProxyCall final : public grpc::ServerGenericBidiReactor {
 public:
  ProxyCall(grpc::GenericCallbackServerContext* context, CallPlan plan, grpc::GenericStub& stub,
            TimerQueue& timers, TcpFront* front)
      : context_(context), plan_(std::move(plan)), stub_(stub), timers_(timers), front_(front),
        random_(plan_.corrupt_seed), upstream_(*this) {}

  void Begin() {
    if (plan_.delay.count() > 0) {
      After(std::chrono::steady_clock::now() + plan_.delay, [this] { Decide(); });
    } else {
      Decide();
    }
  }

  // --- the server side (the client's call) ---
  void OnReadDone(bool ok) override {
    {
      absl::MutexLock lock(&mu_);
      if (requests_ == Chain::kDone) return;
      requests_ = ok ? Chain::kWritingUpstream : Chain::kDone;
    }
    if (!ok) {  // the client has sent everything (or is gone)
      upstream_.StartWritesDone();
      upstream_.RemoveHold();
      return;
    }
    PaceThen(request_.Length(), [this] { upstream_.StartWrite(&request_); });
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {  // the client is gone
      context_upstream_.TryCancel();
      EndResponses();
      return;
    }
    upstream_.StartRead(&response_);
  }

  void OnCancel() override {
    bool started;
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
      started = upstream_started_;
    }
    if (started) {
      context_upstream_.TryCancel();  // the chains end, and the upstream's OnDone finishes the call
    } else {
      FinishOnce(grpc::Status::CANCELLED);
    }
  }

  void OnDone() override { Unref(); }

 private:
  enum class Chain { kStartingRead, kWaitingClient, kWritingUpstream, kDone };

  class Upstream final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    explicit Upstream(ProxyCall& call) : call_(call) {}
    void OnReadInitialMetadataDone(bool ok) override { call_.OnUpstreamHeaders(ok); }
    void OnReadDone(bool ok) override { call_.OnUpstreamRead(ok); }
    void OnWriteDone(bool ok) override { call_.OnUpstreamWrite(ok); }
    void OnDone(const grpc::Status& status) override { call_.OnUpstreamDone(status); }

   private:
    ProxyCall& call_;
  };

  void Ref() { refs_.fetch_add(1); }
  void Unref() {
    if (refs_.fetch_sub(1) == 1) delete this;
  }

  // Runs `step` on the timer thread at `when`, keeping the call alive till then.
  template <typename Step>
  void After(std::chrono::steady_clock::time_point when, Step step) {
    Ref();
    timers_.At(when, [this, step] {
      step();
      Unref();
    });
  }

  // Runs `step` once `bytes` have crossed every bandwidth-limited link of the plan.
  template <typename Step>
  void PaceThen(size_t bytes, Step step) {
    if (plan_.pacers.empty()) return step();
    const auto now = std::chrono::steady_clock::now();
    auto when = now;
    for (const auto& pacer : plan_.pacers) when = std::max(when, pacer->Reserve(bytes, now));
    After(when, step);
  }

  void FinishOnce(const grpc::Status& status) {
    {
      absl::MutexLock lock(&mu_);
      if (finished_) return;
      finished_ = true;
    }
    Finish(status);
  }

  // After the delay: end the call as the plan says, or pass it on.
  void Decide() {
    {
      absl::MutexLock lock(&mu_);
      if (cancelled_ || finished_) return;  // OnCancel has finished it
    }
    if (!plan_.ending) return StartUpstream();
    switch (*plan_.ending) {
      case ProxyRule::Action::kAbort:
        return FinishOnce(grpc::Status(static_cast<grpc::StatusCode>(plan_.status),
                                       plan_.message.empty() ? "aborted by faultdrill-proxy" : plan_.message,
                                       kProxyInjectedDetails));
      case ProxyRule::Action::kDeadline:
        // Held until the client's deadline; without one, until the client gives up.
        if (context_->deadline() != std::chrono::system_clock::time_point::max()) {
          After(ToSteady(context_->deadline()), [this] {
            FinishOnce(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "deadline exhausted by faultdrill-proxy",
                                    kProxyInjectedDetails));
          });
        }
        return;
      case ProxyRule::Action::kBlackhole:
        return;  // never answered: OnCancel ends it when the client gives up
      case ProxyRule::Action::kReset:
        // The connection goes, and with it the call (OnCancel).
        if (front_ != nullptr && front_->Reset(PeerPort(context_->peer()))) return;
        return FinishOnce(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection reset by faultdrill-proxy",
                                       kProxyInjectedDetails));
      default:
        return StartUpstream();
    }
  }

  void StartUpstream() {
    bool cancelled;
    {
      absl::MutexLock lock(&mu_);
      cancelled = cancelled_;
      if (!cancelled) {
        upstream_started_ = true;
        requests_ = Chain::kWaitingClient;
      }
    }
    if (cancelled) return FinishOnce(grpc::Status::CANCELLED);
    context_upstream_.set_deadline(context_->deadline());
    for (const auto& [key, value] : context_->client_metadata()) {
      if (Forwardable(key)) context_upstream_.AddMetadata(ToString(key), ToString(value));
    }
    Ref();  // released in OnUpstreamDone
    stub_.PrepareBidiStreamingCall(&context_upstream_, context_->method(), grpc::StubOptions(), &upstream_);
    upstream_.AddMultipleHolds(2);  // the request chain and the response chain
    // Read first: once the upstream call starts, a gone upstream can end it
    // and finish (and delete) this call before StartCall returns.
    StartRead(&request_);
    upstream_.StartCall();
  }

  // --- the upstream side ---
  void OnUpstreamHeaders(bool ok) {
    if (!ok) return EndResponses();  // failed, or trailers only: no messages will come
    for (const auto& [key, value] : context_upstream_.GetServerInitialMetadata()) {
      if (Forwardable(key)) context_->AddInitialMetadata(ToString(key), ToString(value));
    }
    upstream_.StartRead(&response_);
  }

  void OnUpstreamRead(bool ok) {
    if (!ok) return EndResponses();
    if (plan_.flips > 0) FlipBits(response_, plan_.flips, random_);
    PaceThen(response_.Length(), [this] { StartWrite(&response_); });
  }

  void OnUpstreamWrite(bool ok) {
    bool release = false;
    bool read = false;
    {
      absl::MutexLock lock(&mu_);
      if (!ok || responses_ended_) {
        release = requests_ != Chain::kDone;
        requests_ = Chain::kDone;
      } else {
        // Not kWaitingClient yet: EndResponses must not let go of this
        // chain's hold (which lets the call finish) before the read is started.
        requests_ = Chain::kStartingRead;
        read = true;
      }
    }
    if (release) upstream_.RemoveHold();
    if (read) StartNextRead();
  }

  // Starts the next read of the client's requests while the request chain
  // still holds the upstream, then lets EndResponses release it while the
  // chain only waits for the client.
  void StartNextRead() {
    Ref();  // OnReadDone may end the call before the state below is set
    StartRead(&request_);
    bool release = false;
    {
      absl::MutexLock lock(&mu_);
      if (requests_ == Chain::kStartingRead) {  // OnReadDone has not run yet: the hold is still ours
        release = responses_ended_;
        requests_ = release ? Chain::kDone : Chain::kWaitingClient;
      }
    }
    if (release) upstream_.RemoveHold();
    Unref();
  }

  // No more responses: let go of the response chain's hold, and of the
  // request chain's when it is only waiting for the client (the upstream has
  // answered; more requests would not be read).
  void EndResponses() {
    bool release_requests = false;
    {
      absl::MutexLock lock(&mu_);
      responses_ended_ = true;
      if (requests_ == Chain::kWaitingClient) {
        requests_ = Chain::kDone;
        release_requests = true;
      }
    }
    if (release_requests) upstream_.RemoveHold();
    upstream_.RemoveHold();
  }

  void OnUpstreamDone(const grpc::Status& status) {
    for (const auto& [key, value] : context_upstream_.GetServerTrailingMetadata()) {
      if (Forwardable(key)) context_->AddTrailingMetadata(ToString(key), ToString(value));
    }
    FinishOnce(status);
    Unref();
  }

  // Constant after construction.
  grpc::GenericCallbackServerContext* const context_;
  const CallPlan plan_;
  grpc::GenericStub& stub_;
  TimerQueue& timers_;
  TcpFront* const front_;

  // Used by one chain at a time.
  std::mt19937_64 random_;
  grpc::ClientContext context_upstream_;
  Upstream upstream_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;

  std::atomic<int> refs_{1};  // the server side's, released in OnDone
  absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool upstream_started_ ABSL_GUARDED_BY(mu_) = false;
  bool responses_ended_ ABSL_GUARDED_BY(mu_) = false;
  Chain requests_ ABSL_GUARDED_BY(mu_) = Chain::kDone;
};

}  // namespace

CallForwarder::CallForwarder(const std::string& upstream, int channels, RuleTable& rules, TimerQueue& timers)
    : rules_(rules), timers_(timers) {
  for (int i = 0; i < std::max(1, channels); ++i) {
    // Each channel its own connection; a restarted upstream is reached again
    // within the short reconnect backoff, not gRPC's default seconds.
    stubs_.push_back(std::make_unique<grpc::GenericStub>(OpenChannel(upstream, {.own_connection = true})));
  }
}

grpc::ServerGenericBidiReactor* CallForwarder::CreateReactor(grpc::GenericCallbackServerContext* context) {
  grpc::GenericStub& stub = *stubs_[next_stub_.fetch_add(1) % stubs_.size()];
  auto* call = new ProxyCall(context, rules_.Plan(context->method()), stub, timers_, front_.load());
  call->Begin();
  return call;
}

}  // namespace faultdrill::injectors::proxy
