// esimgo organisation show|topup|groups — #16, #17, #18.

#include <fmt/core.h>

#include "commands.h"
#include "esimgo/limits.h"
#include "fields.h"

namespace esimgo::cli {
namespace {

Outcome<> RunShow(Context& ctx) {
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto o = (*client)->organisation().Get();
  if (!o) return tl::unexpected(o.error());
  ctx.out().EmitRecord(ToJson(*o), RecordOf(*o));
  return {};
}

Outcome<> RunTopUp(Context& ctx, const std::string& amount_text, bool yes) {
  // Reading the number is the CLI's job; the SDK checks the minimum and whole cents.
  auto amount = Money::Parse(amount_text);
  if (!amount) {
    return Invalid(
        fmt::format("invalid amount '{}': give a number such as 1000 or 1250.50", amount_text));
  }
  std::fputs(fmt::format("This charges {} to the organisation's saved card.\n", Price(*amount, ""))
                 .c_str(),
             stderr);
  if (auto ok = ctx.Confirm(fmt::format("top up the balance by {}", Price(*amount, "")), yes);
      !ok) {
    return ok;
  }
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto t = (*client)->organisation().TopUp(*amount);
  if (!t) return tl::unexpected(t.error());
  ctx.out().EmitRecord(ToJson(*t), RecordOf(*t));
  return {};
}

Outcome<> RunGroups(Context& ctx) {
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto g = (*client)->organisation().Groups();
  if (!g) return tl::unexpected(g.error());
  ctx.out().Emit(ToJsonArray(*g), TableOf(*g));
  return {};
}

}  // namespace

void RegisterOrganisation(CLI::App& app, Context& ctx) {
  auto* group = Sub(app, "organisation", "Your organisation: balance, top-up, bundle groups");
  group->alias("org");
  group->require_subcommand(1);
  auto* show = Sub(*group, "show", "Organisation details and balance (GET /organisation)");
  OnRun(show, ctx, [&ctx] { return RunShow(ctx); });

  auto amount = std::make_shared<std::string>();
  auto yes = std::make_shared<bool>(false);
  auto* topup =
      Sub(*group, "topup",
          fmt::format("Top up the balance from the saved card (at least {}, at most {} "
                      "a day)",
                      limits::kTopUpMinimum.ToString(), limits::kTopUpDailyMaximum.ToString()));
  topup->add_option("AMOUNT", *amount, "Amount in the organisation's currency")->required();
  topup->add_flag("-y,--yes", *yes, "Do not ask for confirmation");
  OnRun(topup, ctx, [&ctx, amount, yes] { return RunTopUp(ctx, *amount, *yes); });

  auto* groups = Sub(*group, "groups", "Bundle groups (GET /organisation/groups)");
  OnRun(groups, ctx, [&ctx] { return RunGroups(ctx); });
}

}  // namespace esimgo::cli
