// esimgo organisation show|topup|groups — #16, #17, #18.

#include <fmt/core.h>

#include "commands.h"
#include "json_model.h"

namespace esimgo::cli {
namespace {

int RunShow(Context& ctx) {
  auto client = ctx.client();
  if (!client) return ctx.Fail(client.error());
  auto o = (*client)->organisation().Get();
  if (!o) return ctx.Fail(o.error());
  std::vector<std::string> users;
  for (const auto& u : o->users) {
    users.push_back(fmt::format("{} {} ({})", u.first_name, u.last_name, u.role));
  }
  ctx.out().EmitRecord(
      ToJson(*o),
      {{"Name", o->name},
       {"Balance", Price(o->balance, o->currency)},
       {"Test credit",
        Price(o->test_credit, o->currency) +
            (o->test_credit_expiry.empty() ? "" : " (expires " + o->test_credit_expiry.raw + ")")},
       {"Currency", o->currency},
       {"Groups", Join(o->groups, ", ")},
       {"Callback URL", o->callback_url},
       {"Country", o->country},
       {"Users", Join(users, ", ")}});
  return kExitOk;
}

int RunTopUp(Context& ctx, const std::string& amount_text, bool yes) {
  auto amount = Money::Parse(amount_text);
  if (!amount || *amount <= Money()) {
    return ctx.Fail(
        kExitInvalidArgument,
        fmt::format("invalid amount '{}': give a number such as 1000 or 1250.50", amount_text));
  }
  if (amount->micros() % 10'000 != 0) {
    return ctx.Fail(kExitInvalidArgument, "the amount must be whole cents (at most 2 decimals)");
  }
  if (*amount < Money::FromUnits(1000) || *amount > Money::FromUnits(5000)) {
    return ctx.Fail(kExitInvalidArgument,
                    fmt::format("invalid amount {}: eSIM Go accepts top-ups from 1000 to 5000 "
                                "(at most 5000 a day)",
                                amount->ToString()));
  }
  std::fputs(fmt::format("This charges {} to the organisation's saved card.\n", Price(*amount, ""))
                 .c_str(),
             stderr);
  if (int rc = ctx.Confirm(fmt::format("top up the balance by {}", Price(*amount, "")), yes); rc) {
    return rc;
  }
  auto client = ctx.client();
  if (!client) return ctx.Fail(client.error());
  auto t = (*client)->organisation().TopUp(*amount);
  if (!t) return ctx.Fail(t.error());
  ctx.out().EmitRecord(ToJson(*t), {{"Amount", Price(t->amount, "")},
                                    {"Balance", Price(t->balance, "")},
                                    {"Reference", t->ref}});
  return kExitOk;
}

int RunGroups(Context& ctx) {
  auto client = ctx.client();
  if (!client) return ctx.Fail(client.error());
  auto g = (*client)->organisation().Groups();
  if (!g) return ctx.Fail(g.error());
  Table t{.headers = {"NAME", "DESCRIPTION", "PRICE LIST"}};
  for (const auto& x : *g) t.rows.push_back({x.name, x.desc, x.price_list_url});
  ctx.out().Emit(ToJsonArray(*g), t);
  return kExitOk;
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
  auto* topup = Sub(*group, "topup", "Top up the balance from the saved card (1000–5000)");
  topup->add_option("AMOUNT", *amount, "Amount in the organisation's currency")->required();
  topup->add_flag("-y,--yes", *yes, "Do not ask for confirmation");
  OnRun(topup, ctx, [&ctx, amount, yes] { return RunTopUp(ctx, *amount, *yes); });

  auto* groups = Sub(*group, "groups", "Bundle groups (GET /organisation/groups)");
  OnRun(groups, ctx, [&ctx] { return RunGroups(ctx); });
}

}  // namespace esimgo::cli
