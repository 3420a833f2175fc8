// Engine commands and queries of applied bundles (#7, #9–#11): list, get and revoke, with the
// refund rules of a revoke.

#include <algorithm>

#include "engine.h"
#include "esimgo/limits.h"
#include "static_data.h"

namespace esimgo::sandbox {
namespace {

constexpr int64_t kRefundWindowMs = limits::kRefundWindowDays * limits::kDayMs;

BundleAssignment AssignmentModel(const AssignmentRec& a) {
  BundleAssignment m{.id = a.id,
                     .call_type_group = "data",
                     .initial_quantity = a.initial,
                     .remaining_quantity = a.remaining,
                     .assignment_date_time = Timestamp::Parse(Engine::Iso(a.assigned_ms)),
                     .assignment_reference = a.reference,
                     .unlimited = a.unlimited};
  m.bundle_state.value = a.state;
  m.bundle_state.raw = std::string(BundleStateName(a.state));
  // v2.5 fields (the /v2.4 routes clear them): when the assignment started and ends.
  if (a.activated_ms) m.start_time = Timestamp::Parse(Engine::Iso(a.activated_ms));
  if (a.ends_ms) m.end_time = Timestamp::Parse(Engine::Iso(a.ends_ms));
  return m;
}

}  // namespace

Result<BundlesListBody> Engine::ListBundles(const std::string& iccid, bool include_used,
                                            int64_t limit) {
  return Read([&]() -> Result<BundlesListBody> {
    auto esim = FindEsim(iccid);
    if (!esim) return tl::unexpected(esim.error());
    const auto& as = (*esim)->assignments;
    BundlesListBody body;
    int64_t n = 0;
    for (auto a = as.rbegin(); a != as.rend() && n < limit; ++a) {  // most recent first
      if (!include_used && IsUsedUp(a->state)) continue;
      ++n;
      auto b = std::find_if(body.bundles.begin(), body.bundles.end(),
                            [&](const AppliedBundle& x) { return x.name == a->bundle; });
      if (b == body.bundles.end()) {
        const BundleInfo* info = Data().Find(a->bundle);
        body.bundles.push_back(
            {.name = a->bundle, .description = info ? info->model.description : ""});
        b = body.bundles.end() - 1;
      }
      b->assignments.push_back(AssignmentModel(*a));
    }
    return body;
  });
}

Result<AssignmentListBody> Engine::GetBundle(const std::string& iccid, const std::string& bundle) {
  return Read([&]() -> Result<AssignmentListBody> {
    auto esim = FindEsim(iccid);
    if (!esim) return tl::unexpected(esim.error());
    AssignmentListBody body;
    const auto& as = (*esim)->assignments;
    for (auto a = as.rbegin(); a != as.rend(); ++a) {  // the latest assignment first
      if (a->bundle == bundle) body.assignments.push_back(AssignmentModel(*a));
    }
    if (body.assignments.empty()) {
      return Fail(ErrorCode::kBadRequest, "bundle '" + bundle +
                                              "' has never been applied to eSIM " + iccid +
                                              " (names are case-sensitive)");
    }
    return body;
  });
}

// Revokes one unused assignment; refunds it to inventory or to the balance when it is inside
// the refund window. A dry run (type=validate) says what would happen and changes nothing.
Result<StatusMessage> Engine::Revoke(const RevokeCmd& cmd) {
  return Transact([&]() -> Result<StatusMessage> {
    auto found = FindEsim(cmd.iccid);
    if (!found) return tl::unexpected(found.error());
    EsimRec& esim = **found;
    if (auto d = RequireNotDeactivated(esim); !d) return tl::unexpected(d.error());
    AssignmentRec* target = nullptr;
    for (auto& a : esim.assignments) {  // oldest first
      if (a.bundle != cmd.bundle) continue;
      if (cmd.assignment_id) {
        if (a.id == *cmd.assignment_id) target = &a;
      } else if (IsUnused(a.state) && !target) {
        target = &a;
      }
    }
    if (!target) {
      return Fail(ErrorCode::kBadRequest,
                  cmd.assignment_id
                      ? "assignment " + *cmd.assignment_id + " of bundle '" + cmd.bundle +
                            "' is not on eSIM " + cmd.iccid
                      : "eSIM " + cmd.iccid + " has no unused assignment of bundle '" + cmd.bundle +
                            "' to revoke");
    }
    bool refundable = IsUnused(target->state) && NowMs() - target->assigned_ms <= kRefundWindowMs;
    if (target->state == BundleState::kRevoked) {
      return Fail(ErrorCode::kBadRequest, "assignment " + target->id + " is already revoked");
    }
    std::string where = cmd.to_balance ? "balance" : "inventory";
    if (cmd.dry_run) {
      return StatusMessage{.status = refundable ? "Bundle can be revoked and refunded to " + where
                                                : "Bundle can be revoked without refund: it has "
                                                  "started or is past the refund period"};
    }
    target->state = BundleState::kRevoked;
    std::string bundle = target->bundle;
    int64_t price = target->price_micros;
    AddHistory(esim, "Bundle Revoked", bundle);
    std::string status = "Successfully Revoked Bundle";
    if (refundable) {
      if (cmd.to_balance) {
        state_.org.balance_micros += price;
        AddLedger("refund", price, "revoke:" + cmd.iccid + ":" + bundle);
        TouchOrg();
        AddHistory(esim, "Bundle Refunded To Balance", bundle);
        status += ", bundle has been refunded to balance";
        CheckLowBalance();
      } else {
        LotRec lot{.id = state_.org.next_lot++,
                   .bundle = bundle,
                   .total = 1,
                   .remaining = 1,
                   .created_ms = NowMs(),
                   .price_micros = price,
                   .order_ref = "revoke"};
        state_.lots[lot.id] = lot;
        TouchLot(lot.id);
        TouchOrg();
        AddHistory(esim, "Bundle Refunded to Inventory", bundle);
        status += ", bundle has been refunded to inventory";
      }
    }
    return StatusMessage{.status = status};
  });
}

}  // namespace esimgo::sandbox
