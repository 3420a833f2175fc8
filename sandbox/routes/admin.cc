// Admin endpoints under /_sandbox/ (same API key): reset, usage simulation, clock, faults,
// callback deliveries, state summary. See docs/sandbox.md. Bodies are decoded strictly
// (wire.h); answers are written with the SDK's JsonWriter, keys in alphabetical order as before.

#include <algorithm>

#include "alerts.h"
#include "faults.h"
#include "json/json_writer.h"
#include "router.h"
#include "wire.h"

namespace esimgo::sandbox {
namespace {

using internal::JsonWriter;

// Sane bounds for admin inputs: a usage report of at most 1 PB, a URL and a fault spec of at
// most 2 KiB, a country code of 2–6 letters or '-' ("GB", "US-HI").
constexpr int64_t kMaxUsageBytes = 1LL << 50;
constexpr size_t kMaxUrlBytes = 2048;
constexpr size_t kMaxSpecBytes = 2048;

bool IsCountryCode(std::string_view s) {
  return s.size() >= 2 && s.size() <= 6 && std::all_of(s.begin(), s.end(), [](char ch) {
           return std::isalpha(static_cast<unsigned char>(ch)) || ch == '-';
         });
}

Reply Usage(Ctx& c) {
  auto body = wire::DecodeUsage(c.req.body);
  constexpr const char* kShape =
      "body must be {\"iccid\": string, \"bytes\": integer >= 0, \"country\"?: ISO code}";
  if (!body) return ErrorReply(400, std::string(kShape) + " (" + body.error().message + ")");
  if (!body->iccid || !body->bytes || *body->bytes < 0 || *body->bytes > kMaxUsageBytes) {
    return ErrorReply(400,
                      std::string(kShape) + "; bytes at most " + std::to_string(kMaxUsageBytes));
  }
  if (body->country && !body->country->empty() && !IsCountryCode(*body->country)) {
    return ErrorReply(400, "country must be an ISO code of 2 to 6 letters, e.g. FR or US-HI");
  }
  auto r = c.engine.SimulateUsage(
      {.iccid = *body->iccid, .bytes = *body->bytes, .country = body->country.value_or("")});
  if (!r) return ErrorReply(r.error());
  JsonWriter w;
  w.BeginObject().Field("consumed", r->consumed).Field("iccid", r->iccid);
  w.Field("unconsumed", r->unconsumed).EndObject();
  return JsonReply(w.Take());
}

Reply Clock(Ctx& c) {
  auto body = wire::DecodeClock(c.req.body);
  if (!body || !body->advance_seconds || *body->advance_seconds < 0) {
    return ErrorReply(400, "body must be {\"advanceSeconds\": integer >= 0}");
  }
  auto r = c.engine.AdvanceClock(*body->advance_seconds);
  if (!r) return ErrorReply(r.error());
  JsonWriter w;
  w.BeginObject().Field("now", Engine::Iso(r->now_ms));
  w.Field("offsetSeconds", r->offset_seconds).EndObject();
  return JsonReply(w.Take());
}

Reply Reset(Ctx& c) {
  if (auto r = c.engine.Reset(); !r) return ErrorReply(r.error());
  return JsonReply(R"({"status":"reset"})");
}

Reply StateSummaryReply(Ctx& c) {
  auto s = c.engine.Summary();
  if (!s) return ErrorReply(s.error());
  JsonWriter w;
  w.BeginObject().Field("applies", s->applies);
  w.Key("assignmentStates").BeginObject();
  for (const auto& [state, n] : s->assignment_states) w.Field(state, n);
  w.EndObject();
  w.Field("assignments", s->assignments);
  w.Field("balance", Money::FromMicros(s->balance_micros).ToString());
  w.Field("callbackUrl", s->callback_url).Field("esims", s->esims);
  w.Field("inventoryBundles", s->inventory_bundles);
  w.Key("ledger").BeginArray();
  for (const auto& l : s->ledger) {
    w.BeginObject().Field("amount", Money::FromMicros(l.amount_micros).ToString());
    w.Field("at", Engine::Iso(l.at_ms)).Field("kind", l.kind).Field("ref", l.ref).EndObject();
  }
  w.EndArray();
  w.Field("ledgerBalanced", s->ledger_sum_micros == s->balance_micros);
  w.Field("ledgerSum", Money::FromMicros(s->ledger_sum_micros).ToString());
  w.Field("now", Engine::Iso(s->now_ms)).Field("orders", s->orders).EndObject();
  return JsonReply(w.Take());
}

Reply Callback(Ctx& c) {
  auto body = wire::DecodeUrl(c.req.body);
  if (!body || !body->url || body->url->size() > kMaxUrlBytes) {
    return ErrorReply(400,
                      "body must be {\"url\": \"http://host:port/path\"} (\"\" turns "
                      "callbacks off; at most 2048 bytes)");
  }
  auto r = c.engine.SetCallbackUrl(*body->url);
  if (!r) return ErrorReply(r.error());
  JsonWriter w;
  w.BeginObject().Field("callbackUrl", *r).EndObject();
  return JsonReply(w.Take());
}

Reply SetFaults(Faults& faults, Ctx& c) {
  auto body = wire::DecodeFaults(c.req.body);
  if (!body || !body->spec || body->spec->size() > kMaxSpecBytes) {
    return ErrorReply(400,
                      "body must be {\"spec\": \"POST /orders=503:1\"} (\"\" clears every "
                      "fault; at most 2048 bytes)");
  }
  auto rules = ParseFaultSpec(*body->spec);
  if (!rules) return ErrorReply(400, rules.error().message);
  auto n = static_cast<int64_t>(rules->size());
  faults.Set(std::move(*rules));
  JsonWriter w;
  w.BeginObject().Field("rules", n).EndObject();
  return JsonReply(w.Take());
}

Reply GetFaults(Faults& faults) {
  JsonWriter w;
  w.BeginObject().Key("rules").BeginArray();
  for (const auto& r : faults.Rules()) {
    w.BeginObject().Field("kind", FaultKindName(r.kind)).Field("method", r.method);
    w.Field("path", r.path).Field("remaining", r.remaining).Field("value", r.value).EndObject();
  }
  w.EndArray().EndObject();
  return JsonReply(w.Take());
}

Reply Deliveries(AlertOutbox& outbox, Ctx& c) {
  if (auto wait = c.Query("wait")) {
    auto ms = ParseInt(*wait);
    (void)outbox.Drain(static_cast<int>(std::clamp<int64_t>(ms.value_or(0), 0, 10'000)));
  }
  JsonWriter w;
  w.BeginObject().Key("deliveries").BeginArray();
  for (const auto& a : outbox.Attempts()) {
    w.BeginObject().Field("at", Engine::Iso(a.at_ms)).Field("attempt", a.attempt);
    // Every body is an alert encoded by webhook::EncodeAlert: a JSON object, embedded as is.
    w.Key("body");
    if (!a.body.empty() && a.body.front() == '{') {
      w.RawValue(a.body);
    } else {
      w.String(a.body);
    }
    w.Field("error", a.error).Field("id", a.id).Field("signature", a.signature);
    w.Field("status", a.status).Field("url", a.url).EndObject();
  }
  w.EndArray().EndObject();
  return JsonReply(w.Take());
}

}  // namespace

void AddAdminRoutes(RouteTable& t, Faults& faults, AlertOutbox& outbox) {
  t.push_back({"POST", "/_sandbox/reset", "POST /_sandbox/reset", Reset});
  AddV25AdminRoutes(t);
  t.push_back({"POST", "/_sandbox/usage", "POST /_sandbox/usage", Usage});
  t.push_back({"POST", "/_sandbox/clock", "POST /_sandbox/clock", Clock});
  t.push_back({"GET", "/_sandbox/state", "GET /_sandbox/state", StateSummaryReply});
  t.push_back({"POST", "/_sandbox/callback-url", "POST /_sandbox/callback-url", Callback});
  t.push_back({"POST", "/_sandbox/faults", "POST /_sandbox/faults",
               [&faults](Ctx& c) { return SetFaults(faults, c); }});
  t.push_back({"GET", "/_sandbox/faults", "GET /_sandbox/faults",
               [&faults](Ctx&) { return GetFaults(faults); }});
  t.push_back({"GET", "/_sandbox/callbacks", "GET /_sandbox/callbacks",
               [&outbox](Ctx& c) { return Deliveries(outbox, c); }});
}

}  // namespace esimgo::sandbox
