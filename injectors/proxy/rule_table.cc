#include "injectors/proxy/rule_table.h"

#include <algorithm>

namespace faultdrill::injectors::proxy {

namespace {

// A uniform double in [0, 1) from 53 random bits: the same sequence on every
// standard library, unlike std::uniform_real_distribution.
double Uniform(std::mt19937_64& random) { return static_cast<double>(random() >> 11) * 0x1.0p-53; }

}  // namespace

bool MethodMatches(std::string_view filter, std::string_view full_method) {
  if (filter.empty()) return true;
  if (filter.front() == '/') return filter == full_method;
  const size_t slash = full_method.rfind('/');
  const std::string_view short_name = slash == std::string_view::npos ? full_method : full_method.substr(slash + 1);
  return filter == short_name;
}

bool EndsCall(ProxyRule::Action action) {
  switch (action) {
    case ProxyRule::Action::kAbort:
    case ProxyRule::Action::kDeadline:
    case ProxyRule::Action::kReset:
    case ProxyRule::Action::kBlackhole:
      return true;
    case ProxyRule::Action::kDelay:
    case ProxyRule::Action::kBandwidth:
    case ProxyRule::Action::kCorrupt:
      return false;
  }
  return false;
}

SteadyTime Pacer::Reserve(size_t bytes, SteadyTime now) {
  const auto on_link = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(static_cast<double>(bytes) / bytes_per_second_));
  absl::MutexLock lock(&mu_);
  free_at_ = std::max(free_at_, now) + on_link;
  return free_at_;
}

RuleTable::Entry RuleTable::MakeEntry(const std::string& id, const ProxyRule& rule) {
  Entry entry{.id = id, .rule = rule, .random = std::mt19937_64(rule.seed)};
  if (rule.action == ProxyRule::Action::kBandwidth && rule.bytes_per_second > 0) {
    entry.pacer = std::make_shared<Pacer>(rule.bytes_per_second);
  }
  return entry;
}

void RuleTable::Set(const std::string& id, const ProxyRule& rule) {
  absl::MutexLock lock(&mu_);
  auto it = std::find_if(rules_.begin(), rules_.end(), [&](const Entry& e) { return e.id == id; });
  if (it != rules_.end()) {
    *it = MakeEntry(id, rule);
  } else {
    rules_.push_back(MakeEntry(id, rule));
  }
  cleared_.erase(id);
}

void RuleTable::Clear(const std::string& id) {
  absl::MutexLock lock(&mu_);
  auto it = std::find_if(rules_.begin(), rules_.end(), [&](const Entry& e) { return e.id == id; });
  if (it == rules_.end()) return;
  cleared_[id] = it->stats;
  rules_.erase(it);
}

std::optional<ProxyRuleStats> RuleTable::Stats(const std::string& id) const {
  absl::MutexLock lock(&mu_);
  for (const Entry& entry : rules_) {
    if (entry.id == id) return entry.stats;
  }
  auto it = cleared_.find(id);
  if (it != cleared_.end()) return it->second;
  return std::nullopt;
}

size_t RuleTable::size() const {
  absl::MutexLock lock(&mu_);
  return rules_.size();
}

CallPlan RuleTable::Plan(std::string_view full_method) {
  CallPlan plan;
  absl::MutexLock lock(&mu_);
  for (Entry& entry : rules_) {
    const ProxyRule& rule = entry.rule;
    if (!MethodMatches(rule.method, full_method)) continue;
    // Every rule draws for every call it could select, so its sequence does
    // not depend on the other rules.
    if (rule.fraction < 1.0 && Uniform(entry.random) >= rule.fraction) {
      ++entry.stats.passed;
      continue;
    }
    switch (rule.action) {
      case ProxyRule::Action::kDelay: {
        Duration delay = rule.delay;
        if (rule.jitter.count() > 0) {
          delay += Duration(static_cast<int64_t>((2 * Uniform(entry.random) - 1) * rule.jitter.count()));
        }
        plan.delay += std::max(delay, Duration(0));
        break;
      }
      case ProxyRule::Action::kBandwidth:
        if (!entry.pacer) continue;
        plan.pacers.push_back(entry.pacer);
        break;
      case ProxyRule::Action::kCorrupt:
        plan.flips += rule.flips;
        plan.corrupt_seed = plan.corrupt_seed * 31 + entry.random();
        break;
      case ProxyRule::Action::kAbort:
      case ProxyRule::Action::kDeadline:
      case ProxyRule::Action::kReset:
      case ProxyRule::Action::kBlackhole:
        if (plan.ending) continue;  // shadowed by an earlier ending rule
        plan.ending = rule.action;
        plan.status = rule.status;
        plan.message = rule.message;
        break;
    }
    ++entry.stats.matched;
  }
  return plan;
}

}  // namespace faultdrill::injectors::proxy
