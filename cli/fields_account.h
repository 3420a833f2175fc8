#pragma once
/// @file fields_account.h
/// The field tables of the account-side models: inventory, organisation, networks, status
/// answers and callbacks (the eSIM-side ones are in fields.h, which includes this file).

#include <string>
#include <vector>

#include <fmt/core.h>

#include "esimgo/esimgo.h"
#include "field.h"

namespace esimgo::cli {

// ---- inventory ---------------------------------------------------------------------------

template <>
struct Model<InventoryLot> {
  using L = InventoryLot;
  static constexpr Field<L> kFields[] = {
      // The only numeric ID of the API, printed as a string like every other identifier.
      F<&L::id>("id", "Usage ID", kBoth).Value([](const L& l) {
        return Json(std::to_string(l.id));
      }),
      F<&L::total>("total", "Total", kBoth).Right(),
      F<&L::remaining>("remaining", "Remaining", kBoth).Right(),
      F<&L::expiry>("expiry", "Expiry", kBoth).Text([](const L& l) {
        return l.expiry.raw.empty() ? std::string("-") : l.expiry.raw;
      }),
  };
};

template <>
struct Model<Allowance> {
  using A = Allowance;
  static constexpr Field<A> kFields[] = {
      F<&A::type>("type", "Type", kBoth),
      F<&A::service>("service", "Service", kBoth),
      F<&A::description>("description", "Description", kBoth),
      F<&A::amount>("amount", "Amount", kBoth).Right(),
      F<&A::unit>("unit", "Unit", kBoth),
      F<&A::unlimited>("unlimited", "Unlimited", kBoth),
  };
};

template <>
struct Model<InventoryBundle> {
  using B = InventoryBundle;
  static constexpr Field<B> kFields[] = {
      F<&B::name>("name", "Bundle", kBoth),
      F<&B::desc>("desc", "Description", kRecord),
      F<&B::available>("available"),
      F<&B::countries>("countries", "Countries", kRecord),
      F<&B::data_mb>("data_mb", "Data", kBoth)
          .Text([](const B& b) { return Megabytes(b.data_mb, b.unlimited); })
          .Right(),
      F<&B::duration>("duration", "Duration", kBoth)
          .Text([](const B& b) {
            return fmt::format("{} {}{}", b.duration,
                               b.duration_unit.empty() ? "day" : b.duration_unit,
                               b.duration == 1 ? "" : "s");
          })
          .Right(),
      F<&B::duration_unit>("duration_unit"),
      F<&B::autostart>("autostart", "Autostart", kRecord),
      F<&B::unlimited>("unlimited"),
      F<&B::speed>("speed", "Speed", kRecord),
      F<&B::allowances>("allowances"),
  };
};

// ---- organisation ------------------------------------------------------------------------

template <>
struct Model<OrganisationUser> {
  using U = OrganisationUser;
  static constexpr Field<U> kFields[] = {
      F<&U::first_name>("first_name", "First name", kBoth),
      F<&U::last_name>("last_name", "Last name", kBoth),
      F<&U::role>("role", "Role", kBoth),
      F<&U::email_address>("email_address", "Email", kBoth),
      F<&U::phone_number>("phone_number", "Phone", kBoth),
      F<&U::time_zone>("time_zone", "Time zone", kBoth),
  };
};

// `api_key` is deliberately absent: the API sends it in clear, the CLI never prints it.
template <>
struct Model<Organisation> {
  using O = Organisation;
  static constexpr Field<O> kFields[] = {
      F<&O::name>("name", "Name", kRecord),
      F<&O::currency>("currency", "Currency", kRecord),
      F<&O::balance>("balance", "Balance", kRecord).Text([](const O& o) {
        return Price(o.balance, o.currency);
      }),
      F<&O::test_credit>("test_credit", "Test credit", kRecord).Text([](const O& o) {
        return Price(o.test_credit, o.currency) +
               (o.test_credit_expiry.empty() ? "" : " (expires " + o.test_credit_expiry.raw + ")");
      }),
      F<&O::test_credit_expiry>("test_credit_expiry"),
      F<&O::tax_liable>("tax_liable"),
      F<&O::addr1>("addr1"),
      F<&O::addr2>("addr2"),
      F<&O::city>("city"),
      F<&O::country>("country", "Country", kRecord),
      F<&O::postcode>("postcode"),
      F<&O::callback_url>("callback_url", "Callback URL", kRecord),
      F<&O::notes>("notes"),
      F<&O::business_type>("business_type"),
      F<&O::website>("website"),
      F<&O::product_description>("product_description"),
      F<&O::groups>("groups", "Groups", kRecord),
      F<&O::users>("users", "Users", kRecord).Text([](const O& o) {
        std::vector<std::string> users;
        for (const auto& u : o.users) {
          users.push_back(fmt::format("{} {} ({})", u.first_name, u.last_name, u.role));
        }
        return Join(users, ", ");
      }),
  };
};

template <>
struct Model<TopUpResult> {
  using T = TopUpResult;
  static constexpr Field<T> kFields[] = {
      F<&T::amount>("amount", "Amount", kRecord),
      F<&T::balance>("balance", "Balance", kRecord),
      F<&T::ref>("ref", "Reference", kRecord),
  };
};

template <>
struct Model<BundleGroup> {
  using G = BundleGroup;
  static constexpr Field<G> kFields[] = {
      F<&G::name>("name", "Name", kBoth),
      F<&G::price_list_url>("price_list_url", "Price list", kBoth),
      F<&G::desc>("desc", "Description", kBoth),
      F<&G::icon>("icon"),
  };
};

// ---- networks ----------------------------------------------------------------------------

template <>
struct Model<Network> {
  using N = Network;
  static constexpr Field<N> kFields[] = {
      F<&N::name>("name", "Network", kBoth),
      F<&N::brand_name>("brand_name", "Brand", kBoth),
      F<&N::mcc>("mcc", "MCC", kBoth),
      F<&N::mnc>("mnc", "MNC", kBoth),
      F<&N::tag_id>("tag_id", "TADIG", kBoth),
      F<&N::speed>("speed", "Speed", kBoth).Text([](const N& n) { return Join(n.speed, "/"); }),
  };
};

template <>
struct Model<CountryNetworks> {
  using C = CountryNetworks;
  static constexpr Field<C> kFields[] = {
      F<&C::name>("name", "Country", kBoth),
      F<&C::iso>("iso", "ISO", kBoth),
      F<&C::networks>("networks"),
  };
};

template <>
struct Model<StatusMessage> {
  static constexpr Field<StatusMessage> kFields[] = {
      F<&StatusMessage::status>("status", "Status", kRecord),
  };
};

// ---- callbacks ---------------------------------------------------------------------------

template <>
struct Model<webhook::AlertBundle> {
  using B = webhook::AlertBundle;
  static constexpr Field<B> kFields[] = {
      F<&B::id>("id"),
      F<&B::reference>("reference"),
      F<&B::name>("name", "Bundle", kBoth),
      F<&B::description>("description"),
      F<&B::initial_quantity>("initial_quantity"),
      F<&B::remaining_quantity>("remaining_quantity", "Data", kBoth).Text([](const B& b) {
        return Remaining(b.remaining_quantity, b.initial_quantity, b.unlimited);
      }),
      F<&B::start_time>("start_time"),
      F<&B::end_time>("end_time"),
      F<&B::unlimited>("unlimited"),
      F<&B::unit>("unit"),
  };
};

template <>
struct Model<webhook::AlertCountry> {
  using C = webhook::AlertCountry;
  static constexpr Field<C> kFields[] = {
      F<&C::code>("code", "Country", kBoth),
      F<&C::name>("name"),
  };
};

template <>
struct Model<webhook::BalanceInfo> {
  using B = webhook::BalanceInfo;
  static constexpr Field<B> kFields[] = {
      F<&B::balance>("balance", "Balance", kBoth),
      F<&B::threshold>("threshold"),
      F<&B::threshold_percent_remaining>("threshold_percent_remaining"),
  };
};

template <>
struct Model<webhook::Alert> {
  using A = webhook::Alert;
  static constexpr Field<A> kFields[] = {
      F<&A::alert_type>("alert_type", "Alert", kBoth),
      F<&A::iccid>("iccid", "ICCID", kBoth),
      F<&A::bundle>("bundle").Only([](const A& a) { return a.bundle.has_value(); }),
      F<&A::country>("country").Only([](const A& a) { return a.country.has_value(); }),
      F<&A::balance_info>("balance_info").Only([](const A& a) {
        return a.balance_info.has_value();
      }),
  };
};

}  // namespace esimgo::cli
