// Order operations (#19–#21) and the safe-ordering reconciliation.

#include "esimgo/orders.h"

#include <algorithm>
#include <chrono>

#include "api_call.h"
#include "esimgo/esims.h"
#include "http/url.h"
#include "model/orders_codec.h"

namespace esimgo {
using internal::Call;
using internal::Op;

namespace {

// The server stamps `createdDate` with its own clock: look back a little before the
// attempt so a client clock running ahead cannot hide the order we are looking for.
constexpr auto kReconcileSkew = std::chrono::minutes(2);
constexpr int kReconcilePageSize = 100;
constexpr int kReconcileMaxPages = 20;

Result<void> CheckOrder(Op op, const OrderRequest& request) {
  if (request.order.empty()) {
    return internal::InvalidArgument(
        op,
        "the order has no items: add at least one, e.g. {.item = \"esim_1GB_7D_GB_V2\", "
        ".quantity = 1}");
  }
  if (request.order.size() > limits::kOrderMaxItems) {
    return internal::InvalidArgument(
        op, std::to_string(request.order.size()) + " order items: one order takes at most " +
                std::to_string(limits::kOrderMaxItems) + "; split it into several orders");
  }
  for (size_t i = 0; i < request.order.size(); ++i) {
    const BundleOrder& item = request.order[i];
    const std::string where = "order item " + std::to_string(i + 1) + ": ";
    if (item.item.empty()) {
      return internal::InvalidArgument(
          op, where + "item (the bundle name) is empty; names look like esim_1GB_7D_GB_V2");
    }
    if (item.quantity < 1 || item.quantity > limits::kOrderMaxQuantity) {
      return internal::InvalidArgument(op, where + "quantity is " + std::to_string(item.quantity) +
                                               "; it must be from 1 to " +
                                               std::to_string(limits::kOrderMaxQuantity));
    }
    if (item.iccids.empty()) continue;
    if (!request.assign) {
      return internal::InvalidArgument(
          op, where +
                  "iccids are only allowed with assign = true (without assign the bundles "
                  "go to inventory)");
    }
    if (static_cast<int64_t>(item.iccids.size()) != item.quantity) {
      return internal::InvalidArgument(
          op, where + std::to_string(item.iccids.size()) + " iccids for quantity " +
                  std::to_string(item.quantity) +
                  "; give exactly one ICCID per bundle, or none for new eSIMs");
    }
    for (const auto& iccid : item.iccids) {
      if (auto ok = ValidateIccid(iccid); !ok) {
        return internal::InvalidArgument(op, where + ok.error().message);
      }
    }
  }
  return {};
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// True if `placed` has exactly the lines of `request` (any order): same bundle names and
// quantities, and the same ICCIDs when they were given and could not have been replaced.
bool MatchesRequest(const Order& placed, const OrderRequest& request) {
  if (placed.order.size() != request.order.size()) return false;
  std::vector<bool> used(placed.order.size(), false);
  for (const BundleOrder& want : request.order) {
    bool found = false;
    for (size_t i = 0; i < placed.order.size() && !found; ++i) {
      const OrderLine& line = placed.order[i];
      if (used[i] || line.item != want.item || line.quantity != want.quantity) continue;
      // With allowReassign an incompatible ICCID is replaced by a new eSIM, so the
      // ICCIDs of the placed order may legitimately differ.
      const bool compare_iccids = !want.iccids.empty() && !want.allow_reassign.value_or(false);
      if (compare_iccids && Sorted(line.iccids) != Sorted(want.iccids)) continue;
      used[i] = true;
      found = true;
    }
    if (!found) return false;
  }
  return true;
}

// The answer of a transaction order was lost after it may have reached the server. Decide
// from GET /orders whether it was placed; never send the order again.
Result<Order> Reconcile(internal::ClientCore* core, const OrdersApi& api,
                        const OrderRequest& request, Timestamp::TimePoint since, Error lost,
                        const CallOptions& call) {
  const std::string since_iso = Timestamp::FromTime(since).ToIso();
  const std::string checked = "GET /orders?createdAt=gte:" + since_iso + "&includeIccids=true";
  auto ambiguous = [&](const std::string& why) {
    Error e;
    e.code = ErrorCode::kAmbiguous;
    e.operation = lost.operation;
    e.attempts = lost.attempts;
    e.maybe_sent = true;
    e.message =
        "the order was sent but no answer came back (" + lost.message + "), and " + why +
        ": the order MAY have been placed. Check `GET /orders` (createdAt=gte:" + since_iso +
        ") before retrying, or the balance may be charged twice";
    return tl::unexpected<Error>(std::move(e));
  };

  auto pager = api.ListAll(
      OrderListRequest{
          .page = 1, .limit = kReconcilePageSize, .include_iccids = true, .created_from = since},
      call);
  // v2.4 has no idempotency key, so an order is recognised by its items within the time
  // window. Orders this client already returned are not candidates; of the rest, exactly one
  // must match — two identical unclaimed orders (another process, or several lost answers at
  // once) cannot be told apart, and guessing could report someone else's order as ours.
  std::vector<Order> candidates;
  bool uncomparable = false;
  for (const auto& r : pager) {
    if (!r) return ambiguous("checking " + checked + " failed (" + r.error().ToString() + ")");
    if (pager.pages_fetched() > kReconcileMaxPages) break;
    const Order& o = *r;
    // A server that ignores the filter must not let an older identical order match.
    if (o.created_date.time && *o.created_date.time < since) continue;
    if (o.order.empty()) {
      uncomparable = true;  // listed without its lines: cannot rule it out
      continue;
    }
    if (!MatchesRequest(o, request) || core->IsOrderReferenceClaimed(o.order_reference)) continue;
    candidates.push_back(o);
  }
  if (candidates.size() > 1) {
    std::string refs;
    for (const auto& c : candidates) refs += (refs.empty() ? "" : ", ") + c.order_reference;
    return ambiguous(std::to_string(candidates.size()) +
                     " identical orders were created since the attempt (" + refs +
                     ") and v2.4 cannot tell which, if any, is this one");
  }
  if (candidates.size() == 1 && core->ClaimOrderReference(candidates[0].order_reference)) {
    candidates[0].reconciled = true;
    return std::move(candidates[0]);
  }
  if (pager.pages_fetched() > kReconcileMaxPages) {
    return ambiguous("too many orders were created since the attempt to check them all");
  }
  if (uncomparable) {
    return ambiguous("an order created since then was listed without its items (" + checked + ")");
  }
  lost.message += "; the order was NOT placed (checked " + checked +
                  ": no order with these items since the attempt); it is safe to retry";
  return tl::unexpected<Error>(std::move(lost));
}

}  // namespace

Result<Page<Order>> OrdersApi::List(const OrderListRequest& request,
                                    const CallOptions& call) const {
  if (auto ok = internal::CheckPaging(Op::kOrdersList, request.page, "limit", request.limit,
                                      limits::kOrdersMaxLimit);
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (request.created_from && request.created_to && *request.created_from > *request.created_to) {
    return internal::InvalidArgument(Op::kOrdersList,
                                     "created_from is after created_to: no order can match");
  }
  internal::Query q;
  q.AddIf("page", request.page)
      .AddIf("limit", request.limit)
      .AddBoolIf("includeIccids", request.include_iccids);
  // The API takes the range as the same key repeated with operator prefixes, never as one
  // comma-joined value.
  if (request.created_from) {
    q.Add("createdAt", "gte:" + Timestamp::FromTime(*request.created_from).ToIso());
  }
  if (request.created_to) {
    q.Add("createdAt", "lte:" + Timestamp::FromTime(*request.created_to).ToIso());
  }
  auto body = internal::ExecuteAndDecode<OrderListBody>(
      core_.get(), Call{.op = Op::kOrdersList, .target = "/orders" + q.str()}, call);
  if (!body) return tl::unexpected(std::move(body.error()));
  Page<Order> out;
  out.page = request.page.value_or(1);
  out.page_count = body->page_count;
  out.rows = body->rows;
  out.items = std::move(body->orders);
  // Page metadata when the server sends it; otherwise a full page suggests another one.
  if (out.page_count) {
    out.has_more = out.page < *out.page_count;
  } else {
    out.has_more = request.limit && static_cast<int>(out.items.size()) >= *request.limit;
  }
  return out;
}

Pager<Order> OrdersApi::ListAll(OrderListRequest request, CallOptions call) const {
  const int first = request.page.value_or(1);
  return Pager<Order>(
      [api = *this, request, call](int page) mutable -> Result<Page<Order>> {
        request.page = page;
        return api.List(request, call);
      },
      first);
}

Result<OrderValidation> OrdersApi::Validate(OrderRequest request, const CallOptions& call) const {
  request.type = OrderType::kValidate;
  if (auto ok = CheckOrder(Op::kOrdersValidate, request); !ok) {
    return tl::unexpected(std::move(ok.error()));
  }
  // A dry run charges nothing, so its row in the table lets the loop retry it.
  return internal::ExecuteAndDecode<OrderValidation>(
      core_.get(),
      Call{.op = Op::kOrdersValidate, .target = "/orders", .body = internal::EncodeBody(request)},
      call);
}

Result<Order> OrdersApi::Create(OrderRequest request, const CallOptions& call) const {
  request.type = OrderType::kTransaction;
  if (auto ok = CheckOrder(Op::kOrdersCreate, request); !ok) {
    return tl::unexpected(std::move(ok.error()));
  }
  const auto since = std::chrono::time_point_cast<Timestamp::TimePoint::duration>(
      core_->clock().WallNow() - kReconcileSkew);
  // kNeverAfterSend: the loop retries only a failure that provably never left this machine.
  auto response = core_->Execute(
      Call{.op = Op::kOrdersCreate, .target = "/orders", .body = internal::EncodeBody(request)},
      call);
  if (response) {
    auto decoded = internal::DecodeResponse<Order>(core_.get(), Op::kOrdersCreate, *response);
    if (!decoded) {
      Error& e = decoded.error();
      e.message += "; the order WAS placed (HTTP " + std::to_string(response->status) +
                   "): do not retry, find it with GET /orders";
    } else {
      core_->ClaimOrderReference(decoded->order_reference);
    }
    return decoded;
  }
  Error& error = response.error();
  if (!internal::IsLostAfterSend(error)) return tl::unexpected(std::move(error));
  return Reconcile(core_.get(), *this, request, since, std::move(error), call);
}

Result<Order> OrdersApi::Get(std::string_view order_reference, const CallOptions& call) const {
  if (order_reference.empty()) {
    return internal::InvalidArgument(
        Op::kOrdersGet, "order reference is empty: use Order::order_reference from Create/List");
  }
  return internal::ExecuteAndDecode<Order>(
      core_.get(),
      Call{.op = Op::kOrdersGet,
           .target = "/orders/" + internal::EscapePathSegment(order_reference)},
      call);
}

}  // namespace esimgo
