// GET /organisation (#16), POST /organisation/balance (#17), GET /organisation/groups (#18).

#include "model/organisation_codec.h"
#include "router.h"
#include "static_data.h"

namespace esimgo::sandbox {
namespace {

constexpr int64_t kMinTopUp = 1000 * Money::kScale;
constexpr int64_t kMaxTopUpPerDay = 5000 * Money::kScale;

Reply Get(Ctx& c) {
  std::lock_guard lock(c.engine.mu);
  const auto& org = c.engine.org;
  Organisation o{
      .name = "eSIM Go Sandbox Ltd",
      .api_key = c.engine.options().api_key,
      .tax_liable = "No",
      .addr1 = "1 Sandbox Street",
      .city = "London",
      .country = "GBR",
      .postcode = "EC1A 1AA",
      .callback_url = org.callback_url,
      .notes = "esimgo sandbox: state is local; no real eSIMs or money",
      .currency = "USD",
      .business_type = "Reseller",
      .website = "https://example.com",
      .product_description = "Travel eSIMs",
      .groups = Data().groups,
      .balance = Money::FromMicros(org.balance_micros),
      .test_credit = Money(),
      .users = {{.first_name = "Sandy",
                 .last_name = "Box",
                 .role = "Admin",
                 .email_address = "sandbox@example.com",
                 .phone_number = "+44 20 0000 0000",
                 .time_zone = "Europe/London"}},
  };
  return Encoded(o);
}

Reply TopUp(Ctx& c) {
  auto raw = c.Query("amount");
  if (!raw || raw->empty()) {
    return ErrorReply(400, "amount is required as a query parameter, e.g. ?amount=1000");
  }
  auto amount = Money::Parse(*raw);
  if (!amount || amount->micros() <= 0) {
    return ErrorReply(400, "amount must be a positive number, e.g. 1000 or 1500.50");
  }
  if (amount->micros() < kMinTopUp) {
    return ErrorReply(400, "the minimum top-up is 1000 USD per call");
  }
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  std::string day = Engine::Date(e.NowMs());
  int64_t today = e.org.topups_by_day[day];
  if (today + amount->micros() > kMaxTopUpPerDay) {
    return ErrorReply(400, "the daily top-up maximum is 5000 USD; " +
                               Money::FromMicros(kMaxTopUpPerDay - today).ToString() +
                               " USD is left for today (UTC)");
  }
  e.org.topups_by_day[day] = today + amount->micros();
  e.org.balance_micros += amount->micros();
  std::string ref = std::to_string(900000000 + e.NextRandom() % 99999999);
  e.AddLedger("topup", amount->micros(), ref);
  e.TouchOrg();
  e.CheckLowBalance();
  if (auto r = e.Commit(); !r) return ErrorReply(500, r.error().message);
  return Encoded(TopUpResult{
      .amount = *amount, .balance = Money::FromMicros(e.org.balance_micros), .ref = ref});
}

Reply Groups(Ctx&) {
  BundleGroupListBody body;
  for (const auto& g : Data().groups) {
    body.groups.push_back({.name = g, .desc = g + " bundles"});
  }
  return Encoded(body);
}

}  // namespace

void AddOrganisationRoutes(RouteTable& t) {
  t.push_back({"GET", "/organisation", "GET /organisation", Get});
  t.push_back({"POST", "/organisation/balance", "POST /organisation/balance", TopUp});
  t.push_back({"GET", "/organisation/groups", "GET /organisation/groups", Groups});
}

}  // namespace esimgo::sandbox
