// Engine commands of the admin API (/_sandbox/): usage simulation, clock, callback URL, state.

#include <algorithm>

#include "engine.h"
#include "esimgo/limits.h"
#include "static_data.h"

namespace esimgo::sandbox {

// The eSIM uses data: it attaches first (FirstAttachment, CountryChange), then consumes from the
// active assignment, activating the oldest unused one when nothing is active, reporting 1/50/80/
// 100 % thresholds, depleting and carrying the rest over to the next assignment.
Result<UsageResult> Engine::SimulateUsage(const UsageCmd& cmd) {
  return Transact([&]() -> Result<UsageResult> {
    if (cmd.bytes < 0) return Fail(ErrorCode::kBadRequest, "bytes must be 0 or more");
    auto it = state_.esims.find(cmd.iccid);
    if (it == state_.esims.end()) {
      return Fail(ErrorCode::kForbidden, "eSIM " + cmd.iccid + " is not in this sandbox");
    }
    EsimRec& esim = it->second;
    int64_t now = NowMs();
    if (esim.first_installed_ms == 0) {
      esim.first_installed_ms = now;
      esim.profile_status = "Installed";
      AddHistory(esim, "eSIM First Attachment", "");
    }
    if (!cmd.country.empty()) {
      std::string country = cmd.country;
      for (char& ch : country) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (country != esim.country) {
        std::string name = country;
        if (auto n = Data().iso_names.find(country); n != Data().iso_names.end()) name = n->second;
        esim.country = country;
        esim.network = "Sandbox Mobile " + country;
        esim.network_code = country + "SB1";
        webhook::Alert alert{.iccid = esim.iccid,
                             .country = webhook::AlertCountry{.code = country, .name = name}};
        alert.alert_type.value = webhook::AlertType::kCountryChange;
        RaiseAlert(alert);
      }
      esim.last_seen_ms = now;
    }
    TouchEsim(esim.iccid);
    int64_t left = cmd.bytes;
    int64_t consumed = 0;
    while (left > 0) {
      auto active =
          std::find_if(esim.assignments.begin(), esim.assignments.end(),
                       [](const AssignmentRec& x) { return x.state == BundleState::kActive; });
      AssignmentRec* a = active == esim.assignments.end() ? nullptr : &*active;
      if (!a) {
        auto next = std::find_if(esim.assignments.begin(), esim.assignments.end(),
                                 [](const AssignmentRec& x) { return IsUnused(x.state); });
        if (next == esim.assignments.end()) break;
        a = &*next;
        const BundleInfo* info = Data().Find(a->bundle);
        a->state = BundleState::kActive;
        a->activated_ms = now;
        a->ends_ms = now + int64_t{info ? info->model.duration_days : 1} * limits::kDayMs;
        ScheduleTick(a->ends_ms);
        AddHistory(esim, "eSIM First Use", a->bundle);
        RaiseAlert(UsageAlert(esim, *a, webhook::AlertType::kFirstUse));
      }
      int64_t take = a->unlimited ? left : std::min(left, a->remaining);
      a->used += take;
      if (!a->unlimited) a->remaining -= take;
      left -= take;
      consumed += take;
      if (!a->unlimited && a->initial > 0) {
        // initial ≤ a few hundred GB: (initial - remaining) * 100 cannot overflow.
        int pct = static_cast<int>((a->initial - a->remaining) * 100 / a->initial);
        int crossed = 0;
        for (int t : {1, 50, 80, 100}) {
          if (pct >= t && a->last_alert < t) crossed = t;
        }
        if (crossed) {
          a->last_alert = crossed;
          AddHistory(esim, "eSIM Utilisation Alert", a->bundle);
          RaiseAlert(UsageAlert(esim, *a, webhook::AlertType::kUtilisation));
        }
        if (a->remaining == 0) a->state = BundleState::kDepleted;
      }
    }
    return UsageResult{.iccid = cmd.iccid, .consumed = consumed, .unconsumed = left};
  });
}

Result<ClockResult> Engine::AdvanceClock(int64_t seconds) {
  return Transact([&]() -> Result<ClockResult> {
    const int64_t max_ms = kMaxClockAdvanceSeconds * 1000;
    // Checked before any arithmetic: seconds × 1000 and the new offset stay far from overflow.
    if (seconds < 0 || seconds > kMaxClockAdvanceSeconds ||
        state_.org.clock_offset_ms > max_ms - seconds * 1000) {
      return Fail(ErrorCode::kBadRequest,
                  "advanceSeconds must be from 0 to " + std::to_string(kMaxClockAdvanceSeconds) +
                      ", and the sandbox clock can run at most that far ahead in total (reset "
                      "the sandbox to start over)");
    }
    state_.org.clock_offset_ms += seconds * 1000;
    TouchOrg();
    (void)Tick();  // the new time's transitions belong to this commit
    return ClockResult{.now_ms = NowMs(), .offset_seconds = state_.org.clock_offset_ms / 1000};
  });
}

Result<std::string> Engine::SetCallbackUrl(const std::string& url) {
  return Transact([&]() -> Result<std::string> {
    state_.org.callback_url = url;
    TouchOrg();
    return url;
  });
}

Result<StateSummary> Engine::Summary() {
  return Read([&]() -> Result<StateSummary> {
    auto ledger = store_->Ledger();
    if (!ledger) return tl::unexpected(ledger.error());
    StateSummary s;
    for (const auto& l : *ledger) {
      s.ledger_sum_micros += l.amount_micros;
      s.ledger.push_back(
          {.kind = l.kind, .amount_micros = l.amount_micros, .ref = l.ref, .at_ms = l.at_ms});
    }
    for (const auto& [id, esim] : state_.esims) {
      for (const auto& a : esim.assignments) {
        ++s.assignments;
        ++s.assignment_states[std::string(BundleStateName(a.state))];
      }
    }
    for (const auto& [id, lot] : state_.lots) s.inventory_bundles += lot.remaining;
    s.balance_micros = state_.org.balance_micros;
    s.esims = static_cast<int64_t>(state_.esims.size());
    s.orders = static_cast<int64_t>(state_.orders.size());
    s.applies = static_cast<int64_t>(state_.applies.size());
    s.now_ms = NowMs();
    s.callback_url = state_.org.callback_url;
    return s;
  });
}

}  // namespace esimgo::sandbox
