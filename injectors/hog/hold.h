// faultdrill-hog, the helper process of the resource faults: it takes one
// resource (CPU, memory, disk space, GPU memory), says "ready ..." once it
// holds it, keeps it until SIGTERM/SIGINT (or the death of its parent), and
// gives it back before it exits. This is what one subcommand holds.
#ifndef FAULTDRILL_INJECTORS_HOG_HOLD_H_
#define FAULTDRILL_INJECTORS_HOG_HOLD_H_

#include <string>

namespace faultdrill::hog {

// A resource held; the destructor gives it back.
class Hold {
 public:
  virtual ~Hold() = default;
  // What is held, as space-separated key=value pairs for the "ready" line,
  // e.g. "bytes=1048576 threads=2". Values hold no spaces.
  virtual std::string Describe() const = 0;
  // Called about once a second while held (memory: touch the pages again).
  virtual void Refresh() {}
};

}  // namespace faultdrill::hog

#endif  // FAULTDRILL_INJECTORS_HOG_HOLD_H_
