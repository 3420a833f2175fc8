#pragma once
/// @file organisation.h
/// The reseller organisation: details (#16), balance top-up (#17), bundle groups (#18).

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "esimgo/options.h"
#include "esimgo/result.h"
#include "esimgo/types.h"

namespace esimgo {
/// A user of the organisation.
struct OrganisationUser {
  std::string first_name;
  std::string last_name;
  std::string role;
  std::string email_address;
  std::string phone_number;
  std::string time_zone;  ///< IANA, e.g. "America/New_York"
  bool operator==(const OrganisationUser&) const = default;
};

/// `GET /organisation` response (`OrganisationResponse`).
struct Organisation {
  std::string name;
  /// The API returns the account's key in clear. Kept because the API sends it; never
  /// printed by this SDK or its CLI.
  std::string api_key;
  std::string tax_liable;  ///< "Yes"/"No" as a string.
  std::string addr1;
  std::string addr2;
  std::string city;
  std::string country;
  std::string postcode;
  std::string callback_url;
  std::string notes;
  std::string currency;  ///< e.g. "USD"
  std::string business_type;
  std::string website;
  std::string product_description;
  std::vector<std::string> groups;
  Money balance;  ///< Balance + test credit.
  Money test_credit;
  Timestamp test_credit_expiry;  ///< Date-only.
  std::vector<OrganisationUser> users;
  bool operator==(const Organisation&) const = default;
};

/// `POST /organisation/balance` response.
struct TopUpResult {
  Money amount;
  Money balance;
  std::string ref;  ///< Numeric in the spec; kept as its digits.
  bool operator==(const TopUpResult&) const = default;
};

/// One bundle group (`BundleGroup`).
struct BundleGroup {
  std::string name;  ///< e.g. "Standard Fixed"
  std::string price_list_url;
  std::string desc;
  std::string icon;
  bool operator==(const BundleGroup&) const = default;
};

/// Organisation operations. A cheap view of a `Client`; thread-safe like the client.
class OrganisationApi {
 public:
  explicit OrganisationApi(std::shared_ptr<internal::ClientCore> core) : core_(std::move(core)) {}

  /// `GET /organisation` (#16).
  /// Errors: kForbidden, kRateLimited, kUnavailable, kServer, kDecode, kTransport, kTimeout.
  [[nodiscard]] Result<Organisation> Get(const CallOptions& call = {}) const;

  /// `POST /organisation/balance?amount=` (#17): charges the saved card. Money-moving:
  /// never retried after it may have been sent.
  /// Errors: kInvalidArgument (amount below 1000 or not whole cents), kBadRequest (daily
  /// maximum of 5000 reached), kForbidden, kAmbiguous (sent, no answer), and as `Get`.
  [[nodiscard]] Result<TopUpResult> TopUp(Money amount, const CallOptions& call = {}) const;

  /// `GET /organisation/groups` (#18).
  /// Errors: as `Get`.
  [[nodiscard]] Result<std::vector<BundleGroup>> Groups(const CallOptions& call = {}) const;

 private:
  // Shared with the Client and every view and pager made from it: each keeps the core alive.
  std::shared_ptr<internal::ClientCore> core_;
};

}  // namespace esimgo
