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
  std::string item;  ///< Bundle name, case-sensitive.
  int quantity = 1;
  std::vector<std::string> iccids;     ///< Only with `assign`; count must equal `quantity`.
  std::optional<bool> allow_reassign;  ///< Sent as `allowReassign`.
  std::string type = "bundle";
  bool operator==(const BundleOrder&) const = default;
};

/// Body of `POST /orders` (`OrderRequest`; sent with a lowercase `order` key).
struct OrderRequest {
  OrderType type = OrderType::kTransaction;  ///< Set by `Validate`/`Create`.
  bool assign = false;  ///< Assign to eSIMs (new ones, or `iccids`) instead of inventory.
  std::vector<BundleOrder> order;
  /// v2.5 `profileID`: the eSIM branding profile (Portal → eSIM Branding) for new eSIMs; the
  /// API uses it only with `assign`. Not sent when unset (the API's default profile).
  std::optional<std::string> profile_id;
  bool operator==(const OrderRequest&) const = default;
};

/// An eSIM an order line was assigned to.
struct OrderEsim {
  std::string iccid;
  std::string matching_id;
  std::string smdp_address;
  bool operator==(const OrderEsim&) const = default;
};

/// One line of an order response. `AllowReassign` (capital A) and `allowReassign` both read.
struct OrderLine {
  std::string type;
  std::string item;
  int quantity = 0;
  Money sub_total;
  Money price_per_unit;
  bool allow_reassign = false;
  std::vector<std::string> iccids;
  std::vector<OrderEsim> esims;
  bool operator==(const OrderLine&) const = default;
};

/// Response of a `validate` order (`OrderResponseValidate`): nothing was charged.
struct OrderValidation {
  std::vector<OrderLine> order;
  Money total;
  bool valid = false;
  std::string currency;
  Timestamp created_date;
  bool assigned = false;
  bool operator==(const OrderValidation&) const = default;
};

/// Order status (free text in the API; kept raw).
enum class OrderStatus { kCompleted, kProcessing, kFailed, kUnknown };

/// A placed order (`OrderResponseTransaction`).
struct Order {
  std::vector<OrderLine> order;
  Money total;
  std::string currency;
  OpenEnum<OrderStatus> status;
  std::string status_message;
  std::string order_reference;  ///< Opaque; pass to `EsimsApi::InstallDetails`.
  Timestamp created_date;
  bool assigned = false;
  std::string source_ip;
  /// True when the answer was lost and this order was found by reconciliation.
  bool reconciled = false;
  /// v2.5 `runningBalance`: the balance when the order was placed (a decimal string on the
  /// wire, read exactly). Empty when absent (v2.4) or not a decimal: it never fails the decode
  /// of an order that has already moved money.
  std::optional<Money> running_balance;
  bool operator==(const Order&) const = default;
};

/// Query of `GET /orders`.
struct OrderListRequest {
  std::optional<int> page;   ///< 1-based.
  std::optional<int> limit;  ///< Results per page.
  std::optional<bool> include_iccids;
  std::optional<Timestamp::TimePoint> created_from;  ///< `createdAt=gte:…`
  std::optional<Timestamp::TimePoint> created_to;    ///< `createdAt=lte:…`
};

/// Order operations. A cheap view of a `Client`; thread-safe like the client.
class OrdersApi {
 public:
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
