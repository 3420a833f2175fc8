// Engine commands and queries of the organisation, orders and inventory (#16–#23).

#include <algorithm>

#include "engine.h"
#include "esimgo/limits.h"
#include "model/inventory_codec.h"
#include "static_data.h"

namespace esimgo::sandbox {
namespace {

constexpr int64_t kLotLifetimeMs = limits::kInventoryLotLifetimeDays * limits::kDayMs;
constexpr int64_t kRefundWindowMs = limits::kRefundWindowDays * limits::kDayMs;

std::string Usd(int64_t micros) { return Money::FromMicros(micros).ToString(); }

}  // namespace

Result<Organisation> Engine::GetOrganisation() {
  return Read([&]() -> Result<Organisation> {
    const OrgRec& org = state_.org;
    return Organisation{
        .name = "eSIM Go Sandbox Ltd",
        .api_key = options_.api_key,
        .tax_liable = "No",
        .addr1 = "1 Sandbox Street",
        .city = "London",
        .country = "GBR",
        .postcode = "EC1A 1AA",
        .callback_url = org.callback_url,
        .notes = "esimgo sandbox: state is local; no real eSIMs or money",
        .currency = "USD",
        .business_type = "Reseller",
        .website = "https://example.com",
        .product_description = "Travel eSIMs",
        .groups = Data().groups,
        .balance = Money::FromMicros(org.balance_micros),
        .test_credit = Money(),
        .users = {{.first_name = "Sandy",
                   .last_name = "Box",
                   .role = "Admin",
                   .email_address = "sandbox@example.com",
                   .phone_number = "+44 20 0000 0000",
                   .time_zone = "Europe/London"}},
    };
  });
}

Result<TopUpResult> Engine::TopUp(Money amount) {
  return Transact([&]() -> Result<TopUpResult> {
    const int64_t min = limits::kTopUpMinimum.micros();
    const int64_t max_per_day = limits::kTopUpDailyMaximum.micros();
    if (amount.micros() <= 0) {
      return Fail(ErrorCode::kBadRequest, "amount must be a positive number, e.g. 1000 or 1500.50");
    }
    if (amount.micros() < min) {
      return Fail(ErrorCode::kBadRequest,
                  "the minimum top-up is " + std::to_string(min / Money::kScale) + " USD per call");
    }
    OrgRec& org = state_.org;
    std::string day = Date(NowMs());
    int64_t today = org.topups_by_day.count(day) ? org.topups_by_day.at(day) : 0;
    if (amount.micros() > max_per_day - today) {  // no overflow: both sides stay small
      return Fail(ErrorCode::kBadRequest,
                  "the daily top-up maximum is " + std::to_string(max_per_day / Money::kScale) +
                      " USD; " + Usd(max_per_day - today) + " USD is left for today (UTC)");
    }
    org.topups_by_day[day] = today + amount.micros();
    org.balance_micros += amount.micros();
    std::string ref = std::to_string(900000000 + NextRandom() % 99999999);
    AddLedger("topup", amount.micros(), ref);
    TouchOrg();
    CheckLowBalance();
    return TopUpResult{
        .amount = amount, .balance = Money::FromMicros(org.balance_micros), .ref = ref};
  });
}

// Checks every line against the catalogue and the eSIMs it names; prices the order.
Result<std::vector<OrderLineRec>> Engine::PriceOrder(const OrderCmd& cmd, int64_t& total) const {
  if (cmd.items.empty()) return Fail(ErrorCode::kBadRequest, "order must list at least one item");
  if (cmd.items.size() > limits::kOrderMaxItems) {
    return Fail(ErrorCode::kBadRequest,
                "at most " + std::to_string(limits::kOrderMaxItems) + " items per order");
  }
  total = 0;
  std::vector<OrderLineRec> lines;
  for (const auto& item : cmd.items) {
    const BundleInfo* b = Data().Find(item.item);
    if (!b) {
      return Fail(ErrorCode::kBadRequest,
                  "bundle '" + item.item + "' is not in the catalogue (names are case-sensitive)");
    }
    if (item.quantity < 1 || item.quantity > limits::kOrderMaxQuantity) {
      return Fail(ErrorCode::kBadRequest, "quantity of '" + item.item + "' must be between 1 and " +
                                              std::to_string(limits::kOrderMaxQuantity));
    }
    if (!item.iccids.empty()) {
      if (!cmd.assign) {
        return Fail(ErrorCode::kBadRequest, "iccids may only be given with assign=true");
      }
      if (static_cast<int>(item.iccids.size()) != item.quantity) {
        return Fail(ErrorCode::kBadRequest, "quantity of '" + item.item +
                                                "' must equal the number of iccids (" +
                                                std::to_string(item.iccids.size()) + ")");
      }
      for (const auto& iccid : item.iccids) {
        auto it = state_.esims.find(iccid);
        if (it == state_.esims.end()) {
          return Fail(ErrorCode::kBadRequest, "eSIM " + iccid + " is not in this organisation");
        }
        // v2.5: a deleted eSIM takes no bundle, not even a paid one (refused before charging).
        if (auto d = RequireNotDeactivated(it->second); !d) return tl::unexpected(d.error());
        if (it->second.profile != b->profile && !item.allow_reassign) {
          return Fail(ErrorCode::kBadRequest, "bundle '" + item.item +
                                                  "' is not compatible with eSIM " + iccid +
                                                  "; set allowReassign to assign it to a new eSIM");
        }
      }
    }
    lines.push_back({.item = item.item,
                     .quantity = item.quantity,
                     .price_micros = b->model.price.micros(),
                     .allow_reassign = item.allow_reassign,
                     .iccids = {}});
    total += b->model.price.micros() * item.quantity;  // ≤ 100 × 1000 × price: no overflow
  }
  return lines;
}

Order Engine::ToModel(const OrderRec& rec, bool include_iccids) const {
  Order o;
  o.total = Money::FromMicros(rec.total_micros);
  o.currency = "USD";
  o.status.raw = rec.status;
  o.status.value = OrderStatus::kCompleted;
  o.status_message = rec.status_message;
  o.order_reference = rec.reference;
  o.created_date = Timestamp::Parse(Iso(rec.created_ms));
  o.assigned = rec.assigned;
  o.source_ip = rec.source_ip;
  for (const auto& l : rec.lines) {
    OrderLine line{.type = "bundle",
                   .item = l.item,
                   .quantity = l.quantity,
                   .sub_total = Money::FromMicros(l.price_micros) * l.quantity,
                   .price_per_unit = Money::FromMicros(l.price_micros),
                   .allow_reassign = l.allow_reassign};
    if (include_iccids) {
      line.iccids = l.iccids;
      for (const auto& iccid : l.iccids) {
        auto it = state_.esims.find(iccid);
        if (it == state_.esims.end()) continue;
        line.esims.push_back({.iccid = iccid,
                              .matching_id = it->second.matching_id,
                              .smdp_address = it->second.smdp});
      }
    }
    o.order.push_back(std::move(line));
  }
  return o;
}

Result<OrderValidation> Engine::ValidateOrder(const OrderCmd& cmd) {
  // A dry run: no record changes, so it reads (and commits nothing of its own).
  return Read([&]() -> Result<OrderValidation> {
    int64_t total = 0;
    auto lines = PriceOrder(cmd, total);
    if (!lines) return tl::unexpected(lines.error());
    OrderValidation v;
    v.order = ToModel(OrderRec{.lines = std::move(*lines)}, false).order;
    v.total = Money::FromMicros(total);
    v.valid = total <= state_.org.balance_micros;
    v.currency = "USD";
    v.created_date = Timestamp::Parse(Iso(NowMs()));
    v.assigned = cmd.assign;
    return v;
  });
}

Result<Order> Engine::PlaceOrder(const OrderCmd& cmd) {
  return Transact([&]() -> Result<Order> {
    int64_t total = 0;
    auto priced = PriceOrder(cmd, total);
    if (!priced) return tl::unexpected(priced.error());
    std::vector<OrderLineRec> lines = std::move(*priced);
    OrgRec& org = state_.org;
    if (total > org.balance_micros) {
      RaiseOnRefusal(BalanceAlert(webhook::AlertType::kInsufficientBalance));
      return Fail(ErrorCode::kBadRequest, "insufficient balance: the order costs " + Usd(total) +
                                              " USD but the balance is " + Usd(org.balance_micros) +
                                              " USD; top up with POST /organisation/balance");
    }
    int64_t now = NowMs();
    OrderRec rec;
    rec.reference = NewUuid();
    rec.seq = org.next_seq++;
    rec.created_ms = now;
    rec.assigned = cmd.assign;
    rec.total_micros = total;
    rec.source_ip = cmd.source_ip;
    int assigned = 0;
    int64_t bundles = 0;
    for (size_t i = 0; i < cmd.items.size(); ++i) {
      const auto& item = cmd.items[i];
      OrderLineRec& line = lines[i];
      const BundleInfo* b = Data().Find(item.item);
      bundles += item.quantity;
      if (!cmd.assign) {
        LotRec lot{.id = org.next_lot++,
                   .bundle = item.item,
                   .total = item.quantity,
                   .remaining = item.quantity,
                   .created_ms = now,
                   .price_micros = line.price_micros,
                   .order_ref = rec.reference};
        state_.lots[lot.id] = lot;
        TouchLot(lot.id);
        continue;
      }
      for (int q = 0; q < item.quantity; ++q) {
        EsimRec* esim = nullptr;
        if (!item.iccids.empty()) {
          esim = &state_.esims.at(item.iccids[static_cast<size_t>(q)]);
          if (esim->profile != b->profile) esim = nullptr;  // allowReassign: a new eSIM
        }
        if (!esim) esim = &CreateEsim(b->profile);
        Assign(*esim, item.item, line.price_micros, rec.reference);
        line.iccids.push_back(esim->iccid);
        ++assigned;
      }
    }
    rec.lines = std::move(lines);
    rec.status = "completed";
    rec.status_message =
        cmd.assign ? "Order completed: " + std::to_string(assigned) + " eSIMs assigned"
                   : "Order completed: " + std::to_string(bundles) + " bundles added to inventory";
    org.balance_micros -= total;
    AddLedger("order", -total, rec.reference);
    TouchOrg();
    state_.orders[rec.reference] = rec;
    TouchOrder(rec.reference);
    CheckLowBalance();
    Order out = ToModel(rec, true);
    // v2.5 (the /v2.4 route clears it): the balance right after this order.
    out.running_balance = Money::FromMicros(org.balance_micros);
    return out;
  });
}

Result<OrderListBody> Engine::ListOrders(const OrderListQuery& q) {
  return Read([&]() -> Result<OrderListBody> {
    if (q.page < 1 || q.page > limits::kMaxPageNumber || q.limit < 1 ||
        q.limit > limits::kOrdersMaxLimit) {
      return Fail(ErrorCode::kBadRequest, "page or limit out of range");
    }
    std::vector<const OrderRec*> hits;
    for (const auto& [ref, o] : state_.orders) {
      if (q.from_ms && o.created_ms < *q.from_ms) continue;
      if (q.to_ms && o.created_ms > *q.to_ms) continue;
      hits.push_back(&o);
    }
    // Newest first, like the portal.
    std::sort(hits.begin(), hits.end(),
              [](const OrderRec* a, const OrderRec* b) { return a->seq > b->seq; });
    OrderListBody body;
    auto rows = static_cast<int64_t>(hits.size());
    body.rows = rows;
    body.page_count = static_cast<int>((rows + q.limit - 1) / q.limit);
    // page ≤ kMaxPageNumber and limit ≤ kOrdersMaxLimit: the product fits easily.
    for (int64_t i = (q.page - 1) * q.limit; i < std::min(rows, q.page * q.limit); ++i) {
      body.orders.push_back(ToModel(*hits[static_cast<size_t>(i)], q.include_iccids));
    }
    return body;
  });
}

Result<Order> Engine::GetOrder(const std::string& reference) {
  return Read([&]() -> Result<Order> {
    auto it = state_.orders.find(reference);
    if (it == state_.orders.end()) {
      return Fail(ErrorCode::kForbidden, "order '" + reference +
                                             "' was not found: it is not an order of this "
                                             "organisation (list them with GET /orders)");
    }
    return ToModel(it->second, true);
  });
}

Result<Inventory> Engine::GetInventory() {
  return Read([&]() -> Result<Inventory> {
    std::map<std::string, InventoryBundle> by_bundle;
    int64_t now = NowMs();
    for (const auto& [id, lot] : state_.lots) {
      if (lot.remaining <= 0 || now >= lot.created_ms + kLotLifetimeMs) continue;
      auto [it, inserted] = by_bundle.try_emplace(lot.bundle);
      InventoryBundle& b = it->second;
      if (inserted) {
        b.name = lot.bundle;
        if (const BundleInfo* info = Data().Find(lot.bundle)) {
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
      b.available.push_back({.id = lot.id,
                             .total = lot.total,
                             .remaining = lot.remaining,
                             .expiry = Timestamp::Parse(Date(lot.created_ms + kLotLifetimeMs))});
    }
    Inventory inv;
    for (auto& [name, b] : by_bundle) inv.bundles.push_back(std::move(b));
    return inv;
  });
}

Result<StatusMessage> Engine::Refund(int64_t usage_id, int64_t quantity) {
  return Transact([&]() -> Result<StatusMessage> {
    if (!state_.org.refunds_enabled) {
      return Fail(ErrorCode::kForbidden,
                  "refunds are disabled for this organisation; ask your account manager to "
                  "enable them");
    }
    auto it = state_.lots.find(usage_id);
    if (it == state_.lots.end()) {
      return Fail(ErrorCode::kBadRequest, "usageId " + std::to_string(usage_id) +
                                              " is not in your inventory; use "
                                              "bundles[].available[].id from GET /inventory");
    }
    LotRec& lot = it->second;
    if (quantity < 1 || quantity > lot.remaining) {
      return Fail(ErrorCode::kBadRequest,
                  "quantity must be from 1 to the " + std::to_string(lot.remaining) +
                      " bundles remaining in usageId " + std::to_string(lot.id));
    }
    if (NowMs() - lot.created_ms > kRefundWindowMs) {
      return Fail(ErrorCode::kBadRequest, "usageId " + std::to_string(lot.id) + " is outside the " +
                                              std::to_string(limits::kRefundWindowDays) +
                                              "-day refund period");
    }
    int64_t amount = lot.price_micros * quantity;
    lot.remaining -= quantity;
    TouchLot(lot.id);
    state_.org.balance_micros += amount;
    AddLedger("refund", amount, "usage:" + std::to_string(lot.id));
    TouchOrg();
    CheckLowBalance();
    return StatusMessage{.status = "Successfully refunded bundles to balance"};
  });
}

}  // namespace esimgo::sandbox
