#pragma once
/// @file inventory.h
/// Bought but unassigned bundles: `GET /inventory` (#22), `POST /inventory/refund` (#23).

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "esimgo/options.h"
#include "esimgo/result.h"
#include "esimgo/types.h"

namespace esimgo {
/// One purchase lot of a bundle. `id` is the `usageId` that `Refund` takes.
struct InventoryLot {
  int64_t id = 0;         ///< An integer in the API (the only numeric ID).
  int64_t total = 0;      ///< Bundles bought in this lot.
  int64_t remaining = 0;  ///< Bundles of this lot not yet applied.
  Timestamp expiry;       ///< Date-only.
  bool operator==(const InventoryLot&) const = default;  ///< Compares every field.
};

/// One allowance of an inventory bundle.
struct Allowance {
  std::string type;                                   ///< DATA / SMS / VOICE
  std::string service;                                ///< Roaming / Standard
  std::string description;                            ///< Free text.
  int64_t amount = 0;                                 ///< In `unit`.
  std::string unit;                                   ///< MB / MINS / SMS
  bool unlimited = false;                             ///< No limit (then `amount` says nothing).
  bool operator==(const Allowance&) const = default;  ///< Compares every field.
};

/// One bundle type in inventory.
struct InventoryBundle {
  std::string name;                     ///< Bundle name.
  std::string desc;                     ///< Bundle description.
  bool use_dms = false;                 ///< `useDms` as the API sends it.
  std::vector<InventoryLot> available;  ///< The lots with bundles left, oldest first as sent.
  std::vector<std::string> countries;   ///< ISO codes of the countries covered.
  int64_t data_mb = 0;                  ///< `data`, in MB.
  int duration = 0;                     ///< In `duration_unit`.
  std::string duration_unit;            ///< "day" or "month"
  bool autostart = false;               ///< Starts at the first attachment to a network.
  bool unlimited = false;               ///< Unlimited data.
  std::vector<std::string> speed;       ///< Nullable in the API: empty when null.
  std::vector<Allowance> allowances;    ///< Data, SMS and voice allowances.
  bool operator==(const InventoryBundle&) const = default;  ///< Compares every field.
};

/// `GET /inventory` response.
struct Inventory {
  std::vector<InventoryBundle> bundles;               ///< One entry per bundle type held.
  bool operator==(const Inventory&) const = default;  ///< Compares every field.
};

/// Body of `POST /inventory/refund`.
struct RefundRequest {
  int64_t usage_id = 0;                                   ///< `InventoryLot::id`
  int64_t quantity = 1;                                   ///< ≤ the lot's remaining count.
  bool operator==(const RefundRequest&) const = default;  ///< Compares every field.
};

/// Inventory operations. A cheap view of a `Client`; thread-safe like the client.
class InventoryApi {
 public:
  /// Made by `Client::inventory()`; not meant to be built directly.
  explicit InventoryApi(std::shared_ptr<internal::ClientCore> core) : core_(std::move(core)) {}

  /// `GET /inventory` (#22).
  /// Errors: kForbidden, kRateLimited, kUnavailable, kServer, kDecode, kTransport, kTimeout.
  [[nodiscard]] Result<Inventory> Get(const CallOptions& call = {}) const;

  /// `POST /inventory/refund` (#23). Money-moving: never retried after it may have been sent.
  /// Errors: kInvalidArgument (usage_id ≤ 0, quantity < 1), kBadRequest, kForbidden (refunds
  /// disabled, unknown lot), kAmbiguous (sent, no answer), and as `Get`.
  [[nodiscard]] Result<StatusMessage> Refund(const RefundRequest& request,
                                             const CallOptions& call = {}) const;

 private:
  // Shared with the Client and every view and pager made from it: each keeps the core alive.
  std::shared_ptr<internal::ClientCore> core_;
};

}  // namespace esimgo
