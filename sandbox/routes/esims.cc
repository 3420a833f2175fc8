// eSIM operations: install details (#2), history (#3), refresh (#4), compatibility (#5),
// SMS (#6), location (#12), details (#13), list (#14) and update (#15). Applying and revoking
// bundles are in esims_bundles.cc.

#include <algorithm>

#include "esimgo/limits.h"
#include "esimgo/qr.h"
#include "model/common_codec.h"
#include "model/esims_codec.h"
#include "router.h"
#include "wire.h"

namespace esimgo::sandbox {
namespace {

bool WantsAppleUrl(Ctx& c) {
  std::string fields = c.Query("additionalFields").value_or("");
  // v2.5 names the option installUrl (and adds the Android link); appleInstallUrl still works.
  return fields.find("appleInstallUrl") != std::string::npos ||
         (c.v25() && fields.find("installUrl") != std::string::npos);
}

// v2.5 `additionalFields=installUrl`: the Android link beside the Apple one.
bool WantsAndroidUrl(Ctx& c) {
  return c.v25() &&
         c.Query("additionalFields").value_or("").find("installUrl") != std::string::npos;
}

std::string AndroidUrl(std::string_view smdp, std::string_view matching_id) {
  return "https://esimsetup.android.com/esim_qrcode_provisioning?carddata=" +
         LpaString(smdp, matching_id);
}

// The Engine fills the v2.5 fields; a /v2.4 answer leaves them out, so it stays byte-for-byte
// what v2.4 always answered (the codecs write them only when set).
void ForVersion(Ctx& c, EsimDetails& d) {
  if (c.v25()) {
    if (WantsAndroidUrl(c)) d.android_install_url = AndroidUrl(d.smdp_address, d.matching_id);
    return;
  }
  d.state = {};
  d.msisdn.clear();
  d.android_install_url.clear();
  d.branding_id.clear();
  d.profile_name.clear();
}

Reply Assignments(Ctx& c) {
  std::vector<std::string> refs;
  for (const auto& v : c.QueryAll("reference")) {
    for (auto& r : SplitList(v)) refs.push_back(std::move(r));
  }
  if (refs.empty()) {
    return ErrorReply(400,
                      "reference is required: an order reference (POST /orders) or an "
                      "apply reference (POST /esims/apply); several as a comma list");
  }
  auto rows = c.engine.InstallDetails(refs, WantsAppleUrl(c));
  // v2.5: a deleted eSIM's install details are gone (kNotFound → 410 Gone).
  if (!rows) return ErrorReply(rows.error());
  if (WantsAndroidUrl(c)) {
    // ◐ The YAML lists no Android link for this operation; the sandbox adds it on JSON answers
    // with installUrl, as on GET /esims/{iccid}.
    for (auto& row : *rows) row.android_install_url = AndroidUrl(row.smdp_address, row.matching_id);
  }
  std::string accept = Lower(c.req.get_header_value("Accept"));
  if (accept.find("application/json") != std::string::npos) {
    return Encoded(InstallDetailsBody{.esims = std::move(*rows)});
  }
  if (accept.find("application/zip") != std::string::npos) {
    auto zip = qr::BuildInstallZip(*rows);
    if (!zip) return ErrorReply(500, "cannot build the ZIP: " + zip.error().message);
    Reply r;
    r.content_type = "application/zip";
    r.body = std::move(*zip);
    return r;
  }
  Reply r;
  r.content_type = "text/csv";
  r.body = EncodeInstallDetailsCsv(*rows);
  return r;
}

// v2.5's deprecated GET /esims/qr/{reference} and /esims/csv/{reference}: the install details
// of one reference as a ZIP of QR codes or as CSV, like GET /esims/assignments (410 when an
// eSIM of it is deactivated).
Reply QrZip(Ctx& c) {
  auto rows = c.engine.InstallDetails({c.Param(1)}, false);
  if (!rows) return ErrorReply(rows.error());
  auto zip = qr::BuildInstallZip(*rows);
  if (!zip) return ErrorReply(500, "cannot build the ZIP: " + zip.error().message);
  Reply r;
  r.content_type = "application/zip";
  r.body = std::move(*zip);
  return r;
}

// The YAML's CSV: `"ICCID","Matching ID","RSP URL","Bundle"`, every field quoted. ◐ The YAML
// names no column for `additionalFields`, so the parameter is accepted and adds nothing.
Reply InstallCsv(Ctx& c) {
  auto rows = c.engine.InstallDetails({c.Param(1)}, false);
  if (!rows) return ErrorReply(rows.error());
  auto quoted = [](std::string_view field) {
    std::string out = "\"";
    for (char ch : field) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
  };
  Reply r;
  r.content_type = "text/csv";
  r.body = "\"ICCID\",\"Matching ID\",\"RSP URL\",\"Bundle\"\r\n";
  for (const auto& row : *rows) {
    r.body += quoted(row.iccid) + "," + quoted(row.matching_id) + "," + quoted(row.smdp_address) +
              "," + quoted(row.bundle) + "\r\n";
  }
  return r;
}

Reply History(Ctx& c) { return Answer(c.engine.History(c.Param(1))); }

Reply Refresh(Ctx& c) {
  auto r = c.engine.Refresh(c.Param(1));
  if (!r) return ErrorReply(r.error());
  return Encoded(StatusMessage{.status = "Successfully refreshed SIM"});
}

Reply Compatible(Ctx& c) { return Answer(c.engine.Compatible(c.Param(1), c.Param(2))); }

Reply Sms(Ctx& c) {
  auto req = wire::DecodeSms(c.req.body);
  if (!req) {
    return ErrorReply(400, "the body must be JSON {\"message\": text, \"from\"?: text}");
  }
  if (req->from && !req->from->empty() && *req->from != "eSIM") {
    return ErrorReply(400,
                      "from must be 'eSIM'; custom sender IDs are enabled by your account "
                      "manager");
  }
  auto r = c.engine.SendSms(c.Param(1), req->message.value_or(""));
  if (!r) return ErrorReply(r.error());
  return Encoded(StatusMessage{.status = "sent"});
}

Reply Location(Ctx& c) { return Answer(c.engine.Location(c.Param(1))); }

Reply GetEsim(Ctx& c) {
  auto d = c.engine.GetEsim(c.Param(1), WantsAppleUrl(c));
  if (!d) return ErrorReply(d.error());
  ForVersion(c, *d);
  return Encoded(*d);
}

Reply List(Ctx& c) {
  EsimListQuery q;
  auto page = ParsePage(c.Query("page"), "page");
  if (!page) return ErrorReply(page.error());
  q.page = *page;
  if (auto v = c.Query("perPage")) {
    auto n = ParseInt(*v);
    if (!n || *n > 1000 || !limits::IsEsimPageSize(static_cast<int>(*n))) {
      return ErrorReply(400, "perPage must be one of 10, 25, 50, 100");
    }
    q.per_page = *n;
  }
  std::string direction = Lower(c.Query("direction").value_or("asc"));
  if (direction != "asc" && direction != "desc") {
    return ErrorReply(400, "direction must be asc or desc");
  }
  q.descending = direction == "desc";
  std::string order_by = c.Query("orderBy").value_or("");
  if (!order_by.empty() && order_by != "iccid") return ErrorReply(400, "orderBy must be iccid");
  q.order_by_iccid = !order_by.empty();
  q.filter_by = c.Query("filterBy").value_or("");
  q.filter = c.Query("filter").value_or("");
  if (!q.filter_by.empty() &&
      std::find(limits::kEsimFilterFields.begin(), limits::kEsimFilterFields.end(), q.filter_by) ==
          limits::kEsimFilterFields.end()) {
    return ErrorReply(400,
                      "filterBy must be one of iccid, customerRef, lastAction, actionDate, "
                      "assignedDate");
  }
  if (!q.filter_by.empty() && q.filter.empty()) {
    return ErrorReply(400, "filterBy needs filter, the value to filter by");
  }
  auto body = c.engine.ListEsims(q);
  if (!body) return ErrorReply(body.error());
  if (!c.v25()) {
    for (auto& e : body->esims) e.state = {};  // v2.5 field: absent from v2.4 answers
  }
  return Encoded(*body);
}

Reply Update(Ctx& c) {
  // Query parameters first; a JSON body, when there is one, overrides them key by key.
  std::string iccid = c.Query("iccid").value_or("");
  std::optional<std::string> ref = c.Query("customerRef");
  if (!c.req.body.empty()) {
    auto body = wire::DecodeUpdateEsim(c.req.body);
    if (!body) {
      return ErrorReply(
          400, "the body must be JSON {\"iccid\", \"customerRef\"} (" + body.error().message + ")");
    }
    if (body->iccid && !body->iccid->empty()) iccid = *body->iccid;
    if (body->customer_ref) ref = body->customer_ref;
  }
  if (iccid.empty() || !ref) {
    return ErrorReply(400, "give iccid and customerRef (query parameters or JSON body)");
  }
  auto r = c.engine.UpdateCustomerRef(iccid, *ref);
  if (!r) return ErrorReply(r.error());
  return Encoded(StatusMessage{.status = "success"});
}

}  // namespace

void AddEsimRoutes(RouteTable& t) {
  AddEsimBundleRoutes(t);
  t.push_back({"GET", "/esims/assignments", "GET /esims/assignments", Assignments});
  t.push_back(
      {"GET", "/esims/qr/([^/]+)", "GET /esims/qr/{reference}", QrZip, false, ApiVersion::kV2_5});
  t.push_back({"GET", "/esims/csv/([^/]+)", "GET /esims/csv/{reference}", InstallCsv, false,
               ApiVersion::kV2_5});
  t.push_back({"GET", "/esims/([^/]+)/history", "GET /esims/{iccid}/history", History});
  t.push_back({"GET", "/esims/([^/]+)/refresh", "GET /esims/{iccid}/refresh", Refresh});
  t.push_back({"GET", "/esims/([^/]+)/compatible/([^/]+)", "GET /esims/{iccid}/compatible/{bundle}",
               Compatible});
  t.push_back({"POST", "/esims/([^/]+)/sms", "POST /esims/{iccid}/sms", Sms});
  t.push_back({"GET", "/esims/([^/]+)/location", "GET /esims/{iccid}/location", Location});
  t.push_back({"GET", "/esims/([^/]+)", "GET /esims/{iccid}", GetEsim});
  t.push_back({"GET", "/esims", "GET /esims", List});
  t.push_back({"PUT", "/esims", "PUT /esims", Update});
  AddV25Routes(t);
}

}  // namespace esimgo::sandbox
