#include "load/grpc_transport.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "proto/channel.h"

namespace faultdrill::load {
namespace {

constexpr size_t kGrowChunk = 256;

}  // namespace

absl::StatusOr<std::unique_ptr<GrpcTransport>> GrpcTransport::Create(const GrpcTransportOptions& options) {
  if (options.endpoint.empty()) return absl::InvalidArgumentError("transport: empty endpoint");
  if (options.channels < 1) return absl::InvalidArgumentError("transport: channels must be at least 1");
  return std::unique_ptr<GrpcTransport>(new GrpcTransport(options));
}

GrpcTransport::GrpcTransport(const GrpcTransportOptions& options) {
  {
    std::lock_guard lock(mu_);
    GrowLocked(std::max<size_t>(options.initial_slots, 1));
  }
  for (int i = 0; i < options.channels; ++i) {
    auto lane = std::make_unique<Lane>();
    // Without its own connection, channels to one target would share one TCP
    // connection, and more channels would add no throughput.
    lane->channel = OpenChannel(options.endpoint, {.reconnect_backoff_min_ms = options.reconnect_backoff_min_ms,
                                                   .reconnect_backoff_max_ms = options.reconnect_backoff_max_ms,
                                                   .own_connection = true});
    lane->stub = inference::GRPCInferenceService::NewStub(lane->channel);
    lanes_.push_back(std::move(lane));
  }
  for (auto& lane : lanes_) {
    Lane* l = lane.get();
    l->thread = std::thread([this, l] { Poll(*l); });
  }
}

GrpcTransport::~GrpcTransport() {
  {
    std::unique_lock lock(mu_);
    shutting_down_ = true;
    for (Slot* slot : all_slots_) {
      if (slot->active) slot->context->TryCancel();
    }
    idle_.wait(lock, [this] { return in_flight_.load() == 0; });
  }
  for (auto& lane : lanes_) lane->cq.Shutdown();
  for (auto& lane : lanes_) lane->thread.join();
}

void GrpcTransport::GrowLocked(size_t count) {
  chunks_.push_back(std::make_unique<Slot[]>(count));
  Slot* chunk = chunks_.back().get();
  for (size_t i = 0; i < count; ++i) {
    all_slots_.push_back(&chunk[i]);
    free_.push_back(&chunk[i]);
  }
}

size_t GrpcTransport::slot_count() const {
  std::lock_guard lock(mu_);
  return all_slots_.size();
}

GrpcTransport::Slot* GrpcTransport::Acquire() {
  std::lock_guard lock(mu_);
  if (free_.empty()) GrowLocked(kGrowChunk);
  Slot* slot = free_.back();
  free_.pop_back();
  return slot;
}

void GrpcTransport::Release(Slot* slot) {
  slot->done = nullptr;  // drop the caller's captures now, not at reuse
  std::lock_guard lock(mu_);
  slot->active = false;
  free_.push_back(slot);
  if (in_flight_.fetch_sub(1) == 1 && shutting_down_) idle_.notify_all();
}

void GrpcTransport::Infer(const inference::ModelInferRequest& request,
                          std::chrono::system_clock::time_point deadline, Callback done) {
  in_flight_.fetch_add(1);
  Slot* slot = Acquire();
  // The slot is ours alone until it is marked active: reset what its last
  // call left (a ClientContext cannot be reused, so it is rebuilt in place).
  slot->reader.reset();
  slot->context.emplace();
  slot->context->set_deadline(deadline);
  slot->response.Clear();
  slot->status = grpc::Status::OK;
  slot->done = std::move(done);
  Lane& lane = *lanes_[next_lane_.fetch_add(1, std::memory_order_relaxed) % lanes_.size()];
  slot->reader = lane.stub->PrepareAsyncModelInfer(&*slot->context, request, &lane.cq);
  bool cancel;
  {
    std::lock_guard lock(mu_);
    slot->active = true;
    cancel = shutting_down_;
  }
  if (cancel) slot->context->TryCancel();
  slot->reader->StartCall();
  slot->reader->Finish(&slot->response, &slot->status, slot);
}

void GrpcTransport::Poll(Lane& lane) {
  void* tag = nullptr;
  bool ok = false;
  while (lane.cq.Next(&tag, &ok)) {
    Slot* slot = static_cast<Slot*>(tag);
    if (!slot->status.ok()) slot->response.Clear();
    slot->done(slot->status, slot->response);
    Release(slot);
  }
}

bool GrpcTransport::WaitForReady(std::chrono::system_clock::time_point deadline) {
  bool all = true;
  for (auto& lane : lanes_) all = lane->channel->WaitForConnected(deadline) && all;
  return all;
}

}  // namespace faultdrill::load
