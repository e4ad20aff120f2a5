#include "injectors/fault_scheduler.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace faultdrill::injectors {

FaultScheduler::FaultScheduler(const Timeline& timeline, std::vector<Injector*> injectors, Clock& clock,
                               EventLog& events, Journal* journal)
    : timeline_(timeline), injectors_(std::move(injectors)), clock_(clock), events_(events), journal_(journal) {
  absl::MutexLock lock(&mu_);
  for (size_t i = 0; i < timeline_.faults().size(); ++i) {
    const TimelineFault& fault = timeline_.faults()[i];
    FaultRecord record;
    record.name = fault.name;
    record.kind = fault.kind;
    record.description = injectors_[i]->Describe();
    record.planned_at_s = ToSeconds(fault.at);
    if (fault.active_for) record.planned_end_s = ToSeconds(timeline_.FaultEnd(i));
    record.state = "pending";
    records_.push_back(std::move(record));
  }
  applied_ok_.assign(records_.size(), false);
}

void FaultScheduler::Run(std::stop_token stop) {
  bool first = true;
  for (const Timeline::Step& step : timeline_.steps()) {
    if (!clock_.SleepUntil(events_.start() + step.at, stop)) return;
    if (first && before_first_fault_ && !before_first_fault_()) {
      events_.Add("runner", "the steady state did not hold before the first fault: no fault is applied");
      return;
    }
    first = false;
    if (step.action == Timeline::Step::Action::kApply) {
      Apply(step.fault);
    } else {
      Revert(step.fault, "planned");
    }
  }
}

void FaultScheduler::Apply(size_t index) {
  const std::string source = absl::StrCat("injector:", timeline_.faults()[index].name);
  {
    absl::MutexLock lock(&mu_);
    records_[index].state = "applying";
    apply_order_.push_back(index);
  }
  events_.Add(source, absl::StrCat("applying: ", injectors_[index]->Describe()));
  // The undo is owed from here on, whether Apply succeeds or not.
  absl::Status status = injectors_[index]->Apply();
  double t = events_.SecondsSinceStart();
  // Some faults know what they touched only once applied (the pods a
  // pod-kill chose): describe it as it happened.
  std::string description = injectors_[index]->Describe();
  {
    absl::MutexLock lock(&mu_);
    records_[index].applied_at_s = t;
    records_[index].state = status.ok() ? "applied" : "failed";
    records_[index].description = std::move(description);
    applied_ok_[index] = status.ok();
    if (!status.ok()) records_[index].error = std::string(status.message());
  }
  events_.Add(source, status.ok() ? "applied" : absl::StrCat("apply failed: ", status.message()));
}

void FaultScheduler::Revert(size_t index, const std::string& reason) {
  const std::string source = absl::StrCat("injector:", timeline_.faults()[index].name);
  {
    absl::MutexLock lock(&mu_);
    const std::string& state = records_[index].state;
    if (state == "pending" || state == "reverted" || records_[index].reverted_at_s.has_value()) return;
  }
  absl::Status status = injectors_[index]->Revert();
  if (status.ok() && journal_ != nullptr) {
    status = journal_->RecordDone(timeline_.faults()[index].name, "revert");
  }
  double t = events_.SecondsSinceStart();
  {
    absl::MutexLock lock(&mu_);
    FaultRecord& record = records_[index];
    record.reverted_at_s = t;
    if (status.ok()) {
      if (record.state != "failed") record.state = "reverted";
    } else {
      record.state = "failed";
      if (!record.error.empty()) record.error += "; ";
      record.error += absl::StrCat("revert failed: ", status.message());
    }
  }
  events_.Add(source, status.ok() ? absl::StrCat("reverted (", reason, ")")
                                  : absl::StrCat("revert failed (", reason, "): ", status.message()));
}

void FaultScheduler::RevertAll(const std::string& reason) {
  std::vector<size_t> order;
  {
    absl::MutexLock lock(&mu_);
    order = apply_order_;
  }
  std::reverse(order.begin(), order.end());
  for (size_t index : order) Revert(index, reason);
}

std::vector<FaultRecord> FaultScheduler::Records() const {
  absl::MutexLock lock(&mu_);
  std::vector<FaultRecord> records = records_;
  for (size_t i = 0; i < records.size(); ++i) {
    FaultRecord& r = records[i];
    r.counters = injectors_[i]->Counters();
    r.touches = injectors_[i]->Touches();
    r.poison = injectors_[i]->PoisonOutcomes();
    r.counters["applied"] = applied_ok_[i] ? 1 : 0;
    r.counters["reverted"] = r.state == "reverted" ? 1 : 0;
    r.counters["failed"] = r.state == "failed" ? 1 : 0;
  }
  return records;
}

std::vector<std::string> FaultScheduler::ActiveFaults() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> active;
  for (const FaultRecord& record : records_) {
    if ((record.state == "applied" || record.state == "applying") && !record.reverted_at_s) {
      active.push_back(record.name);
    }
  }
  return active;
}

}  // namespace faultdrill::injectors
