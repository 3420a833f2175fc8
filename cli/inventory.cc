// esimgo inventory list|refund — GET /inventory (#22), POST /inventory/refund (#23).

#include <fmt/core.h>

#include <charconv>

#include "commands.h"
#include "json_model.h"

namespace esimgo::cli {
namespace {

int RunList(Context& ctx) {
  auto client = ctx.client();
  if (!client) return ctx.Fail(client.error());
  auto inv = (*client)->inventory().Get();
  if (!inv) return ctx.Fail(inv.error());
  Table t{.headers = {"BUNDLE", "USAGE ID", "REMAINING", "TOTAL", "EXPIRY", "DATA", "DURATION"},
          .right_align = {false, false, true, true, false, true, true}};
  for (const auto& b : inv->bundles) {
    std::string duration =
        fmt::format("{} {}{}", b.duration, b.duration_unit.empty() ? "day" : b.duration_unit,
                    b.duration == 1 ? "" : "s");
    for (const auto& lot : b.available) {
      t.rows.push_back({b.name, std::to_string(lot.id), std::to_string(lot.remaining),
                        std::to_string(lot.total), lot.expiry.raw.empty() ? "-" : lot.expiry.raw,
                        Megabytes(b.data_mb, b.unlimited), duration});
    }
  }
  ctx.out().Emit(ToJsonArray(inv->bundles), t);
  return kExitOk;
}

int RunRefund(Context& ctx, const std::string& usage_id, int64_t quantity, bool yes) {
  int64_t id = 0;
  auto [p, ec] = std::from_chars(usage_id.data(), usage_id.data() + usage_id.size(), id);
  if (ec != std::errc() || p != usage_id.data() + usage_id.size() || id <= 0) {
    return ctx.Fail(kExitInvalidArgument,
                    fmt::format("invalid usage ID '{}': it is the positive number in the USAGE "
                                "ID column of `esimgo inventory list`",
                                usage_id));
  }
  if (quantity < 1) return ctx.Fail(kExitInvalidArgument, "--quantity must be 1 or more");
  auto client = ctx.client();
  if (!client) return ctx.Fail(client.error());
  // What will happen: find the lot so the user sees what is refunded (no validate mode here).
  auto inv = (*client)->inventory().Get();
  if (!inv) return ctx.Fail(inv.error());
  const InventoryBundle* bundle = nullptr;
  const InventoryLot* lot = nullptr;
  for (const auto& b : inv->bundles) {
    for (const auto& l : b.available) {
      if (l.id == id) bundle = &b, lot = &l;
    }
  }
  if (lot == nullptr) {
    return ctx.Fail(kExitNotFound, fmt::format("no inventory lot with usage ID {}: see `esimgo "
                                               "inventory list`",
                                               id));
  }
  if (quantity > lot->remaining) {
    return ctx.Fail(kExitInvalidArgument,
                    fmt::format("--quantity {} is more than the {} left in lot {}", quantity,
                                lot->remaining, id));
  }
  std::fputs(fmt::format("Refunding {} × {} from lot {} ({} left) to the balance.\n", quantity,
                         bundle->name, id, lot->remaining)
                 .c_str(),
             stderr);
  if (int rc = ctx.Confirm(fmt::format("refund {} × {}", quantity, bundle->name), yes); rc) {
    return rc;
  }
  auto s = (*client)->inventory().Refund({.usage_id = id, .quantity = quantity});
  if (!s) return ctx.Fail(s.error());
  ctx.out().EmitRecord(Json::Object()
                           .Set("usage_id", std::to_string(id))
                           .Set("bundle", bundle->name)
                           .Set("quantity", quantity)
                           .Set("status", s->status),
                       {{"Status", s->status}});
  return kExitOk;
}

}  // namespace

void RegisterInventory(CLI::App& app, Context& ctx) {
  auto* group = Sub(app, "inventory", "Bought but unassigned bundles");
  group->require_subcommand(1);
  auto* list = Sub(*group, "list", "List inventory lots (GET /inventory)");
  OnRun(list, ctx, [&ctx] { return RunList(ctx); });

  struct R {
    std::string usage_id;
    int64_t quantity = 1;
    bool yes = false;
  };
  auto r = std::make_shared<R>();
  auto* refund = Sub(*group, "refund", "Refund inventory to the balance (POST /inventory/refund)");
  refund->add_option("USAGE_ID", r->usage_id, "Usage ID of the lot (inventory list)")->required();
  refund->add_option("--quantity", r->quantity, "How many (default 1)");
  refund->add_flag("-y,--yes", r->yes, "Do not ask for confirmation");
  OnRun(refund, ctx, [&ctx, r] { return RunRefund(ctx, r->usage_id, r->quantity, r->yes); });
}

}  // namespace esimgo::cli
