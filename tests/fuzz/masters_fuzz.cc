// Golden masters (JSON Lines) and, after a NUL byte, the sidecar they refer
// to, as `faultdrill golden compare` reads them. Any input gives masters or a
// located error; masters that load save and load again bit for bit (every
// value written is one the loader takes back).
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "golden/masters.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

bool SameBytes(const faultdrill::golden::Masters& a, const faultdrill::golden::Masters& b) {
  if (a.responses().size() != b.responses().size()) return false;
  for (const auto& response : a.responses()) {
    const auto* other = b.Find(response.request_index);
    if (other == nullptr || other->outputs.size() != response.outputs.size()) return false;
    for (size_t i = 0; i < response.outputs.size(); ++i) {
      const auto& x = response.outputs[i];
      const auto& y = other->outputs[i];
      if (x.name != y.name || x.datatype != y.datatype || x.shape != y.shape || x.data != y.data) return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace faultdrill;
  const auto [masters_text, sidecar] = fuzz::SplitAtNul(fuzz::AsText(data, size));
  const std::string path = fuzz::ScratchDir() + "/m.golden.jsonl";
  const std::string sidecar_path = golden::Masters::SidecarPath(path);
  std::filesystem::remove(sidecar_path);
  if (!sidecar.empty()) std::ofstream(sidecar_path, std::ios::binary).write(sidecar.data(), std::streamsize(sidecar.size()));

  absl::StatusOr<golden::Masters> masters = golden::Masters::Parse(masters_text, path);
  if (!masters.ok()) {
    if (!fuzz::MessageStartsWith(masters.status(), path)) fuzz::PropertyBroken("an error that does not name the file");
    return 0;
  }
  const std::string again = fuzz::ScratchDir() + "/again.golden.jsonl";
  if (!masters->Save(again).ok()) fuzz::PropertyBroken("masters that load do not save");
  absl::StatusOr<golden::Masters> reloaded = golden::Masters::Load(again);
  if (!reloaded.ok()) {
    std::fprintf(stderr, "%s\n", std::string(reloaded.status().message()).c_str());
    fuzz::PropertyBroken("saved masters do not load");
  }
  if (!SameBytes(*masters, *reloaded)) fuzz::PropertyBroken("saved masters load different values");
  return 0;
}
