#include "engine.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <random>

#include "json/json_writer.h"
#include "static_data.h"

namespace esimgo::sandbox {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(HistoryRec, name, bundle, ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AssignmentRec, id, bundle, state, reference,
                                                initial, remaining, used, assigned_ms, activated_ms,
                                                ends_ms, unlimited, price_micros, last_alert)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(EsimRec, iccid, seq, customer_ref, last_action,
                                                action_ms, assigned_ms, physical, matching_id, smdp,
                                                pin, puk, profile_status, profile,
                                                first_installed_ms, country, network, network_code,
                                                last_seen_ms, history, assignments)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(LotRec, id, bundle, total, remaining, created_ms,
                                                price_micros, order_ref)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OrderLineRec, item, quantity, price_micros,
                                                allow_reassign, iccids)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OrderRec, reference, seq, created_ms, assigned,
                                                lines, total_micros, status, status_message,
                                                source_ip)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ApplyRec, reference, created_ms, esims)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OrgRec, balance_micros, callback_url, topups_by_day,
                                                next_lot, next_assignment, next_seq, rng,
                                                clock_offset_ms, refunds_enabled,
                                                low_balance_alerted)

namespace {
constexpr const char* kSmdp = "rsp.sandbox.esim-go.test";
constexpr int64_t kProcessingMs = 1000;
constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kLapseMs = 365 * kDayMs;

template <class T>
std::string ToBody(const T& v) {
  return nlohmann::json(v).dump();
}
}  // namespace

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ContainsIgnoreCase(std::string_view hay, std::string_view needle) {
  return Lower(hay).find(Lower(needle)) != std::string::npos;
}

Result<std::unique_ptr<Engine>> Engine::Open(const SandboxOptions& options) {
  auto engine = std::unique_ptr<Engine>(new Engine(options));
  auto store = Store::Open(options.db_path);
  if (!store) return tl::unexpected(store.error());
  engine->store_ = std::move(*store);
  if (auto r = engine->Load(); !r) return tl::unexpected(r.error());
  // A callback URL given at start wins over the one stored by an earlier run.
  if (!options.callback_url.empty() && engine->org.callback_url != options.callback_url) {
    engine->org.callback_url = options.callback_url;
    engine->TouchOrg();
    if (auto r = engine->Commit(); !r) return tl::unexpected(r.error());
  }
  return engine;
}

Result<void> Engine::Load() {
  auto rows = store_->LoadAll();
  if (!rows) return tl::unexpected(rows.error());
  org = OrgRec{};
  esims.clear();
  lots.clear();
  orders.clear();
  applies.clear();
  bool have_org = false;
  try {
    for (const auto& row : *rows) {
      auto j = nlohmann::json::parse(row.body);
      if (row.kind == "org") {
        org = j.get<OrgRec>();
        have_org = true;
      } else if (row.kind == "esim") {
        esims[row.id] = j.get<EsimRec>();
      } else if (row.kind == "lot") {
        auto lot = j.get<LotRec>();
        lots[lot.id] = lot;
      } else if (row.kind == "order") {
        orders[row.id] = j.get<OrderRec>();
      } else if (row.kind == "apply") {
        applies[row.id] = j.get<ApplyRec>();
      }
    }
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kServer, std::string("sandbox database holds an unreadable row (") +
                                        e.what() + "); delete the --db file to start afresh");
  }
  if (!have_org) {
    Seed();
    return Commit();
  }
  return {};
}

void Engine::Seed() {
  org = OrgRec{};
  org.balance_micros = kInitialBalanceMicros;
  org.callback_url = options_.callback_url;
  org.rng = options_.seed != 0 ? options_.seed : std::random_device{}() * 0x9E3779B97F4A7C15ULL;
  TouchOrg();
  AddLedger("initial", kInitialBalanceMicros, "seed");
}

Result<void> Engine::Reset() {
  if (auto r = store_->Clear(); !r) return r;
  dirty_.clear();
  pending_ledger_.clear();
  pending_alerts_.clear();
  esims.clear();
  lots.clear();
  orders.clear();
  applies.clear();
  Seed();
  return Commit();
}

int64_t Engine::NowMs() const {
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  return now + org.clock_offset_ms;
}

