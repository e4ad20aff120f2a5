#include "load/recorder.h"

#include <algorithm>
#include <chrono>
#include <string>

namespace faultdrill::load {
namespace {

int64_t SecondOf(Duration offset) {
  return offset.count() <= 0 ? 0 : offset.count() / std::chrono::nanoseconds(std::chrono::seconds(1)).count();
}

SecondLatency LatencyOf(const LatencyHistogram& h) {
  return SecondLatency{ToMillis(h.Percentile(0.50)), ToMillis(h.Percentile(0.90)), ToMillis(h.Percentile(0.99)),
                       ToMillis(h.Max())};
}

void SetAll(SecondSample& s, const SecondLatency& all) {
  s.p50_ms = all.p50_ms;
  s.p90_ms = all.p90_ms;
  s.p99_ms = all.p99_ms;
  s.max_ms = all.max_ms;
}

// `scratch` becomes the merge of `a` and `b`.
const LatencyHistogram& Merged(const LatencyHistogram& a, const LatencyHistogram& b, LatencyHistogram& scratch) {
  scratch.Reset();
  scratch.Merge(a);
  scratch.Merge(b);
  return scratch;
}

}  // namespace

RecorderOptions RecorderOptions::ForDeadline(Duration deadline) {
  RecorderOptions options;
  const int64_t deadline_s = std::chrono::ceil<std::chrono::seconds>(deadline).count();
  options.open_seconds = int(std::clamp<int64_t>(2 * deadline_s + 2, 4, 600));
  return options;
}

Recorder::Recorder(std::vector<Window> windows, RecorderOptions options)
    : open_seconds_(std::max(options.open_seconds, 2)) {
  windows_.resize(windows.size());
  for (size_t i = 0; i < windows.size(); ++i) windows_[i].window = std::move(windows[i]);
  ring_.resize(size_t(open_seconds_));
}

void Recorder::NoteSent(Duration intended, Duration sent) {
  sent_.fetch_add(1, std::memory_order_relaxed);
  int64_t latest = latest_sent_ns_.load(std::memory_order_relaxed);
  while (sent.count() > latest &&
         !latest_sent_ns_.compare_exchange_weak(latest, sent.count(), std::memory_order_relaxed)) {
  }
}

void Recorder::Record(const Completion& c) {
  const Duration corrected = c.done - c.intended;
  const Duration service = c.done - c.sent;
  const bool ok = c.code == grpc::StatusCode::OK;
  const size_t code = StatusCodeIndex(c.code);
  const int64_t second = SecondOf(c.intended);

  std::lock_guard lock(mu_);
  for (WindowAccumulator& w : windows_) {
    if (!w.window.Contains(c.intended)) continue;
    w.corrected.Record(ok, corrected);
    w.service.Record(service);
    if (ok) {
      ++w.ok;
    } else {
      ++w.errors;
      ++w.by_code[code];
    }
  }
  if (ok) {
    total_ok_corrected_.Record(corrected);
    interval_ok_corrected_.Record(corrected);
  }
  ++completed_;
  ++interval_completed_;
  if (!ok) {
    ++errors_;
    ++interval_errors_;
  }

  if (second < int64_t(finished_.size())) {
    ++late_;
    return;
  }
  if (second > newest_second_) AdvanceTo(second);
  OpenSecond& slot = ring_[size_t(second % open_seconds_)];
  if (slot.second != second) {  // first completion of this second
    slot.second = second;
  }
  slot.corrected.Record(ok, corrected);
  ++slot.requests;
  if (!ok) {
    ++slot.errors;
    ++slot.by_code[code];
  }
}

IntervalStats Recorder::TakeInterval() {
  std::lock_guard lock(mu_);
  IntervalStats stats{interval_completed_, interval_errors_, interval_ok_corrected_.Percentile(0.99)};
  interval_ok_corrected_.Reset();
  interval_completed_ = 0;
  interval_errors_ = 0;
  return stats;
}

void Recorder::AdvanceTo(int64_t second) {
  // Keep the open seconds within [finished_.size(), finished_.size() + open_seconds_).
  while (int64_t(finished_.size()) + open_seconds_ <= second) FoldOldest();
  newest_second_ = second;
}

void Recorder::FoldOldest() {
  const int64_t second = int64_t(finished_.size());
  OpenSecond& slot = ring_[size_t(second % open_seconds_)];
  FinishedSecond f;
  f.codes_begin = uint32_t(finished_codes_.size());
  if (slot.second == second) {
    f.requests = slot.requests;
    f.errors = slot.errors;
    f.all = CompactLatency::Of(LatencyOf(Merged(slot.corrected.ok, slot.corrected.failed, scratch_)));
    f.ok = CompactLatency::Of(LatencyOf(slot.corrected.ok));
    f.failed = CompactLatency::Of(LatencyOf(slot.corrected.failed));
    for (size_t code = 0; code < kStatusCodeCount; ++code) {
      if (slot.by_code[code] != 0) finished_codes_.push_back({uint32_t(code), slot.by_code[code]});
    }
    slot.corrected.Reset();
    slot.requests = slot.errors = 0;
    slot.by_code.fill(0);
    slot.second = -1;
  }
  finished_.push_back(f);
}

SecondSample Recorder::ToSample(uint32_t second, const OpenSecond& open, LatencyHistogram& scratch) {
  SecondSample s;
  s.second = second;
  s.requests = open.requests;
  s.errors = open.errors;
  for (size_t code = 0; code < kStatusCodeCount; ++code) {
    if (open.by_code[code] != 0) {
      s.errors_by_code[std::string(StatusCodeName(grpc::StatusCode(code)))] = open.by_code[code];
    }
  }
  SetAll(s, LatencyOf(Merged(open.corrected.ok, open.corrected.failed, scratch)));
  s.ok_latency = LatencyOf(open.corrected.ok);
  s.failed_latency = LatencyOf(open.corrected.failed);
  return s;
}

std::vector<SecondSample> Recorder::Series() const {
  std::lock_guard lock(mu_);
  std::vector<SecondSample> series;
  series.reserve(size_t(std::max<int64_t>(newest_second_ + 1, int64_t(finished_.size()))));
  for (size_t i = 0; i < finished_.size(); ++i) {
    const FinishedSecond& f = finished_[i];
    SecondSample s;
    s.second = uint32_t(i);
    s.requests = f.requests;
    s.errors = f.errors;
    SetAll(s, f.all.Expand());
    s.ok_latency = f.ok.Expand();
    s.failed_latency = f.failed.Expand();
    const size_t end = i + 1 < finished_.size() ? finished_[i + 1].codes_begin : finished_codes_.size();
    for (size_t k = f.codes_begin; k < end; ++k) {
      s.errors_by_code[std::string(StatusCodeName(grpc::StatusCode(finished_codes_[k].code)))] =
          finished_codes_[k].count;
    }
    series.push_back(std::move(s));
  }
  for (int64_t second = int64_t(finished_.size()); second <= newest_second_; ++second) {
    const OpenSecond& slot = ring_[size_t(second % open_seconds_)];
    if (slot.second == second) {
      series.push_back(ToSample(uint32_t(second), slot, scratch_));
    } else {
      SecondSample empty;
      empty.second = uint32_t(second);
      series.push_back(std::move(empty));
    }
  }
  return series;
}

std::vector<WindowResult> Recorder::WindowResults(Duration run_length_actual) const {
  std::lock_guard lock(mu_);
  std::vector<WindowResult> results;
  results.reserve(windows_.size());
  for (const WindowAccumulator& w : windows_) {
    WindowResult r;
    r.name = w.window.name;
    const Duration end = std::min(w.window.end, std::max(run_length_actual, w.window.start));
    r.start_s = ToSeconds(w.window.start);
    r.end_s = ToSeconds(end);
    r.ok = w.ok;
    r.errors = w.errors;
    r.requests = w.ok + w.errors;
    for (size_t code = 0; code < kStatusCodeCount; ++code) {
      if (w.by_code[code] != 0) r.errors_by_code[std::string(StatusCodeName(grpc::StatusCode(code)))] = w.by_code[code];
    }
    const double length_s = r.end_s - r.start_s;
    r.throughput_rps = length_s > 0 ? double(w.ok) / length_s : 0.0;
    r.latency = Merged(w.corrected.ok, w.corrected.failed, scratch_).Summary();
    r.ok_latency = w.corrected.ok.Summary();
    r.failed_latency = w.corrected.failed.Summary();
    r.service_time = w.service.Summary();
    results.push_back(std::move(r));
  }
  return results;
}

LiveStats Recorder::Live() const {
  LiveStats live;
  live.sent = sent_.load(std::memory_order_relaxed);
  live.elapsed = Duration(latest_sent_ns_.load(std::memory_order_relaxed));
  const int64_t last_full = SecondOf(live.elapsed) - 1;

  std::lock_guard lock(mu_);
  live.completed = completed_;
  live.errors = errors_;
  live.in_flight = live.sent > completed_ ? live.sent - completed_ : 0;
  live.p99_ms = ToMillis(total_ok_corrected_.Percentile(0.99));
  live.late_completions = late_;
  if (last_full >= 0) {
    if (last_full < int64_t(finished_.size())) {
      live.last_second_requests = finished_[size_t(last_full)].requests;
    } else {
      const OpenSecond& slot = ring_[size_t(last_full % open_seconds_)];
      if (slot.second == last_full) live.last_second_requests = slot.requests;
    }
  }
  return live;
}

uint64_t Recorder::late_completions() const {
  std::lock_guard lock(mu_);
  return late_;
}

size_t Recorder::open_second_count() const {
  std::lock_guard lock(mu_);
  return size_t(std::count_if(ring_.begin(), ring_.end(), [](const OpenSecond& s) { return s.second >= 0; }));
}

size_t Recorder::RetainedBytes() const {
  std::lock_guard lock(mu_);
  size_t bytes = sizeof(*this);
  bytes += windows_.capacity() * sizeof(WindowAccumulator);
  for (const WindowAccumulator& w : windows_) bytes += w.window.name.capacity();
  bytes += ring_.capacity() * sizeof(OpenSecond);  // scratch_ is in sizeof(*this)
  bytes += finished_.capacity() * sizeof(FinishedSecond);
  bytes += finished_codes_.capacity() * sizeof(CodeCount);
  return bytes;
}

}  // namespace faultdrill::load
