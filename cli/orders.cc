// esimgo orders list|create|show — GET /orders (#19), POST /orders (#20), GET /orders/{ref} (#21).

#include <fmt/core.h>

#include <charconv>

#include "commands.h"
#include "json_model.h"

namespace esimgo::cli {
namespace {

struct ListArgs {
  int page = 0, limit = 0;
  bool include_iccids = false;
  std::string since, until;
};

struct CreateArgs {
  std::vector<std::string> items;
  std::vector<std::string> iccids;
  bool assign = false, allow_reassign = false, validate = false, yes = false;
};

// "2026-11-01", ISO-8601, or a duration meaning "that long ago" (24h, 7d).
std::optional<Timestamp::TimePoint> ParseTime(std::string_view text) {
  Timestamp t = Timestamp::Parse(text);
  if (t.time) return t.time;
  auto d = ParseDuration(text);
  if (!d) return std::nullopt;
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()) -
         std::chrono::duration_cast<std::chrono::nanoseconds>(*d);
}

Table OrdersTable(const std::vector<Order>& orders) {
  Table t{.headers = {"REFERENCE", "CREATED", "STATUS", "TOTAL", "ITEMS"},
          .right_align = {false, false, false, true, false}};
  for (const auto& o : orders) {
    std::vector<std::string> items;
    for (const auto& l : o.order) items.push_back(fmt::format("{} × {}", l.quantity, l.item));
    t.rows.push_back({o.order_reference, When(o.created_date), o.status.raw,
                      Price(o.total, o.currency), Join(items, ", ")});
  }
  return t;
}

Table LinesTable(const std::vector<OrderLine>& lines, Money total, const std::string& currency) {
  Table t{.headers = {"ITEM", "QTY", "UNIT PRICE", "SUBTOTAL", "ICCIDS"},
          .right_align = {false, true, true, true, false}};
  for (const auto& l : lines) {
    std::vector<std::string> iccids = l.iccids;
    for (const auto& e : l.esims) {
      if (std::find(iccids.begin(), iccids.end(), e.iccid) == iccids.end())
        iccids.push_back(e.iccid);
    }
    t.rows.push_back({l.item, std::to_string(l.quantity), Price(l.price_per_unit, currency),
                      Price(l.sub_total, currency), Join(iccids, ", ")});
  }
  t.rows.push_back({"TOTAL", "", "", Price(total, currency), ""});
  return t;
}

int RunList(Context& ctx, const ListArgs& a) {
  OrderListRequest req;
  if (a.page < 0) return ctx.Fail(kExitInvalidArgument, "--page must be 1 or more");
  if (a.limit < 0) return ctx.Fail(kExitInvalidArgument, "--limit must be 1 or more");
  if (a.page > 0) req.page = a.page;
  if (a.limit > 0) req.limit = a.limit;
  if (a.include_iccids) req.include_iccids = true;
  if (!a.since.empty()) {
    req.created_from = ParseTime(a.since);
    if (!req.created_from) {
      return ctx.Fail(kExitInvalidArgument,
                      fmt::format("invalid --since '{}': use a date (2026-11-01), ISO-8601 time "
                                  "or a duration ago (24h, 7d)",
                                  a.since));
    }
  }
  if (!a.until.empty()) {
    req.created_to = ParseTime(a.until);
    if (!req.created_to) {
      return ctx.Fail(kExitInvalidArgument,
                      fmt::format("invalid --until '{}': use a date (2026-11-01), ISO-8601 time "
                                  "or a duration ago (24h, 7d)",
                                  a.until));
    }
  }
  auto client = ctx.client();
  if (!client) return ctx.Fail(client.error());
  auto page = (*client)->orders().List(req);
  if (!page) return ctx.Fail(page.error());
  ctx.out().Emit(ToJsonArray(page->items), OrdersTable(page->items));
  return kExitOk;
}

int ShowOrder(Context& ctx, const Order& o) {
  if (ctx.out().format() != Format::kTable) {
    ctx.out().Emit(ToJson(o), {});
    return kExitOk;
  }
  ctx.out().EmitRecord(
      ToJson(o),
      {{"Reference", o.order_reference},
       {"Status", o.status.raw + (o.status_message.empty() ? "" : " — " + o.status_message)},
       {"Created", When(o.created_date)},
       {"Total", Price(o.total, o.currency)},
       {"Assigned", YesNo(o.assigned)}});
  std::fputs("\n", stdout);
  ctx.out().Emit(Json(), LinesTable(o.order, o.total, o.currency));
  if (o.reconciled) ctx.Info("the answer was lost; this order was found by reconciliation");
  return kExitOk;
}

int RunShow(Context& ctx, const std::string& ref) {
  if (ref.empty()) return ctx.Fail(kExitInvalidArgument, "the order reference is empty");
  auto client = ctx.client();
  if (!client) return ctx.Fail(client.error());
  auto o = (*client)->orders().Get(ref);
  if (!o) return ctx.Fail(o.error());
  return ShowOrder(ctx, *o);
}

int RunCreate(Context& ctx, const CreateArgs& a) {
  OrderRequest req{.assign = a.assign || !a.iccids.empty()};
  for (const auto& spec : a.items) {
    BundleOrder line;
    auto colon = spec.rfind(':');
    line.item = spec;
    if (colon != std::string::npos) {
      std::string_view qty(spec.data() + colon + 1, spec.size() - colon - 1);
      int q = 0;
      auto [p, ec] = std::from_chars(qty.data(), qty.data() + qty.size(), q);
      if (ec != std::errc() || p != qty.data() + qty.size() || q < 1 || q > 1000) {
        return ctx.Fail(kExitInvalidArgument,
                        fmt::format("invalid quantity in '{}': write BUNDLE:QTY with QTY from 1 "
                                    "to 1000, e.g. esim_1GB_7D_GB_V2:3",
                                    spec));
      }
      line.item = spec.substr(0, colon);
      line.quantity = q;
    }
    if (line.item.empty()) {
      return ctx.Fail(kExitInvalidArgument, fmt::format("empty bundle name in '{}'", spec));
    }
    if (a.allow_reassign) line.allow_reassign = true;
    req.order.push_back(std::move(line));
  }
  if (!a.iccids.empty()) {
    if (req.order.size() != 1) {
      return ctx.Fail(kExitInvalidArgument,
                      "--iccid works with exactly one BUNDLE[:QTY]: order each bundle separately");
    }
    for (const auto& i : a.iccids) {
      if (int rc = CheckIccid(ctx, i); rc != kExitOk) return rc;
    }
    if (static_cast<int>(a.iccids.size()) != req.order[0].quantity) {
      return ctx.Fail(kExitInvalidArgument,
                      fmt::format("{} ICCIDs given for a quantity of {}: give one --iccid per "
                                  "unit (or set QTY to {})",
                                  a.iccids.size(), req.order[0].quantity, a.iccids.size()));
    }
    req.order[0].iccids = a.iccids;
  }
  if (req.order.size() > 10) {
    ctx.Info("eSIM Go advises at most 10 items per order");
  }
  auto client = ctx.client();
  if (!client) return ctx.Fail(client.error());
  auto v = (*client)->orders().Validate(req);
  if (!v) return ctx.Fail(v.error());
  if (a.validate) {
    if (ctx.out().format() == Format::kTable) {
      std::fputs(
          fmt::format("Validation: {} (nothing was charged)\n\n", v->valid ? "valid" : "NOT valid")
              .c_str(),
          stdout);
      ctx.out().Emit(Json(), LinesTable(v->order, v->total, v->currency));
    } else {
      ctx.out().Emit(ToJson(*v), {});
    }
    return v->valid ? kExitOk : kExitInvalidArgument;
  }
  if (!v->valid) {
    return ctx.Fail(kExitInvalidArgument,
                    "the API says this order is not valid: check the bundle names and your "
                    "balance (esimgo organisation show)");
  }
  // What will happen, on stderr so that stdout stays the order itself.
  std::string summary =
      Printer(Format::kTable, false).RenderTable(LinesTable(v->order, v->total, v->currency));
  std::fputs(
      fmt::format("This order will debit {} from the balance{}:\n{}", Price(v->total, v->currency),
                  req.assign ? " and assign the bundles to eSIMs" : " (bundles go to inventory)",
                  summary)
          .c_str(),
      stderr);
  if (int rc =
          ctx.Confirm(fmt::format("place this order for {}", Price(v->total, v->currency)), a.yes);
      rc != kExitOk) {
    return rc;
  }
  auto o = (*client)->orders().Create(req);
  if (!o) return ctx.Fail(o.error());
  return ShowOrder(ctx, *o);
}

}  // namespace

