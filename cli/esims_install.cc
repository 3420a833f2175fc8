// esimgo esims apply|install — POST /esims/apply (#1), GET /esims/assignments (#2), QR codes.

#include <fmt/core.h>

#include <filesystem>

#include "commands.h"
#include "esimgo/limits.h"
#include "esimgo/qr.h"
#include "fields.h"
#include "files.h"

namespace esimgo::cli {
namespace {

struct ApplyArgs {
  std::vector<std::string> bundles;
  std::optional<std::string> iccid;
  std::optional<int> repeat;
  bool allow_reassign = false;
};

struct InstallArgs {
  std::vector<std::string> references;
  std::string format = "json", out, qr_png;
  std::optional<std::string> additional_fields;
  bool qr = false;
};

Outcome<> RunApply(Context& ctx, const ApplyArgs& a) {
  // One bundle uses the API's single form, several its list form; the SDK checks the rest
  // (ICCID, empty names, repeat bounds, repeat with an ICCID).
  ApplyBundleRequest req{.iccid = a.iccid, .repeat = a.repeat};
  if (a.allow_reassign) req.allow_reassign = true;
  if (a.bundles.size() == 1) {
    req.name = a.bundles[0];
  } else {
    for (const auto& b : a.bundles) req.bundles.push_back({.name = b});
  }
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  auto r = (*client)->esims().ApplyBundle(req);
  if (!r) return tl::unexpected(r.error());
  if (ctx.out().format() == Format::kTable) {
    std::fputs(fmt::format("Apply reference: {}\n", Sanitize(r->apply_reference)).c_str(), stdout);
  }
  ctx.out().Emit(ToJson(*r), TableOf(r->esims));
  return {};
}

// The API's install CSV columns, as eSIM Go's own export names them.
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

Outcome<> Write(Context& ctx, const std::string& path, std::string_view bytes,
                std::string_view what) {
  if (auto ok = WriteFileSafely(path, bytes); !ok) return tl::unexpected(ok.error());
  ctx.Info(fmt::format("wrote {}{}", path, what));
  return {};
}

Outcome<> WriteQrCodes(Context& ctx, const InstallArgs& a, const std::vector<EsimInstall>& esims) {
  for (const auto& e : esims) {
    std::string lpa = LpaString(e.smdp_address, e.matching_id);
    if (a.qr) {
      // Drawn locally: an activation code sent to a QR web service would leak a live eSIM.
      std::string art = qr::QrTerminal(lpa);
      std::fputs(fmt::format("\n{}  {}\n{}\n", Sanitize(e.iccid), Sanitize(lpa), art).c_str(),
                 ctx.out().format() == Format::kTable ? stdout : stderr);
    }
    if (!a.qr_png.empty()) {
      auto png = qr::QrPng(lpa, 8, 4);
      if (!png) return tl::unexpected(png.error());
      // The file name comes from the server: only an ICCID's digits may name a file.
      if (auto ok = ValidateIccid(e.iccid); !ok) return tl::unexpected(ok.error());
      if (auto ok = Write(ctx, a.qr_png + "/" + e.iccid + ".png", *png, ""); !ok) return ok;
    }
  }
  return {};
}

Outcome<> RunInstall(Context& ctx, const InstallArgs& a) {
  if (a.format != "json" && a.format != "csv" && a.format != "zip") {
    return Invalid("--format must be json, csv or zip");
  }
  if (a.format == "zip" && a.out.empty()) {
    return Invalid("--format zip writes binary: give --out FILE.zip");
  }
  if (!a.qr_png.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(a.qr_png, ec);
    if (ec) {
      return Invalid(
          fmt::format("cannot create --qr-png directory {}: {}", a.qr_png, ec.message()));
    }
  }
  auto client = ctx.client();
  if (!client) return tl::unexpected(client.error());
  InstallDetailsRequest req{.references = a.references, .additional_fields = a.additional_fields};
  req.format = a.format == "zip"   ? InstallDetailsFormat::kZip
               : a.format == "csv" ? InstallDetailsFormat::kCsv
                                   : InstallDetailsFormat::kJson;
  auto r = (*client)->esims().InstallDetails(req);
  if (!r) return tl::unexpected(r.error());
  std::vector<EsimInstall> esims = r->esims;
  if (a.format == "zip") {
    auto wrote =
        Write(ctx, a.out, r->zip, fmt::format(" ({} bytes of QR code PNGs)", r->zip.size()));
    if (!wrote) return wrote;
    if (a.qr || !a.qr_png.empty()) {
      req.format = InstallDetailsFormat::kJson;
      auto j = (*client)->esims().InstallDetails(req);
      if (!j) return tl::unexpected(j.error());
      esims = j->esims;
    }
  } else {
    Json data = ToJsonArray(esims);
    std::string text = a.format == "csv" ? InstallCsv(esims) : data.Dump(2) + "\n";
    if (!a.out.empty()) {
      auto wrote = Write(ctx, a.out, text, fmt::format(" ({} eSIMs)", esims.size()));
      if (!wrote) return wrote;
    } else if (a.format == "csv") {
      std::fputs(text.c_str(), stdout);
    } else {
      ctx.out().Emit(data, TableOf(esims));
    }
  }
  return WriteQrCodes(ctx, a, esims);
}

}  // namespace

void RegisterEsimsApplyInstall(CLI::App& group, Context& ctx) {
  auto aa = std::make_shared<ApplyArgs>();
  auto* apply = Sub(group, "apply", "Apply inventory bundles (POST /esims/apply)");
  apply->add_option("BUNDLE", aa->bundles, "Bundle names")->required();
  apply->add_option("--iccid", aa->iccid, "Apply to this eSIM (default: a new eSIM)");
  apply->add_option(
      "--repeat", aa->repeat,
      fmt::format("Make N new eSIMs ({}–{})", limits::kApplyRepeatMin, limits::kApplyRepeatMax));
  apply->add_flag("--allow-reassign", aa->allow_reassign,
                  "Allow a new eSIM when the bundle is incompatible with --iccid");
  OnRun(apply, ctx, [&ctx, aa] { return RunApply(ctx, *aa); });

  auto ia = std::make_shared<InstallArgs>();
  auto* install =
      Sub(group, "install", "Install details of orders/applies (GET /esims/assignments)");
  install->add_option("REFERENCE", ia->references, "Order or apply references")->required();
  install->add_option("--format", ia->format, "json (default), csv or zip");
  install->add_option("--out", ia->out, "Write to FILE instead of stdout (never through a link)");
  install->add_flag("--qr", ia->qr, "Draw the QR code of each LPA string in the terminal");
  install->add_option("--qr-png", ia->qr_png, "Write one QR PNG per eSIM into DIR");
  install->add_option("--additional-fields", ia->additional_fields, "e.g. appleInstallUrl");
  OnRun(install, ctx, [&ctx, ia] { return RunInstall(ctx, *ia); });
}

}  // namespace esimgo::cli
