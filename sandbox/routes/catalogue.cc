// GET /catalogue (#24) and GET /catalogue/bundle/{name} (#25), served from the embedded rate
// sheet. Pages are assembled from per-bundle JSON encoded once, and cached by query in a
// byte-bounded cache owned by the Sandbox instance (one per AddCatalogueRoutes call).

#include <algorithm>
#include <memory>

#include "esimgo/limits.h"
#include "model/catalogue_codec.h"
#include "page_cache.h"
#include "router.h"
#include "static_data.h"

namespace esimgo::sandbox {
namespace {

constexpr int kDefaultPerPage = 50;

Reply List(PageCache& cache, Ctx& c) {
  const StaticData& d = Data();
  // page ≤ kMaxPageNumber and perPage ≤ kCatalogueMaxPerPage are checked before any arithmetic:
  // (page - 1) × perPage then fits easily and indexes nothing out of bounds.
  auto page_or = ParsePage(c.Query("page"), "page");
  if (!page_or) return ErrorReply(page_or.error());
  int64_t page = *page_or;
  int64_t per_page = kDefaultPerPage;
  if (auto p = c.Query("perPage")) {
    auto v = ParseInt(*p);
    if (!v || *v < 1 || *v > limits::kCatalogueMaxPerPage) {
      return ErrorReply(400, "perPage must be a whole number from 1 to " +
                                 std::to_string(limits::kCatalogueMaxPerPage));
    }
    per_page = *v;
  }
  std::string direction = Lower(c.Query("direction").value_or("asc"));
  if (direction != "asc" && direction != "desc") {
    return ErrorReply(400, "direction must be asc or desc");
  }
  std::string order_by = c.Query("orderBy").value_or("");
  static const char* kOrderBy[] = {"", "name", "price", "dataAmount", "duration", "description"};
  if (std::find(std::begin(kOrderBy), std::end(kOrderBy), order_by) == std::end(kOrderBy)) {
    return ErrorReply(400, "orderBy must be one of name, price, dataAmount, duration, description");
  }
  std::vector<std::string> countries = SplitList(c.Query("countries").value_or(""));
  for (auto& iso : countries) {
    for (char& ch : iso) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  std::string region = c.Query("region").value_or("");
  std::string group = c.Query("group").value_or("");
  std::string description = c.Query("description").value_or("");

  std::string key = std::string(c.v25() ? "v2.5|" : "") + std::to_string(page) + "|" +
                    std::to_string(per_page) + "|" + direction + "|" + order_by + "|" + region +
                    "|" + group + "|" + description + "|";
  for (const auto& iso : countries) key += iso + ",";
  if (auto hit = cache.Get(key)) return JsonReply(std::move(*hit));

  // Wildcard search: '*' matches anything; without one, a case-insensitive substring.
  std::vector<std::string> pieces;
  {
    std::string lower = Lower(description);
    size_t pos = 0;
    while (pos <= lower.size()) {
      size_t star = lower.find('*', pos);
      if (star == std::string::npos) star = lower.size();
      if (star > pos) pieces.push_back(lower.substr(pos, star - pos));
      pos = star + 1;
    }
  }
  std::vector<const BundleInfo*> hits;
  for (const auto& b : d.bundles) {
    const CatalogueBundle& m = b.model;
    if (!group.empty() && std::none_of(m.groups.begin(), m.groups.end(), [&](const std::string& g) {
          return EqualsIgnoreCase(g, group);
        })) {
      continue;
    }
    if (!countries.empty() &&
        std::none_of(m.countries.begin(), m.countries.end(), [&](const Country& ct) {
          return std::find(countries.begin(), countries.end(), ct.iso) != countries.end();
        })) {
      continue;
    }
    if (!region.empty() &&
        std::none_of(m.countries.begin(), m.countries.end(),
                     [&](const Country& ct) { return EqualsIgnoreCase(ct.region, region); }) &&
        !EqualsIgnoreCase(b.area, region)) {
      continue;
    }
    if (!pieces.empty()) {
      std::string hay = Lower(m.description) + "\n" + Lower(m.name);
      size_t at = 0;
      bool ok = true;
      for (const auto& p : pieces) {
        size_t f = hay.find(p, at);
        if (f == std::string::npos) {
          ok = false;
          break;
        }
        at = f + p.size();
      }
      if (!ok) continue;
    }
    hits.push_back(&b);
  }
  if (!order_by.empty()) {
    auto less = [&](const BundleInfo* a, const BundleInfo* b) {
      const auto& x = a->model;
      const auto& y = b->model;
      if (order_by == "price") return x.price < y.price;
      if (order_by == "dataAmount") return x.data_amount_mb < y.data_amount_mb;
      if (order_by == "duration") return x.duration_days < y.duration_days;
      if (order_by == "description") return x.description < y.description;
      return x.name < y.name;
    };
    std::stable_sort(hits.begin(), hits.end(), less);
  }
  if (direction == "desc") std::reverse(hits.begin(), hits.end());

  int64_t rows = static_cast<int64_t>(hits.size());
  int64_t page_count = (rows + per_page - 1) / per_page;
  std::string body = "{\"bundles\":[";
  int64_t first = (page - 1) * per_page;
  for (int64_t i = first; i < std::min(rows, first + per_page); ++i) {  // empty when first ≥ rows
    if (i > first) body += ',';
    body += c.v25() ? hits[static_cast<size_t>(i)]->json_v25 : hits[static_cast<size_t>(i)]->json;
  }
  body += "],\"pageCount\":" + std::to_string(page_count) + ",\"rows\":" + std::to_string(rows) +
          ",\"pageSize\":" + std::to_string(per_page) + "}";
  cache.Put(std::move(key), body);
  return JsonReply(std::move(body));
}

Reply Get(Ctx& c) {
  std::string name = c.Param(1);
  const BundleInfo* b = FindBundle(name);  // one row, not the whole sheet, when cold
  if (!b) {
    return ErrorReply(403, "bundle '" + name +
                               "' is not in the catalogue; names are case-sensitive (list them "
                               "with GET /catalogue)");
  }
  return JsonReply(c.v25() ? b->detail_json_v25 : b->detail_json);
}

}  // namespace

void AddCatalogueRoutes(RouteTable& t) {
  auto cache = std::make_shared<PageCache>();
  t.push_back({"GET", "/catalogue", "GET /catalogue", [cache](Ctx& c) { return List(*cache, c); }});
  t.push_back({"GET", "/catalogue/bundle/([^/]+)", "GET /catalogue/bundle/{name}", Get});
}

}  // namespace esimgo::sandbox
