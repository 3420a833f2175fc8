// GET /inventory (#22) and POST /inventory/refund (#23).

#include "model/common_codec.h"
#include "model/inventory_codec.h"
#include "router.h"
#include "wire.h"

namespace esimgo::sandbox {
namespace {

Reply Get(Ctx& c) { return Answer(c.engine.GetInventory()); }

Reply Refund(Ctx& c) {
  auto body = wire::DecodeRefund(c.req.body);
  if (!body) {
    return ErrorReply(400, "the body must be JSON {\"usageId\": n, \"quantity\": n} (" +
                               body.error().message + ")");
  }
  if (!body->usage_id) {
    return ErrorReply(400, "usageId is required: use bundles[].available[].id from GET /inventory");
  }
  return Answer(c.engine.Refund(*body->usage_id, body->quantity.value_or(1)));
}

}  // namespace

void AddInventoryRoutes(RouteTable& t) {
  t.push_back({"GET", "/inventory", "GET /inventory", Get});
  t.push_back({"POST", "/inventory/refund", "POST /inventory/refund", Refund});
}

}  // namespace esimgo::sandbox
