#pragma once
/// @file client.h
/// The entry point: `esimgo::Client` and its per-group views.

#include <memory>
#include <optional>

#include "esimgo/catalogue.h"
#include "esimgo/esims.h"
#include "esimgo/inventory.h"
#include "esimgo/networks.h"
#include "esimgo/options.h"
#include "esimgo/orders.h"
#include "esimgo/organisation.h"
#include "esimgo/result.h"

namespace esimgo {

/// A client of the eSIM Go API v2.4 or v2.5 (the base URL's last segment decides; see
/// `ApiVersionOfBaseUrl`). An operation newer than the client's version fails with
/// kInvalidArgument before anything is sent. Thread-safe: share one per process; all threads share
/// its rate limiter and transport. Cheap to move, not copyable.
///
/// Lifetimes: the views (`catalogue()`, …) and the pagers they return share ownership of the
/// client's state, so they stay valid after the `Client` itself is destroyed or moved from. A
/// moved-from `Client` has no state: calling anything on it but assignment or destruction is
/// undefined (as for other moved-from handles).
///
///   esimgo::Client client({.api_key = key});
///   auto bundle = client.catalogue().Get("esim_1GB_7D_GB_V2");
class Client {
 public:
  /// Builds a client. A missing transport becomes libcurl; a missing clock the system clock.
  explicit Client(ClientOptions options);
  ~Client();
  /// Moves the client; the source is left without state.
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;  ///< Move assignment; the source is left without state.
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// The bundle catalogue: list, get and (v2.5) consumption prices.
  [[nodiscard]] CatalogueApi catalogue() const { return CatalogueApi(core_); }
  /// eSIMs and the bundles applied to them.
  [[nodiscard]] EsimsApi esims() const { return EsimsApi(core_); }
  /// Orders: validate, create (never sent twice), list and get.
  [[nodiscard]] OrdersApi orders() const { return OrdersApi(core_); }
  /// Bundles bought into inventory, and refunds.
  [[nodiscard]] InventoryApi inventory() const { return InventoryApi(core_); }
  /// The organisation: details, balance, top-ups and bundle groups.
  [[nodiscard]] OrganisationApi organisation() const { return OrganisationApi(core_); }
  /// Mobile networks per country.
  [[nodiscard]] NetworksApi networks() const { return NetworksApi(core_); }

  /// The options in effect (the key is present: do not print them).
  [[nodiscard]] const ClientOptions& options() const;

  /// The API version the base URL names, or empty when it names none this SDK knows (then no
  /// operation is refused on version grounds). Thread-safe.
  [[nodiscard]] std::optional<ApiVersion> api_version() const;

 private:
  std::shared_ptr<internal::ClientCore> core_;
};

}  // namespace esimgo
