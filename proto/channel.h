// How every faultdrill client opens a gRPC channel to a drill's endpoints: the
// load driver, the probes, the readiness wait of a launched target, golden
// record/compare and the fault proxy's upstream.
//
// gRPC's default reconnect backoff starts at 1 s and grows to 120 s. A drill
// restarts servers on purpose, so with it a client would notice a server that
// is back only seconds later: every run would wait about 5 s for a target that
// was ready in 0.1 s, and every measured recovery time would include the
// client's own backoff. Channels opened here retry a refused connection every
// 50..250 ms instead.
#ifndef FAULTDRILL_PROTO_CHANNEL_H_
#define FAULTDRILL_PROTO_CHANNEL_H_

#include <memory>
#include <optional>
#include <string>

#include <grpcpp/channel.h>

namespace faultdrill {

struct ChannelOptions {
  int reconnect_backoff_min_ms = 50;
  int reconnect_backoff_max_ms = 250;
  // Its own TCP connection rather than one shared with other channels to the
  // same endpoint (several channels then add throughput).
  bool own_connection = false;
};

// A channel to "host:port" (plaintext), with no message size limit.
std::shared_ptr<grpc::Channel> OpenChannel(const std::string& endpoint, const ChannelOptions& options = {});

}  // namespace faultdrill

#endif  // FAULTDRILL_PROTO_CHANNEL_H_
