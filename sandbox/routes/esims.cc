// eSIM operations #1–#15: apply, install details, history, refresh, compatibility, SMS,
// applied bundles and their state machine, revokes, location, details, list, update.

#include <algorithm>
#include <map>
#include <set>

#include "model/common_codec.h"
#include "model/esims_codec.h"
#include "qr.h"
#include "router.h"
#include "static_data.h"

namespace esimgo::sandbox {
namespace {

constexpr int64_t kDayMs = 86'400'000;

Reply UnknownEsim(const std::string& iccid) {
  return ErrorReply(403, "eSIM " + iccid +
                             " is not accessible: it does not belong to this organisation "
                             "(list yours with GET /esims)");
}

std::string AppleUrl(const EsimRec& e) {
  return "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=" +
         LpaString(e.smdp, e.matching_id);
}

// Finds the oldest inventory lot with a bundle left.
constexpr int64_t kLotLifetimeMs = 365 * kDayMs;

bool Usable(const Engine& e, const LotRec& lot, const std::string& bundle) {
  return lot.bundle == bundle && lot.remaining > 0 && e.NowMs() < lot.created_ms + kLotLifetimeMs;
}

LotRec* FindLot(Engine& e, const std::string& bundle) {
  for (auto& [id, lot] : e.lots) {
    if (Usable(e, lot, bundle)) return &lot;
  }
  return nullptr;
}

int64_t Available(Engine& e, const std::string& bundle) {
  int64_t n = 0;
  for (auto& [id, lot] : e.lots) {
    if (Usable(e, lot, bundle)) n += lot.remaining;
  }
  return n;
}

struct ApplyItem {
  std::string name;
  int repeat = 1;
  bool allow_reassign = false;
};

// Applies inventory bundles (the shared core of #1 and #8). Fails without changing anything.
Result<std::vector<AppliedEsim>> DoApply(Engine& e, const std::optional<std::string>& iccid,
                                         const std::vector<ApplyItem>& items,
                                         const std::string& reference) {
  std::map<std::string, int64_t> need;
  for (const auto& it : items) {
    const BundleInfo* b = Data().Find(it.name);
    if (!b) {
      return Fail(ErrorCode::kBadRequest, "bundle '" + it.name +
                                              "' is not in the catalogue (names are "
                                              "case-sensitive)");
    }
    if (it.repeat < 1 || it.repeat > 1000) {
      return Fail(ErrorCode::kBadRequest, "repeat must be from 1 to 1000");
    }
    need[it.name] += it.repeat;
    if (iccid) {
      const EsimRec& esim = e.esims.at(*iccid);
      if (esim.profile != b->profile && !it.allow_reassign) {
        return Fail(ErrorCode::kBadRequest,
                    "bundle '" + it.name + "' is not compatible with eSIM " + *iccid +
                        "; check GET /esims/{iccid}/compatible/{bundle}, or set allowReassign "
                        "to put it on a new eSIM");
      }
    }
  }
  for (const auto& [name, n] : need) {
    int64_t have = Available(e, name);
    if (have < n) {
      return Fail(ErrorCode::kForbidden, "no available bundles of '" + name +
                                             "' in your inventory (need " + std::to_string(n) +
                                             ", have " + std::to_string(have) +
                                             "); buy them with POST /orders (assign=false) first");
    }
  }
  std::vector<AppliedEsim> out;
  for (const auto& it : items) {
    const BundleInfo* b = Data().Find(it.name);
    for (int r = 0; r < it.repeat; ++r) {
      LotRec* lot = FindLot(e, it.name);
      --lot->remaining;
      e.TouchLot(lot->id);
      EsimRec* esim = nullptr;
      if (iccid) {
        esim = &e.esims.at(*iccid);
        if (esim->profile != b->profile) esim = nullptr;  // allowReassign
      }
      if (!esim) esim = &e.CreateEsim(b->profile);
      e.Assign(*esim, it.name, lot->price_micros, reference);
      out.push_back({.iccid = esim->iccid, .status = "ACTIVE", .bundle = it.name});
    }
  }
  return out;
}

// Both apply routes: applies `items` under a new apply reference, records the reference for
// install details and commits, or rolls back and answers the error. The caller holds e.mu.
tl::expected<ApplyBundleResponse, Reply> ApplyAndRecord(Engine& e,
                                                        const std::optional<std::string>& iccid,
                                                        const std::vector<ApplyItem>& items) {
  std::string reference = e.NewUuid();
  auto applied = DoApply(e, iccid, items, reference);
  if (!applied) {
    e.Rollback();
    return tl::unexpected(ErrorReply(applied.error().code == ErrorCode::kForbidden ? 403 : 400,
                                     applied.error().message));
  }
  ApplyRec rec{.reference = reference, .created_ms = e.NowMs()};
  for (const auto& a : *applied) rec.esims.emplace_back(a.iccid, a.bundle);
  e.applies[reference] = rec;
  e.TouchApply(reference);
  if (auto r = e.Commit(); !r) return tl::unexpected(ErrorReply(500, r.error().message));
  return ApplyBundleResponse{.esims = std::move(*applied), .apply_reference = reference};
}

Reply Apply(Ctx& c) {
  auto req = internal::json::DecodeBody<ApplyBundleRequest>(c.req.body, "apply request");
  if (!req) {
    return ErrorReply(400,
                      "the body must be JSON: {\"name\": bundle, \"iccid\"?: …} or "
                      "{\"bundles\": [{\"name\": bundle}]}");
  }
  bool has_name = req->name.has_value() && !req->name->empty();
  if (has_name == !req->bundles.empty()) {
    return ErrorReply(400, "give exactly one of name (one bundle) and bundles (a list)");
  }
  if (req->iccid && req->repeat) {
    return ErrorReply(400, "repeat asks for new eSIMs and cannot be combined with iccid");
  }
  std::vector<ApplyItem> items;
  if (has_name) {
    items.push_back({*req->name, req->repeat.value_or(1), req->allow_reassign.value_or(false)});
  } else {
    for (const auto& b : req->bundles) {
      if (b.name.empty()) return ErrorReply(400, "every entry of bundles needs a name");
      if (req->iccid && b.repeat) {
        return ErrorReply(400, "repeat asks for new eSIMs and cannot be combined with iccid");
      }
      items.push_back({b.name, b.repeat.value_or(1),
                       b.allow_reassign.value_or(req->allow_reassign.value_or(false))});
    }
  }
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  e.Tick();
  if (req->iccid && !e.esims.count(*req->iccid)) return UnknownEsim(*req->iccid);
  auto applied = ApplyAndRecord(e, req->iccid, items);
  if (!applied) return std::move(applied.error());
  return Encoded(*applied);
}

Reply LegacyApply(Ctx& c) {
  auto req = internal::json::DecodeBody<LegacyApplyRequest>(c.req.body, "apply request");
  if (!req || req->name.empty()) {
    return ErrorReply(400, "the body must be JSON {\"name\": bundle}");
  }
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  std::string iccid = c.Param(1);
  if (!e.esims.count(iccid)) return UnknownEsim(iccid);
  auto applied = ApplyAndRecord(e, iccid, {{req->name, 1, false}});
  if (!applied) return std::move(applied.error());
  return Encoded(StatusMessage{.status = "success"});
}

EsimInstall InstallRow(const EsimRec& esim, const std::string& bundle, const std::string& reference,
                       bool apple) {
  EsimInstall row{.iccid = esim.iccid,
                  .matching_id = esim.matching_id,
                  .smdp_address = esim.smdp,
                  .profile_status = esim.profile_status,
                  .pin = esim.pin,
                  .puk = esim.puk,
                  .bundle = bundle,
                  .reference = reference};
  if (esim.first_installed_ms) {
    row.first_installed = Timestamp::Parse(Engine::Iso(esim.first_installed_ms));
  }
  if (apple) row.apple_install_url = AppleUrl(esim);
  return row;
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
  bool apple =
      c.Query("additionalFields").value_or("").find("appleInstallUrl") != std::string::npos;
  std::vector<EsimInstall> rows;
  {
    Engine& e = c.engine;
    std::lock_guard lock(e.mu);
    for (const auto& ref : refs) {
      std::vector<std::pair<std::string, std::string>> esims;
      if (auto o = e.orders.find(ref); o != e.orders.end()) {
        for (const auto& l : o->second.lines) {
          for (const auto& iccid : l.iccids) esims.emplace_back(iccid, l.item);
        }
      } else if (auto a = e.applies.find(ref); a != e.applies.end()) {
        esims = a->second.esims;
      } else {
        return ErrorReply(400, "reference '" + ref +
                                   "' is neither an order nor an apply reference of this "
                                   "organisation");
      }
      for (const auto& [iccid, bundle] : esims) {
        auto it = e.esims.find(iccid);
        if (it != e.esims.end()) rows.push_back(InstallRow(it->second, bundle, ref, apple));
      }
    }
  }
  std::string accept = Lower(c.req.get_header_value("Accept"));
  if (accept.find("application/json") != std::string::npos) {
    return Encoded(InstallDetailsBody{.esims = rows});
  }
  if (accept.find("application/zip") != std::string::npos) {
    auto zip = BuildInstallZip(rows);
    if (!zip) return ErrorReply(500, "cannot build the ZIP: " + zip.error().message);
    Reply r;
    r.content_type = "application/zip";
    r.body = std::move(*zip);
    return r;
  }
  Reply r;
  r.content_type = "text/csv";
  r.body = EncodeInstallDetailsCsv(rows);
  return r;
}

Reply History(Ctx& c) {
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  e.Tick();
  auto it = e.esims.find(c.Param(1));
  if (it == e.esims.end()) return UnknownEsim(c.Param(1));
  HistoryBody body;
  for (const auto& h : it->second.history) {
    body.events.push_back(
        {.name = h.name, .bundle_name = h.bundle, .date = Timestamp::Parse(Engine::Iso(h.ms))});
  }
  (void)e.Commit();
  return Encoded(body);
}

Reply Refresh(Ctx& c) {
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  auto it = e.esims.find(c.Param(1));
  if (it == e.esims.end()) return UnknownEsim(c.Param(1));
  e.AddHistory(it->second, "eSIM Refreshed", "");
  if (auto r = e.Commit(); !r) return ErrorReply(500, r.error().message);
  return Encoded(StatusMessage{.status = "Successfully refreshed SIM"});
}

Reply Compatible(Ctx& c) {
  const BundleInfo* b = Data().Find(c.Param(2));
  if (!b) {
    return ErrorReply(
        400, "bundle '" + c.Param(2) + "' is not in the catalogue (names are case-sensitive)");
  }
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  auto it = e.esims.find(c.Param(1));
  if (it == e.esims.end()) return UnknownEsim(c.Param(1));
  return Encoded(CompatibilityBody{.compatible = it->second.profile == b->profile});
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

Reply Sms(Ctx& c) {
  auto req = internal::json::DecodeBody<SmsRequest>(c.req.body, "SMS request");
  if (!req) return ErrorReply(400, "the body must be JSON {\"message\": text, \"from\"?: text}");
  size_t len = Utf8Length(req->message);
  if (len < 1 || len > 160) {
    return ErrorReply(400, "message must be 1 to 160 characters (got " + std::to_string(len) + ")");
  }
  if (req->from && !req->from->empty() && *req->from != "eSIM") {
    return ErrorReply(400,
                      "from must be 'eSIM'; custom sender IDs are enabled by your account "
                      "manager");
  }
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  if (!e.esims.count(c.Param(1))) return UnknownEsim(c.Param(1));
  return Encoded(StatusMessage{.status = "sent"});
}

BundleAssignment ToModel(const AssignmentRec& a) {
  BundleAssignment m{.id = a.id,
                     .call_type_group = "data",
                     .initial_quantity = a.initial,
                     .remaining_quantity = a.remaining,
                     .assignment_date_time = Timestamp::Parse(Engine::Iso(a.assigned_ms)),
                     .assignment_reference = a.reference,
                     .unlimited = a.unlimited};
  m.bundle_state = ParseBundleState(a.state);
  m.bundle_state.raw = a.state;
  return m;
}

bool IsUsed(const AssignmentRec& a) {
  return a.state == "depleted" || a.state == "expired" || a.state == "revoked" ||
         a.state == "lapsed";
}

Reply ListBundles(Ctx& c) {
  bool include_used = false;
  if (auto v = c.Query("includeUsed"); v && !ParseBoolText(*v, include_used)) {
    return ErrorReply(400, "includeUsed must be true or false");
  }
  int64_t limit = 15;
  if (auto v = c.Query("limit")) {
    auto n = ParseInt(*v);
    if (!n || *n < 1 || *n > 200) return ErrorReply(400, "limit must be between 1 and 200");
    limit = *n;
  }
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  e.Tick();
  auto it = e.esims.find(c.Param(1));
  if (it == e.esims.end()) return UnknownEsim(c.Param(1));
  const auto& as = it->second.assignments;
  BundlesListBody body;
  int64_t n = 0;
  for (auto a = as.rbegin(); a != as.rend() && n < limit; ++a) {  // most recent first
    if (!include_used && IsUsed(*a)) continue;
    ++n;
    auto b = std::find_if(body.bundles.begin(), body.bundles.end(),
                          [&](const AppliedBundle& x) { return x.name == a->bundle; });
    if (b == body.bundles.end()) {
      const BundleInfo* info = Data().Find(a->bundle);
      body.bundles.push_back(
          {.name = a->bundle, .description = info ? info->model.description : ""});
      b = body.bundles.end() - 1;
    }
    b->assignments.push_back(ToModel(*a));
  }
  (void)e.Commit();
  return Encoded(body);
}

Reply GetBundle(Ctx& c) {
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  e.Tick();
  auto it = e.esims.find(c.Param(1));
  if (it == e.esims.end()) return UnknownEsim(c.Param(1));
  AssignmentListBody body;
  const auto& as = it->second.assignments;
  for (auto a = as.rbegin(); a != as.rend(); ++a) {  // the latest assignment first
    if (a->bundle == c.Param(2)) body.assignments.push_back(ToModel(*a));
  }
  (void)e.Commit();
  if (body.assignments.empty()) {
    return ErrorReply(400, "bundle '" + c.Param(2) + "' has never been applied to eSIM " +
                               c.Param(1) + " (names are case-sensitive)");
  }
  return Encoded(body);
}

// Revokes one unused assignment; refunds it to inventory or to the balance.
Reply DoRevoke(Ctx& c, const std::optional<std::string>& assignment_id) {
  std::string type = Lower(c.Query("type").value_or("transaction"));
  if (type != "transaction" && type != "validate") {
    return ErrorReply(400, "type must be validate (dry run) or transaction");
  }
  bool to_balance = false;
  if (auto v = c.Query("refundToBalance"); v && !ParseBoolText(*v, to_balance)) {
    return ErrorReply(400, "refundToBalance must be true or false");
  }
  std::string offer_id = c.Query("offerId").value_or("");
  if (to_balance && offer_id.empty()) {
    return ErrorReply(400, "refundToBalance needs offerId (the offer of the bundle to revoke)");
  }
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  e.Tick();
  std::string iccid = c.Param(1), name = c.Param(2);
  auto it = e.esims.find(iccid);
  if (it == e.esims.end()) return UnknownEsim(iccid);
  EsimRec& esim = it->second;
  AssignmentRec* target = nullptr;
  for (auto& a : esim.assignments) {  // oldest first
    if (a.bundle != name) continue;
    if (assignment_id) {
      if (a.id == *assignment_id) target = &a;
    } else if ((a.state == "queued" || a.state == "processing") && !target) {
      target = &a;
    }
  }
  if (!target) {
    return ErrorReply(
        400,
        assignment_id
            ? "assignment " + *assignment_id + " of bundle '" + name + "' is not on eSIM " + iccid
            : "eSIM " + iccid + " has no unused assignment of bundle '" + name + "' to revoke");
  }
  bool unused = target->state == "queued" || target->state == "processing";
  bool refundable = unused && e.NowMs() - target->assigned_ms <= 60 * kDayMs;
  if (target->state == "revoked") {
    return ErrorReply(400, "assignment " + target->id + " is already revoked");
  }
  std::string where = to_balance ? "balance" : "inventory";
  if (type == "validate") {
    std::string status =
        refundable ? "Bundle can be revoked and refunded to " + where
                   : "Bundle can be revoked without refund: it has started or is past the "
                     "refund period";
    return Encoded(StatusMessage{.status = status});
  }
  target->state = "revoked";
  std::string bundle = target->bundle;
  int64_t price = target->price_micros;
  e.AddHistory(esim, "Bundle Revoked", bundle);
  std::string status = "Successfully Revoked Bundle";
  if (refundable) {
    if (to_balance) {
      e.org.balance_micros += price;
      e.AddLedger("refund", price, "revoke:" + iccid + ":" + bundle);
      e.TouchOrg();
      e.AddHistory(esim, "Bundle Refunded To Balance", bundle);
      status += ", bundle has been refunded to balance";
      e.CheckLowBalance();
    } else {
      LotRec lot{.id = e.org.next_lot++,
                 .bundle = bundle,
                 .total = 1,
                 .remaining = 1,
                 .created_ms = e.NowMs(),
                 .price_micros = price,
                 .order_ref = "revoke"};
      e.lots[lot.id] = lot;
      e.TouchLot(lot.id);
      e.TouchOrg();
      e.AddHistory(esim, "Bundle Refunded to Inventory", bundle);
      status += ", bundle has been refunded to inventory";
    }
  }
  if (auto r = e.Commit(); !r) return ErrorReply(500, r.error().message);
  return Encoded(StatusMessage{.status = status});
}

Reply Revoke(Ctx& c) { return DoRevoke(c, std::nullopt); }
Reply RevokeAssignment(Ctx& c) { return DoRevoke(c, c.Param(3)); }

Reply Location(Ctx& c) {
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  auto it = e.esims.find(c.Param(1));
  if (it == e.esims.end()) return UnknownEsim(c.Param(1));
  const EsimRec& esim = it->second;
  if (esim.country.empty()) {
    return ErrorReply(400, "eSIM " + esim.iccid +
                               " has not attached to a network yet (simulate it with POST "
                               "/_sandbox/usage)");
  }
  return Encoded(EsimLocation{.mobile_network_code = esim.network_code,
                              .network_name = esim.network,
                              .network_brand_name = esim.network,
                              .country = esim.country,
                              .last_seen = Timestamp::Parse(Engine::Iso(esim.last_seen_ms))});
}

Reply GetEsim(Ctx& c) {
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  auto it = e.esims.find(c.Param(1));
  if (it == e.esims.end()) return UnknownEsim(c.Param(1));
  const EsimRec& esim = it->second;
  EsimDetails d{.iccid = esim.iccid,
                .pin = esim.pin,
                .puk = esim.puk,
                .matching_id = esim.matching_id,
                .smdp_address = esim.smdp,
                .profile_status = esim.profile_status,
                .customer_ref = esim.customer_ref};
  if (esim.first_installed_ms) {
    d.first_installed = Timestamp::Parse(std::to_string(esim.first_installed_ms));
  }
  if (c.Query("additionalFields").value_or("").find("appleInstallUrl") != std::string::npos) {
    d.apple_install_url = AppleUrl(esim);
  }
  return Encoded(d);
}

Reply List(Ctx& c) {
  int64_t page = 1;
  int64_t per_page = 25;
  if (auto v = c.Query("page")) {
    auto n = ParseInt(*v);
    if (!n || *n < 0) return ErrorReply(400, "page must be a whole number, 1 or more");
    page = std::max<int64_t>(*n, 1);
  }
  if (auto v = c.Query("perPage")) {
    auto n = ParseInt(*v);
    if (!n || (*n != 10 && *n != 25 && *n != 50 && *n != 100)) {
      return ErrorReply(400, "perPage must be one of 10, 25, 50, 100");
    }
    per_page = *n;
  }
  std::string direction = Lower(c.Query("direction").value_or("asc"));
  if (direction != "asc" && direction != "desc") {
    return ErrorReply(400, "direction must be asc or desc");
  }
  std::string order_by = c.Query("orderBy").value_or("");
  if (!order_by.empty() && order_by != "iccid") return ErrorReply(400, "orderBy must be iccid");
  std::string filter_by = c.Query("filterBy").value_or("");
  std::string filter = c.Query("filter").value_or("");
  static const std::set<std::string> kFilters = {"iccid", "customerRef", "lastAction", "actionDate",
                                                 "assignedDate"};
  if (!filter_by.empty() && !kFilters.count(filter_by)) {
    return ErrorReply(400,
                      "filterBy must be one of iccid, customerRef, lastAction, actionDate, "
                      "assignedDate");
  }
  if (!filter_by.empty() && filter.empty()) {
    return ErrorReply(400, "filterBy needs filter, the value to filter by");
  }
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  std::vector<const EsimRec*> hits;
  for (const auto& [iccid, esim] : e.esims) {
    if (!filter_by.empty()) {
      std::string value;
      if (filter_by == "iccid") value = esim.iccid;
      if (filter_by == "customerRef") value = esim.customer_ref;
      if (filter_by == "lastAction") value = esim.last_action;
      if (filter_by == "actionDate") value = Engine::Iso(esim.action_ms);
      if (filter_by == "assignedDate") value = Engine::Iso(esim.assigned_ms);
      if (!ContainsIgnoreCase(value, filter)) continue;
    }
    hits.push_back(&esim);
  }
  if (order_by.empty()) {
    std::sort(hits.begin(), hits.end(),
              [](const EsimRec* a, const EsimRec* b) { return a->seq < b->seq; });
  }
  if (direction == "desc") std::reverse(hits.begin(), hits.end());
  EsimListBody body;
  int64_t rows = static_cast<int64_t>(hits.size());
  for (int64_t i = (page - 1) * per_page; i < std::min(rows, page * per_page); ++i) {
    const EsimRec& esim = *hits[static_cast<size_t>(i)];
    body.esims.push_back({.iccid = esim.iccid,
                          .customer_ref = esim.customer_ref,
                          .last_action = esim.last_action,
                          .action_date = Timestamp::Parse(Engine::Iso(esim.action_ms)),
                          .physical = esim.physical,
                          .assigned_date = Timestamp::Parse(Engine::Iso(esim.assigned_ms))});
  }
  return Encoded(body);
}

Reply Update(Ctx& c) {
  std::string iccid = c.Query("iccid").value_or("");
  std::optional<std::string> ref = c.Query("customerRef");
  if (!c.req.body.empty()) {
    auto body = internal::json::DecodeBody<UpdateEsimBody>(c.req.body, "update request");
    if (!body) return ErrorReply(400, "the body must be JSON {\"iccid\", \"customerRef\"}");
    if (!body->iccid.empty()) iccid = body->iccid;
    if (c.req.body.find("customerRef") != std::string::npos) ref = body->customer_ref;
  }
  if (iccid.empty() || !ref) {
    return ErrorReply(400, "give iccid and customerRef (query parameters or JSON body)");
  }
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  auto it = e.esims.find(iccid);
  if (it == e.esims.end()) return UnknownEsim(iccid);
  it->second.customer_ref = *ref;
  e.AddHistory(it->second, "eSIM Updated", "");
  if (auto r = e.Commit(); !r) return ErrorReply(500, r.error().message);
  return Encoded(StatusMessage{.status = "success"});
}

}  // namespace

void AddEsimRoutes(RouteTable& t) {
  t.push_back({"POST", "/esims/apply", "POST /esims/apply", Apply});
  t.push_back({"GET", "/esims/assignments", "GET /esims/assignments", Assignments});
  t.push_back({"GET", "/esims/([^/]+)/history", "GET /esims/{iccid}/history", History});
  t.push_back({"GET", "/esims/([^/]+)/refresh", "GET /esims/{iccid}/refresh", Refresh});
  t.push_back({"GET", "/esims/([^/]+)/compatible/([^/]+)", "GET /esims/{iccid}/compatible/{bundle}",
               Compatible});
  t.push_back({"POST", "/esims/([^/]+)/sms", "POST /esims/{iccid}/sms", Sms});
  t.push_back({"GET", "/esims/([^/]+)/bundles", "GET /esims/{iccid}/bundles", ListBundles});
  t.push_back({"POST", "/esims/([^/]+)/bundles", "POST /esims/{iccid}/bundles", LegacyApply});
  t.push_back(
      {"GET", "/esims/([^/]+)/bundles/([^/]+)", "GET /esims/{iccid}/bundles/{name}", GetBundle});
  t.push_back(
      {"DELETE", "/esims/([^/]+)/bundles/([^/]+)", "DELETE /esims/{iccid}/bundles/{name}", Revoke});
  t.push_back({"DELETE", "/esims/([^/]+)/bundles/([^/]+)/assignments/([^/]+)",
               "DELETE /esims/{iccid}/bundles/{name}/assignments/{assignmentId}",
               RevokeAssignment});
  t.push_back({"GET", "/esims/([^/]+)/location", "GET /esims/{iccid}/location", Location});
  t.push_back({"GET", "/esims/([^/]+)", "GET /esims/{iccid}", GetEsim});
  t.push_back({"GET", "/esims", "GET /esims", List});
  t.push_back({"PUT", "/esims", "PUT /esims", Update});
}

}  // namespace esimgo::sandbox
