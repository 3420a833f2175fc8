// Record ↔ stored JSON row (domain.h). nlohmann stays here, in the one place that persists state:
// the rows are the sandbox's own format, not the API's wire shapes.

#include <nlohmann/json.hpp>

#include "domain.h"
#include "model/esims_codec.h"
#include "store.h"

namespace esimgo {
// The assignment state is stored by name, so a reordered enum cannot reinterpret old rows.
void to_json(nlohmann::json& j, const BundleState& s) { j = std::string(BundleStateName(s)); }
void from_json(const nlohmann::json& j, BundleState& s) {
  auto parsed = ParseBundleState(j.get<std::string>());
  if (parsed.value == BundleState::kUnknown) {
    throw std::runtime_error("unknown assignment state '" + parsed.raw + "'");
  }
  s = parsed.value;
}
}  // namespace esimgo

namespace esimgo::sandbox {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(HistoryRec, name, bundle, ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AssignmentRec, id, bundle, state, reference,
                                                initial, remaining, used, assigned_ms, activated_ms,
                                                ends_ms, unlimited, price_micros, last_alert)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(EsimRec, iccid, seq, customer_ref, last_action,
                                                action_ms, assigned_ms, physical, matching_id, smdp,
                                                pin, puk, profile_status, profile,
                                                first_installed_ms, country, network, network_code,
                                                last_seen_ms, history, assignments, state,
                                                policy_suspended, deactivated_ms,
                                                deletion_scheduled_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(LotRec, id, bundle, total, remaining, created_ms,
                                                price_micros, order_ref)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OrderLineRec, item, quantity, price_micros,
                                                allow_reassign, iccids)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OrderRec, reference, seq, created_ms, assigned,
                                                lines, total_micros, status, status_message,
                                                source_ip)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ApplyRec, reference, created_ms, esims)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OrgRec, balance_micros, callback_url, topups_by_day,
                                                next_lot, next_assignment, next_seq, rng,
                                                clock_offset_ms, refunds_enabled,
                                                low_balance_alerted, consumption)

namespace {

template <class T>
Result<std::string> Dump(const T& record) {
  try {
    return nlohmann::json(record).dump();
  } catch (const std::exception& e) {
    // Strings are validated as UTF-8 where they enter (routes, wire.cc); reaching this is a bug
    // the Engine turns into a rollback, never into a half-stored state.
    return Fail(ErrorCode::kServer, std::string("cannot store the sandbox state: ") + e.what());
  }
}

}  // namespace

Result<std::string> EncodeRecord(const OrgRec& r) { return Dump(r); }
Result<std::string> EncodeRecord(const EsimRec& r) { return Dump(r); }
Result<std::string> EncodeRecord(const LotRec& r) { return Dump(r); }
Result<std::string> EncodeRecord(const OrderRec& r) { return Dump(r); }
Result<std::string> EncodeRecord(const ApplyRec& r) { return Dump(r); }

Result<State> DecodeState(const std::vector<EntityRow>& rows, bool& have_org) {
  State s;
  have_org = false;
  try {
    for (const auto& row : rows) {
      auto j = nlohmann::json::parse(row.body);
      if (row.kind == "org") {
        s.org = j.get<OrgRec>();
        have_org = true;
      } else if (row.kind == "esim") {
        s.esims[row.id] = j.get<EsimRec>();
      } else if (row.kind == "lot") {
        auto lot = j.get<LotRec>();
        s.lots[lot.id] = lot;
      } else if (row.kind == "order") {
        s.orders[row.id] = j.get<OrderRec>();
      } else if (row.kind == "apply") {
        s.applies[row.id] = j.get<ApplyRec>();
      }
    }
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kServer, std::string("sandbox database holds an unreadable row (") +
                                        e.what() + "); delete the --db file to start afresh");
  }
  return s;
}

}  // namespace esimgo::sandbox
