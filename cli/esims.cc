// esimgo esims list|show|update|history|refresh|compatible|sms|location — eSIM operations
// #3–#6, #12–#15 of v2.4 (apply and install: esims_install.cc).
//
// Flags map to SDK requests; the SDK checks them (ICCIDs, page sizes, filters, SMS length) and
// its kInvalidArgument becomes exit 3 with its message.

#include <fmt/core.h>

#include "commands.h"
#include "esimgo/limits.h"
#include "fields.h"

namespace esimgo::cli {
namespace {

struct ListArgs {
  std::optional<int> page, per_page;
  std::optional<std::string> filter_by, filter, direction, order_by;
  bool all = false;
};

Outcome<> RunList(Context& ctx, const ListArgs& a) {
  EsimListRequest req{.page = a.page,
                      .per_page = a.per_page,
                      .direction = a.direction,
                      .order_by = a.order_by,
                      .filter_by = a.filter_by,
                      .filter = a.filter};
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  std::vector<EsimSummary> esims;
  if (a.all) {
    if (!req.per_page) req.per_page = limits::kEsimPageSizes.back();
    auto pager = (*client)->esims().ListAll(req);
    Progress progress("esims", true);
    for (const auto& r : pager) {
      if (!r) return tl::unexpected(r.error());
      esims.push_back(*r);
      if (esims.size() % 25 == 0) {
        progress.Update(pager.pages_fetched(), 0, static_cast<int64_t>(esims.size()));
      }
    }
  } else {
    auto page = (*client)->esims().List(req);
    if (!page) return tl::unexpected(page.error());
    esims = std::move(page->items);
    if (page->has_more && ctx.out().format() == Format::kTable) {
      ctx.Info("more eSIMs on the next page: --page N or --all");
    }
  }
  ctx.out().Emit(ToJsonArray(esims), TableOf(esims));
  return {};
}

Outcome<> RunShow(Context& ctx, const std::string& iccid,
                  const std::optional<std::string>& fields) {
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto d = (*client)->esims().Get(iccid, fields);
  if (!d) return tl::unexpected(d.error());
  ctx.out().EmitRecord(ToJson(*d), RecordOf(*d));
  return {};
}

// A `{status}` answer with the request's identifiers in front (`{iccid, …, status}`).
void PrintStatus(Context& ctx, const StatusMessage& s, Json extra) {
  extra.Set("status", s.status);
  ctx.out().EmitRecord(extra, RecordOf(s));
}

Outcome<> RunUpdate(Context& ctx, const std::string& iccid, const std::string& ref) {
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto s = (*client)->esims().Update(iccid, ref);
  if (!s) return tl::unexpected(s.error());
  PrintStatus(ctx, *s, Json::Object().Set("iccid", iccid).Set("customer_ref", ref));
  return {};
}

Outcome<> RunHistory(Context& ctx, const std::string& iccid) {
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto h = (*client)->esims().History(iccid);
  if (!h) return tl::unexpected(h.error());
  ctx.out().Emit(ToJsonArray(*h), TableOf(*h));
  return {};
}

Outcome<> RunRefresh(Context& ctx, const std::string& iccid, bool yes) {
  // The SDK's own ICCID rule, before the question: do not ask about an eSIM that cannot exist.
  if (auto ok = ValidateIccid(iccid); !ok) return tl::unexpected(ok.error());
  std::fputs(fmt::format("Refreshing {} disconnects the customer from the network; the eSIM "
                         "re-attaches on its own.\n",
                         iccid)
                 .c_str(),
             stderr);
  if (auto ok = ctx.Confirm("refresh " + iccid, yes); !ok) return ok;
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto s = (*client)->esims().Refresh(iccid);
  if (!s) return tl::unexpected(s.error());
  PrintStatus(ctx, *s, Json::Object().Set("iccid", iccid));
  return {};
}

Outcome<> RunCompatible(Context& ctx, const std::string& iccid, const std::string& bundle) {
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto c = (*client)->esims().Compatible(iccid, bundle);
  if (!c) return tl::unexpected(c.error());
  ctx.out().EmitRecord(
      Json::Object().Set("iccid", iccid).Set("bundle", bundle).Set("compatible", *c),
      {{"ICCID", iccid}, {"Bundle", bundle}, {"Compatible", YesNo(*c)}});
  return {};
}

Outcome<> RunSms(Context& ctx, const std::string& iccid, const std::string& message,
                 const std::optional<std::string>& from) {
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto s = (*client)->esims().SendSms(iccid, {.message = message, .from = from});
  if (!s) return tl::unexpected(s.error());
  PrintStatus(ctx, *s, Json::Object().Set("iccid", iccid));
  return {};
}

Outcome<> RunLocation(Context& ctx, const std::string& iccid) {
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto l = (*client)->esims().Location(iccid);
  if (!l) return tl::unexpected(l.error());
  ctx.out().EmitRecord(ToJson(*l), RecordOf(*l));
  return {};
}

std::string PageSizes() {
  std::vector<std::string> sizes;
  for (int s : limits::kEsimPageSizes) sizes.push_back(std::to_string(s));
  return Join(sizes, ", ");
}

std::string FilterFields() {
  return Join({limits::kEsimFilterFields.begin(), limits::kEsimFilterFields.end()}, ", ");
}

}  // namespace

void RegisterEsims(CLI::App& app, Context& ctx) {
  auto* group = Sub(app, "esims", "eSIMs: list, inspect, apply bundles, install details");
  group->require_subcommand(1);

  auto la = std::make_shared<ListArgs>();
  auto* list = Sub(*group, "list", "List eSIMs (GET /esims)");
  list->add_option("--page", la->page, "Page number (1-based)");
  list->add_option("--per-page", la->per_page, PageSizes());
  list->add_option("--filter-by", la->filter_by, FilterFields());
  list->add_option("--filter", la->filter, "Value for --filter-by");
  list->add_option("--direction", la->direction, "asc or desc")
      ->check(CLI::IsMember({"asc", "desc"}));
  list->add_option("--order-by", la->order_by, "Sort field (iccid)");
  list->add_flag("--all", la->all, "Fetch every page");
  OnRun(list, ctx, [&ctx, la] { return RunList(ctx, *la); });

  auto iccid = std::make_shared<std::string>();
  auto fields = std::make_shared<std::optional<std::string>>();
  auto* show = Sub(*group, "show", "Show one eSIM (GET /esims/{iccid})");
  show->add_option("ICCID", *iccid, "ICCID")->required();
  show->add_option("--additional-fields", *fields,
                   "e.g. appleInstallUrl; on v2.5 also installUrl (Android link)");
  OnRun(show, ctx, [&ctx, iccid, fields] { return RunShow(ctx, *iccid, *fields); });

  auto u_iccid = std::make_shared<std::string>();
  auto u_ref = std::make_shared<std::string>();
  auto* update = Sub(*group, "update", "Set the customer reference (PUT /esims)");
  update->add_option("ICCID", *u_iccid, "ICCID")->required();
  update->add_option("--customer-ref", *u_ref, "Customer reference")->required();
  OnRun(update, ctx, [&ctx, u_iccid, u_ref] { return RunUpdate(ctx, *u_iccid, *u_ref); });

  auto h_iccid = std::make_shared<std::string>();
  auto* history = Sub(*group, "history", "History of an eSIM (GET /esims/{iccid}/history)");
  history->add_option("ICCID", *h_iccid, "ICCID")->required();
  OnRun(history, ctx, [&ctx, h_iccid] { return RunHistory(ctx, *h_iccid); });

  auto r_iccid = std::make_shared<std::string>();
  auto r_yes = std::make_shared<bool>(false);
  auto* refresh =
      Sub(*group, "refresh", "Refresh the network connection (disconnects the customer)");
  refresh->add_option("ICCID", *r_iccid, "ICCID")->required();
  refresh->add_flag("-y,--yes", *r_yes, "Do not ask for confirmation");
  OnRun(refresh, ctx, [&ctx, r_iccid, r_yes] { return RunRefresh(ctx, *r_iccid, *r_yes); });

  auto c_iccid = std::make_shared<std::string>();
  auto c_bundle = std::make_shared<std::string>();
  auto* compatible = Sub(*group, "compatible", "Can this bundle be applied to this eSIM?");
  compatible->add_option("ICCID", *c_iccid, "ICCID")->required();
  compatible->add_option("BUNDLE", *c_bundle, "Bundle name")->required();
  OnRun(compatible, ctx,
        [&ctx, c_iccid, c_bundle] { return RunCompatible(ctx, *c_iccid, *c_bundle); });

  auto s_iccid = std::make_shared<std::string>();
  auto s_msg = std::make_shared<std::string>();
  auto s_from = std::make_shared<std::optional<std::string>>();
  auto* sms = Sub(*group, "sms",
                  fmt::format("Send an SMS to an eSIM ({}–{} characters)",
                              limits::kSmsMinCharacters, limits::kSmsMaxCharacters));
  sms->add_option("ICCID", *s_iccid, "ICCID")->required();
  sms->add_option("MESSAGE", *s_msg, "Message text")->required();
  sms->add_option("--from", *s_from, "Sender name (default eSIM)");
  OnRun(sms, ctx,
        [&ctx, s_iccid, s_msg, s_from] { return RunSms(ctx, *s_iccid, *s_msg, *s_from); });

  auto l_iccid = std::make_shared<std::string>();
  auto* location = Sub(*group, "location", "Last known network and country of an eSIM");
  location->add_option("ICCID", *l_iccid, "ICCID")->required();
  OnRun(location, ctx, [&ctx, l_iccid] { return RunLocation(ctx, *l_iccid); });

  RegisterEsimsApplyInstall(*group, ctx);
  RegisterEsimsV25(*group, ctx);
}

}  // namespace esimgo::cli
