// esimgo catalogue list|show|prices — GET /catalogue (#24), GET /catalogue/bundle/{name} (#25),
// GET /catalogue/prices (v2.5).

#include <fmt/core.h>

#include "commands.h"
#include "esimgo/limits.h"
#include "fields.h"

namespace esimgo::cli {
namespace {

struct ListArgs {
  std::vector<std::string> countries;
  std::optional<std::string> region, group, description, order_by, direction;
  std::optional<int> page, per_page;
  bool all = false;
};

// The page size of `--all` when none is given: large pages, few requests.
constexpr int kAllPageSize = 500;

Outcome<> RunList(Context& ctx, const ListArgs& a) {
  CatalogueListRequest req{.page = a.page,
                           .per_page = a.per_page,
                           .region = a.region,
                           .group = a.group,
                           .description = a.description,
                           .order_by = a.order_by,
                           .direction = a.direction};
  for (const auto& c : a.countries) {
    if (!c.empty()) req.countries.push_back(c);
  }
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());

  std::vector<CatalogueBundle> bundles;
  if (!a.all) {
    auto page = (*client)->catalogue().List(req);
    if (!page) return tl::unexpected(page.error());
    bundles = std::move(page->bundles);
    if (ctx.out().format() == Format::kTable && page->page_count && *page->page_count > 1) {
      ctx.Info(fmt::format("page {} of {} ({} bundles in all); --all fetches every page",
                           a.page.value_or(1), *page->page_count, page->rows.value_or(0)));
    }
  } else {
    if (!req.per_page) req.per_page = std::min(kAllPageSize, limits::kCatalogueMaxPerPage);
    Progress progress("catalogue", true);
    for (int p = a.page.value_or(1);; ++p) {
      req.page = p;
      auto page = (*client)->catalogue().List(req);
      if (!page) return tl::unexpected(page.error());
      std::size_t n = page->bundles.size();
      for (auto& b : page->bundles) bundles.push_back(std::move(b));
      progress.Update(p, page->page_count.value_or(0), static_cast<int64_t>(bundles.size()));
      bool more =
          page->page_count ? p < *page->page_count : n >= static_cast<std::size_t>(*req.per_page);
      if (!more || n == 0) break;
    }
  }
  ctx.out().Emit(ToJsonArray(bundles), TableOf(bundles));
  return {};
}

Outcome<> RunShow(Context& ctx, const std::string& name) {
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto b = (*client)->catalogue().Get(name);
  if (!b) return tl::unexpected(b.error());
  ctx.out().EmitRecord(ToJson(*b), RecordOf(*b));
  return {};
}

// Consumption prices (v2.5). `--country` filters here, not on the server: the operation takes
// no query. The table is one row per country and profile; -o json keeps the answer's shape
// (hash, then prices grouped by country), filtered the same way.
Outcome<> RunPrices(Context& ctx, const std::optional<std::string>& country) {
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto p = (*client)->catalogue().Prices();
  if (!p) return tl::unexpected(p.error());
  CataloguePrices shown{.hash = p->hash, .prices = {}};
  std::vector<ConsumptionPrice> rows;
  for (auto& cp : p->prices) {
    if (country && !EqualsIgnoreCase(cp.country.iso, *country)) continue;
    for (auto& price : cp.prices) {
      ConsumptionPrice row = price;
      if (row.country.iso.empty()) row.country = cp.country;  // the group names it
      rows.push_back(std::move(row));
    }
    shown.prices.push_back(std::move(cp));
  }
  if (country && shown.prices.empty() && ctx.out().format() == Format::kTable) {
    ctx.Info(fmt::format("no consumption prices for country '{}'", *country));
  }
  if (ctx.out().format() == Format::kCsv) {
    // CSV is one line per price, flat: the country as two columns instead of an object.
    Json flat = Json::Array();
    for (const auto& r : rows) {
      flat.Push(Json::Object()
                    .Set("id", r.id)
                    .Set("country_iso", r.country.iso)
                    .Set("country_name", r.country.name)
                    .Set("profile", r.profile)
                    .Set("price", r.price)
                    .Set("currency", r.currency));
    }
    ctx.out().Emit(flat, TableOf(rows));
  } else {
    ctx.out().Emit(ToJson(shown), TableOf(rows));
  }
  return {};
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
  list->add_option("--per-page", args->per_page,
                   fmt::format("Bundles per page (1–{})", limits::kCatalogueMaxPerPage));
  list->add_flag("--all", args->all, "Fetch every page");
  list->add_option("--order-by", args->order_by, "Sort field");
  list->add_option("--direction", args->direction, "asc or desc")
      ->check(CLI::IsMember({"asc", "desc"}));
  OnRun(list, ctx, [&ctx, args] { return RunList(ctx, *args); });

  auto name = std::make_shared<std::string>();
  auto* show = Sub(*group, "show", "Show one bundle (GET /catalogue/bundle/{name})");
  show->add_option("BUNDLE", *name, "Bundle name (case-sensitive)")->required();
  OnRun(show, ctx, [&ctx, name] { return RunShow(ctx, *name); });

  auto country = std::make_shared<std::optional<std::string>>();
  auto* prices = Sub(*group, "prices",
                     "Consumption prices per GB by country and profile (v2.5, GET "
                     "/catalogue/prices; consumption billing only)");
  prices->add_option("--country", *country, "Only this country (ISO code, e.g. GB)");
  OnRun(prices, ctx, [&ctx, country] { return RunPrices(ctx, *country); });
}

}  // namespace esimgo::cli
