// Inventory operations (#22, #23).

#include "esimgo/inventory.h"

#include "api_call.h"
#include "model/common_codec.h"
#include "model/inventory_codec.h"

namespace esimgo {
using internal::Call;
using internal::Op;

Result<Inventory> InventoryApi::Get(const CallOptions& call) const {
  return internal::ExecuteAndDecode<Inventory>(
      core_.get(), Call{.op = Op::kInventoryGet, .target = "/inventory"}, call);
}

Result<StatusMessage> InventoryApi::Refund(const RefundRequest& request,
                                           const CallOptions& call) const {
  if (request.usage_id <= 0) {
    return internal::InvalidArgument(
        Op::kInventoryRefund,
        "usage_id must be a positive lot id: take it from GET /inventory "
        "(bundles[].available[].id)");
  }
  if (request.quantity < 1) {
    return internal::InvalidArgument(
        Op::kInventoryRefund, "quantity must be 1 or more (and at most the lot's remaining count)");
  }
  // kNeverAfterSend in the operations table: a lost answer is returned, never re-sent.
  return internal::MarkAmbiguous(
      internal::ExecuteAndDecode<StatusMessage>(core_.get(),
                                                Call{.op = Op::kInventoryRefund,
                                                     .target = "/inventory/refund",
                                                     .body = internal::EncodeBody(request)},
                                                call),
      "the refund of usage id " + std::to_string(request.usage_id),
      "Check the lot's remaining count with GET /inventory before retrying.");
}

}  // namespace esimgo
