// POST /orders (#20), GET /orders (#19), GET /orders/{orderReference} (#21).
// POST /orders answers errors as text/plain and a bad key with 401, like the live API.

#include <algorithm>
#include <map>

#include "model/orders_codec.h"
#include "router.h"
#include "static_data.h"

namespace esimgo::sandbox {
namespace {

constexpr int kMaxItems = 100;
constexpr int kMaxQuantity = 1000;

Order ToModel(const OrderRec& rec, const Engine& e, bool include_iccids) {
  Order o;
  o.total = Money::FromMicros(rec.total_micros);
  o.currency = "USD";
  o.status.raw = rec.status;
  o.status.value = OrderStatus::kCompleted;
  o.status_message = rec.status_message;
  o.order_reference = rec.reference;
  o.created_date = Timestamp::Parse(Engine::Iso(rec.created_ms));
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
        auto it = e.esims.find(iccid);
        if (it == e.esims.end()) continue;
        line.esims.push_back({.iccid = iccid,
                              .matching_id = it->second.matching_id,
                              .smdp_address = it->second.smdp});
      }
    }
    o.order.push_back(std::move(line));
  }
  return o;
}

Reply Create(Ctx& c) {
  auto req = internal::json::DecodeBody<OrderRequest>(c.req.body, "order request");
  if (!req) {
    return TextErrorReply(400,
                          "Bad Request: the body must be JSON {\"type\": \"validate\"|"
                          "\"transaction\", \"assign\": bool, \"order\": [{\"type\": "
                          "\"bundle\", \"item\": name, \"quantity\": n}]}");
  }
  if (c.req.body.find("\"type\"") == std::string::npos) {
    return TextErrorReply(400, "Bad Request: type is required (validate or transaction)");
  }
  if (req->order.empty()) {
    return TextErrorReply(400, "Bad Request: order must list at least one item");
  }
  if (req->order.size() > kMaxItems) {
    return TextErrorReply(400, "Bad Request: at most 100 items per order");
  }
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  e.Tick();
  int64_t total = 0;
  std::vector<OrderLineRec> lines;
  for (const auto& item : req->order) {
    const BundleInfo* b = Data().Find(item.item);
    if (!b) {
      return TextErrorReply(400, "Bad Request: bundle '" + item.item +
                                     "' is not in the catalogue (names are case-sensitive)");
    }
    if (item.quantity < 1 || item.quantity > kMaxQuantity) {
      return TextErrorReply(
          400, "Bad Request: quantity of '" + item.item + "' must be between 1 and 1000");
    }
    if (!item.iccids.empty()) {
      if (!req->assign) {
        return TextErrorReply(400, "Bad Request: iccids may only be given with assign=true");
      }
      if (static_cast<int>(item.iccids.size()) != item.quantity) {
        return TextErrorReply(400, "Bad Request: quantity of '" + item.item +
                                       "' must equal the number of iccids (" +
                                       std::to_string(item.iccids.size()) + ")");
      }
      for (const auto& iccid : item.iccids) {
        auto it = e.esims.find(iccid);
        if (it == e.esims.end()) {
          return TextErrorReply(400, "Bad Request: eSIM " + iccid + " is not in this organisation");
        }
        if (it->second.profile != b->profile && !item.allow_reassign.value_or(false)) {
          return TextErrorReply(400, "Bad Request: bundle '" + item.item +
                                         "' is not compatible with eSIM " + iccid +
                                         "; set allowReassign to assign it to a new eSIM");
        }
      }
    }
    lines.push_back({.item = item.item,
                     .quantity = item.quantity,
                     .price_micros = b->model.price.micros(),
                     .allow_reassign = item.allow_reassign.value_or(false),
                     .iccids = {}});
    total += b->model.price.micros() * item.quantity;
  }
  int64_t now = e.NowMs();
  if (req->type == OrderType::kValidate) {
    OrderValidation v;
    OrderRec tmp{.lines = lines};
    v.order = ToModel(tmp, e, false).order;
    v.total = Money::FromMicros(total);
    v.valid = total <= e.org.balance_micros;
    v.currency = "USD";
    v.created_date = Timestamp::Parse(Engine::Iso(now));
    v.assigned = req->assign;
    return Encoded(v);
  }
  if (total > e.org.balance_micros) {
    e.EmitAlert(e.BalanceAlert("InsufficientBalance"));
    (void)e.Commit();  // nothing changed; delivers the alert
    return TextErrorReply(400, "Bad Request: insufficient balance: the order costs " +
                                   Money::FromMicros(total).ToString() +
                                   " USD but the balance is " +
                                   Money::FromMicros(e.org.balance_micros).ToString() +
                                   " USD; top up with POST /organisation/balance");
  }
  OrderRec rec;
  rec.reference = e.NewUuid();
  rec.seq = e.org.next_seq++;
  rec.created_ms = now;
  rec.assigned = req->assign;
  rec.total_micros = total;
  rec.source_ip = c.req.remote_addr;
  int assigned = 0;
  int64_t bundles = 0;
  for (size_t i = 0; i < req->order.size(); ++i) {
    const auto& item = req->order[i];
    OrderLineRec& line = lines[i];
    const BundleInfo* b = Data().Find(item.item);
    bundles += item.quantity;
    if (!req->assign) {
      LotRec lot{.id = e.org.next_lot++,
                 .bundle = item.item,
                 .total = item.quantity,
                 .remaining = item.quantity,
                 .created_ms = now,
                 .price_micros = line.price_micros,
                 .order_ref = rec.reference};
      e.lots[lot.id] = lot;
      e.TouchLot(lot.id);
      continue;
    }
    for (int q = 0; q < item.quantity; ++q) {
      EsimRec* esim = nullptr;
      if (!item.iccids.empty()) {
        esim = &e.esims[item.iccids[static_cast<size_t>(q)]];
        if (esim->profile != b->profile) esim = nullptr;  // allowReassign: a new eSIM
      }
      if (!esim) esim = &e.CreateEsim(b->profile);
      e.Assign(*esim, item.item, line.price_micros, rec.reference);
      line.iccids.push_back(esim->iccid);
      ++assigned;
    }
  }
  rec.lines = std::move(lines);
  rec.status = "completed";
  rec.status_message =
      req->assign ? "Order completed: " + std::to_string(assigned) + " eSIMs assigned"
                  : "Order completed: " + std::to_string(bundles) + " bundles added to inventory";
  e.org.balance_micros -= total;
  e.AddLedger("order", -total, rec.reference);
  e.TouchOrg();
  e.orders[rec.reference] = rec;
  e.TouchOrder(rec.reference);
  e.CheckLowBalance();
  if (auto r = e.Commit(); !r) return TextErrorReply(500, r.error().message);
  return Encoded(ToModel(rec, e, true));
}

