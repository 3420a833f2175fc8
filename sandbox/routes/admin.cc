// Admin endpoints under /_sandbox/ (same API key): reset, usage simulation, clock, faults,
// callback deliveries, state summary. See docs/sandbox.md.

#include <nlohmann/json.hpp>

#include "alerts.h"
#include "faults.h"
#include "json/json_writer.h"
#include "router.h"
#include "static_data.h"

namespace esimgo::sandbox {
namespace {

using nlohmann::json;

std::optional<json> ParseBody(const std::string& body) {
  auto j = json::parse(body.empty() ? "{}" : body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

Reply JsonOut(const json& j, int status = 200) { return JsonReply(j.dump(), status); }

std::string UtilisationAlert(const Engine& e, const EsimRec& esim, const AssignmentRec& a,
                             std::string_view type) {
  const BundleInfo* info = Data().Find(a.bundle);
  bool v3 = e.options().callback_version == 3;
  internal::JsonWriter w;
  w.BeginObject().Field("iccid", esim.iccid).Field("alertType", type);
  w.Key("bundle").BeginObject();
  if (v3) w.Field("id", a.id).Field("reference", a.reference);
  w.Field("name", a.bundle);
  if (v3) w.Field("description", info ? info->model.description : std::string());
  w.Field("initialQuantity", a.initial).Field("remainingQuantity", a.remaining);
  w.Field("startTime", Engine::Iso(a.activated_ms ? a.activated_ms : a.assigned_ms));
  w.Field("endTime", a.ends_ms ? Engine::Iso(a.ends_ms) : std::string());
  if (v3) w.Field("unlimited", a.unlimited);
  w.EndObject().EndObject();
  return w.Take();
}

// POST /_sandbox/usage {iccid, bytes, country?}: the eSIM uses data. Activates the oldest
// queued assignment when nothing is active, reports thresholds, depletes, carries over.
Reply Usage(Ctx& c) {
  auto j = ParseBody(c.req.body);
  if (!j || !(*j)["iccid"].is_string() || !(*j)["bytes"].is_number_integer() ||
      (*j)["bytes"].get<int64_t>() < 0) {
    return ErrorReply(400,
                      "body must be {\"iccid\": string, \"bytes\": integer >= 0, "
                      "\"country\"?: ISO code}");
  }
  std::string iccid = (*j)["iccid"].get<std::string>();
  int64_t bytes = (*j)["bytes"].get<int64_t>();
  std::string country = j->value("country", std::string());
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  e.Tick();
  auto it = e.esims.find(iccid);
  if (it == e.esims.end()) return ErrorReply(403, "eSIM " + iccid + " is not in this sandbox");
  EsimRec& esim = it->second;
  int64_t now = e.NowMs();
  if (esim.first_installed_ms == 0) {
    esim.first_installed_ms = now;
    esim.profile_status = "Installed";
    e.AddHistory(esim, "eSIM First Attachment", "");
  }
  if (!country.empty()) {
    for (char& ch : country) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (country != esim.country) {
      std::string name = country;
      if (auto n = Data().iso_names.find(country); n != Data().iso_names.end()) name = n->second;
      esim.country = country;
      esim.network = "Sandbox Mobile " + country;
      esim.network_code = country + "SB1";
      internal::JsonWriter w;
      w.BeginObject().Field("alertType", "CountryChange").Field("iccid", iccid);
      w.Key("country").BeginObject().Field("code", country).Field("name", name).EndObject();
      w.EndObject();
      e.EmitAlert(w.Take());
    }
    esim.last_seen_ms = now;
  }
  e.TouchEsim(iccid);
  int64_t left = bytes;
  int64_t consumed = 0;
  while (left > 0) {
    AssignmentRec* a = nullptr;
    for (auto& x : esim.assignments) {
      if (x.state == "active") {
        a = &x;
        break;
      }
    }
    if (!a) {
      for (auto& x : esim.assignments) {
        if (x.state == "queued" || x.state == "processing") {
          a = &x;
          break;
        }
      }
      if (!a) break;
      const BundleInfo* info = Data().Find(a->bundle);
      a->state = "active";
      a->activated_ms = now;
      a->ends_ms = now + int64_t{info ? info->model.duration_days : 1} * 86'400'000;
      e.AddHistory(esim, "eSIM First Use", a->bundle);
      e.EmitAlert(UtilisationAlert(e, esim, *a, "FirstUse"));
    }
    int64_t take = a->unlimited ? left : std::min(left, a->remaining);
    a->used += take;
    if (!a->unlimited) a->remaining -= take;
    left -= take;
    consumed += take;
    if (!a->unlimited && a->initial > 0) {
      int pct = static_cast<int>((a->initial - a->remaining) * 100 / a->initial);
      int crossed = 0;
      for (int t : {1, 50, 80, 100}) {
        if (pct >= t && a->last_alert < t) crossed = t;
      }
      if (crossed) {
        a->last_alert = crossed;
        e.AddHistory(esim, "eSIM Utilisation Alert", a->bundle);
        e.EmitAlert(UtilisationAlert(e, esim, *a, "Utilisation"));
      }
      if (a->remaining == 0) a->state = "depleted";
    }
  }
  if (auto r = e.Commit(); !r) return ErrorReply(500, r.error().message);
  return JsonOut({{"iccid", iccid}, {"consumed", consumed}, {"unconsumed", left}});
}

Reply Clock(Ctx& c) {
  auto j = ParseBody(c.req.body);
  if (!j || !(*j)["advanceSeconds"].is_number_integer() ||
      (*j)["advanceSeconds"].get<int64_t>() < 0) {
    return ErrorReply(400, "body must be {\"advanceSeconds\": integer >= 0}");
  }
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  e.org.clock_offset_ms += (*j)["advanceSeconds"].get<int64_t>() * 1000;
  e.TouchOrg();
  e.Tick();
  if (auto r = e.Commit(); !r) return ErrorReply(500, r.error().message);
  return JsonOut(
      {{"now", Engine::Iso(e.NowMs())}, {"offsetSeconds", e.org.clock_offset_ms / 1000}});
}

Reply Reset(Ctx& c) {
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  if (auto r = e.Reset(); !r) return ErrorReply(500, r.error().message);
  return JsonOut({{"status", "reset"}});
}

Reply State(Ctx& c) {
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  e.Tick();
  if (auto r = e.Commit(); !r) return ErrorReply(500, r.error().message);
  auto ledger = e.Ledger();
  if (!ledger) return ErrorReply(500, ledger.error().message);
  int64_t sum = 0;
  json entries = json::array();
  for (const auto& l : *ledger) {
    sum += l.amount_micros;
    entries.push_back({{"kind", l.kind},
                       {"amount", Money::FromMicros(l.amount_micros).ToString()},
                       {"ref", l.ref},
                       {"at", Engine::Iso(l.at_ms)}});
  }
  int64_t assignments = 0, lots = 0;
  std::map<std::string, int64_t> states;
  for (const auto& [id, esim] : e.esims) {
    for (const auto& a : esim.assignments) {
      ++assignments;
      ++states[a.state];
    }
  }
  for (const auto& [id, lot] : e.lots) lots += lot.remaining;
  return JsonOut({{"balance", Money::FromMicros(e.org.balance_micros).ToString()},
                  {"ledgerSum", Money::FromMicros(sum).ToString()},
                  {"ledgerBalanced", sum == e.org.balance_micros},
                  {"ledger", entries},
                  {"esims", e.esims.size()},
                  {"assignments", assignments},
                  {"assignmentStates", states},
                  {"inventoryBundles", lots},
                  {"orders", e.orders.size()},
                  {"applies", e.applies.size()},
                  {"now", Engine::Iso(e.NowMs())},
                  {"callbackUrl", e.org.callback_url}});
}

Reply Callback(Ctx& c) {
  auto j = ParseBody(c.req.body);
  if (!j || !(*j)["url"].is_string()) {
    return ErrorReply(400,
                      "body must be {\"url\": \"http://host:port/path\"} (\"\" turns "
                      "callbacks off)");
  }
  Engine& e = c.engine;
  std::lock_guard lock(e.mu);
  e.org.callback_url = (*j)["url"].get<std::string>();
  e.TouchOrg();
  if (auto r = e.Commit(); !r) return ErrorReply(500, r.error().message);
  return JsonOut({{"callbackUrl", e.org.callback_url}});
}

}  // namespace

void AddAdminRoutes(RouteTable& t, Faults& faults, AlertOutbox& outbox) {
  t.push_back({"POST", "/_sandbox/reset", "POST /_sandbox/reset", Reset});
  t.push_back({"POST", "/_sandbox/usage", "POST /_sandbox/usage", Usage});
  t.push_back({"POST", "/_sandbox/clock", "POST /_sandbox/clock", Clock});
  t.push_back({"GET", "/_sandbox/state", "GET /_sandbox/state", State});
  t.push_back({"POST", "/_sandbox/callback-url", "POST /_sandbox/callback-url", Callback});
  t.push_back({"POST", "/_sandbox/faults", "POST /_sandbox/faults", [&faults](Ctx& c) {
                 auto j = ParseBody(c.req.body);
                 if (!j || !(*j)["spec"].is_string()) {
                   return ErrorReply(400,
                                     "body must be {\"spec\": \"POST /orders=503:1\"} "
                                     "(\"\" clears every fault)");
                 }
                 auto rules = ParseFaultSpec((*j)["spec"].get<std::string>());
                 if (!rules) return ErrorReply(400, rules.error().message);
                 size_t n = rules->size();
                 faults.Set(std::move(*rules));
                 return JsonOut({{"rules", n}});
               }});
  t.push_back({"GET", "/_sandbox/faults", "GET /_sandbox/faults", [&faults](Ctx&) {
                 json out = json::array();
                 for (const auto& r : faults.Rules()) {
                   out.push_back({{"method", r.method},
                                  {"path", r.path},
                                  {"kind", FaultKindName(r.kind)},
                                  {"value", r.value},
                                  {"remaining", r.remaining}});
                 }
                 return JsonOut({{"rules", out}});
               }});
  t.push_back({"GET", "/_sandbox/callbacks", "GET /_sandbox/callbacks", [&outbox](Ctx& c) {
                 if (auto w = c.Query("wait"); w) {
                   auto ms = ParseInt(*w);
                   (void)outbox.Drain(
                       static_cast<int>(std::clamp<int64_t>(ms.value_or(0), 0, 10'000)));
                 }
                 json out = json::array();
                 for (const auto& a : outbox.Attempts()) {
                   json body = json::parse(a.body, nullptr, false);
                   out.push_back({{"id", a.id},
                                  {"attempt", a.attempt},
                                  {"url", a.url},
                                  {"status", a.status},
                                  {"error", a.error},
                                  {"signature", a.signature},
                                  {"at", Engine::Iso(a.at_ms)},
                                  {"body", body.is_discarded() ? json(a.body) : body}});
                 }
                 return JsonOut({{"deliveries", out}});
               }});
}

}  // namespace esimgo::sandbox
