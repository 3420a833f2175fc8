// Catalogue operations (#24, #25).

#include "esimgo/catalogue.h"

#include "api_call.h"
#include "http/url.h"
#include "model/catalogue_codec.h"

namespace esimgo {
using internal::Call;
using internal::Op;

Result<CataloguePage> CatalogueApi::List(const CatalogueListRequest& request,
                                         const CallOptions& call) const {
  if (auto ok = internal::CheckPaging(Op::kCatalogueList, request.page, "per_page",
                                      request.per_page, limits::kCatalogueMaxPerPage);
      !ok) {
    return tl::unexpected(ok.error());
  }
  internal::Query q;
  q.AddIf("page", request.page)
      .AddIf("perPage", request.per_page)
      .AddList("countries", request.countries)
      .AddIf("region", request.region)
      .AddIf("group", request.group)
      .AddIf("description", request.description)
      .AddIf("orderBy", request.order_by)
      .AddIf("direction", request.direction);
  return internal::ExecuteAndDecode<CataloguePage>(
      core_.get(), Call{.op = Op::kCatalogueList, .target = "/catalogue" + q.str()}, call);
}

Pager<CatalogueBundle> CatalogueApi::ListAll(CatalogueListRequest request, CallOptions call) const {
  const int first = request.page.value_or(1);
  return Pager<CatalogueBundle>(
      [api = *this, request, call](int page) mutable -> Result<Page<CatalogueBundle>> {
        request.page = page;
        auto r = api.List(request, call);
        if (!r) return tl::unexpected(std::move(r.error()));
        Page<CatalogueBundle> out;
        out.page = page;
        out.page_count = r->page_count;
        out.rows = r->rows;
        out.items = std::move(r->bundles);
        // The live API says how many pages there are; the bare-array form does not, so
        // without it a short page ends the walk.
        if (out.page_count) {
          out.has_more = page < *out.page_count;
        } else {
          out.has_more =
              request.per_page && static_cast<int>(out.items.size()) >= *request.per_page;
        }
        return out;
      },
      first);
}

Result<CatalogueBundle> CatalogueApi::Get(std::string_view name, const CallOptions& call) const {
  if (name.empty()) {
    return internal::InvalidArgument(Op::kCatalogueGet,
                                     "bundle name is empty (names look like esim_1GB_7D_GB_V2)");
  }
  return internal::ExecuteAndDecode<CatalogueBundle>(
      core_.get(),
      Call{.op = Op::kCatalogueGet,
           .target = "/catalogue/bundle/" + internal::EscapePathSegment(name)},
      call);
}

// #30 (v2.5; consumption billing only)
Result<CataloguePrices> CatalogueApi::Prices(const CallOptions& call) const {
  return internal::ExecuteAndDecode<CataloguePrices>(
      core_.get(), Call{.op = Op::kCataloguePrices, .target = "/catalogue/prices"}, call);
}

}  // namespace esimgo
