// GET /organisation (#16), POST /organisation/balance (#17), GET /organisation/groups (#18).

#include "model/organisation_codec.h"
#include "router.h"
#include "static_data.h"

namespace esimgo::sandbox {
namespace {

Reply Get(Ctx& c) { return Answer(c.engine.GetOrganisation()); }

Reply TopUp(Ctx& c) {
  auto raw = c.Query("amount");
  if (!raw || raw->empty()) {
    return ErrorReply(400, "amount is required as a query parameter, e.g. ?amount=1000");
  }
  auto amount = Money::Parse(*raw);
  if (!amount || amount->micros() <= 0) {
    return ErrorReply(400, "amount must be a positive number, e.g. 1000 or 1500.50");
  }
  return Answer(c.engine.TopUp(*amount));
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