Reply List(Ctx& c) {
  int64_t page = 1;
  int64_t limit = 10;
  if (auto p = c.Query("page")) {
    auto v = ParseInt(*p);
    if (!v || *v < 0) return ErrorReply(400, "page must be a whole number, 1 or more");
    page = std::max<int64_t>(*v, 1);
  }
  if (auto p = c.Query("limit")) {
    auto v = ParseInt(*p);
    if (!v || *v < 1 || *v > 1000) return ErrorReply(400, "limit must be from 1 to 1000");
    limit = *v;
  }
  bool include_iccids = false;
  if (auto v = c.Query("includeIccids"); v && !ParseBoolText(*v, include_iccids)) {
    return ErrorReply(400, "includeIccids must be true or false");
  }
  std::optional<int64_t> from_ms, to_ms;
  for (const auto& raw : c.QueryAll("createdAt")) {
    bool gte = raw.rfind("gte:", 0) == 0;
    bool lte = raw.rfind("lte:", 0) == 0;
    Timestamp t = Timestamp::Parse(gte || lte ? raw.substr(4) : raw);
    if ((!gte && !lte) || !t.time) {
      return ErrorReply(400,
                        "createdAt must be 'gte:<ISO-8601>' or 'lte:<ISO-8601>', e.g. "
                        "createdAt=gte:2024-03-01T00:00:00.000Z (repeat it for a range)");
    }
    int64_t ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(t.time->time_since_epoch()).count();
    (gte ? from_ms : to_ms) = ms;
  }
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  std::vector<const OrderRec*> hits;
  for (const auto& [ref, o] : e.orders) {
    if (from_ms && o.created_ms < *from_ms) continue;
    if (to_ms && o.created_ms > *to_ms) continue;
    hits.push_back(&o);
  }
  // Newest first, like the portal.
  std::sort(hits.begin(), hits.end(),
            [](const OrderRec* a, const OrderRec* b) { return a->seq > b->seq; });
  OrderListBody body;
  int64_t rows = static_cast<int64_t>(hits.size());
  body.rows = rows;
  body.page_count = static_cast<int>((rows + limit - 1) / limit);
  for (int64_t i = (page - 1) * limit; i < std::min(rows, page * limit); ++i) {
    body.orders.push_back(ToModel(*hits[static_cast<size_t>(i)], e, include_iccids));
  }
  return Encoded(body);
}

Reply Get(Ctx& c) {
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  auto it = e.orders.find(c.Param(1));
  if (it == e.orders.end()) {
    return ErrorReply(403, "order '" + c.Param(1) +
                               "' is not an order of this organisation (list them with GET "
                               "/orders)");
  }
  return Encoded(ToModel(it->second, e, true));
}

}  // namespace

void AddOrderRoutes(RouteTable& t) {
  t.push_back({"POST", "/orders", "POST /orders", Create, true});
  t.push_back({"GET", "/orders", "GET /orders", List});
  t.push_back({"GET", "/orders/([^/]+)", "GET /orders/{orderReference}", Get});
}

}  // namespace esimgo::sandbox
