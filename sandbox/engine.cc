// The Engine's machinery: opening and seeding the store, the transaction (commit, rollback),
// time-driven transitions, generators and alerts. The commands live in engine_*.cc.

#include "engine.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

#include "esimgo/limits.h"
#include "static_data.h"

namespace esimgo::sandbox {
namespace {
constexpr const char* kSmdp = "rsp.sandbox.esim-go.test";
constexpr int64_t kProcessingMs = 1000;
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
  std::lock_guard lock(engine->mu_);
  if (auto r = engine->LoadLocked(); !r) return tl::unexpected(r.error());
  // A callback URL given at start wins over the one stored by an earlier run.
  if (!options.callback_url.empty() && engine->state_.org.callback_url != options.callback_url) {
    engine->state_.org.callback_url = options.callback_url;
    engine->TouchOrg();
    if (auto r = engine->CommitLocked(); !r) return tl::unexpected(r.error());
  }
  return engine;
}

Result<void> Engine::LoadLocked() {
  dirty_.clear();
  pending_ledger_.clear();
  auto rows = store_->LoadAll();
  if (!rows) return tl::unexpected(rows.error());
  bool have_org = false;
  auto state = DecodeState(*rows, have_org);
  if (!state) return tl::unexpected(state.error());
  state_ = std::move(*state);
  next_tick_ms_ = 0;  // the reloaded records may have transitions due at any time
  if (!have_org) {
    SeedLocked();
    return CommitLocked();
  }
  return {};
}

void Engine::SeedLocked() {
  state_ = State{};
  next_tick_ms_ = 0;
  OrgRec& org = state_.org;
  org.balance_micros = kInitialBalanceMicros;
  org.callback_url = options_.callback_url;
  org.rng = options_.seed != 0 ? options_.seed : std::random_device{}() * 0x9E3779B97F4A7C15ULL;
  TouchOrg();
  AddLedger("initial", kInitialBalanceMicros, "seed");
}

Result<void> Engine::Reset() {
  std::lock_guard lock(mu_);
  if (auto r = store_->Clear(); !r) return r;
  dirty_.clear();
  pending_ledger_.clear();
  pending_alerts_.clear();
  refusal_alerts_.clear();
  broken_ = false;
  SeedLocked();
  if (auto r = CommitLocked(); !r) {
    RollbackLocked();
    return r;
  }
  return {};
}

void Engine::InjectCommitFailures(int n) {
  std::lock_guard lock(mu_);
  store_->FailNextCommits(n);
}

Result<void> Engine::Guard() const {
  if (!broken_) return {};
  return Fail(ErrorCode::kServer,
              "the sandbox could not restore its state after a failed commit; restart it (the "
              "--db file holds everything committed so far)");
}

Result<void> Engine::CommitLocked() {
  std::vector<EntityRow> rows;
  std::sort(dirty_.begin(), dirty_.end());
  dirty_.erase(std::unique(dirty_.begin(), dirty_.end()), dirty_.end());
  for (const auto& [kind, id] : dirty_) {
    Result<std::string> body = std::string();  // empty body = the record was deleted
    if (kind == "org") {
      body = EncodeRecord(state_.org);
    } else if (kind == "esim") {
      if (auto it = state_.esims.find(id); it != state_.esims.end())
        body = EncodeRecord(it->second);
    } else if (kind == "lot") {
      if (auto it = state_.lots.find(std::stoll(id)); it != state_.lots.end()) {
        body = EncodeRecord(it->second);
      }
    } else if (kind == "order") {
      if (auto it = state_.orders.find(id); it != state_.orders.end()) {
        body = EncodeRecord(it->second);
      }
    } else if (kind == "apply") {
      if (auto it = state_.applies.find(id); it != state_.applies.end()) {
        body = EncodeRecord(it->second);
      }
    }
    if (!body) return tl::unexpected(body.error());
    rows.push_back({kind, id, std::move(*body)});
  }
  if (auto r = store_->Commit(rows, pending_ledger_); !r) return r;
  dirty_.clear();
  pending_ledger_.clear();
  return {};
}

void Engine::RollbackLocked() {
  pending_alerts_.clear();
  refusal_alerts_.clear();
  if (dirty_.empty() && pending_ledger_.empty()) return;  // nothing in memory moved
  // Reload the last committed state: whatever the failed command changed is gone.
  if (auto r = LoadLocked(); !r) broken_ = true;
}

Result<void> Engine::Materialise() {
  if (!Tick()) return {};
  if (auto c = CommitLocked(); !c) {
    RollbackLocked();
    return c;
  }
  // Time-driven notices (the v2.5 inactivity deletion) follow their commit, as in Transact.
  auto alerts = std::move(pending_alerts_);
  pending_alerts_.clear();
  DeliverAlerts(alerts);
  return {};
}

int64_t Engine::Now() {
  std::lock_guard lock(mu_);
  return NowMs();
}

int64_t Engine::NowMs() const {
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  return now + state_.org.clock_offset_ms;
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
  uint64_t z = (state_.org.rng += 0x9E3779B97F4A7C15ULL);
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
    if (!state_.esims.count(iccid)) return iccid;
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
  pending_ledger_.push_back({.at_ms = NowMs(),
                             .kind = std::move(kind),
                             .amount_micros = amount_micros,
                             .ref = std::move(ref)});
}

Result<EsimRec*> Engine::FindEsim(const std::string& iccid) {
  auto it = state_.esims.find(iccid);
  if (it == state_.esims.end()) {
    // "not accessible" is the spec's wording; the SDK classifies it as kNotFound.
    return Fail(ErrorCode::kForbidden, "eSIM " + iccid +
                                           " is not accessible: it does not belong to this "
                                           "organisation (list yours with GET /esims)");
  }
  return &it->second;
}

Result<const EsimRec*> Engine::FindEsim(const std::string& iccid) const {
  auto found = const_cast<Engine*>(this)->FindEsim(iccid);
  if (!found) return tl::unexpected(found.error());
  return *found;
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
  EsimRec& e = state_.esims[iccid];
  e.iccid = iccid;
  e.seq = state_.org.next_seq++;
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
  a.id = std::to_string(state_.org.next_assignment++);
  a.bundle = bundle;
  a.state = BundleState::kProcessing;
  a.reference = reference + "-" + std::to_string(esim.assignments.size());
  a.unlimited = info && info->model.unlimited;
  a.initial = info ? info->data_bytes : 0;
  a.remaining = a.initial;
  a.assigned_ms = NowMs();
  a.price_micros = price_micros;
  ScheduleTick(a.assigned_ms + kProcessingMs);
  esim.assignments.push_back(a);
  AddHistory(esim, "Bundle Applied", bundle);
  TouchOrg();
  return esim.assignments.back();
}

bool Engine::Tick() {
  int64_t now = NowMs();
  if (now < next_tick_ms_) return false;  // nothing is due yet: no scan
  int64_t next = INT64_MAX;
  bool changed = false;
  for (auto& [iccid, e] : state_.esims) {
    for (auto& a : e.assignments) {
      AssignmentState before = a.state;
      if (a.state == BundleState::kProcessing && now - a.assigned_ms >= kProcessingMs) {
        a.state = BundleState::kQueued;
      }
      if ((a.state == BundleState::kActive || a.state == BundleState::kDepleted) && a.ends_ms &&
          now >= a.ends_ms) {
        a.state = BundleState::kExpired;
        AddHistory(e, "Bundle Expired", a.bundle);
      }
      if (a.state == BundleState::kQueued && now - a.assigned_ms >= kLapseMs) {
        a.state = BundleState::kLapsed;
        AddHistory(e, "Bundle Lapsed", a.bundle);
      }
      if (a.state != before) {
        TouchEsim(iccid);
        changed = true;
      }
      // When this assignment moves next without a command: the time Tick must look again.
      if (a.state == BundleState::kProcessing) next = std::min(next, a.assigned_ms + kProcessingMs);
      if (a.state == BundleState::kQueued) next = std::min(next, a.assigned_ms + kLapseMs);
      if ((a.state == BundleState::kActive || a.state == BundleState::kDepleted) && a.ends_ms) {
        next = std::min(next, a.ends_ms);
      }
    }
    if (TickDeletion(e, now, next)) changed = true;
  }
  next_tick_ms_ = next;
  return changed;
}

}  // namespace esimgo::sandbox
