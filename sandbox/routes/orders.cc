// POST /orders (#20), GET /orders (#19), GET /orders/{orderReference} (#21).
// POST /orders answers errors as text/plain and a bad key with 401, like the live API.

#include "esimgo/limits.h"
#include "model/orders_codec.h"
#include "router.h"
#include "wire.h"

namespace esimgo::sandbox {
namespace {

constexpr const char* kOrderShape =
    "Bad Request: the body must be JSON {\"type\": \"validate\"|\"transaction\", \"assign\": "
    "bool, \"order\": [{\"type\": \"bundle\", \"item\": name, \"quantity\": n}]}";

Reply TextError(const Error& e) {
  int status = StatusOf(e);
  return TextErrorReply(status, status == 400 ? "Bad Request: " + e.message : e.message);
}

Reply Create(Ctx& c) {
  auto body = wire::DecodeOrder(c.req.body);
  if (!body)
    return TextErrorReply(400, std::string(kOrderShape) + " (" + body.error().message + ")");
  // The type decides whether money moves: it must be present and known. A missing or unknown
  // type is refused, never taken as a transaction.
  if (!body->type) {
    return TextErrorReply(400, "Bad Request: type is required (validate or transaction)");
  }
  bool validate = EqualsIgnoreCase(*body->type, "validate");
  if (!validate && !EqualsIgnoreCase(*body->type, "transaction")) {
    return TextErrorReply(
        400, "Bad Request: type must be validate or transaction (got '" + *body->type + "')");
  }
  if (!body->order || body->order->empty()) {
    return TextErrorReply(400, "Bad Request: order must list at least one item");
  }
  if (body->order->size() > limits::kOrderMaxItems) {
    return TextErrorReply(
        400, "Bad Request: at most " + std::to_string(limits::kOrderMaxItems) + " items per order");
  }
  OrderCmd cmd{.assign = body->assign.value_or(false), .source_ip = c.req.remote_addr};
  for (const auto& item : *body->order) {
    if (!item.item || item.item->empty()) {
      return TextErrorReply(400, "Bad Request: every order line needs an item (a bundle name)");
    }
    int64_t quantity = item.quantity.value_or(1);
    if (quantity < 1 || quantity > limits::kOrderMaxQuantity) {
      return TextErrorReply(400, "Bad Request: quantity of '" + *item.item +
                                     "' must be between 1 and " +
                                     std::to_string(limits::kOrderMaxQuantity));
    }
    cmd.items.push_back({.item = *item.item,
                         .quantity = static_cast<int>(quantity),
                         .iccids = item.iccids.value_or(std::vector<std::string>{}),
                         .allow_reassign = item.allow_reassign.value_or(false)});
  }
  if (validate) {
    auto v = c.engine.ValidateOrder(cmd);
    return v ? Encoded(*v) : TextError(v.error());
  }
  auto o = c.engine.PlaceOrder(cmd);
  if (!o) return TextError(o.error());
  if (!c.v25()) o->running_balance.reset();  // v2.5 field: absent from v2.4 answers
  return Encoded(*o);
}

Reply List(Ctx& c) {
  OrderListQuery q;
  auto page = ParsePage(c.Query("page"), "page");
  if (!page) return ErrorReply(page.error());
  q.page = *page;
  if (auto p = c.Query("limit")) {
    auto v = ParseInt(*p);
    if (!v || *v < 1 || *v > limits::kOrdersMaxLimit) {
      return ErrorReply(400, "limit must be from 1 to " + std::to_string(limits::kOrdersMaxLimit));
    }
    q.limit = *v;
  }
  if (auto v = c.Query("includeIccids"); v && !ParseBoolText(*v, q.include_iccids)) {
    return ErrorReply(400, "includeIccids must be true or false");
  }
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
    (gte ? q.from_ms : q.to_ms) = ms;
  }
  return Answer(c.engine.ListOrders(q));
}

Reply Get(Ctx& c) { return Answer(c.engine.GetOrder(c.Param(1))); }

}  // namespace

void AddOrderRoutes(RouteTable& t) {
  t.push_back({"POST", "/orders", "POST /orders", Create, true});
  t.push_back({"GET", "/orders", "GET /orders", List});
  t.push_back({"GET", "/orders/([^/]+)", "GET /orders/{orderReference}", Get});
}

}  // namespace esimgo::sandbox
