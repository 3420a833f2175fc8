// Organisation operations (#16–#18).

#include "esimgo/organisation.h"

#include "esimgo/limits.h"

#include "api_call.h"
#include "http/url.h"
#include "model/organisation_codec.h"

namespace esimgo {
using internal::Call;
using internal::Op;

namespace {
// One cent in Money's millionths.
constexpr int64_t kCentMicros = Money::kScale / 100;
}  // namespace

Result<Organisation> OrganisationApi::Get(const CallOptions& call) const {
  return internal::ExecuteAndDecode<Organisation>(
      core_.get(), Call{.op = Op::kOrganisationGet, .target = "/organisation"}, call);
}

Result<TopUpResult> OrganisationApi::TopUp(Money amount, const CallOptions& call) const {
  if (amount < limits::kTopUpMinimum) {
    return internal::InvalidArgument(Op::kOrganisationTopUp,
                                     "top-up amount " + amount.ToString() +
                                         " is below eSIM Go's minimum of " +
                                         limits::kTopUpMinimum.ToString() + " (daily maximum " +
                                         limits::kTopUpDailyMaximum.ToString() + ")");
  }
  if (amount.micros() % kCentMicros != 0) {
    return internal::InvalidArgument(Op::kOrganisationTopUp, "top-up amount " + amount.ToString() +
                                                                 " is not a whole number of cents");
  }
  internal::Query q;
  q.Add("amount", amount.ToString());
  // `amount` is a query parameter and the request has no body (spec: content {}).
  // kNeverAfterSend: the card is charged once at most.
  // No way to look a top-up up afterwards: say so instead of inviting a second charge.
  return internal::MarkAmbiguous(
      internal::ExecuteAndDecode<TopUpResult>(
          core_.get(),
          Call{.op = Op::kOrganisationTopUp, .target = "/organisation/balance" + q.str()}, call),
      "the top-up of " + amount.ToString() + " (charged to the saved card)",
      "Check the balance with GET /organisation before retrying.");
}

Result<std::vector<BundleGroup>> OrganisationApi::Groups(const CallOptions& call) const {
  auto body = internal::ExecuteAndDecode<BundleGroupListBody>(
      core_.get(), Call{.op = Op::kOrganisationGroups, .target = "/organisation/groups"}, call);
  if (!body) return tl::unexpected(std::move(body.error()));
  return std::move(body->groups);
}

}  // namespace esimgo
