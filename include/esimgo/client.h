#pragma once
/// @file client.h
/// The entry point: `esimgo::Client` and its per-group views.

#include <memory>

#include "esimgo/catalogue.h"
#include "esimgo/esims.h"
#include "esimgo/inventory.h"
#include "esimgo/networks.h"
#include "esimgo/options.h"
#include "esimgo/orders.h"
#include "esimgo/organisation.h"
#include "esimgo/result.h"

namespace esimgo {

/// A client of the eSIM Go API v2.4. Thread-safe: share one per process; all threads share
/// its rate limiter and transport. Cheap to move, not copyable.
///
///   esimgo::Client client({.api_key = key});
///   auto bundle = client.catalogue().Get("esim_1GB_7D_GB_V2");
class Client {
 public:
  /// Builds a client. A missing transport becomes libcurl; a missing clock the system clock.
  explicit Client(ClientOptions options);
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  [[nodiscard]] CatalogueApi catalogue() const { return CatalogueApi(core_.get()); }
  [[nodiscard]] EsimsApi esims() const { return EsimsApi(core_.get()); }
  [[nodiscard]] OrdersApi orders() const { return OrdersApi(core_.get()); }
  [[nodiscard]] InventoryApi inventory() const { return InventoryApi(core_.get()); }
  [[nodiscard]] OrganisationApi organisation() const { return OrganisationApi(core_.get()); }
  [[nodiscard]] NetworksApi networks() const { return NetworksApi(core_.get()); }

  /// The options in effect (the key is present: do not print them).
  [[nodiscard]] const ClientOptions& options() const;

 private:
  std::unique_ptr<internal::ClientCore> core_;
};

}  // namespace esimgo
