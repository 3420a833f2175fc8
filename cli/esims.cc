// esimgo esims … — eSIM operations #1–#6, #12–#15 of v2.4.

#include <fmt/core.h>

#include <filesystem>
#include <fstream>

#include "commands.h"
#include "json_model.h"

#if ESIMGO_CLI_HAVE_QR
#include "sandbox/qr.h"
#endif

namespace esimgo::cli {
namespace {

struct ListArgs {
  int page = 0, per_page = 0;
  std::string filter_by, filter, direction, order_by;
  bool all = false;
};

struct ApplyArgs {
  std::vector<std::string> bundles;
  std::string iccid;
  int repeat = 0;
  bool allow_reassign = false;
};

struct InstallArgs {
  std::vector<std::string> references;
  std::string format = "json", out, qr_png, additional_fields;
  bool qr = false;
};

int WithClient(Context& ctx, Client*& out) {
  auto c = ctx.client();
  if (!c) return ctx.Fail(c.error());
  out = *c;
  return kExitOk;
}

Table EsimsTable(const std::vector<EsimSummary>& esims) {
  Table t{.headers = {"ICCID", "CUSTOMER REF", "LAST ACTION", "ACTION DATE", "ASSIGNED"}};
  for (const auto& e : esims) {
    t.rows.push_back(
        {e.iccid, e.customer_ref, e.last_action, When(e.action_date), When(e.assigned_date)});
  }
  return t;
}

int RunList(Context& ctx, const ListArgs& a) {
  EsimListRequest req;
  if (a.page < 0) return ctx.Fail(kExitInvalidArgument, "--page must be 1 or more");
  if (a.per_page != 0 && a.per_page != 10 && a.per_page != 25 && a.per_page != 50 &&
      a.per_page != 100) {
    return ctx.Fail(
        kExitInvalidArgument,
        fmt::format("invalid --per-page {}: the API accepts 10, 25, 50 or 100", a.per_page));
  }
  static const std::vector<std::string> kFilters = {"iccid", "customerRef", "lastAction",
                                                    "actionDate", "assignedDate"};
  if (!a.filter_by.empty() &&
      std::find(kFilters.begin(), kFilters.end(), a.filter_by) == kFilters.end()) {
    return ctx.Fail(kExitInvalidArgument, fmt::format("invalid --filter-by '{}': use one of {}",
                                                      a.filter_by, Join(kFilters, ", ")));
  }
  if (a.filter_by.empty() != a.filter.empty()) {
    return ctx.Fail(kExitInvalidArgument, "--filter-by and --filter go together: give both");
  }
  if (!a.direction.empty() && a.direction != "asc" && a.direction != "desc") {
    return ctx.Fail(kExitInvalidArgument, "--direction must be asc or desc");
  }
  if (a.page > 0) req.page = a.page;
  if (a.per_page > 0) req.per_page = a.per_page;
  if (!a.filter_by.empty()) req.filter_by = a.filter_by, req.filter = a.filter;
  if (!a.direction.empty()) req.direction = a.direction;
  if (!a.order_by.empty()) req.order_by = a.order_by;
  Client* client = nullptr;
  if (int rc = WithClient(ctx, client); rc) return rc;
  std::vector<EsimSummary> esims;
  if (a.all) {
    if (!req.per_page) req.per_page = 100;
    auto pager = client->esims().ListAll(req);
    Progress progress("esims", true);
    for (const auto& r : pager) {
      if (!r) {
        progress.Finish();
        return ctx.Fail(r.error());
      }
      esims.push_back(*r);
      if (esims.size() % 25 == 0) {
        progress.Update(pager.pages_fetched(), 0, static_cast<int64_t>(esims.size()));
      }
    }
  } else {
    auto page = client->esims().List(req);
    if (!page) return ctx.Fail(page.error());
    esims = std::move(page->items);
    if (page->has_more && ctx.out().format() == Format::kTable) {
      ctx.Info("more eSIMs on the next page: --page N or --all");
    }
  }
  ctx.out().Emit(ToJsonArray(esims), EsimsTable(esims));
  return kExitOk;
}

int RunShow(Context& ctx, const std::string& iccid, const std::string& fields) {
  if (int rc = CheckIccid(ctx, iccid); rc) return rc;
  Client* client = nullptr;
  if (int rc = WithClient(ctx, client); rc) return rc;
  auto d = client->esims().Get(iccid, fields.empty() ? std::nullopt : std::optional(fields));
  if (!d) return ctx.Fail(d.error());
  std::vector<std::pair<std::string, std::string>> kv = {
      {"ICCID", d->iccid},
      {"Profile status", d->profile_status},
      {"Customer ref", d->customer_ref},
      {"SM-DP+ address", d->smdp_address},
      {"Matching ID", d->matching_id},
      {"LPA", d->smdp_address.empty() ? "" : LpaString(d->smdp_address, d->matching_id)},
      {"First installed", When(d->first_installed)},
      {"PIN", d->pin},
      {"PUK", d->puk}};
  if (!d->apple_install_url.empty()) kv.emplace_back("Apple install URL", d->apple_install_url);
  ctx.out().EmitRecord(ToJson(*d), kv);
  return kExitOk;
}

int PrintStatus(Context& ctx, const StatusMessage& s, Json extra = Json::Object()) {
  extra.Set("status", s.status);
  ctx.out().EmitRecord(extra, {{"Status", s.status}});
  return kExitOk;
}

int RunUpdate(Context& ctx, const std::string& iccid, const std::string& ref) {
  if (int rc = CheckIccid(ctx, iccid); rc) return rc;
  if (ref.size() > 255) {
    return ctx.Fail(kExitInvalidArgument, "--customer-ref is longer than 255 characters");
  }
  Client* client = nullptr;
  if (int rc = WithClient(ctx, client); rc) return rc;
  auto s = client->esims().Update(iccid, ref);
  if (!s) return ctx.Fail(s.error());
  return PrintStatus(ctx, *s, Json::Object().Set("iccid", iccid).Set("customer_ref", ref));
}

int RunHistory(Context& ctx, const std::string& iccid) {
  if (int rc = CheckIccid(ctx, iccid); rc) return rc;
  Client* client = nullptr;
  if (int rc = WithClient(ctx, client); rc) return rc;
  auto h = client->esims().History(iccid);
  if (!h) return ctx.Fail(h.error());
  Table t{.headers = {"DATE", "EVENT", "BUNDLE"}};
  for (const auto& e : *h) t.rows.push_back({When(e.date), e.name, e.bundle_name});
  ctx.out().Emit(ToJsonArray(*h), t);
  return kExitOk;
}

int RunRefresh(Context& ctx, const std::string& iccid, bool yes) {
  if (int rc = CheckIccid(ctx, iccid); rc) return rc;
  std::fputs(fmt::format("Refreshing {} disconnects the customer from the network; the eSIM "
                         "re-attaches on its own.\n",
                         iccid)
                 .c_str(),
             stderr);
  if (int rc = ctx.Confirm("refresh " + iccid, yes); rc) return rc;
  Client* client = nullptr;
  if (int rc = WithClient(ctx, client); rc) return rc;
  auto s = client->esims().Refresh(iccid);
  if (!s) return ctx.Fail(s.error());
  return PrintStatus(ctx, *s, Json::Object().Set("iccid", iccid));
}

int RunCompatible(Context& ctx, const std::string& iccid, const std::string& bundle) {
  if (int rc = CheckIccid(ctx, iccid); rc) return rc;
  if (bundle.empty()) return ctx.Fail(kExitInvalidArgument, "the bundle name is empty");
  Client* client = nullptr;
  if (int rc = WithClient(ctx, client); rc) return rc;
  auto c = client->esims().Compatible(iccid, bundle);
  if (!c) return ctx.Fail(c.error());
  ctx.out().EmitRecord(
      Json::Object().Set("iccid", iccid).Set("bundle", bundle).Set("compatible", *c),
      {{"ICCID", iccid}, {"Bundle", bundle}, {"Compatible", YesNo(*c)}});
  return kExitOk;
}

std::size_t Utf8Length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

int RunSms(Context& ctx, const std::string& iccid, const std::string& message,
           const std::string& from) {
  if (int rc = CheckIccid(ctx, iccid); rc) return rc;
  std::size_t len = Utf8Length(message);
  if (len == 0 || len > 160) {
    return ctx.Fail(kExitInvalidArgument,
                    fmt::format("the SMS message has {} characters: it must have 1 to 160", len));
  }
  if (from.size() > 11) {
    return ctx.Fail(kExitInvalidArgument,
                    "--from is longer than 11 characters (the SMS sender-name limit)");
  }
  Client* client = nullptr;
  if (int rc = WithClient(ctx, client); rc) return rc;
  SmsRequest req{.message = message};
  if (!from.empty()) req.from = from;
  auto s = client->esims().SendSms(iccid, req);
  if (!s) return ctx.Fail(s.error());
  return PrintStatus(ctx, *s, Json::Object().Set("iccid", iccid));
}

int RunLocation(Context& ctx, const std::string& iccid) {
  if (int rc = CheckIccid(ctx, iccid); rc) return rc;
  Client* client = nullptr;
  if (int rc = WithClient(ctx, client); rc) return rc;
  auto l = client->esims().Location(iccid);
  if (!l) return ctx.Fail(l.error());
  ctx.out().EmitRecord(ToJson(*l), {{"Country", l->country},
                                    {"Network", l->network_name},
                                    {"Brand", l->network_brand_name},
                                    {"Network code", l->mobile_network_code},
                                    {"Last seen", When(l->last_seen)}});
  return kExitOk;
}

int RunApply(Context& ctx, const ApplyArgs& a) {
  if (!a.iccid.empty() && a.repeat > 0) {
    return ctx.Fail(kExitInvalidArgument,
                    "--iccid and --repeat exclude each other: --repeat N makes N new eSIMs");
  }
  if (a.repeat < 0 || a.repeat > 100) {
    return ctx.Fail(kExitInvalidArgument, "--repeat must be between 1 and 100");
  }
  if (!a.iccid.empty()) {
    if (int rc = CheckIccid(ctx, a.iccid); rc) return rc;
  }
  ApplyBundleRequest req;
  if (!a.iccid.empty()) req.iccid = a.iccid;
  if (a.repeat > 0) req.repeat = a.repeat;
  if (a.allow_reassign) req.allow_reassign = true;
  for (const auto& b : a.bundles) {
    if (b.empty()) return ctx.Fail(kExitInvalidArgument, "empty bundle name");
  }
  if (a.bundles.size() == 1) {
    req.name = a.bundles[0];
  } else {
    for (const auto& b : a.bundles) {
      req.bundles.push_back({.name = b});
    }
  }
  Client* client = nullptr;
  if (int rc = WithClient(ctx, client); rc) return rc;
  auto r = client->esims().ApplyBundle(req);
  if (!r) return ctx.Fail(r.error());
  Table t{.headers = {"ICCID", "BUNDLE", "STATUS"}};
  for (const auto& e : r->esims) t.rows.push_back({e.iccid, e.bundle, e.status});
  if (ctx.out().format() == Format::kTable) {
    std::fputs(fmt::format("Apply reference: {}\n", r->apply_reference).c_str(), stdout);
  }
  ctx.out().Emit(ToJson(*r), t);
  return kExitOk;
}

std::string InstallCsv(const std::vector<EsimInstall>& esims) {
  Json rows = Json::Array();
  for (const auto& e : esims) {
    rows.Push(Json::Object()
                  .Set("ICCID", e.iccid)
                  .Set("Matching ID", e.matching_id)
                  .Set("RSP URL", e.smdp_address)
                  .Set("Bundle", e.bundle)
                  .Set("Reference", e.reference));
  }
  return Printer::RenderCsv(rows);
}

int WriteFile(Context& ctx, const std::string& path, std::string_view bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f || !f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    return ctx.Fail(
        kExitInvalidArgument,
        fmt::format("cannot write {}: check the directory exists and is writable", path));
  }
  return kExitOk;
}

int RunInstall(Context& ctx, const InstallArgs& a) {
  if (a.format != "json" && a.format != "csv" && a.format != "zip") {
    return ctx.Fail(kExitInvalidArgument, "--format must be json, csv or zip");
  }
  if (a.format == "zip" && a.out.empty()) {
    return ctx.Fail(kExitInvalidArgument, "--format zip writes binary: give --out FILE.zip");
  }
  for (const auto& r : a.references) {
    if (r.empty()) return ctx.Fail(kExitInvalidArgument, "empty reference");
  }
#if !ESIMGO_CLI_HAVE_QR
  if (a.qr || !a.qr_png.empty()) {
    return ctx.Fail(kExitInvalidArgument,
                    "this build has no QR support (libqrencode); use the LPA string instead");
  }
#endif
  if (!a.qr_png.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(a.qr_png, ec);
    if (ec) {
      return ctx.Fail(kExitInvalidArgument, fmt::format("cannot create --qr-png directory {}: {}",
                                                        a.qr_png, ec.message()));
    }
  }
  Client* client = nullptr;
  if (int rc = WithClient(ctx, client); rc) return rc;
  InstallDetailsRequest req{.references = a.references};
  if (!a.additional_fields.empty()) req.additional_fields = a.additional_fields;
  req.format = a.format == "zip"   ? InstallDetailsFormat::kZip
               : a.format == "csv" ? InstallDetailsFormat::kCsv
                                   : InstallDetailsFormat::kJson;
  auto r = client->esims().InstallDetails(req);
  if (!r) return ctx.Fail(r.error());
  std::vector<EsimInstall> esims = r->esims;
  if (a.format == "zip") {
    if (int rc = WriteFile(ctx, a.out, r->zip); rc) return rc;
    ctx.Info(fmt::format("wrote {} ({} bytes of QR code PNGs)", a.out, r->zip.size()));
    if (a.qr || !a.qr_png.empty()) {
      req.format = InstallDetailsFormat::kJson;
      auto j = client->esims().InstallDetails(req);
      if (!j) return ctx.Fail(j.error());
      esims = j->esims;
    }
  } else {
    Json data = ToJsonArray(esims);
    std::string text = a.format == "csv" ? InstallCsv(esims) : data.Dump(2) + "\n";
    if (!a.out.empty()) {
      if (int rc = WriteFile(ctx, a.out, text); rc) return rc;
      ctx.Info(fmt::format("wrote {} ({} eSIMs)", a.out, esims.size()));
    } else if (a.format == "csv") {
      std::fputs(text.c_str(), stdout);
    } else {
      Table t{.headers = {"ICCID", "BUNDLE", "REFERENCE", "STATUS", "LPA"}};
      for (const auto& e : esims) {
        t.rows.push_back({e.iccid, e.bundle, e.reference, e.profile_status,
                          LpaString(e.smdp_address, e.matching_id)});
      }
      ctx.out().Emit(data, t);
    }
  }
#if ESIMGO_CLI_HAVE_QR
  for (const auto& e : esims) {
    std::string lpa = LpaString(e.smdp_address, e.matching_id);
    if (a.qr) {
      // Drawn locally: an activation code sent to a QR web service would leak a live eSIM.
      std::string art = sandbox::QrTerminal(lpa);
      std::fputs(fmt::format("\n{}  {}\n{}\n", e.iccid, lpa, art).c_str(),
                 ctx.out().format() == Format::kTable ? stdout : stderr);
    }
    if (!a.qr_png.empty()) {
      auto png = sandbox::QrPng(lpa, 8, 4);
      if (!png) return ctx.Fail(png.error());
      std::string path = a.qr_png + "/" + e.iccid + ".png";
      if (int rc = WriteFile(ctx, path, *png); rc) return rc;
      ctx.Info("wrote " + path);
    }
  }
#endif
  return kExitOk;
}

}  // namespace