void RegisterOrders(CLI::App& app, Context& ctx) {
  auto* group = Sub(app, "orders", "List, validate and place orders");
  group->require_subcommand(1);

  auto la = std::make_shared<ListArgs>();
  auto* list = Sub(*group, "list", "List orders (GET /orders)");
  list->add_option("--page", la->page, "Page number (1-based)");
  list->add_option("--limit", la->limit, "Orders per page");
  list->add_flag("--include-iccids", la->include_iccids, "Include the eSIMs of each order");
  list->add_option("--since", la->since, "Created at or after (date, ISO-8601, or 24h/7d ago)");
  list->add_option("--until", la->until, "Created at or before (date, ISO-8601, or 24h/7d ago)");
  OnRun(list, ctx, [&ctx, la] { return RunList(ctx, *la); });

  auto ca = std::make_shared<CreateArgs>();
  auto* create = Sub(*group, "create", "Validate and place an order (POST /orders)");
  create->add_option("BUNDLE[:QTY]", ca->items, "Bundles to buy, e.g. esim_1GB_7D_GB_V2:2")
      ->required();
  create->add_flag("--assign", ca->assign, "Assign to new eSIMs instead of inventory");
  create->add_option("--iccid", ca->iccids, "Assign to this eSIM (repeat once per unit)");
  create->add_flag("--allow-reassign", ca->allow_reassign,
                   "Allow a new eSIM when the bundle is incompatible with --iccid");
  create->add_flag("--validate", ca->validate, "Only validate: nothing is charged");
  create->add_flag("-y,--yes", ca->yes, "Do not ask for confirmation");
  OnRun(create, ctx, [&ctx, ca] { return RunCreate(ctx, *ca); });

  auto ref = std::make_shared<std::string>();
  auto* show = Sub(*group, "show", "Show one order (GET /orders/{reference})");
  show->add_option("REFERENCE", *ref, "Order reference")->required();
  OnRun(show, ctx, [&ctx, ref] { return RunShow(ctx, *ref); });
}

}  // namespace esimgo::cli
