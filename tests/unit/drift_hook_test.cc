// ClientOptions::on_drift through a Client on a fake transport, and the parity between the
// fields the SDK's codecs read and the fields the drift descriptors know.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "drift/schema.h"
#include "esimgo/client.h"
#include "esimgo/drift.h"
#include "testing/fake_transport.h"

namespace esimgo {
namespace {

using testing::FakeClient;

struct Seen {
  std::string operation;
  std::vector<drift::Drift> drift;
};

ClientOptions WithHook(const FakeClient& fake, std::vector<Seen>& seen) {
  ClientOptions o = fake.Options();
  o.on_drift = [&seen](std::string_view op, const std::vector<drift::Drift>& d) {
    seen.push_back({std::string(op), d});
  };
  return o;
}

TEST(DriftHook, FiresWithTheOperationAndEachDriftAndTheCallStillSucceeds) {
  FakeClient fake;
  fake.transport->PushJson(
      R"({"iccid":"8944123456789012345","pin":"0000","profileStatus":"Installed","lastSeenNetwork":"GBRVF"})");
  std::vector<Seen> seen;
  Client client(WithHook(fake, seen));
  auto details = client.esims().Get("8944123456789012345");
  ASSERT_TRUE(details) << details.error().ToString();
  EXPECT_EQ(details->iccid, "8944123456789012345");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].operation, "GET /esims/{iccid}");
  ASSERT_EQ(seen[0].drift.size(), 1u);
  EXPECT_EQ(seen[0].drift[0].path, "$.lastSeenNetwork");
  EXPECT_EQ(seen[0].drift[0].kind, drift::DriftKind::kUnknownField);
}

TEST(DriftHook, StaysSilentOnACleanAnswer) {
  FakeClient fake;
  fake.transport->PushJson(
      R"({"iccid":"8944123456789012345","pin":"0000","profileStatus":"Installed"})");
  std::vector<Seen> seen;
  Client client(WithHook(fake, seen));
  ASSERT_TRUE(client.esims().Get("8944123456789012345"));
  EXPECT_TRUE(seen.empty());
}

TEST(DriftHook, ChecksAgainstTheBaseUrlsVersion) {
  // `state` is a v2.5 field: drift on a v2.4 client, clean on a v2.5 one.
  const std::string body = R"({"iccid":"8944123456789012345","state":"active"})";
  for (const char* base : {"https://api.test/v2.4", "https://api.test/v2.5"}) {
    FakeClient fake;
    fake.transport->PushJson(body);
    std::vector<Seen> seen;
    ClientOptions o = WithHook(fake, seen);
    o.base_url = base;
    Client client(o);
    ASSERT_TRUE(client.esims().Get("8944123456789012345"));
    if (std::string(base).ends_with("2.4")) {
      ASSERT_EQ(seen.size(), 1u) << base;
      EXPECT_EQ(seen[0].drift[0].path, "$.state");
    } else {
      EXPECT_TRUE(seen.empty()) << base;
    }
  }
}

TEST(DriftHook, AnUnknownVersionIsCheckedAgainstTheSuperset) {
  FakeClient fake;
  fake.transport->PushJson(R"({"iccid":"8944123456789012345","state":"active","extra":1})");
  std::vector<Seen> seen;
  ClientOptions o = WithHook(fake, seen);
  o.base_url = "https://proxy.test/esim";
  Client client(o);
  ASSERT_TRUE(client.esims().Get("8944123456789012345"));
  ASSERT_EQ(seen.size(), 1u);
  ASSERT_EQ(seen[0].drift.size(), 1u);
  EXPECT_EQ(seen[0].drift[0].path, "$.extra");
}

TEST(DriftHook, NamesTheTransactionAnswerOfAnOrderApartFromTheValidateOne) {
  FakeClient fake;
  fake.transport->PushJson(
      R"({"order":[],"total":1.5,"currency":"USD","status":"completed","orderReference":"r1","new":1})");
  std::vector<Seen> seen;
  Client client(WithHook(fake, seen));
  OrderRequest req;
  req.type = OrderType::kTransaction;
  req.order = {{.item = "esim_1GB_7D_GB_V2", .quantity = 1}};
  auto order = client.orders().Create(req);
  ASSERT_TRUE(order) << order.error().ToString();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].operation, "POST /orders?type=transaction");
  ASSERT_EQ(seen[0].drift.size(), 1u);
  EXPECT_EQ(seen[0].drift[0].path, "$.new");
}

TEST(DriftHook, AMalformedBodyIsTheDecodersErrorNotDrift) {
  FakeClient fake;
  fake.transport->PushJson(R"({"iccid":)");
  std::vector<Seen> seen;
  Client client(WithHook(fake, seen));
  auto r = client.esims().Get("8944123456789012345");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kDecode);
  EXPECT_TRUE(seen.empty());
}