void RegisterEsims(CLI::App& app, Context& ctx) {
  auto* group = Sub(app, "esims", "eSIMs: list, inspect, apply bundles, install details");
  group->require_subcommand(1);

  auto la = std::make_shared<ListArgs>();
  auto* list = Sub(*group, "list", "List eSIMs (GET /esims)");
  list->add_option("--page", la->page, "Page number (1-based)");
  list->add_option("--per-page", la->per_page, "10, 25, 50 or 100");
  list->add_option("--filter-by", la->filter_by,
                   "iccid, customerRef, lastAction, actionDate or assignedDate");
  list->add_option("--filter", la->filter, "Value for --filter-by");
  list->add_option("--direction", la->direction, "asc or desc");
  list->add_option("--order-by", la->order_by, "Sort field (iccid)");
  list->add_flag("--all", la->all, "Fetch every page");
  OnRun(list, ctx, [&ctx, la] { return RunList(ctx, *la); });

  auto iccid = std::make_shared<std::string>();
  auto fields = std::make_shared<std::string>();
  auto* show = Sub(*group, "show", "Show one eSIM (GET /esims/{iccid})");
  show->add_option("ICCID", *iccid, "ICCID")->required();
  show->add_option("--additional-fields", *fields, "e.g. appleInstallUrl");
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
  auto s_from = std::make_shared<std::string>();
  auto* sms = Sub(*group, "sms", "Send an SMS to an eSIM (1–160 characters)");
  sms->add_option("ICCID", *s_iccid, "ICCID")->required();
  sms->add_option("MESSAGE", *s_msg, "Message text")->required();
  sms->add_option("--from", *s_from, "Sender name (default eSIM)");
  OnRun(sms, ctx,
        [&ctx, s_iccid, s_msg, s_from] { return RunSms(ctx, *s_iccid, *s_msg, *s_from); });

  auto l_iccid = std::make_shared<std::string>();
  auto* location = Sub(*group, "location", "Last known network and country of an eSIM");
  location->add_option("ICCID", *l_iccid, "ICCID")->required();
  OnRun(location, ctx, [&ctx, l_iccid] { return RunLocation(ctx, *l_iccid); });

  auto aa = std::make_shared<ApplyArgs>();
  auto* apply = Sub(*group, "apply", "Apply inventory bundles (POST /esims/apply)");
  apply->add_option("BUNDLE", aa->bundles, "Bundle names")->required();
  apply->add_option("--iccid", aa->iccid, "Apply to this eSIM (default: a new eSIM)");
  apply->add_option("--repeat", aa->repeat, "Make N new eSIMs");
  apply->add_flag("--allow-reassign", aa->allow_reassign,
                  "Allow a new eSIM when the bundle is incompatible with --iccid");
  OnRun(apply, ctx, [&ctx, aa] { return RunApply(ctx, *aa); });

  auto ia = std::make_shared<InstallArgs>();
  auto* install =
      Sub(*group, "install", "Install details of orders/applies (GET /esims/assignments)");
  install->add_option("REFERENCE", ia->references, "Order or apply references")->required();
  install->add_option("--format", ia->format, "json (default), csv or zip");
  install->add_option("--out", ia->out, "Write to FILE instead of stdout");
  install->add_flag("--qr", ia->qr, "Draw the QR code of each LPA string in the terminal");
  install->add_option("--qr-png", ia->qr_png, "Write one QR PNG per eSIM into DIR");
  install->add_option("--additional-fields", ia->additional_fields, "e.g. appleInstallUrl");
  OnRun(install, ctx, [&ctx, ia] { return RunInstall(ctx, *ia); });
}

}  // namespace esimgo::cli
