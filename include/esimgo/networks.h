#pragma once
/// @file networks.h
/// Country network coverage: `GET /networks` (#26).

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "esimgo/options.h"
#include "esimgo/result.h"

namespace esimgo {
/// One mobile network of a country.
struct Network {
  std::string name;                ///< Operator name.
  std::string brand_name;          ///< Operator brand name.
  std::string mcc;                 ///< String: keeps leading zeros.
  std::string mnc;                 ///< String: keeps leading zeros.
  std::string tag_id;              ///< `tagid`: the TADIG code (misnamed by the API).
  std::vector<std::string> speed;  ///< e.g. {"3G","4G","5G"}
  bool operator==(const Network&) const = default;  ///< Compares every field.
};

/// The networks of one country.
struct CountryNetworks {
  std::string name;               ///< Country name (the spec calls it "Country ISO").
  std::string iso;                ///< Not in the spec; filled when the server sends it.
  std::vector<Network> networks;  ///< The country's networks.
  bool operator==(const CountryNetworks&) const = default;  ///< Compares every field.
};

/// `GET /networks` response.
struct NetworkList {
  std::vector<CountryNetworks> country_networks;        ///< One entry per country.
  bool operator==(const NetworkList&) const = default;  ///< Compares every field.
};

/// Query of `GET /networks`. Lists are sent comma-separated.
struct NetworksRequest {
  std::vector<std::string> countries;  ///< Country names, e.g. "United Kingdom".
  std::vector<std::string> isos;       ///< ISO codes, e.g. "GB".
  std::optional<bool> return_all;      ///< `returnAll`, sent as lowercase true/false.
};

/// Network operations. A cheap view of a `Client`; thread-safe like the client.
class NetworksApi {
 public:
  /// Made by `Client::networks()`; not meant to be built directly.
  explicit NetworksApi(std::shared_ptr<internal::ClientCore> core) : core_(std::move(core)) {}

  /// `GET /networks` (#26).
  /// Errors: kForbidden, kRateLimited, kUnavailable, kServer, kDecode, kTransport, kTimeout.
  [[nodiscard]] Result<NetworkList> Get(const NetworksRequest& request = {},
                                        const CallOptions& call = {}) const;

 private:
  // Shared with the Client and every view and pager made from it: each keeps the core alive.
  std::shared_ptr<internal::ClientCore> core_;
};

}  // namespace esimgo
