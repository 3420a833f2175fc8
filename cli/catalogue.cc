// esimgo catalogue list|show — GET /catalogue (#24), GET /catalogue/bundle/{name} (#25).

#include <fmt/core.h>

#include "commands.h"
#include "json_model.h"

namespace esimgo::cli {
namespace {

struct ListArgs {
  std::vector<std::string> countries;
  std::string region, group, description, order_by, direction;
  int page = 0, per_page = 0;
  bool all = false;
};

Table BundleTable(const std::vector<CatalogueBundle>& bundles) {
  Table t{.headers = {"NAME", "DATA", "DURATION", "PRICE", "COUNTRIES", "DESCRIPTION"},
          .right_align = {false, true, true, true, false, false}};
  for (const auto& b : bundles) {
    std::vector<std::string> isos;
    for (const auto& c : b.countries) isos.push_back(c.iso.empty() ? c.name : c.iso);
    std::string countries =
        isos.size() > 6
            ? fmt::format("{} +{} more", Join({isos.begin(), isos.begin() + 5}), isos.size() - 5)
            : Join(isos);
    t.rows.push_back({b.name, Megabytes(b.data_amount_mb, b.unlimited), Days(b.duration_days),
                      Price(b.price, ""), countries, b.description});
  }
  return t;
}

int RunList(Context& ctx, const ListArgs& a) {
  if (a.page < 0) return ctx.Fail(kExitInvalidArgument, "--page must be 1 or more");
  if (a.per_page < 0 || a.per_page > 1000) {
    return ctx.Fail(kExitInvalidArgument, "--per-page must be between 1 and 1000");
  }
  if (!a.direction.empty() && a.direction != "asc" && a.direction != "desc") {
    return ctx.Fail(kExitInvalidArgument, "--direction must be asc or desc");
  }
  CatalogueListRequest req;
  for (const auto& c : a.countries) {
    if (!c.empty()) req.countries.push_back(c);
  }
  if (!a.region.empty()) req.region = a.region;
  if (!a.group.empty()) req.group = a.group;
  if (!a.description.empty()) req.description = a.description;
  if (!a.order_by.empty()) req.order_by = a.order_by;
  if (!a.direction.empty()) req.direction = a.direction;
  if (a.per_page > 0) req.per_page = a.per_page;
  auto client = ctx.client();
  if (!client) return ctx.Fail(client.error());

  std::vector<CatalogueBundle> bundles;
  if (!a.all) {
    if (a.page > 0) req.page = a.page;
    auto page = (*client)->catalogue().List(req);
    if (!page) return ctx.Fail(page.error());
    bundles = std::move(page->bundles);
    if (ctx.out().format() == Format::kTable && page->page_count && *page->page_count > 1) {
      ctx.Info(fmt::format("page {} of {} ({} bundles in all); --all fetches every page",
                           a.page > 0 ? a.page : 1, *page->page_count,
                           page->rows ? *page->rows : 0));
    }
  } else {
    if (!req.per_page) req.per_page = 500;
    Progress progress("catalogue", true);
    for (int p = a.page > 0 ? a.page : 1;; ++p) {
      req.page = p;
      auto page = (*client)->catalogue().List(req);
      if (!page) {
        progress.Finish();
        return ctx.Fail(page.error());
      }
      std::size_t n = page->bundles.size();
      for (auto& b : page->bundles) bundles.push_back(std::move(b));
      progress.Update(p, page->page_count.value_or(0), static_cast<int64_t>(bundles.size()));
      bool more =
          page->page_count ? p < *page->page_count : n >= static_cast<std::size_t>(*req.per_page);
      if (!more || n == 0) break;
    }
    progress.Finish();
  }
  ctx.out().Emit(ToJsonArray(bundles), BundleTable(bundles));
  return kExitOk;
}

int RunShow(Context& ctx, const std::string& name) {
  if (name.empty()) return ctx.Fail(kExitInvalidArgument, "the bundle name is empty");
  auto client = ctx.client();
  if (!client) return ctx.Fail(client.error());
  auto b = (*client)->catalogue().Get(name);
  if (!b) return ctx.Fail(b.error());
  std::vector<std::string> countries;
  for (const auto& c : b->countries) countries.push_back(fmt::format("{} ({})", c.name, c.iso));
  std::vector<std::string> roaming;
  for (const auto& c : b->roaming_enabled) roaming.push_back(c.iso.empty() ? c.name : c.iso);
  ctx.out().EmitRecord(ToJson(*b), {{"Name", b->name},
                                    {"Description", b->description},
                                    {"Data", Megabytes(b->data_amount_mb, b->unlimited)},
                                    {"Duration", Days(b->duration_days)},
                                    {"Price", Price(b->price, "")},
                                    {"Countries", Join(countries, ", ")},
                                    {"Roaming", Join(roaming, ", ")},
                                    {"Speed", Join(b->speed, ", ")},
                                    {"Groups", Join(b->groups, ", ")},
                                    {"Autostart", YesNo(b->autostart)},
                                    {"Billing", b->billing_type}});
  return kExitOk;
}

}  // namespace

void RegisterCatalogue(CLI::App& app, Context& ctx) {
  auto* group = Sub(app, "catalogue", "Browse the bundle catalogue");
  group->require_subcommand(1);

  auto args = std::make_shared<ListArgs>();
  auto* list = Sub(*group, "list", "List bundles (GET /catalogue)");
  list->add_option("--countries", args->countries, "ISO codes, e.g. GB,FR")->delimiter(',');
  list->add_option("--region", args->region, "Region, e.g. Europe");
  list->add_option("--group", args->group, "Bundle group, e.g. \"Standard Fixed\"");
  list->add_option("--description", args->description, "Wildcard search in descriptions");
  list->add_option("--page", args->page, "Page number (1-based)");
  list->add_option("--per-page", args->per_page, "Bundles per page (1–1000)");
  list->add_flag("--all", args->all, "Fetch every page");
  list->add_option("--order-by", args->order_by, "Sort field");
  list->add_option("--direction", args->direction, "asc or desc");
  OnRun(list, ctx, [&ctx, args] { return RunList(ctx, *args); });

  auto name = std::make_shared<std::string>();
  auto* show = Sub(*group, "show", "Show one bundle (GET /catalogue/bundle/{name})");
  show->add_option("BUNDLE", *name, "Bundle name (case-sensitive)")->required();
  OnRun(show, ctx, [&ctx, name] { return RunShow(ctx, *name); });
}

}  // namespace esimgo::cli
