#pragma once
/// @file orders.h
/// Orders: list (#19), create/validate (#20), get (#21), with safe reconciliation.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "esimgo/options.h"
#include "esimgo/pager.h"
#include "esimgo/result.h"
#include "esimgo/types.h"

namespace esimgo {
/// `type` of `POST /orders`.
enum class OrderType { kValidate, kTransaction };

/// One item of an order request (`BundleOrder`).
struct BundleOrder {
  std::string item;                    ///< Bundle name, case-sensitive.
  int quantity = 1;                    ///< At least 1 (see `limits::kOrderMaxQuantity`).
  std::vector<std::string> iccids;     ///< Only with `assign`; count must equal `quantity`.
  std::optional<bool> allow_reassign;  ///< Sent as `allowReassign`.
  std::string type = "bundle";         ///< Always "bundle" in v2.4.
  bool operator==(const BundleOrder&) const = default;  ///< Compares every field.
};

/// Body of `POST /orders` (`OrderRequest`; sent with a lowercase `order` key).
struct OrderRequest {
  OrderType type = OrderType::kTransaction;  ///< Set by `Validate`/`Create`.
  bool assign = false;  ///< Assign to eSIMs (new ones, or `iccids`) instead of inventory.
  std::vector<BundleOrder> order;  ///< The lines, at least one (see `limits::kOrderMaxItems`).
  /// v2.5 `profileID`: the eSIM branding profile (Portal → eSIM Branding) for new eSIMs; the
  /// API uses it only with `assign`. Not sent when unset (the API's default profile).
  std::optional<std::string> profile_id;
  bool operator==(const OrderRequest&) const = default;  ///< Compares every field.
};

/// An eSIM an order line was assigned to.
struct OrderEsim {
  std::string iccid;                                  ///< The eSIM's ICCID.
  std::string matching_id;                            ///< Matching ID of the activation code.
  std::string smdp_address;                           ///< SM-DP+ address of the activation code.
  bool operator==(const OrderEsim&) const = default;  ///< Compares every field.
};

/// One line of an order response. `AllowReassign` (capital A) and `allowReassign` both read.
struct OrderLine {
  std::string type;                 ///< "bundle".
  std::string item;                 ///< Bundle name.
  int quantity = 0;                 ///< Bundles of this line.
  Money sub_total;                  ///< `price_per_unit` × `quantity`.
  Money price_per_unit;             ///< Price of one bundle.
  bool allow_reassign = false;      ///< As requested.
  std::vector<std::string> iccids;  ///< With `assign`: the eSIMs the line went to.
  std::vector<OrderEsim> esims;     ///< With `assign`: the eSIMs with their activation codes.
  bool operator==(const OrderLine&) const = default;  ///< Compares every field.
};

/// Response of a `validate` order (`OrderResponseValidate`): nothing was charged.
struct OrderValidation {
  std::vector<OrderLine> order;  ///< The lines as they would be charged.
  Money total;                   ///< What the order would cost.
  bool valid = false;      ///< False when the order would be refused (e.g. the balance is too low).
  std::string currency;    ///< e.g. "USD".
  Timestamp created_date;  ///< When the validation ran.
  bool assigned = false;   ///< Whether the order would assign to eSIMs.
  bool operator==(const OrderValidation&) const = default;  ///< Compares every field.
};

/// Order status (free text in the API; kept raw).
enum class OrderStatus { kCompleted, kProcessing, kFailed, kUnknown };

/// A placed order (`OrderResponseTransaction`).
struct Order {
  std::vector<OrderLine> order;  ///< The lines as charged.
  Money total;                   ///< What was charged.
  std::string currency;          ///< e.g. "USD".
  OpenEnum<OrderStatus> status;  ///< completed, processing or failed (raw text kept).
  std::string status_message;    ///< The API's free text about the status.
  std::string order_reference;   ///< Opaque; pass to `EsimsApi::InstallDetails`.
  Timestamp created_date;        ///< When the order was placed.
  bool assigned = false;         ///< Whether the bundles went to eSIMs (else into inventory).
  std::string source_ip;         ///< The address the order came from, as the API saw it.
  /// True when the answer was lost and this order was found by reconciliation.
  bool reconciled = false;
  /// v2.5 `runningBalance`: the balance when the order was placed (a decimal string on the
  /// wire, read exactly). Empty when absent (v2.4) or not a decimal: it never fails the decode
  /// of an order that has already moved money.
  std::optional<Money> running_balance;
  bool operator==(const Order&) const = default;  ///< Compares every field.
};

/// Query of `GET /orders`.
struct OrderListRequest {
  std::optional<int> page;                           ///< 1-based.
  std::optional<int> limit;                          ///< Results per page.
  std::optional<bool> include_iccids;                ///< Include the eSIMs of each line.
  std::optional<Timestamp::TimePoint> created_from;  ///< `createdAt=gte:…`
  std::optional<Timestamp::TimePoint> created_to;    ///< `createdAt=lte:…`
};

/// Order operations. A cheap view of a `Client`; thread-safe like the client.
class OrdersApi {
 public:
  /// Made by `Client::orders()`; not meant to be built directly.
  explicit OrdersApi(std::shared_ptr<internal::ClientCore> core) : core_(std::move(core)) {}

  /// `GET /orders` (#19), one page.
  /// Errors: kInvalidArgument (page/limit < 1), kForbidden, kRateLimited, kUnavailable,
  /// kServer, kDecode, kTransport, kTimeout.
  [[nodiscard]] Result<Page<Order>> List(const OrderListRequest& request = {},
                                         const CallOptions& call = {}) const;

  /// Every order matching `request`, page by page.
  [[nodiscard]] Pager<Order> ListAll(OrderListRequest request = {}, CallOptions call = {}) const;

  /// `POST /orders` with `type=validate` (#20): every check of a real order, nothing charged.
  /// Errors: kInvalidArgument (see `Create`), kBadRequest, kUnauthorized, kUnavailable, ….
  [[nodiscard]] Result<OrderValidation> Validate(OrderRequest request,
                                                 const CallOptions& call = {}) const;

  /// `POST /orders` with `type=transaction` (#20): debits the balance. Never sent twice:
  /// if the answer is lost after sending, the SDK lists orders created since the attempt and
  /// returns the matching order (`reconciled = true`), or an error with code kTransport /
  /// kTimeout and a message saying it was **not placed**, or kAmbiguous when it cannot tell.
  /// Errors: kInvalidArgument (no items, quantity < 1, empty item, iccids without assign,
  /// iccids count ≠ quantity), kBadRequest (e.g. insufficient balance), kUnauthorized, ….
  [[nodiscard]] Result<Order> Create(OrderRequest request, const CallOptions& call = {}) const;

  /// `GET /orders/{orderReference}` (#21).
  /// Errors: kInvalidArgument (empty reference), kForbidden (unknown), and as `List`.
  [[nodiscard]] Result<Order> Get(std::string_view order_reference,
                                  const CallOptions& call = {}) const;

 private:
  // Shared with the Client and every view and pager made from it: each keeps the core alive.
  std::shared_ptr<internal::ClientCore> core_;
};

}  // namespace esimgo
