#include "injectors/network_fault.h"

#include <sys/utsname.h>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "fmt/format.h"
#include "injectors/command.h"
#include "injectors/undo.h"

namespace faultdrill::injectors {
namespace {

constexpr int kCapNetAdmin = 12;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> TcPrefix(const QdiscTarget& target) {
  std::vector<std::string> argv = {"tc"};
  if (!target.netns.empty()) argv.insert(argv.end(), {"-n", target.netns});
  return argv;
}

std::string Where(const QdiscTarget& target) {
  return target.netns.empty() ? target.interface : fmt::format("{} in netns {}", target.interface, target.netns);
}

bool ValidInterfaceName(const std::string& name) {
  if (name.empty() || name.size() > 15 || name == "." || name == "..") return false;
  for (char c : name) {
    if (c == '/' || c == ':' || std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool ValidNetnsName(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

}  // namespace

std::vector<std::string> TcAddRootQdiscArgv(const QdiscTarget& target, const QdiscSpec& qdisc) {
  std::vector<std::string> argv = TcPrefix(target);
  argv.insert(argv.end(), {"qdisc", "add", "dev", target.interface, "root", "handle", kFaultdrillQdiscHandle});
  argv.insert(argv.end(), qdisc.args.begin(), qdisc.args.end());
  return argv;
}

std::vector<std::string> TcShowRootQdiscArgv(const QdiscTarget& target) {
  std::vector<std::string> argv = TcPrefix(target);
  argv.insert(argv.end(), {"qdisc", "show", "dev", target.interface, "root"});
  return argv;
}

std::string TcTime(Duration d) {
  const int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  if (us % 1000 == 0) return fmt::format("{}ms", us / 1000);
  return fmt::format("{}us", us);
}

std::string TcPercent(double fraction) { return fmt::format("{:.6g}%", fraction * 100); }

std::string TcRate(uint64_t bits_per_second) {
  if (bits_per_second % 1'000'000'000 == 0) return fmt::format("{}gbit", bits_per_second / 1'000'000'000);
  if (bits_per_second % 1'000'000 == 0) return fmt::format("{}mbit", bits_per_second / 1'000'000);
  if (bits_per_second % 1'000 == 0) return fmt::format("{}kbit", bits_per_second / 1'000);
  return fmt::format("{}bit", bits_per_second);
}

std::string AddedRootQdisc(std::string_view tc_show_output) {
  std::istringstream lines{std::string(tc_show_output)};
  std::string word, kind, handle;
  if (!(lines >> word >> kind >> handle) || word != "qdisc") return "";
  return handle == "0:" ? "" : kind + " " + handle;
}

absl::StatusOr<uint64_t> ParseBitRate(std::string_view text) {
  constexpr std::string_view kForms =
      "expected a rate such as \"1mbit\", \"500kbit\", \"1gbit\" (bits per second), \"125kB/s\", "
      "\"1MiB/s\" or a bare number of bytes per second";
  const std::string input(text);
  auto invalid = [&](std::string_view why) {
    return absl::InvalidArgumentError(fmt::format("invalid rate '{}': {}", input, why));
  };
  if (input.ends_with("/s")) {
    absl::StatusOr<uint64_t> bytes = ParseBytes(text.substr(0, text.size() - 2));
    if (!bytes.ok()) return invalid(kForms);
    if (*bytes == 0) return invalid("must be greater than zero");
    if (*bytes > UINT64_MAX / 8) return invalid("too large");
    return *bytes * 8;
  }
  struct Unit {
    std::string_view name;
    double scale;
  };
  for (const Unit& unit : {Unit{"gbit", 1e9}, Unit{"mbit", 1e6}, Unit{"kbit", 1e3}, Unit{"bit", 1}, Unit{"", 8}}) {
    if (!input.ends_with(unit.name)) continue;
    const std::string number = input.substr(0, input.size() - unit.name.size());
    if (number.empty() || !(std::isdigit(static_cast<unsigned char>(number[0])))) return invalid(kForms);
    size_t used = 0;
    double value = 0;
    try {
      value = std::stod(number, &used);
    } catch (...) {
      return invalid(kForms);
    }
    if (used != number.size() || !std::isfinite(value)) return invalid(kForms);
    const double bits = std::round(value * unit.scale);
    if (bits < 1) return invalid("must be at least 1bit");
    if (bits > 1e15) return invalid("too large");
    return static_cast<uint64_t>(bits);
  }
  return invalid(kForms);
}

bool StatusHasCapNetAdmin(std::string_view proc_status) {
  std::istringstream lines{std::string(proc_status)};
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("CapEff:")) continue;
    try {
      const uint64_t caps = std::stoull(line.substr(7), nullptr, 16);
      return (caps >> kCapNetAdmin) & 1;
    } catch (...) {
      return false;
    }
  }
  return false;
}

bool KernelModuleAvailable(const std::string& name, const std::string& sys_module, const std::string& modules_dir) {
  std::error_code ignored;
  if (std::filesystem::exists(sys_module + "/" + name, ignored)) return true;
  for (const char* list : {"modules.dep", "modules.builtin"}) {
    std::ifstream in(modules_dir + "/" + list);
    // Lines name files: "kernel/net/sched/sch_netem.ko[.xz]: deps" or
    // "kernel/net/sched/sch_netem.ko".
    for (std::string line; std::getline(in, line);) {
      const std::string path = line.substr(0, line.find(':'));
      const std::string file = path.substr(path.rfind('/') + 1);
      if (file.starts_with(name + ".ko")) return true;
    }
  }
  return false;
}

Need CapNetAdminNeed() {
  Need need{"CAP_NET_ADMIN", absl::OkStatus()};
  if (!StatusHasCapNetAdmin(ReadFile("/proc/self/status"))) {
    need.status = absl::FailedPreconditionError(
        "CAP_NET_ADMIN is missing: run faultdrill as root, or grant it (setcap cap_net_admin+ep on the "
        "faultdrill binary, or --cap-add NET_ADMIN for a container); or use `via: proxy`, which needs no privileges");
  }
  return need;
}

Need TcNeed() {
  Need need{"tc (iproute2)", absl::OkStatus()};
  if (!FindProgram("tc").ok()) {
    need.status = absl::FailedPreconditionError("tc is not on PATH: install iproute2 (apt-get install iproute2)");
  }
  return need;
}

Need NetemModuleNeed() {
  Need need{"kernel module sch_netem", absl::OkStatus()};
  struct utsname uts {};
  const std::string release = ::uname(&uts) == 0 ? uts.release : "";
  if (!KernelModuleAvailable("sch_netem", "/sys/module", "/lib/modules/" + release)) {
    need.status = absl::FailedPreconditionError(fmt::format(
        "kernel module sch_netem is not available (not loaded, not in /lib/modules/{}): install the kernel's "
        "extra modules (e.g. linux-modules-extra, or a kernel built with CONFIG_NET_SCH_NETEM) and "
        "`modprobe sch_netem`; or use `via: proxy`",
        release));
  }
  return need;
}

absl::StatusOr<NetworkRoute> ReadNetworkRoute(const ParamReader& params,
                                              std::initializer_list<std::string_view> netem_only,
                                              std::initializer_list<std::string_view> proxy_only) {
  NetworkRoute route;
  if (!params.Has("via") && !params.Has("interface")) {
    return params.MapError("give `via: proxy` (the gRPC fault proxy) or `via: netem` with `interface:`");
  }
  auto via = params.Choice("via", {"netem", "proxy"}, "netem");
  if (!via.ok()) return via.status();
  route.via = *via == "proxy" ? NetworkVia::kProxy : NetworkVia::kNetem;

  std::vector<std::string_view> other_mode;
  if (route.via == NetworkVia::kNetem) {
    other_mode.assign(proxy_only.begin(), proxy_only.end());
    other_mode.push_back("method");
  } else {
    other_mode.assign(netem_only.begin(), netem_only.end());
    other_mode.insert(other_mode.end(), {"interface", "netns"});
  }
  for (std::string_view key : other_mode) {
    if (params.Has(key)) {
      return params.Error(key, fmt::format("works only with `via: {}`", *via == "proxy" ? "netem" : "proxy"));
    }
  }

  if (route.via == NetworkVia::kProxy) {
    auto method = params.String("method", "");
    if (!method.ok()) return method.status();
    route.method = *method;
    return route;
  }
  auto interface = params.String("interface");
  if (!interface.ok()) return interface.status();
  if (!ValidInterfaceName(*interface)) {
    return params.Error("interface", "not an interface name (1 to 15 characters, no '/', ':' or spaces)");
  }
  auto netns = params.String("netns", "");
  if (!netns.ok()) return netns.status();
  if (params.Has("netns") && !ValidNetnsName(*netns)) {
    return params.Error("netns", "not a network namespace name (as `ip netns list` shows them; no '/')");
  }
  route.target = QdiscTarget{*interface, *netns};
  return route;
}

absl::StatusOr<ProxyRule::Action> ReadDropAction(const ParamReader& params, std::string_view fallback) {
  auto as = params.Choice("as", {"blackhole", "reset"}, std::string(fallback));
  if (!as.ok()) return as.status();
  return *as == "blackhole" ? ProxyRule::Action::kBlackhole : ProxyRule::Action::kReset;
}

NetworkFaultSettings BaseNetworkSettings(const FaultSpec& spec, const Scenario& scenario, const NetworkRoute& route) {
  NetworkFaultSettings settings;
  settings.name = spec.name;
  settings.kind = spec.kind;
  settings.active_for = spec.duration;
  settings.via = route.via;
  settings.target = route.target;
  settings.rule.method = route.method;
  settings.rule.seed = scenario.seed ^ std::hash<std::string>{}(spec.name);
  return settings;
}

// --- NetworkFaultInjector ---

std::string NetworkFaultInjector::Describe() const {
  if (settings_.via == NetworkVia::kProxy) {
    return absl::StrCat(settings_.what, " (",
                        settings_.rule.method.empty() ? "every gRPC call" : "gRPC calls of " + settings_.rule.method,
                        " through the fault proxy)");
  }
  return absl::StrCat(settings_.what, " on interface ", Where(settings_.target), " (tc ",
                      settings_.qdisc.args.empty() ? "" : settings_.qdisc.args.front(), ")");
}

std::vector<std::string> NetworkFaultInjector::Touches() const {
  if (settings_.via == NetworkVia::kProxy) {
    return {settings_.rule.method.empty() ? "gRPC calls through the fault proxy"
                                          : "gRPC calls of " + settings_.rule.method + " through the fault proxy"};
  }
  return {absl::StrCat("interface ", settings_.target.interface, " (root qdisc)",
                       settings_.target.netns.empty() ? "" : " in netns " + settings_.target.netns)};
}

std::vector<Need> NetworkFaultInjector::Needs() const {
  if (settings_.via == NetworkVia::kProxy) {
    Need proxy{"faultdrill-proxy", absl::OkStatus()};
    if (absl::StatusOr<std::string> found = FindFaultdrillBinary("faultdrill-proxy"); !found.ok()) {
      proxy.status = absl::FailedPreconditionError(std::string(found.status().message()));
    }
    return {proxy};
  }
  std::vector<Need> needs = {CapNetAdminNeed(), TcNeed()};
  if (settings_.qdisc.uses_netem()) needs.push_back(NetemModuleNeed());
  const QdiscTarget& target = settings_.target;
  if (!target.netns.empty()) {
    Need netns{"network namespace " + target.netns, absl::OkStatus()};
    std::error_code ignored;
    if (!std::filesystem::exists("/run/netns/" + target.netns, ignored)) {
      netns.status = absl::FailedPreconditionError(fmt::format(
          "network namespace '{}' does not exist (/run/netns/{}): create it with `ip netns add {}`", target.netns,
          target.netns, target.netns));
    }
    needs.push_back(netns);
  } else {
    Need interface{"interface " + target.interface, absl::OkStatus()};
    std::error_code ignored;
    if (!std::filesystem::exists("/sys/class/net/" + target.interface, ignored)) {
      interface.status = absl::FailedPreconditionError(
          fmt::format("interface '{}' does not exist (see `ip link`)", target.interface));
    }
    needs.push_back(interface);
  }
  return needs;
}

absl::Status NetworkFaultInjector::Apply() {
  return settings_.via == NetworkVia::kProxy ? SetProxyRule() : AddQdisc();
}

absl::Status NetworkFaultInjector::AddQdisc() {
  const QdiscTarget& target = settings_.target;
  // `add`, not `replace`: a root qdisc someone else put there (traffic
  // shaping, another tool's fault) is not ours to clobber, and revert would
  // delete it. Only the kernel's default (handle 0:) is replaced.
  auto shown = RunCommand(TcShowRootQdiscArgv(target), std::chrono::seconds(10));
  if (!shown.ok()) return shown.status();
  if (shown->exit_code != 0) {
    return absl::FailedPreconditionError(
        fmt::format("fault '{}': cannot read the qdisc of interface {}: {}", settings_.name, Where(target),
                    shown->output));
  }
  if (std::string theirs = AddedRootQdisc(shown->output); !theirs.empty()) {
    return absl::FailedPreconditionError(fmt::format(
        "fault '{}': interface {} already has a root qdisc ({}) that faultdrill did not add; faultdrill will not "
        "replace it. Remove it (tc{} qdisc del dev {} root) or pick another interface",
        settings_.name, Where(target), theirs, target.netns.empty() ? "" : " -n " + target.netns,
        target.interface));
  }
  if (auto seq = run_.journal().RecordUndo(settings_.name, settings_.kind,
                                           MakeDeleteQdisc(target.interface, target.netns));
      !seq.ok()) {
    return seq.status();
  }
  auto added = RunCommand(TcAddRootQdiscArgv(target, settings_.qdisc), std::chrono::seconds(10));
  if (!added.ok()) return added.status();
  if (added->exit_code != 0) {
    return absl::InternalError(fmt::format("fault '{}': tc qdisc add dev {} root {} failed: {}", settings_.name,
                                           Where(target), fmt::join(settings_.qdisc.args, " "), added->output));
  }
  qdisc_added_ = true;
  ++qdiscs_added_;
  return absl::OkStatus();
}

absl::Status NetworkFaultInjector::SetProxyRule() {
  FaultProxy* proxy = run_.proxy();
  if (proxy == nullptr) {
    return absl::FailedPreconditionError(
        fmt::format("fault '{}' uses `via: proxy`, but this run has no fault proxy", settings_.name));
  }
  if (absl::Status s = proxy->SetRule(settings_.name, settings_.rule); !s.ok()) return s;
  rule_set_ = true;
  return absl::OkStatus();
}

absl::Status NetworkFaultInjector::Revert() {
  if (qdisc_added_.exchange(false)) {
    absl::Status s = RunUndo(MakeDeleteQdisc(settings_.target.interface, settings_.target.netns));
    if (!s.ok()) qdisc_added_ = true;  // still owed: a later Revert (or recover) tries again
    return s;
  }
  if (rule_set_) {
    FaultProxy* proxy = run_.proxy();
    if (proxy == nullptr) return absl::OkStatus();  // the proxy (and with it the rule) is gone
    if (auto stats = proxy->Stats(settings_.name); stats.ok()) requests_affected_ = stats->matched;
    if (absl::Status s = proxy->ClearRule(settings_.name); !s.ok()) return s;
    rule_set_ = false;
  }
  return absl::OkStatus();
}

std::map<std::string, int64_t> NetworkFaultInjector::Counters() const {
  if (settings_.via == NetworkVia::kNetem) return {{"qdiscs_added", qdiscs_added_}};
  int64_t affected = requests_affected_;
  if (rule_set_ && run_.proxy() != nullptr) {
    if (auto stats = run_.proxy()->Stats(settings_.name); stats.ok()) affected = stats->matched;
  }
  return {{"requests_affected", affected}};
}

}  // namespace faultdrill::injectors
