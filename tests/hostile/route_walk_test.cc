// The generator: every route of the sandbox, each field of its body and each parameter of its
// query or path replaced in turn by something hostile (a wrong JSON type, an overflowing
// number, invalid UTF-8, a huge string) plus structurally broken bodies. After every request:
// no 5xx (fault injection is off; none is documented for these routes), the server still
// answers, a rejected request (4xx) left the state exactly as it was, and an accepted one moved
// money only on the routes that move money. At the end the money invariant holds.

#include <cstring>
#include <iostream>

#include "hostile_fixture.h"

namespace esimgo::hostile {
namespace {

// Raw JSON texts that replace one field's value. Some are not valid JSON on purpose (a raw
// 0xFF byte inside a string); the server must refuse them with a 4xx, never a 5xx.
const std::vector<std::pair<std::string, std::string>>& ValueMutations() {
  static const std::vector<std::pair<std::string, std::string>> m = {
      {"string", R"("hostile")"},
      {"empty string", R"("")"},
      {"integer", "12345"},
      {"negative", "-1"},
      {"zero", "0"},
      {"fraction", "1.5"},
      {"bool", "true"},
      {"null", "null"},
      {"object", R"({"a":1})"},
      {"array", "[1,2]"},
      {"int64 max + 1", "9223372036854775808"},
      {"int64 min - 1", "-9223372036854775809"},
      {"uint64 overflow", "99999999999999999999999999999"},
      {"1e309", "1e309"},
      {"-1e309", "-1e309"},
      {"exponent", "1e18"},
      {"invalid utf-8 0xFF",
       "\"a\xff"
       "b\""},
      {"overlong NUL", "\"\xc0\x80\""},
      {"utf-16 surrogate bytes", "\"\xed\xa0\x80\""},
      {"truncated sequence", "\"\xe2\x82\""},
      {"escaped lone surrogate", R"("\ud800")"},
      {"escaped NUL", R"("a\u0000b")"},
      {"control chars", "\"a\x01\x1b[31mb\""},
      {"100 kB string", "\"" + std::string(100'000, 'x') + "\""},
  };
  return m;
}

// Whole bodies that are broken as JSON or as a shape.
const std::vector<std::pair<std::string, std::string>>& BodyMutations() {
  static const std::vector<std::pair<std::string, std::string>> m = {
      {"empty", ""},
      {"open brace", "{"},
      {"array", "[]"},
      {"null", "null"},
      {"string", R"("x")"},
      {"number", "42"},
      {"missing value", R"({"a":})"},
      {"trailing garbage", "{} x"},
      {"BOM", "\xef\xbb\xbf{}"},
      {"invalid utf-8 key", "{\"\xff\":1}"},
      {"deep nesting", std::string(50'000, '[') + std::string(50'000, ']')},
      {"deep objects",
       [] {
         std::string s;
         for (int i = 0; i < 20'000; ++i) s += "{\"a\":";
         s += "1";
         s += std::string(20'000, '}');
         return s;
       }()},
      {"NUL byte", std::string("{\"a\":\0}", 7)},
  };
  return m;
}

const std::vector<std::pair<std::string, std::string>>& QueryMutations() {
  static const std::vector<std::pair<std::string, std::string>> m = {
      {"int64 max", "9223372036854775807"},
      {"int64 max + 1", "9223372036854775808"},
      {"int64 min", "-9223372036854775808"},
      {"negative", "-1"},
      {"zero", "0"},
      {"exponent", "1e3"},
      {"word", "abc"},
      {"empty", ""},
      {"invalid utf-8", "%FF"},
      {"overlong", "%C0%80"},
      {"NUL", "a%00b"},
      {"escape", "%1B%5B31m"},
      {"long", std::string(5000, 'q')},
  };
  return m;
}

struct Route {
  std::string method;
  std::string target;  // with {iccid} {bundle} {order} {usage} {assignment} placeholders
  json body;           // null = no body
  bool moves_money = false;
  bool may_write = false;  // a GET that is allowed to change state (refresh)
};

std::vector<Route> Routes() {
  return {
      {"GET",
       "/v2.4/catalogue?page=1&perPage=50&countries=GB&region=Europe&group=Standard%20Fixed"
       "&description=1GB&orderBy=price&direction=asc"},
      {"GET", "/v2.4/catalogue/bundle/{bundle}"},
      {"GET", "/v2.4/networks?countries=United%20Kingdom&isos=GB&returnAll=false"},
      {"GET", "/v2.4/organisation"},
      {"GET", "/v2.4/organisation/groups"},
      {"GET", "/v2.4/orders?page=1&limit=10&includeIccids=true&createdAt=gte:2020-01-01"},
      {"GET", "/v2.4/orders/{order}"},
      {"GET", "/v2.4/inventory"},
      {"GET", "/v2.4/esims?page=1&perPage=25&direction=asc&orderBy=iccid&filterBy=iccid&filter=89"},
      {"GET", "/v2.4/esims/{iccid}"},
      {"GET", "/v2.4/esims/{iccid}/history"},
      {"GET", "/v2.4/esims/{iccid}/refresh", nullptr, false, true},
      {"GET", "/v2.4/esims/{iccid}/location"},
      {"GET", "/v2.4/esims/{iccid}/compatible/{bundle}"},
      {"GET", "/v2.4/esims/{iccid}/bundles?includeUsed=true&limit=15"},
      {"GET", "/v2.4/esims/{iccid}/bundles/{bundle}"},
      {"GET", "/v2.4/esims/assignments?reference={order}&additionalFields=appleInstallUrl"},
      {"GET", "/_sandbox/state"},
      {"GET", "/_sandbox/faults"},
      {"GET", "/_sandbox/callbacks"},
      {"POST", "/v2.4/orders",
       json{{"type", "validate"},
            {"assign", false},
            {"order",
             {{{"type", "bundle"},
               {"quantity", 1},
               {"item", "{bundle}"},
               {"allowReassign", false}}}}},
       true},
      {"POST", "/v2.4/organisation/balance?amount=1000", nullptr, true},
      {"POST", "/v2.4/inventory/refund", json{{"usageId", "{usage}"}, {"quantity", 1}}, true},
      {"POST", "/v2.4/esims/apply",
       json{{"name", "{bundle}"}, {"repeat", 1}, {"allowReassign", false}}},
      {"POST", "/v2.4/esims/{iccid}/bundles", json{{"name", "{bundle}"}}},
      {"POST", "/v2.4/esims/{iccid}/sms", json{{"message", "hello"}, {"from", "eSIM"}}},
      {"PUT", "/v2.4/esims?iccid={iccid}&customerRef=ref-1",
       json{{"iccid", "{iccid}"}, {"customerRef", "ref-2"}}},
      {"DELETE",
       "/v2.4/esims/{iccid}/bundles/{bundle}?type=validate&refundToBalance=true&offerId=x", nullptr,
       true},
      {"DELETE", "/v2.4/esims/{iccid}/bundles/{bundle}/assignments/{assignment}?type=validate",
       nullptr, true},
      {"POST", "/_sandbox/usage", json{{"iccid", "{iccid}"}, {"bytes", 1000}, {"country", "FR"}}},
      {"POST", "/_sandbox/clock", json{{"advanceSeconds", 1}}},
      {"POST", "/_sandbox/callback-url", json{{"url", ""}}},
      {"POST", "/_sandbox/faults", json{{"spec", ""}}},
  };
}

void Replace(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

// Paths (JSON pointers) of every leaf of `j`.
void Leaves(const json& j, const std::string& at, std::vector<std::string>& out) {
  if (j.is_object() && !j.empty()) {
    for (auto& [k, v] : j.items()) Leaves(v, at + "/" + k, out);
  } else if (j.is_array() && !j.empty()) {
    for (size_t i = 0; i < j.size(); ++i) Leaves(j[i], at + "/" + std::to_string(i), out);
  } else {
    out.push_back(at);
  }
}

class RouteWalk : public HostileSandbox {
 protected:
  void SetUp() override {
    HostileSandbox::SetUp();
    bundle_ = BuyIntoInventory(3);
    json inv = Json("GET", "/v2.4/inventory");
    usage_ = std::to_string(inv["bundles"][0]["available"][0]["id"].get<int64_t>());
    json applied = Json("POST", "/v2.4/esims/apply", json{{"name", bundle_}}.dump());
    iccid_ = applied["esims"][0]["iccid"];
    json orders = Json("GET", "/v2.4/orders");
    order_ = orders["orders"][0]["orderReference"];
    json assigned = Json("GET", "/v2.4/esims/" + iccid_ + "/bundles");
    if (!assigned["bundles"].empty() && !assigned["bundles"][0]["assignments"].empty()) {
      assignment_ = assigned["bundles"][0]["assignments"][0].value("id", "0");
    }
    // Past processing → queued, so that no time-driven change lands inside a comparison.
    Json("POST", "/_sandbox/clock", R"({"advanceSeconds":10})");
    balance_ = CheckMoneyInvariant();
  }

  std::string Fill(std::string s) const {
    Replace(s, "{iccid}", iccid_);
    Replace(s, "{bundle}", bundle_);
    Replace(s, "{order}", order_);
    Replace(s, "{usage}", usage_);
    Replace(s, "{assignment}", assignment_);
    return s;
  }

  // Sends one hostile request and checks everything the suite promises about it.
  void Probe(const Route& route, const std::string& what, const std::string& target,
             const std::string* body) {
    SCOPED_TRACE(route.method + " " + route.target + " — " + what);
    ++requests_;
    RawResponse r = body ? Call(route.method, target, *body) : Call(route.method, target, {}, {});
    ASSERT_NE(r.status, 0) << "no answer (crash or hang?) to " << route.method << " " << target;
    EXPECT_LT(r.status, 500) << target << " → " << r.body.substr(0, 300);
    ASSERT_TRUE(Alive()) << "the sandbox stopped answering after " << target;
    const bool reads = route.method == "GET";
    if (reads && !route.may_write && !check_reads_) return;
    std::string now = Fingerprint();
    if (r.status >= 400 || (reads && !route.may_write)) {
      EXPECT_EQ(now, fingerprint_)
          << "state changed by a " << (reads ? "read" : "rejected request") << ": " << route.method
          << " " << target << " → " << r.status << " " << r.body.substr(0, 200);
    } else {
      int64_t balance = Cents(State()["balance"]);
      if (!route.moves_money) {
        EXPECT_EQ(balance, balance_) << "money moved on a route that moves none: " << target;
      }
      balance_ = balance;
    }
    fingerprint_ = std::move(now);
  }

  void Walk(const Route& route) {
    const std::string target = Fill(route.target);
    const bool has_body = !route.body.is_null();
    const std::string valid = has_body ? Fill(route.body.dump()) : std::string();
    fingerprint_ = Fingerprint();

    // The query: each parameter's value in turn.
    size_t q = target.find('?');
    if (q != std::string::npos) {
      std::string base = target.substr(0, q + 1), query = target.substr(q + 1);
      std::vector<std::string> params;
      for (size_t at = 0; at <= query.size();) {
        size_t amp = query.find('&', at);
        params.push_back(query.substr(at, amp == std::string::npos ? std::string::npos : amp - at));
        if (amp == std::string::npos) break;
        at = amp + 1;
      }
      for (size_t i = 0; i < params.size(); ++i) {
        std::string name = params[i].substr(0, params[i].find('='));
        for (const auto& [what, value] : QueryMutations()) {
          std::string t = base;
          for (size_t k = 0; k < params.size(); ++k) {
            if (k) t += "&";
            t += k == i ? name + "=" + value : params[k];
          }
          Probe(route, "query " + name + " = " + what, t, has_body ? &valid : nullptr);
          if (HasFatalFailure()) return;
        }
      }
    }
    // Path segments that name something.
    for (const char* slot : {"{iccid}", "{bundle}", "{order}", "{assignment}"}) {
      size_t at = route.target.find(slot);
      if (at == std::string::npos || (q != std::string::npos && at > route.target.find('?'))) {
        continue;
      }
      for (const auto& [what, value] : QueryMutations()) {
        if (value.empty()) continue;  // an empty segment is another route
        std::string t = route.target;
        t.replace(at, std::strlen(slot), value);
        Probe(route, std::string("path ") + slot + " = " + what, Fill(t),
              has_body ? &valid : nullptr);
        if (HasFatalFailure()) return;
      }
    }
    if (!has_body) return;
    // Each field of the body.
    std::vector<std::string> leaves;
    Leaves(route.body, "", leaves);
    for (const auto& leaf : leaves) {
      for (const auto& [what, raw] : ValueMutations()) {
        json marked = route.body;
        marked[json::json_pointer(leaf)] = "__HOSTILE__";
        std::string b = Fill(marked.dump());
        Replace(b, "\"__HOSTILE__\"", raw);
        Probe(route, "field " + leaf + " = " + what, target, &b);
        if (HasFatalFailure()) return;
      }
      // The field left out.
      json without = route.body;
      json::json_pointer p(leaf);
      if (!p.empty()) {
        json& parent = without[p.parent_pointer()];
        if (parent.is_object()) {
          parent.erase(p.back());
        } else {
          parent.erase(static_cast<size_t>(std::stoul(p.back())));
        }
        std::string b = Fill(without.dump());
        Probe(route, "field " + leaf + " absent", target, &b);
        if (HasFatalFailure()) return;
      }
    }
    for (const auto& [what, b] : BodyMutations()) {
      Probe(route, "body " + what, target, &b);
      if (HasFatalFailure()) return;
    }
    // Just over the limit.
    std::string big = R"({"pad":")" + std::string((1 << 20) + 1, 'p') + "\"}";
    Probe(route, "body over 1 MiB", target, &big);
  }

  std::string bundle_, iccid_, order_, usage_, assignment_ = "0";
  std::string fingerprint_;
  int64_t balance_ = 0;  // after the last accepted request
  int requests_ = 0;
  bool check_reads_ = true;
};

TEST_F(RouteWalk, EveryRouteSurvivesHostileInputWithoutServerErrorsOrStrayStateChanges) {
  for (const auto& route : Routes()) {
    Walk(route);
    if (HasFatalFailure()) return;
    if (route.target == "/_sandbox/faults") {
      // A mutation that was a valid spec must not leave faults behind for the next routes.
      Call("POST", "/_sandbox/faults", R"({"spec":""})");
    }
  }
  RecordProperty("requests", requests_);
  std::cerr << "route walk: " << requests_ << " hostile requests\n";
  CheckMoneyInvariant();
  EXPECT_GT(requests_, 1000);
}

}  // namespace
}  // namespace esimgo::hostile
