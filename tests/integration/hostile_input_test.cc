// Hostile and malformed input against the sandbox (issue 8): requests that used to charge,
// crash or poison the state are refused with a 400 and change nothing; and every 403 the
// sandbox answers is classified by the SDK (Error::reason) from its words.

#include <nlohmann/json.hpp>

#include "sandbox_fixture.h"

namespace esimgo::testing {
namespace {

constexpr char kBundle[] = "esim_1GB_7D_GB_V2";

class HostileIt : public SandboxTest {
 protected:
  nlohmann::json State() {
    auto r = raw->Get("/_sandbox/state");
    EXPECT_TRUE(r);
    return r ? nlohmann::json::parse(r->body) : nlohmann::json();
  }
  std::string Balance() { return State()["balance"].get<std::string>(); }
  std::string NewEsim() {
    auto o = client->orders().Create({.assign = true, .order = {{.item = kBundle}}});
    EXPECT_TRUE(o) << o.error().ToString();
    return o ? o->order.at(0).iccids.at(0) : std::string();
  }
  httplib::Result Put(const std::string& path) {
    return raw->client.Put(path.c_str(), {{"X-API-Key", kSandboxKey}}, "", "application/json");
  }
};

// A Luhn-valid ICCID that no sandbox has issued (they all start 8944).
std::string ForeignIccid() {
  std::string body = "898800000000000000";
  int sum = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    int d = body[body.size() - 1 - i] - '0';
    if (i % 2 == 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + static_cast<char>('0' + (10 - sum % 10) % 10);
}

TEST_F(HostileIt, AnOrderWithoutALowerCaseTopLevelTypeIsA400AndChargesNothing) {
  std::string before = Balance();
  for (
      const char* body :
      {R"({"Type":"validate","assign":true,"order":[{"type":"bundle","item":"esim_1GB_7D_GB_V2","quantity":1}]})",
       R"({"assign":true,"order":[{"type":"bundle","item":"esim_1GB_7D_GB_V2","quantity":1}]})",
       R"({"type":"maybe","order":[{"type":"bundle","item":"esim_1GB_7D_GB_V2","quantity":1}]})",
       R"({"order":[{"type":"bundle","item":"esim_1GB_7D_GB_V2"}],"note":"type"})"}) {
    auto r = raw->Post("/v2.4/orders", body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << body << " → " << r->body;
    EXPECT_NE(r->body.find("type"), std::string::npos);
  }
  EXPECT_EQ(Balance(), before);
  EXPECT_EQ(State()["orders"], 0);
}

TEST_F(HostileIt, HugePageNumbersAreA400NotACrash) {
  NewEsim();
  for (const char* path :
       {"/v2.4/orders?page=9223372036854775807", "/v2.4/esims?page=9223372036854775807",
        "/v2.4/catalogue?page=9223372036854775807",
        "/v2.4/catalogue?page=4611686018427387904&perPage=3", "/v2.4/orders?page=1000001",
        "/v2.4/esims?page=-1"}) {
    auto r = raw->Get(path);
    ASSERT_TRUE(r) << path << ": the sandbox did not answer";
    EXPECT_EQ(r->status, 400) << path << " → " << r->body;
  }
  auto last = raw->Get("/v2.4/catalogue?page=1000000&perPage=1000");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->status, 200);
  EXPECT_NE(last->body.find(R"("bundles":[])"), std::string::npos);
  EXPECT_TRUE(raw->Get("/v2.4/organisation"));  // still alive
}

TEST_F(HostileIt, ACustomerRefThatIsNotUtf8IsA400AndDoesNotPoisonLaterWrites) {
  std::string iccid = NewEsim();
  auto bad = Put("/v2.4/esims?iccid=" + iccid + "&customerRef=%FF");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("UTF-8"), std::string::npos);
  auto details = client->esims().Get(iccid);
  ASSERT_TRUE(details);
  EXPECT_EQ(details->customer_ref, "");
  // Later writes work and persist.
  auto top = raw->Post("/v2.4/organisation/balance?amount=1000", "");
  ASSERT_TRUE(top);
  EXPECT_EQ(top->status, 200) << top->body;
  auto ok = Put("/v2.4/esims?iccid=" + iccid + "&customerRef=caf%C3%A9");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(client->esims().Get(iccid)->customer_ref, "caf\xC3\xA9");
  EXPECT_TRUE(State()["ledgerBalanced"].get<bool>());
}

TEST_F(HostileIt, AdminInputsOutOfRangeAreA400) {
  std::string iccid = NewEsim();
  std::string now = State()["now"];
  for (const char* body :
       {R"({"advanceSeconds": 9223372036854775807})", R"({"advanceSeconds": 9223372036854775})",
        R"({"advanceSeconds": -1})", R"({"advanceSeconds": "10"})", R"([1])", "{"}) {
    auto r = raw->Post("/_sandbox/clock", body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << body << " → " << r->body;
  }
  EXPECT_GE(std::string(State()["now"]), now);  // the clock never went backwards
  for (std::string body :
       {R"({"iccid":")" + iccid + R"(","bytes":1,"country":7})",
        R"({"iccid":")" + iccid + R"(","bytes":1,"country":"not a code"})",
        R"({"iccid":")" + iccid + R"(","bytes":1.5})", std::string(R"({"iccid":5,"bytes":1})")}) {
    auto r = raw->Post("/_sandbox/usage", body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << body << " → " << r->body;
  }
  auto url = raw->Post("/_sandbox/callback-url", R"({"url": 12})");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->status, 400);
}

TEST_F(HostileIt, EveryRefusalIsClassifiedBySdkErrorReason) {
  // Unknown or foreign eSIM, order and bundle: not found.
  auto esim = client->esims().Get(ForeignIccid());
  ASSERT_FALSE(esim);
  EXPECT_EQ(esim.error().http_status, 403);
  EXPECT_EQ(esim.error().reason, ErrorReason::kNotFound) << esim.error().message;
  auto order = client->orders().Get("00000000-0000-4000-8000-000000000000");
  ASSERT_FALSE(order);
  EXPECT_EQ(order.error().reason, ErrorReason::kNotFound) << order.error().message;
  auto bundle = client->catalogue().Get("esim_no_such_bundle");
  ASSERT_FALSE(bundle);
  EXPECT_EQ(bundle.error().reason, ErrorReason::kNotFound) << bundle.error().message;
  // Empty inventory.
  auto apply = client->esims().ApplyBundle({.name = kBundle});
  ASSERT_FALSE(apply);
  EXPECT_EQ(apply.error().reason, ErrorReason::kNoInventory) << apply.error().message;
  // Insufficient balance: 1,000 × 1.36 USD at a time drains the 10,000 USD start balance.
  Result<Order> last = tl::unexpected(Error{});
  for (int i = 0; i < 10; ++i) {
    last = client->orders().Create({.order = {{.item = kBundle, .quantity = 1000}}});
    if (!last) break;
  }
  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().reason, ErrorReason::kInsufficientBalance) << last.error().message;
  // Refund refused (outside the window).
  auto inv = client->inventory().Get();
  ASSERT_TRUE(inv);
  int64_t lot = inv->bundles.at(0).available.at(0).id;
  ASSERT_TRUE(raw->Post("/_sandbox/clock", R"({"advanceSeconds": 5270400})"));  // 61 days
  auto refund = client->inventory().Refund({.usage_id = lot, .quantity = 1});
  ASSERT_FALSE(refund);
  EXPECT_EQ(refund.error().reason, ErrorReason::kRefundNotAllowed) << refund.error().message;
  // A wrong key.
  auto other = MakeClient(sb->base_url(), "wrong-key");
  auto org = other.organisation().Get();
  ASSERT_FALSE(org);
  EXPECT_EQ(org.error().reason, ErrorReason::kInvalidKey);
}

}  // namespace
}  // namespace esimgo::testing
