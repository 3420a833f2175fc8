// Error::reason: the one phrase table that tells the causes of an overloaded 403 apart, so
// callers (and the CLI's exit codes) never match message text themselves.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "client_core.h"
#include "retry/operations.h"
#include "testing/fake_transport.h"

namespace esimgo {
namespace {

using internal::Call;
using internal::ClientCore;
using internal::Op;
using testing::FakeClient;
using testing::FakeReply;

TEST(ErrorReasonFor, TellsTheCausesOfA403Apart) {
  struct Case {
    const char* message;
    ErrorReason reason;
  };
  const Case cases[] = {
      {"Unauthorised", ErrorReason::kInvalidKey},
      {"unauthorised: missing or invalid X-API-Key header", ErrorReason::kInvalidKey},
      {"eSIM 8944538532008160222 is not in this sandbox", ErrorReason::kNotFound},
      {"ICCID not accessible by the user", ErrorReason::kNotFound},
      {"bundle 'esim_X' not found", ErrorReason::kNotFound},
      {"no available bundles of 'esim_1GB_7D_GB_V2' in inventory", ErrorReason::kNoInventory},
      {"refunds are disabled for this organisation", ErrorReason::kRefundNotAllowed},
      {"something else entirely", ErrorReason::kUnspecified},
      {"", ErrorReason::kUnspecified},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ErrorReasonFor(403, c.message), c.reason) << c.message;
  }
}

TEST(ErrorReasonFor, TheKeyIsCheckedBeforeAnythingThatLooksLikeNotFound) {
  // A message naming both must never send a user hunting for a missing ICCID.
  EXPECT_EQ(ErrorReasonFor(403, "Unauthorised: unknown API key"), ErrorReason::kInvalidKey);
}

TEST(ErrorReasonFor, StatusDecidesWhereItCan) {
  EXPECT_EQ(ErrorReasonFor(401, ""), ErrorReason::kInvalidKey);  // POST /orders only
  EXPECT_EQ(ErrorReasonFor(404, "whatever"), ErrorReason::kNotFound);
  EXPECT_EQ(ErrorReasonFor(429, "Unauthorised"), ErrorReason::kUnspecified);
  EXPECT_EQ(ErrorReasonFor(500, "not found"), ErrorReason::kUnspecified);
}

TEST(ErrorReasonFor, A400KeepsOnlyTheMoneyCauses) {
  EXPECT_EQ(ErrorReasonFor(400, "Bad Request: insufficient balance: the order costs 10"),
            ErrorReason::kInsufficientBalance);
  EXPECT_EQ(ErrorReasonFor(400, "refund quantity exceeds what is left"),
            ErrorReason::kRefundNotAllowed);
  // "unknown field" in a 400 is about the request, not a missing object.
  EXPECT_EQ(ErrorReasonFor(400, "unknown field 'x'"), ErrorReason::kUnspecified);
}

TEST(ErrorReasonName, EveryReasonHasAStableName) {
  EXPECT_EQ(ErrorReasonName(ErrorReason::kUnspecified), "unspecified");
  EXPECT_EQ(ErrorReasonName(ErrorReason::kInvalidKey), "invalid_key");
  EXPECT_EQ(ErrorReasonName(ErrorReason::kNotFound), "not_found");
  EXPECT_EQ(ErrorReasonName(ErrorReason::kNoInventory), "no_inventory");
  EXPECT_EQ(ErrorReasonName(ErrorReason::kInsufficientBalance), "insufficient_balance");
  EXPECT_EQ(ErrorReasonName(ErrorReason::kRefundNotAllowed), "refund_not_allowed");
}

TEST(ErrorReasonFromResponse, TheClientSetsTheReasonAndToStringShowsIt) {
  FakeClient fake;
  ClientCore core(fake.Options());
  fake.transport->Push(FakeReply{.status = 403, .body = R"({"message":"no available bundles"})"});
  auto r = core.Execute(Call{.op = Op::kEsimsApply, .target = "/esims/apply"}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(r.error().reason, ErrorReason::kNoInventory);
  EXPECT_EQ(r.error().ToString(),
            "esims.ApplyBundle: forbidden/no_inventory (HTTP 403): no available bundles");
}

// ---- v2.5: deactivated eSIMs ---------------------------------------------------------------

TEST(ErrorReasonFor, A410IsADeactivatedEsimWhateverItSays) {
  EXPECT_EQ(ErrorCodeForStatus(410), ErrorCode::kNotFound);
  EXPECT_EQ(ErrorReasonFor(410, ""), ErrorReason::kDeactivated);
  EXPECT_EQ(ErrorReasonFor(410, "Gone"), ErrorReason::kDeactivated);
  EXPECT_EQ(ErrorReasonName(ErrorReason::kDeactivated), "deactivated");
}

TEST(ErrorReasonFor, A400Or403SayingDeactivatedIsDeactivatedButTheKeyStillComesFirst) {
  EXPECT_EQ(ErrorReasonFor(400, "Deactivated eSIMs cannot have bundles applied"),
            ErrorReason::kDeactivated);
  EXPECT_EQ(ErrorReasonFor(400, "eSIM 8944538532008160222 is deactivated"),
            ErrorReason::kDeactivated);
  EXPECT_EQ(ErrorReasonFor(403, "eSIM is deactivated"), ErrorReason::kDeactivated);
  // More specific than not-found: the eSIM exists.
  EXPECT_EQ(ErrorReasonFor(400, "eSIM not found or deactivated"), ErrorReason::kDeactivated);
  EXPECT_EQ(ErrorReasonFor(403, "Unauthorised: key deactivated"), ErrorReason::kInvalidKey);
  // Unrelated 400s stay unspecified.
  EXPECT_EQ(ErrorReasonFor(400, "request format is not accepted"), ErrorReason::kUnspecified);
}

TEST(ErrorReasonFromResponse, ASilent410SaysTheEsimIsDeactivatedAndWhatToDo) {
  FakeClient fake;
  ClientCore core(fake.Options());
  fake.transport->Push(FakeReply{.status = 410, .body = ""});
  auto r = core.Execute(Call{.op = Op::kEsimsInstallDetails, .target = "/esims/assignments"}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().reason, ErrorReason::kDeactivated);
  EXPECT_NE(r.error().message.find("deactivated"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("order a new eSIM"), std::string::npos) << r.error().message;
  EXPECT_EQ(fake.transport->count(), 1u);
  EXPECT_NE(r.error().ToString().find("not_found/deactivated (HTTP 410)"), std::string::npos)
      << r.error().ToString();
}

TEST(ErrorReasonFromResponse, TheServersDeactivatedMessageStandsAlone) {
  FakeClient fake;
  ClientCore core(fake.Options());
  fake.transport->Push(FakeReply{
      .status = 400, .body = R"({"message":"Deactivated eSIMs cannot receive SMS messages"})"});
  auto r = core.Execute(Call{.op = Op::kEsimsSendSms, .target = "/esims/1/sms"}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(r.error().reason, ErrorReason::kDeactivated);
  EXPECT_EQ(r.error().message, "Deactivated eSIMs cannot receive SMS messages");
}

}  // namespace
}  // namespace esimgo
