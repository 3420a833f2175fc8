// esimgo inventory list|refund — GET /inventory (#22), POST /inventory/refund (#23).

#include <fmt/core.h>

#include <charconv>

#include "commands.h"
#include "fields.h"

namespace esimgo::cli {
namespace {

// One row per lot: the lot's columns, then its bundle's (a bundle bought twice has two lots).
Table LotsTable(const std::vector<InventoryBundle>& bundles) {
  Table lots = TableOf(std::vector<InventoryLot>{});
  Table of_bundle = TableOf(std::vector<InventoryBundle>{});
  Table t{.headers = lots.headers, .right_align = lots.right_align};
  t.headers.insert(t.headers.end(), of_bundle.headers.begin(), of_bundle.headers.end());
  t.right_align.insert(t.right_align.end(), of_bundle.right_align.begin(),
                       of_bundle.right_align.end());
  for (const auto& b : bundles) {
    std::vector<std::string> bundle_cells = TableOf(std::vector<InventoryBundle>{b}).rows[0];
    for (auto& row : TableOf(b.available).rows) {
      row.insert(row.end(), bundle_cells.begin(), bundle_cells.end());
      t.rows.push_back(std::move(row));
    }
  }
  return t;
}

Outcome<> RunList(Context& ctx) {
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto inv = (*client)->inventory().Get();
  if (!inv) return tl::unexpected(inv.error());
  ctx.out().Emit(ToJsonArray(inv->bundles), LotsTable(inv->bundles));
  return {};
}

Outcome<> RunRefund(Context& ctx, const std::string& usage_id, int64_t quantity, bool yes) {
  // The usage ID's syntax is the CLI's (a number on the command line); its range is the SDK's.
  int64_t id = 0;
  auto [p, ec] = std::from_chars(usage_id.data(), usage_id.data() + usage_id.size(), id);
  if (ec != std::errc() || p != usage_id.data() + usage_id.size()) {
    return Invalid(
        fmt::format("invalid usage ID '{}': it is the number in the USAGE ID column "
                    "of `esimgo inventory list`",
                    usage_id));
  }
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  // What will happen: find the lot so the user sees what is refunded (no validate mode here).
  auto inv = (*client)->inventory().Get();
  if (!inv) return tl::unexpected(inv.error());
  const InventoryBundle* bundle = nullptr;
  const InventoryLot* lot = nullptr;
  for (const auto& b : inv->bundles) {
    for (const auto& l : b.available) {
      if (l.id == id) bundle = &b, lot = &l;
    }
  }
  if (lot == nullptr) {
    return Stop(kExitNotFound,
                fmt::format("no inventory lot with usage ID {}: see `esimgo inventory list`", id));
  }
  // Known only from the inventory just read (the SDK cannot check it): asked before the prompt.
  if (quantity > lot->remaining) {
    return Invalid(fmt::format("--quantity {} is more than the {} left in lot {}", quantity,
                               lot->remaining, id));
  }
  std::fputs(fmt::format("Refunding {} × {} from lot {} ({} left) to the balance.\n", quantity,
                         bundle->name, id, lot->remaining)
                 .c_str(),
             stderr);
  if (auto ok = ctx.Confirm(fmt::format("refund {} × {}", quantity, bundle->name), yes); !ok) {
    return ok;
  }
  auto s = (*client)->inventory().Refund({.usage_id = id, .quantity = quantity});
  if (!s) return tl::unexpected(s.error());
  ctx.out().EmitRecord(Json::Object()
                           .Set("usage_id", std::to_string(id))
                           .Set("bundle", bundle->name)
                           .Set("quantity", quantity)
                           .Set("status", s->status),
                       RecordOf(*s));
  return {};
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
