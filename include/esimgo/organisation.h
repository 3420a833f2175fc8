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
  std::string first_name;                                    ///< First name.
  std::string last_name;                                     ///< Last name.
  std::string role;                                          ///< Role in the organisation.
  std::string email_address;                                 ///< Email address.
  std::string phone_number;                                  ///< Phone number.
  std::string time_zone;                                     ///< IANA, e.g. "America/New_York"
  bool operator==(const OrganisationUser&) const = default;  ///< Compares every field.
};

/// `GET /organisation` response (`OrganisationResponse`).
struct Organisation {
  std::string name;  ///< Organisation name.
  /// The API returns the account's key in clear. Kept because the API sends it; never
  /// printed by this SDK or its CLI.
  std::string api_key;
  std::string tax_liable;               ///< "Yes"/"No" as a string.
  std::string addr1;                    ///< Address, first line.
  std::string addr2;                    ///< Address, second line.
  std::string city;                     ///< City.
  std::string country;                  ///< Country.
  std::string postcode;                 ///< Postcode.
  std::string callback_url;             ///< Where eSIM Go POSTs usage callbacks (see webhook.h).
  std::string notes;                    ///< Free text.
  std::string currency;                 ///< e.g. "USD"
  std::string business_type;            ///< As entered in the portal.
  std::string website;                  ///< As entered in the portal.
  std::string product_description;      ///< As entered in the portal.
  std::vector<std::string> groups;      ///< Bundle groups the organisation may buy.
  Money balance;                        ///< Balance + test credit.
  Money test_credit;                    ///< Test credit included in `balance`.
  Timestamp test_credit_expiry;         ///< Date-only.
  std::vector<OrganisationUser> users;  ///< The organisation's users.
  bool operator==(const Organisation&) const = default;  ///< Compares every field.
};

/// `POST /organisation/balance` response.
struct TopUpResult {
  Money amount;     ///< The amount added.
  Money balance;    ///< The balance afterwards.
  std::string ref;  ///< Numeric in the spec; kept as its digits.
  bool operator==(const TopUpResult&) const = default;  ///< Compares every field.
};

/// One bundle group (`BundleGroup`).
struct BundleGroup {
  std::string name;            ///< e.g. "Standard Fixed"
  std::string price_list_url;  ///< Where the group's price list can be downloaded.
  std::string desc;            ///< Description.
  std::string icon;            ///< Icon URL.
  bool operator==(const BundleGroup&) const = default;  ///< Compares every field.
};

/// Organisation operations. A cheap view of a `Client`; thread-safe like the client.
class OrganisationApi {
 public:
  /// Made by `Client::organisation()`; not meant to be built directly.
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
