// Alerts the engine raises: built as webhook::Alert and encoded by the SDK's EncodeAlert, so the
// sandbox sends exactly the shape the SDK parses (one JSON writer per direction).

#include "engine.h"
#include "static_data.h"

namespace esimgo::sandbox {
namespace {

OpenEnum<webhook::AlertType> TypeOf(webhook::AlertType type) {
  OpenEnum<webhook::AlertType> t;
  t.value = type;
  return t;
}

}  // namespace

void Engine::RaiseAlert(const webhook::Alert& alert) {
  pending_alerts_.push_back(webhook::EncodeAlert(alert));
}

void Engine::RaiseOnRefusal(const webhook::Alert& alert) {
  refusal_alerts_.push_back(webhook::EncodeAlert(alert));
}

void Engine::DeliverAlerts(std::vector<std::string>& alerts) {
  if (!alert_sink_) return;
  for (auto& body : alerts) alert_sink_(state_.org.callback_url, std::move(body));
  alerts.clear();
}

webhook::Alert Engine::BalanceAlert(webhook::AlertType type) const {
  webhook::Alert alert{.alert_type = TypeOf(type)};
  alert.balance_info = webhook::BalanceInfo{
      .balance = Money::FromMicros(state_.org.balance_micros),
      .threshold = Money::FromMicros(kLowBalanceThresholdMicros),
      .threshold_percent_remaining = static_cast<double>(state_.org.balance_micros) * 100.0 /
                                     static_cast<double>(kLowBalanceThresholdMicros)};
  return alert;
}

webhook::Alert Engine::UsageAlert(const EsimRec& esim, const AssignmentRec& a,
                                  webhook::AlertType type) const {
  // V3 callbacks carry the assignment's id, reference and description; V2 ones do not (the
  // encoder leaves empty fields out).
  bool v3 = options_.callback_version == 3;
  const BundleInfo* info = Data().Find(a.bundle);
  webhook::AlertBundle bundle{
      .name = a.bundle,
      .initial_quantity = a.initial,
      .remaining_quantity = a.remaining,
      .start_time = Timestamp::Parse(Iso(a.activated_ms ? a.activated_ms : a.assigned_ms)),
      .unlimited = a.unlimited,
  };
  if (a.ends_ms) bundle.end_time = Timestamp::Parse(Iso(a.ends_ms));
  if (v3) {
    bundle.id = a.id;
    bundle.reference = a.reference;
    bundle.description = info ? info->model.description : std::string();
  }
  return webhook::Alert{.alert_type = TypeOf(type), .iccid = esim.iccid, .bundle = bundle};
}

void Engine::CheckLowBalance() {
  bool low = state_.org.balance_micros < kLowBalanceThresholdMicros;
  if (low && !state_.org.low_balance_alerted) {
    state_.org.low_balance_alerted = true;
    RaiseAlert(BalanceAlert(webhook::AlertType::kLowBalance));
    TouchOrg();
  } else if (!low && state_.org.low_balance_alerted) {
    state_.org.low_balance_alerted = false;
    TouchOrg();
  }
}

}  // namespace esimgo::sandbox
