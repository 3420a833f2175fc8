// esimgo orders list|create|show — GET /orders (#19), POST /orders (#20), GET /orders/{ref} (#21).

#include <fmt/core.h>

#include <charconv>

#include "commands.h"
#include "esimgo/limits.h"
#include "fields.h"

namespace esimgo::cli {
namespace {

struct ListArgs {
  std::optional<int> page, limit;
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

// --since/--until: the CLI's own syntax, so its own message.
Outcome<std::optional<Timestamp::TimePoint>> TimeFlag(std::string_view flag,
                                                      const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto t = ParseTime(text);
  if (!t) {
    return Invalid(
        fmt::format("invalid {} '{}': use a date (2026-11-01), ISO-8601 time or a "
                    "duration ago (24h, 7d)",
                    flag, text));
  }
  return t;
}

Outcome<> RunList(Context& ctx, const ListArgs& a) {
  OrderListRequest req{.page = a.page, .limit = a.limit};
  if (a.include_iccids) req.include_iccids = true;
  auto since = TimeFlag("--since", a.since);
  if (!since) return tl::unexpected(since.error());
  auto until = TimeFlag("--until", a.until);
  if (!until) return tl::unexpected(until.error());
  req.created_from = *since;
  req.created_to = *until;
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto page = (*client)->orders().List(req);
  if (!page) return tl::unexpected(page.error());
  ctx.out().Emit(ToJsonArray(page->items), TableOf(page->items));
  return {};
}

void ShowOrder(Context& ctx, const Order& o) {
  if (ctx.out().format() != Format::kTable) {
    ctx.out().Emit(ToJson(o), {});
    return;
  }
  ctx.out().EmitRecord(ToJson(o), RecordOf(o));
  std::fputs("\n", stdout);
  ctx.out().Emit(Json(), LinesTable(o.order, o.total, o.currency));
  if (o.reconciled) ctx.Info("the answer was lost; this order was found by reconciliation");
}

Outcome<> RunShow(Context& ctx, const std::string& ref) {
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto o = (*client)->orders().Get(ref);
  if (!o) return tl::unexpected(o.error());
  ShowOrder(ctx, *o);
  return {};
}

Outcome<> RunCreate(Context& ctx, const CreateArgs& a) {
  OrderRequest req{.assign = a.assign || !a.iccids.empty()};
  for (const auto& spec : a.items) {
    BundleOrder line;
    auto colon = spec.rfind(':');
    line.item = spec;
    if (colon != std::string::npos) {
      std::string_view qty(spec.data() + colon + 1, spec.size() - colon - 1);
      int q = 0;
      auto [p, ec] = std::from_chars(qty.data(), qty.data() + qty.size(), q);
      // Only the syntax is checked here; the SDK checks the quantity's range.
      if (ec != std::errc() || p != qty.data() + qty.size()) {
        return Invalid(
            fmt::format("invalid quantity in '{}': write BUNDLE:QTY with a whole "
                        "number QTY, e.g. esim_1GB_7D_GB_V2:3",
                        spec));
      }
      line.item = spec.substr(0, colon);
      line.quantity = q;
    }
    if (a.allow_reassign) line.allow_reassign = true;
    req.order.push_back(std::move(line));
  }
  if (!a.iccids.empty()) {
    // Which line the ICCIDs belong to is the CLI's syntax; their count and format are the SDK's.
    if (req.order.size() != 1) {
      return Invalid("--iccid works with exactly one BUNDLE[:QTY]: order each bundle separately");
    }
    req.order[0].iccids = a.iccids;
  }
  if (req.order.size() > 10) {
    ctx.Info("eSIM Go advises at most 10 items per order");
  }
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto v = (*client)->orders().Validate(req);
  if (!v) return tl::unexpected(v.error());
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
    // The answer printed above says why; the exit code tells a script.
    if (!v->valid) return Stop(kExitInvalidArgument, "");
    return {};
  }
  if (!v->valid) {
    return Invalid(
        "the API says this order is not valid: check the bundle names and your balance "
        "(esimgo organisation show)");
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
  auto ok =
      ctx.Confirm(fmt::format("place this order for {}", Price(v->total, v->currency)), a.yes);
  if (!ok) return ok;
  auto o = (*client)->orders().Create(req);
  if (!o) return tl::unexpected(o.error());
  ShowOrder(ctx, *o);
  return {};
}

}  // namespace

void RegisterOrders(CLI::App& app, Context& ctx) {
  auto* group = Sub(app, "orders", "List, validate and place orders");
  group->require_subcommand(1);

  auto la = std::make_shared<ListArgs>();
  auto* list = Sub(*group, "list", "List orders (GET /orders)");
  list->add_option("--page", la->page, "Page number (1-based)");
  list->add_option("--limit", la->limit,
                   fmt::format("Orders per page (1–{})", limits::kOrdersMaxLimit));
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
