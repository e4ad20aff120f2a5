// libfaultdrill-faketime-waits.so: preloaded into the target together with
// libfaketime by clock-skew (before it in LD_PRELOAD).
//
// Why: libfaketime skews what the process reads from the wall clock, but the
// kernel's timers keep the real one. Abseil (and so gRPC, whose condition
// variables are Abseil's) waits with futex(FUTEX_WAIT_BITSET |
// FUTEX_CLOCK_REALTIME) until an absolute wall-clock time computed from the
// skewed absl::Now(): with the clock an hour ahead, every timed wait would
// last an hour longer, and the target stops answering. This wrapper of
// syscall(2) moves such a deadline from the skewed clock to the kernel's
// (deadline - skew), so the wait lasts what the target meant. Every other call
// passes through unchanged. Without libfaketime the two clocks agree and
// nothing changes.
//
// Which skew: Abseil reads the clock through its own interpolation, which
// follows a change of libfaketime's skew up to ~2 s late, and a deadline may
// have been computed just before a change. So the library remembers the last
// few skews it saw (and no skew) and takes the one that leaves the shortest
// wait that has not yet passed: a deadline meant for a few milliseconds ahead
// is an hour off in every other frame.
#include <dlfcn.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>

#include <atomic>
#include <cstdarg>
#include <cstdint>

namespace {

using SyscallFunction = long (*)(long, ...);

SyscallFunction RealSyscall() {
  static SyscallFunction real = reinterpret_cast<SyscallFunction>(::dlsym(RTLD_NEXT, "syscall"));
  return real;
}

int64_t Nanos(const timespec& t) { return static_cast<int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec; }

constexpr int kRemembered = 8;
constexpr int64_t kNone = INT64_MIN;
constexpr int64_t kSameSkew = 1000000;  // 1 ms
std::atomic<int64_t> remembered[kRemembered] = {kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone};
std::atomic<unsigned> next_slot{0};

void Remember(int64_t skew) {
  for (const auto& known : remembered) {
    const int64_t value = known.load(std::memory_order_relaxed);
    if (value != kNone && value - skew < kSameSkew && skew - value < kSameSkew) return;
  }
  remembered[next_slot.fetch_add(1, std::memory_order_relaxed) % kRemembered].store(skew, std::memory_order_relaxed);
}

// The skew (of the current one, no skew and those remembered) that leaves the
// shortest wait not yet over; the current one when every wait is over.
int64_t SkewOf(int64_t deadline, int64_t real_now, int64_t current) {
  int64_t best = current;
  int64_t best_wait = deadline - current - real_now;
  const auto consider = [&](int64_t skew) {
    const int64_t wait = deadline - skew - real_now;
    if (wait >= 0 && (best_wait < 0 || wait < best_wait)) {
      best = skew;
      best_wait = wait;
    }
  };
  consider(0);
  for (const auto& known : remembered) {
    const int64_t value = known.load(std::memory_order_relaxed);
    if (value != kNone) consider(value);
  }
  return best;
}

}  // namespace

extern "C" long syscall(long number, ...) noexcept {
  va_list args;
  va_start(args, number);
  long a[6];
  for (long& arg : a) arg = va_arg(args, long);
  va_end(args);
  SyscallFunction real = RealSyscall();
  const long op = a[1];
  if (number == SYS_futex && (op & FUTEX_CLOCK_REALTIME) != 0 && (op & FUTEX_CMD_MASK) == FUTEX_WAIT_BITSET &&
      a[3] != 0) {
    timespec skewed_now{};
    timespec real_now{};
    ::clock_gettime(CLOCK_REALTIME, &skewed_now);           // through libfaketime
    real(SYS_clock_gettime, CLOCK_REALTIME, &real_now);     // the kernel's
    const int64_t skew = Nanos(skewed_now) - Nanos(real_now);
    Remember(skew);
    const int64_t requested = Nanos(*reinterpret_cast<const timespec*>(a[3]));
    const int64_t deadline = requested - SkewOf(requested, Nanos(real_now), skew);
    timespec adjusted{};
    adjusted.tv_sec = deadline / 1000000000;
    adjusted.tv_nsec = deadline % 1000000000;
    if (adjusted.tv_nsec < 0) {
      adjusted.tv_nsec += 1000000000;
      adjusted.tv_sec -= 1;
    }
    return real(number, a[0], a[1], a[2], reinterpret_cast<long>(&adjusted), a[4], a[5]);
  }
  return real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
