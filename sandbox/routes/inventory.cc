// GET /inventory (#22) and POST /inventory/refund (#23).

#include <map>

#include "model/common_codec.h"
#include "model/inventory_codec.h"
#include "router.h"
#include "static_data.h"

namespace esimgo::sandbox {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kLotLifetimeMs = 365 * kDayMs;
constexpr int64_t kRefundPeriodMs = 60 * kDayMs;

Reply Get(Ctx& c) {
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  std::map<std::string, InventoryBundle> by_bundle;
  int64_t now = e.NowMs();
  for (const auto& [id, lot] : e.lots) {
    if (lot.remaining <= 0 || now >= lot.created_ms + kLotLifetimeMs) continue;
    auto [it, inserted] = by_bundle.try_emplace(lot.bundle);
    InventoryBundle& b = it->second;
    if (inserted) {
      const BundleInfo* info = Data().Find(lot.bundle);
      b.name = lot.bundle;
      if (info) {
        const auto& m = info->model;
        b.desc = m.description;
        for (const auto& ct : m.countries) b.countries.push_back(ct.iso);
        b.data_mb = m.data_amount_mb;
        b.duration = m.duration_days;
        b.duration_unit = "day";
        b.autostart = m.autostart;
        b.unlimited = m.unlimited;
        b.speed = m.speed;
        b.allowances.push_back({.type = "DATA",
                                .service = "Roaming",
                                .description = m.description,
                                .amount = m.data_amount_mb,
                                .unit = "MB",
                                .unlimited = m.unlimited});
      }
    }
    b.available.push_back(
        {.id = lot.id,
         .total = lot.total,
         .remaining = lot.remaining,
         .expiry = Timestamp::Parse(Engine::Date(lot.created_ms + kLotLifetimeMs))});
  }
  Inventory inv;
  for (auto& [name, b] : by_bundle) inv.bundles.push_back(std::move(b));
  return Encoded(inv);
}

Reply Refund(Ctx& c) {
  auto req = internal::json::DecodeBody<RefundRequest>(c.req.body, "refund request");
  if (!req) {
    return ErrorReply(400, "the body must be JSON {\"usageId\": n, \"quantity\": n}");
  }
  if (c.req.body.find("usageId") == std::string::npos) {
    return ErrorReply(400, "usageId is required: use bundles[].available[].id from GET /inventory");
  }
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  if (!e.org.refunds_enabled) {
    return ErrorReply(403,
                      "refunds are disabled for this organisation; ask your account "
                      "manager to enable them");
  }
  auto it = e.lots.find(req->usage_id);
  if (it == e.lots.end()) {
    return ErrorReply(400, "usageId " + std::to_string(req->usage_id) +
                               " is not in your inventory; use bundles[].available[].id from "
                               "GET /inventory");
  }
  LotRec& lot = it->second;
  if (req->quantity < 1 || req->quantity > lot.remaining) {
    return ErrorReply(400, "quantity must be from 1 to the " + std::to_string(lot.remaining) +
                               " bundles remaining in usageId " + std::to_string(lot.id));
  }
  if (e.NowMs() - lot.created_ms > kRefundPeriodMs) {
    return ErrorReply(400,
                      "usageId " + std::to_string(lot.id) + " is outside the 60-day refund period");
  }
  int64_t amount = lot.price_micros * req->quantity;
  lot.remaining -= req->quantity;
  e.TouchLot(lot.id);
  e.org.balance_micros += amount;
  e.AddLedger("refund", amount, "usage:" + std::to_string(lot.id));
  e.TouchOrg();
  e.CheckLowBalance();
  if (auto r = e.Commit(); !r) return ErrorReply(500, r.error().message);
  return Encoded(StatusMessage{.status = "Successfully refunded bundles to balance"});
}

}  // namespace

void AddInventoryRoutes(RouteTable& t) {
  t.push_back({"GET", "/inventory", "GET /inventory", Get});
  t.push_back({"POST", "/inventory/refund", "POST /inventory/refund", Refund});
}

}  // namespace esimgo::sandbox
