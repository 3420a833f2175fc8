#pragma once
// The hostile suite's sandbox: in-process, port 0, in memory, rate limit and faults off, with
// one eSIM, one inventory lot and one order to aim at. Helpers read the admin state so that a
// test can prove "nothing changed" after a rejected request and check the money invariant.

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "esimgo/sandbox/sandbox.h"
#include "raw_http.h"

namespace esimgo::hostile {

using nlohmann::json;

inline constexpr char kKey[] = "hostile-key-5b1e";

/// "10000.00" / "-12.5" → cents; the sandbox's money strings have at most 2 decimals here.
inline int64_t Cents(const json& money) {
  std::string s = money.is_string() ? money.get<std::string>() : money.dump();
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s.erase(0, 1);
  size_t dot = s.find('.');
  std::string whole = s.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  frac.resize(2, '0');
  int64_t v = std::stoll(whole.empty() ? "0" : whole) * 100 + std::stoll(frac.substr(0, 2));
  return neg ? -v : v;
}

class HostileSandbox : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }

  void Start(sandbox::SandboxOptions o) {
    o.api_key = kKey;
    o.rate_limit = 0;
    if (o.seed == 0) o.seed = 99;
    auto s = sandbox::Sandbox::Start(std::move(o));
    ASSERT_TRUE(s) << s.error().message;
    sb_ = std::move(*s);
    port_ = sb_->port();
  }

  /// A request with the key, JSON content type and a correct Content-Length.
  RawResponse Call(std::string_view method, std::string_view target, std::string_view body = {},
                   std::vector<std::string> extra = {}) {
    std::vector<std::string> h = {std::string("X-API-Key: ") + kKey,
                                  "Content-Type: application/json"};
    h.insert(h.end(), extra.begin(), extra.end());
    return Exchange(port_, method, target, h, body, method != "GET" || !body.empty());
  }

  json Json(std::string_view method, std::string_view target, std::string_view body = {}) {
    RawResponse r = Call(method, target, body);
    EXPECT_GE(r.status, 200) << method << " " << target;
    EXPECT_LT(r.status, 300) << method << " " << target << " → " << r.body;
    auto j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << target << ": " << r.body;
    return j;
  }

  /// GET /_sandbox/state without its clock, the cheapest full summary of money and counts.
  json State() {
    json s = Json("GET", "/_sandbox/state");
    s.erase("now");
    return s;
  }

  /// What a rejected request must leave exactly as it was: the state summary (balance, ledger,
  /// counts, callback URL), the eSIMs (customerRef, …), inventory, orders and the fault rules.
  std::string Fingerprint() {
    std::string f = State().dump();
    f += Call("GET", "/v2.4/esims?perPage=100").body;
    f += Call("GET", "/v2.4/inventory").body;
    f += Call("GET", "/v2.4/orders?limit=1000").body;
    f += Call("GET", "/_sandbox/faults").body;
    return f;
  }

  /// The server answers a cheap well-formed request (used after every hostile one).
  bool Alive() {
    RawResponse r = Call("GET", "/v2.4/organisation/groups");
    return r.status == 200;
  }

  /// The balance from the ledger's point of view: start + top-ups − orders + refunds, checked
  /// against the balance itself; returns the balance in cents.
  int64_t CheckMoneyInvariant() {
    json s = State();
    int64_t sum = 0;
    for (const auto& l : s["ledger"]) sum += Cents(l["amount"]);
    EXPECT_EQ(sum, Cents(s["balance"])) << s.dump(1);
    EXPECT_EQ(s["ledgerBalanced"], true) << s.dump(1);
    return Cents(s["balance"]);
  }

  /// Buys `quantity` of a GB bundle into inventory (a real transaction) and returns its name.
  std::string BuyIntoInventory(int quantity) {
    json page = Json("GET", "/v2.4/catalogue?countries=GB&perPage=50");
    std::string bundle;
    for (const auto& b : page["bundles"]) {
      if (!b.value("unlimited", false) && b.value("dataAmount", 0) > 0) {
        bundle = b["name"];
        break;
      }
    }
    EXPECT_FALSE(bundle.empty());
    json body = {{"type", "transaction"},
                 {"assign", false},
                 {"order", {{{"type", "bundle"}, {"quantity", quantity}, {"item", bundle}}}}};
    RawResponse r = Call("POST", "/v2.4/orders", body.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return bundle;
  }

  /// Applies `bundle` from inventory to a new eSIM; returns its ICCID.
  std::string ApplyOne(const std::string& bundle) {
    RawResponse r = Call("POST", "/v2.4/esims/apply", json{{"name", bundle}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    auto j = json::parse(r.body, nullptr, false);
    return j.is_discarded() ? std::string() : j["esims"][0]["iccid"].get<std::string>();
  }

  std::unique_ptr<sandbox::Sandbox> sb_;
  int port_ = 0;
};

}  // namespace esimgo::hostile