TEST(DriftHook, UnsetMeansNoCheck) {
  // Without the hook a drifted answer decodes as always; nothing else can be observed, so this
  // pins that the option defaults to empty.
  FakeClient fake;
  EXPECT_FALSE(static_cast<bool>(fake.Options().on_drift));
  fake.transport->PushJson(R"({"iccid":"8944123456789012345","lastSeenNetwork":"x"})");
  Client client(fake.Options());
  ASSERT_TRUE(client.esims().Get("8944123456789012345"));
}

// ---- parity: every field a codec reads is a field the descriptors know -----------------------

std::string ReadSource(const std::string& rel) {
  std::ifstream in(std::string(ESIMGO_SOURCE_DIR) + "/" + rel);
  EXPECT_TRUE(in) << rel;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Keys the codecs read only from request bodies (the sandbox decodes requests with the same
// codecs), per codec file: not part of any answer's contract.
const std::map<std::string, std::set<std::string>> kRequestOnlyKeys = {
    // SmsRequest, ApplyBundleRequest/Item, LegacyApplyRequest, SuspendBody, the error body
    {"src/model/esims_codec.cc",
     {"message", "from", "repeat", "allowReassign", "AllowReassign", "suspend"}},
    {"src/model/common_codec.cc", {"message"}},
    // OrderRequest and BundleOrder
    {"src/model/orders_codec.cc", {"Order", "assign", "profileID", "profileId", "allowReassign"}},
    // RefundRequest
    {"src/model/inventory_codec.cc", {"usageId", "quantity"}},
};

// Every field name reachable from the roots of `operations` (any version).
std::set<std::string_view> FieldsOf(const std::vector<std::string_view>& prefixes) {
  using drift::internal::kNone;
  std::set<std::string_view> names;
  std::vector<uint16_t> todo;
  for (const auto& root : drift::internal::Roots()) {
    for (std::string_view prefix : prefixes) {
      if (root.operation.starts_with(prefix)) todo.push_back(root.node);
    }
  }
  std::set<uint16_t> done;
  while (!todo.empty()) {
    uint16_t n = todo.back();
    todo.pop_back();
    if (!done.insert(n).second) continue;
    const auto& node = drift::internal::Nodes()[n];
    for (const auto& f : drift::internal::Fields().subspan(node.first_field, node.field_count)) {
      names.insert(f.name);
      todo.push_back(f.node);
    }
    if (node.items != kNone) todo.push_back(node.items);
    if (node.alt != kNone) todo.push_back(node.alt);
  }
  return names;
}

// Each codec file and the operations whose answers it decodes (by method + path prefix).
struct CodecFile {
  const char* file;
  std::vector<std::string_view> operations;
};

TEST(DriftParity, EveryFieldACodecReadsIsKnownToTheDescriptorsOfItsOperations) {
  const std::vector<CodecFile> codecs = {
      {"src/model/catalogue_codec.cc", {"GET /catalogue"}},
      // StatusMessage and the allowances: shared by many answers.
      {"src/model/common_codec.cc",
       {"GET /esims/{iccid}/refresh", "GET /catalogue", "GET /inventory",
        "GET /esims/{iccid}/bundles"}},
      {"src/model/esims_codec.cc", {"GET /esims", "POST /esims", "PUT /esims", "DELETE /esims"}},
      {"src/model/inventory_codec.cc", {"GET /inventory", "POST /inventory"}},
      {"src/model/networks_codec.cc", {"GET /networks"}},
      {"src/model/orders_codec.cc", {"GET /orders", "POST /orders"}},
      {"src/model/organisation_codec.cc", {"GET /organisation", "POST /organisation"}},
  };
  const std::regex key_re(R"re(key == "([A-Za-z_]+)")re");
  size_t checked = 0;
  for (const auto& codec : codecs) {
    const std::set<std::string_view> known = FieldsOf(codec.operations);
    ASSERT_FALSE(known.empty()) << codec.file;
    std::string src = ReadSource(codec.file);
    for (std::sregex_iterator it(src.begin(), src.end(), key_re), end; it != end; ++it) {
      std::string key = (*it)[1];
      auto skip = kRequestOnlyKeys.find(codec.file);
      if (skip != kRequestOnlyKeys.end() && skip->second.count(key)) continue;
      ++checked;
      EXPECT_TRUE(known.count(key)) << codec.file << " reads \"" << key
                                    << "\", which no descriptor of its operations knows: add it "
                                       "to src/drift/live_overlay.yaml and regenerate";
    }
  }
  EXPECT_GT(checked, 150u);  // the pattern still finds the codecs' keys
}

}  // namespace
}  // namespace esimgo