std::string Engine::Iso(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::string Engine::Date(int64_t ms) { return Iso(ms).substr(0, 10); }

uint64_t Engine::NextRandom() {
  // splitmix64: tiny, seedable, and its state is one integer we can persist.
  uint64_t z = (org.rng += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  TouchOrg();
  return z ^ (z >> 31);
}

std::string Engine::NewDigits(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += static_cast<char>('0' + NextRandom() % 10);
  return s;
}

std::string Engine::NewIccid() {
  for (;;) {
    // 8944 (telecom, UK) + 15 digits + Luhn check digit = 20 digits.
    std::string body = "8944" + NewDigits(15);
    int sum = 0;
    for (size_t i = 0; i < body.size(); ++i) {
      int d = body[body.size() - 1 - i] - '0';
      if (i % 2 == 0) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    std::string iccid = body + static_cast<char>('0' + (10 - sum % 10) % 10);
    if (!esims.count(iccid)) return iccid;
  }
}

std::string Engine::NewUuid() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 32; ++i) {
    int v = static_cast<int>(NextRandom() % 16);
    if (i == 12) v = 4;
    if (i == 16) v = 8 + v % 4;
    if (i == 8 || i == 12 || i == 16 || i == 20) s += '-';
    s += kHex[v];
  }
  return s;
}

std::string Engine::NewMatchingId() {
  static constexpr char kAlnum[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
  std::string s;
  for (int i = 0; i < 16; ++i) {
    if (i > 0 && i % 4 == 0) s += '-';
    s += kAlnum[NextRandom() % (sizeof kAlnum - 1)];
  }
  return s;
}

void Engine::AddLedger(std::string kind, int64_t amount_micros, std::string ref) {
  pending_ledger_.push_back(
      {.at_ms = NowMs(), .kind = std::move(kind), .amount_micros = amount_micros, .ref = ref});
}

Result<void> Engine::Commit() {
  std::vector<EntityRow> rows;
  std::sort(dirty_.begin(), dirty_.end());
  dirty_.erase(std::unique(dirty_.begin(), dirty_.end()), dirty_.end());
  for (const auto& [kind, id] : dirty_) {
    std::string body;
    if (kind == "org") {
      body = ToBody(org);
    } else if (kind == "esim") {
      if (auto it = esims.find(id); it != esims.end()) body = ToBody(it->second);
    } else if (kind == "lot") {
      if (auto it = lots.find(std::stoll(id)); it != lots.end()) body = ToBody(it->second);
    } else if (kind == "order") {
      if (auto it = orders.find(id); it != orders.end()) body = ToBody(it->second);
    } else if (kind == "apply") {
      if (auto it = applies.find(id); it != applies.end()) body = ToBody(it->second);
    }
    rows.push_back({kind, id, std::move(body)});
  }
  auto r = store_->Commit(rows, pending_ledger_);
  dirty_.clear();
  pending_ledger_.clear();
  if (!r) {
    pending_alerts_.clear();
    (void)Load();
    return r;
  }
  auto alerts = std::move(pending_alerts_);
  pending_alerts_.clear();
  if (alert_sink_) {
    for (auto& a : alerts) alert_sink_(std::move(a));
  }
  return {};
}

void Engine::Rollback() {
  dirty_.clear();
  pending_ledger_.clear();
  pending_alerts_.clear();
  (void)Load();
}

void Engine::AddHistory(EsimRec& esim, std::string name, std::string bundle) {
  int64_t now = NowMs();
  esim.last_action = name;
  esim.action_ms = now;
  esim.history.push_back({std::move(name), std::move(bundle), now});
  TouchEsim(esim.iccid);
}

EsimRec& Engine::CreateEsim(const std::string& profile) {
  std::string iccid = NewIccid();
  EsimRec& e = esims[iccid];
  e.iccid = iccid;
  e.seq = org.next_seq++;
  e.matching_id = NewMatchingId();
  e.smdp = kSmdp;
  e.pin = NewDigits(4);
  e.puk = NewDigits(8);
  e.profile = profile;
  e.assigned_ms = NowMs();
  TouchOrg();
  TouchEsim(iccid);
  return e;
}

AssignmentRec& Engine::Assign(EsimRec& esim, const std::string& bundle, int64_t price_micros,
                              const std::string& reference) {
  const BundleInfo* info = Data().Find(bundle);
  AssignmentRec a;
  a.id = std::to_string(org.next_assignment++);
  a.bundle = bundle;
  a.state = "processing";
  a.reference = reference + "-" + std::to_string(esim.assignments.size());
  a.unlimited = info && info->model.unlimited;
  a.initial = info ? info->data_bytes : 0;
  a.remaining = a.initial;
  a.assigned_ms = NowMs();
  a.price_micros = price_micros;
  esim.assignments.push_back(a);
  AddHistory(esim, "Bundle Applied", bundle);
  TouchOrg();
  return esim.assignments.back();
}

void Engine::Tick() {
  int64_t now = NowMs();
  for (auto& [iccid, e] : esims) {
    for (auto& a : e.assignments) {
      std::string before = a.state;
      if (a.state == "processing" && now - a.assigned_ms >= kProcessingMs) a.state = "queued";
      if ((a.state == "active" || a.state == "depleted") && a.ends_ms && now >= a.ends_ms) {
        a.state = "expired";
        AddHistory(e, "Bundle Expired", a.bundle);
      }
      if (a.state == "queued" && now - a.assigned_ms >= kLapseMs) {
        a.state = "lapsed";
        AddHistory(e, "Bundle Lapsed", a.bundle);
      }
      if (a.state != before) TouchEsim(iccid);
    }
  }
}

void Engine::EmitAlert(std::string body) { pending_alerts_.push_back(std::move(body)); }

std::string Engine::BalanceAlert(std::string_view type) const {
  internal::JsonWriter w;
  w.BeginObject().Field("alertType", type).Key("balanceInfo").BeginObject();
  w.Field("balance", Money::FromMicros(org.balance_micros));
  w.Field("threshold", Money::FromMicros(kLowBalanceThresholdMicros));
  w.Key("thresholdPercentRemaining")
      .Double(static_cast<double>(org.balance_micros) * 100.0 /
              static_cast<double>(kLowBalanceThresholdMicros));
  w.EndObject().EndObject();
  return w.Take();
}

void Engine::CheckLowBalance() {
  bool low = org.balance_micros < kLowBalanceThresholdMicros;
  if (low && !org.low_balance_alerted) {
    org.low_balance_alerted = true;
    EmitAlert(BalanceAlert("LowBalance"));
    TouchOrg();
  } else if (!low && org.low_balance_alerted) {
    org.low_balance_alerted = false;
    TouchOrg();
  }
}

}  // namespace esimgo::sandbox
