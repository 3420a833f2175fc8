#pragma once
/// @file catalogue.h
/// The bundle catalogue: `GET /catalogue` (#24), `GET /catalogue/bundle/{name}` (#25) and,
/// v2.5, `GET /catalogue/prices` (#30).

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
/// A country as the catalogue describes it.
struct Country {
  std::string name;    ///< "United Kingdom"
  std::string region;  ///< "Europe"
  std::string iso;     ///< "GB" (a few non-ISO codes such as "US-HI" appear as eSIM Go writes them)
  bool operator==(const Country&) const = default;  ///< Compares every field.
};

/// One bundle of the catalogue (`CatalogueBundle`; `BundleCatalogueResponse` has no groups).
struct CatalogueBundle {
  std::string name;                 ///< Case-sensitive, e.g. "esim_1GB_7D_GB_V2".
  std::string description;          ///< "eSIM, 1GB, 7 Days, United Kingdom, V2"
  std::vector<std::string> groups;  ///< Bundle groups, e.g. "Standard Fixed".
  std::vector<Country> countries;   ///< The countries the bundle works in.
  int64_t data_amount_mb = 0;       ///< `dataAmount`, in MB (1 GB = 1000 MB); 0 for unlimited.
  int duration_days = 0;            ///< `duration`
  std::vector<std::string> speed;   ///< Network generations, e.g. {"3G", "4G", "5G"}.
  bool autostart = false;  ///< Starts at the first attachment to a network (rather than at once).
  bool unlimited = false;  ///< Unlimited data (then `data_amount_mb` is 0).
  std::vector<Country> roaming_enabled;  ///< Countries where the bundle roams.
  Money price;                           ///< In the organisation's currency (decimal, never float).
  std::string billing_type;  ///< "FixedCost" (◐ consumption bundles may carry another value)
  // v2.5 fields, empty when absent (every v2.4 answer).
  std::string profile_name;                 ///< v2.5: the operator profile, e.g. "Profile 1".
  std::vector<BundleAllowance> allowances;  ///< v2.5: `amount` and `unit` (MB/SMS/MINS) as sent.
  /// v2.5, `GET /catalogue/bundle/{name}` only: the bundle's groups (named `group` there,
  /// `groups` in the list).
  std::vector<std::string> group;
  bool operator==(const CatalogueBundle&) const = default;  ///< Compares every field.
};

/// A country of the consumption prices (`CatalogueCountry`).
struct PriceCountry {
  std::string iso;                                       ///< "GB"
  std::string name;                                      ///< "United Kingdom"
  bool operator==(const PriceCountry&) const = default;  ///< Compares every field.
};

/// One consumption price (`CataloguePrice`): the price per GB of a profile in a country.
struct ConsumptionPrice {
  std::string id;        ///< A UUID.
  Money price;           ///< Sent as a decimal string ("1.23"); read exactly.
  std::string currency;  ///< e.g. "USD"
  std::string profile;   ///< The profile name, e.g. "Profile 1" (as on bundles and eSIMs).
  PriceCountry country;  ///< The country this price is for.
  bool operator==(const ConsumptionPrice&) const = default;  ///< Compares every field.
};

/// The prices of one country (`CataloguePricesByCountry`).
struct CountryPrices {
  PriceCountry country;                                   ///< The country.
  std::vector<ConsumptionPrice> prices;                   ///< One price per provider profile.
  bool operator==(const CountryPrices&) const = default;  ///< Compares every field.
};

/// `GET /catalogue/prices` (v2.5) response (`CataloguePricesResponse`).
struct CataloguePrices {
  /// Changes when the prices change (SHA-256 of something unspecified): compare, never parse.
  std::string hash;
  std::vector<CountryPrices> prices;                        ///< The prices, by country.
  bool operator==(const CataloguePrices&) const = default;  ///< Compares every field.
};

/// Query of `GET /catalogue`. Unset fields are not sent.
struct CatalogueListRequest {
  std::optional<int> page;                 ///< 1-based.
  std::optional<int> per_page;             ///< The live API accepts up to 1000.
  std::vector<std::string> countries;      ///< ISO codes, sent as one comma list.
  std::optional<std::string> region;       ///< Region name, e.g. "Europe".
  std::optional<std::string> group;        ///< Exact group name, e.g. "Standard Fixed".
  std::optional<std::string> description;  ///< Wildcard search.
  std::optional<std::string> order_by;     ///< name, price, dataAmount, duration or description.
  std::optional<std::string> direction;    ///< "asc" or "desc"
};

/// A page of the catalogue. The live API wraps it as `{bundles, pageCount, rows, pageSize}`;
/// the YAML's bare array is accepted too.
struct CataloguePage {
  std::vector<CatalogueBundle> bundles;  ///< The bundles of this page.
  std::optional<int> page_count;         ///< Total pages, when the API says.
  std::optional<int64_t> rows;           ///< Total matching bundles, when the API says.
  std::optional<int> page_size;          ///< Bundles per page, when the API says.
};

/// Catalogue operations. A cheap view of a `Client`; thread-safe like the client.
class CatalogueApi {
 public:
  /// Made by `Client::catalogue()`; not meant to be built directly.
  explicit CatalogueApi(std::shared_ptr<internal::ClientCore> core) : core_(std::move(core)) {}

  /// `GET /catalogue` (#24), one page.
  /// Errors: kInvalidArgument (page < 1, per_page < 1), kForbidden, kRateLimited,
  /// kUnavailable, kServer, kDecode, kTransport, kTimeout.
  [[nodiscard]] Result<CataloguePage> List(const CatalogueListRequest& request = {},
                                           const CallOptions& call = {}) const;

  /// Every bundle matching `request`, page by page (`page` in `request` is the first page).
  [[nodiscard]] Pager<CatalogueBundle> ListAll(CatalogueListRequest request = {},
                                               CallOptions call = {}) const;

  /// `GET /catalogue/bundle/{name}` (#25). The name is case-sensitive and path-escaped.
  /// Errors: kInvalidArgument (empty name), kForbidden (unknown bundle), and as `List`.
  [[nodiscard]] Result<CatalogueBundle> Get(std::string_view name,
                                            const CallOptions& call = {}) const;

  /// `GET /catalogue/prices` (v2.5): per-GB consumption prices by country and profile, with
  /// a hash that changes when they do. Only organisations on consumption billing may call it.
  /// Retried like any read. Errors: kInvalidArgument (v2.4 client: nothing is sent),
  /// kForbidden (invalid key, or the organisation is not on consumption billing), kDecode
  /// (e.g. a price that is not a decimal), kRateLimited, kServer, kTransport, kTimeout.
  /// Thread-safe.
  [[nodiscard]] Result<CataloguePrices> Prices(const CallOptions& call = {}) const;

 private:
  // Shared with the Client and every view and pager made from it: each keeps the core alive.
  std::shared_ptr<internal::ClientCore> core_;
};

}  // namespace esimgo
