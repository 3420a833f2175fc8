// Operations new in API v2.5 (issue 9), served under /v2.5 only: suspend/unsuspend (#27),
// suspension status (◐ GET), delete (#29) and consumption prices (#30); and the admin switches
// that only the sandbox has: eSIM Go's policy suspension and the consumption-billing flag.
// The rules are the Engine's (engine_v25.cc); these routes decode, call once and encode.

#include "model/catalogue_codec.h"
#include "model/common_codec.h"
#include "model/esims_codec.h"
#include "router.h"
#include "wire.h"

namespace esimgo::sandbox {
namespace {

Reply Suspend(Ctx& c) {
  auto body = wire::DecodeSuspend(c.req.body);
  if (!body || !body->suspend) {
    return ErrorReply(400,
                      "the body must be JSON {\"suspend\": true} to suspend or {\"suspend\": "
                      "false} to unsuspend");
  }
  auto r = c.engine.Suspend(c.Param(1), *body->suspend);
  if (!r) return ErrorReply(r.error());
  Reply reply = Encoded(*r);
  reply.status = 201;  // the spec's success status for this operation
  return reply;
}

Reply Suspension(Ctx& c) { return Answer(c.engine.Suspension(c.Param(1))); }

Reply Delete(Ctx& c) { return Answer(c.engine.DeleteEsim(c.Param(1))); }

Reply Prices(Ctx& c) { return Answer(c.engine.Prices()); }

Reply PolicySuspension(Ctx& c) {
  auto body = wire::DecodeFlag(c.req.body, "suspended");
  if (!body || !body->value) {
    return ErrorReply(400, "body must be {\"suspended\": true|false}");
  }
  auto r = c.engine.SetPolicySuspension(c.Param(1), *body->value);
  if (!r) return ErrorReply(r.error());
  internal::JsonWriter w;
  w.BeginObject().Field("iccid", c.Param(1)).Field("policySuspended", *body->value).EndObject();
  return JsonReply(w.Take());
}

Reply Consumption(Ctx& c) {
  auto body = wire::DecodeFlag(c.req.body, "enabled");
  if (!body || !body->value) return ErrorReply(400, "body must be {\"enabled\": true|false}");
  auto r = c.engine.SetConsumption(*body->value);
  if (!r) return ErrorReply(r.error());
  internal::JsonWriter w;
  w.BeginObject().Field("consumption", *body->value).EndObject();
  return JsonReply(w.Take());
}

}  // namespace

void AddV25Routes(RouteTable& t) {
  constexpr auto kV25 = ApiVersion::kV2_5;
  t.push_back(
      {"POST", "/esims/([^/]+)/suspend", "POST /esims/{iccid}/suspend", Suspend, false, kV25});
  t.push_back(
      {"GET", "/esims/([^/]+)/suspend", "GET /esims/{iccid}/suspend", Suspension, false, kV25});
  t.push_back({"DELETE", "/esims/([^/]+)", "DELETE /esims/{iccid}", Delete, false, kV25});
  t.push_back({"GET", "/catalogue/prices", "GET /catalogue/prices", Prices, false, kV25});
}

void AddV25AdminRoutes(RouteTable& t) {
  t.push_back({"POST", "/_sandbox/esims/([^/]+)/policy-suspension",
               "POST /_sandbox/esims/{iccid}/policy-suspension", PolicySuspension});
  t.push_back({"POST", "/_sandbox/consumption", "POST /_sandbox/consumption", Consumption});
}

}  // namespace esimgo::sandbox
