// Engine commands and queries new in API v2.5 (issue 9): the eSIM state machine (suspend,
// unsuspend, policy suspension, delete) and consumption prices. Each command runs in Transact
// like every other one; the routes serve them under /v2.5 only.
//
// Every inference (◐ in shared/api/v2.5-delta.md) lives in this file once and is listed in
// docs/sandbox.md ("API v2.5").

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "engine.h"
#include "esimgo/limits.h"
#include "json/json_writer.h"
#include "model/catalogue_codec.h"
#include "static_data.h"

namespace esimgo::sandbox {
namespace {

constexpr const char* kActive = "active";
constexpr const char* kSuspended = "suspended";
constexpr const char* kDeactivated = "deactivated";

// ◐ The only documented answer is the suspend one ("eSIM suspended successfully", spec and
// guide); the unsuspend and delete wordings are inferred (the same form as spoon's mock).
constexpr const char* kSuspendedMessage = "eSIM suspended successfully";
constexpr const char* kUnsuspendedMessage = "eSIM unsuspended successfully";
constexpr const char* kDeletedMessage = "eSIM deleted successfully";

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  std::string out;
  char buf[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    out += buf;
  }
  return out;
}

// A stable UUID-shaped id for one (country, profile) price: the same price row keeps its id
// across restarts and sandboxes.
std::string PriceId(const std::string& iso, const std::string& profile) {
  std::string h = Sha256Hex("price|" + iso + "|" + profile);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-5" + h.substr(13, 3) + "-8" + h.substr(17, 3) +
         "-" + h.substr(20, 12);
}

// eSIM Go's inactivity deletion (delta §7): the notice after 180 idle days, the deletion 7 days
// after the notice.
constexpr int64_t kIdleBeforeDeletionMs = 180 * limits::kDayMs;
constexpr int64_t kDeletionNoticeMs = 7 * limits::kDayMs;

// Rounds a non-negative micros amount to whole cents (half up).
int64_t ToCents(int64_t micros) { return (micros + 5'000) / 10'000 * 10'000; }

}  // namespace

std::string PricesHash(const std::vector<CountryPrices>& prices) {
  // ◐ The spec says SHA-256 "of the prices data"; the sandbox hashes the encoded `prices` array,
  // so the hash changes exactly when an answer's prices do.
  internal::JsonWriter w;
  w.BeginArray();
  for (const auto& c : prices) Encode(w, c);
  w.EndArray();
  return Sha256Hex(w.Take());
}

bool Engine::TickDeletion(EsimRec& esim, int64_t now, int64_t& next) {
  if (esim.state == kDeactivated) return false;
  // ◐ "Idle" = no live assignment (every one used up) and nothing applied, started, used or
  // ended since: the later of those times starts the 180 days (delta §7).
  int64_t idle_since = esim.last_seen_ms;
  for (const auto& a : esim.assignments) {
    if (!IsUsedUp(a.state)) {
      if (esim.deletion_scheduled_ms) {  // a bundle applied within the 7 days cancels it
        esim.deletion_scheduled_ms = 0;
        TouchEsim(esim.iccid);
        return true;
      }
      return false;  // the assignment's own transitions schedule the next look
    }
    idle_since = std::max({idle_since, a.assigned_ms, a.activated_ms});
    if (a.state == BundleState::kExpired) idle_since = std::max(idle_since, a.ends_ms);
    if (a.state == BundleState::kLapsed)
      idle_since = std::max(idle_since, a.assigned_ms + kLapseMs);
  }
  bool changed = false;
  int64_t due = idle_since + kIdleBeforeDeletionMs;
  if (esim.deletion_scheduled_ms && esim.deletion_scheduled_ms != due) {
    esim.deletion_scheduled_ms = 0;  // activity since the notice: it no longer holds
    changed = true;
  }
  if (!esim.deletion_scheduled_ms && now >= due) {
    esim.deletion_scheduled_ms = due;
    changed = true;
    webhook::Alert alert{.iccid = esim.iccid, .date = Timestamp::Parse(Iso(due))};
    alert.alert_type.value = webhook::AlertType::kEsimDeletionScheduled;
    RaiseAlert(alert);
  }
  if (esim.deletion_scheduled_ms && now >= esim.deletion_scheduled_ms + kDeletionNoticeMs) {
    esim.state = kDeactivated;
    esim.deactivated_ms = esim.deletion_scheduled_ms + kDeletionNoticeMs;
    AddHistory(esim, "eSIM Deleted (inactivity)", "");
    webhook::Alert alert{.iccid = esim.iccid, .date = Timestamp::Parse(Iso(esim.deactivated_ms))};
    alert.alert_type.value = webhook::AlertType::kEsimDeleted;
    RaiseAlert(alert);
    changed = true;
  } else {
    next = std::min(
        next, esim.deletion_scheduled_ms ? esim.deletion_scheduled_ms + kDeletionNoticeMs : due);
  }
  if (changed) TouchEsim(esim.iccid);
  return changed;
}

Result<void> Engine::RequireNotDeactivated(const EsimRec& esim) {
  if (esim.state != kDeactivated) return {};
  return Fail(ErrorCode::kBadRequest,
              "eSIM " + esim.iccid + " is deactivated (deleted); it cannot be used again");
}

Result<StatusMessage> Engine::Suspend(const std::string& iccid, bool suspend) {
  return Transact([&]() -> Result<StatusMessage> {
    auto found = FindEsim(iccid);
    if (!found) return tl::unexpected(found.error());
    EsimRec& esim = **found;
    if (auto d = RequireNotDeactivated(esim); !d) return tl::unexpected(d.error());
    if (!suspend && esim.policy_suspended) {
      // ◐ The guide says a policy suspension "cannot be reversed via the API"; the status (403)
      // and this wording are inferred.
      return Fail(ErrorCode::kForbidden, "eSIM " + iccid +
                                             " is suspended by eSIM Go's policy enforcement; it "
                                             "cannot be unsuspended through the API, contact "
                                             "support");
    }
    // ◐ Suspending a suspended eSIM, or unsuspending an active one, is refused (400) rather
    // than answered as a no-op.
    if (suspend && esim.state == kSuspended) {
      return Fail(ErrorCode::kBadRequest, "eSIM " + iccid + " is already suspended");
    }
    if (!suspend && esim.state != kSuspended) {
      return Fail(ErrorCode::kBadRequest, "eSIM " + iccid + " is not suspended");
    }
    esim.state = suspend ? kSuspended : kActive;
    AddHistory(esim, suspend ? "eSIM Suspended" : "eSIM Unsuspended", "");
    return StatusMessage{.status = suspend ? kSuspendedMessage : kUnsuspendedMessage};
  });
}

Result<SuspensionStatus> Engine::Suspension(const std::string& iccid) {
  return Read([&]() -> Result<SuspensionStatus> {
    auto found = FindEsim(iccid);
    if (!found) return tl::unexpected(found.error());
    // ◐ {"suspended": bool} (the YAML's unused SuspendESIM schema); partner and policy
    // suspensions look the same, as the single boolean allows nothing else.
    return SuspensionStatus{.suspended = (*found)->state == kSuspended};
  });
}

Result<StatusMessage> Engine::DeleteEsim(const std::string& iccid) {
  return Transact([&]() -> Result<StatusMessage> {
    auto found = FindEsim(iccid);
    if (!found) return tl::unexpected(found.error());
    EsimRec& esim = **found;
    // ◐ Deleting twice is a 400 (the eSIM is already gone) rather than a repeated 200.
    if (auto d = RequireNotDeactivated(esim); !d) return tl::unexpected(d.error());
    // "Deleting an eSIM will revoke all bundles without a refund" (S1): the ones still
    // running or waiting are revoked, and nothing goes back to the inventory or the balance.
    for (auto& a : esim.assignments) {
      if (IsUsedUp(a.state)) continue;
      a.state = BundleState::kRevoked;
      AddHistory(esim, "Bundle Revoked", a.bundle);
    }
    esim.state = kDeactivated;
    esim.profile_status = "Deactivated";  // ◐ (delta §2.4)
    esim.deactivated_ms = NowMs();
    AddHistory(esim, "eSIM Deleted", "");
    return StatusMessage{.status = kDeletedMessage};
  });
}

Result<void> Engine::SetPolicySuspension(const std::string& iccid, bool suspended) {
  return Transact([&]() -> Result<void> {
    auto found = FindEsim(iccid);
    if (!found) return tl::unexpected(found.error());
    EsimRec& esim = **found;
    if (auto d = RequireNotDeactivated(esim); !d) return tl::unexpected(d.error());
    esim.policy_suspended = suspended;
    // Lifting the policy suspension reconnects the eSIM; setting it suspends it either way.
    esim.state = suspended ? kSuspended : kActive;
    AddHistory(esim, suspended ? "eSIM Suspended (policy)" : "eSIM Unsuspended (policy)", "");
    return {};
  });
}

Result<void> Engine::SetConsumption(bool enabled) {
  return Transact([&]() -> Result<void> {
    state_.org.consumption = enabled;
    TouchOrg();
    return {};
  });
}

Result<CataloguePrices> Engine::Prices() {
  return Read([&]() -> Result<CataloguePrices> {
    if (!state_.org.consumption) {
      return Fail(ErrorCode::kForbidden,
                  "GET /catalogue/prices is only available to organisations on consumption "
                  "billing (sandbox: POST /_sandbox/consumption {\"enabled\": true})");
    }
    // ◐ The price per GB of a (country, profile) is the cheapest per-GB price of its
    // single-country, fixed-data bundles, rounded to cents, in USD (the organisation's currency).
    std::map<std::string, std::map<std::string, int64_t>> best;  // iso → profile → micros/GB
    const StaticData& data = Data();
    for (const auto& b : data.bundles) {
      const auto& m = b.model;
      if (m.unlimited || m.data_amount_mb <= 0 || m.countries.size() != 1) continue;
      int64_t per_gb = m.price.micros() * 1000 / m.data_amount_mb;
      auto& slot = best[m.countries.front().iso];
      auto it = slot.find(b.profile);
      if (it == slot.end() || per_gb < it->second) slot[b.profile] = per_gb;
    }
    CataloguePrices out;
    for (const auto& [iso, profiles] : best) {
      auto name = data.iso_names.find(iso);
      PriceCountry country{.iso = iso, .name = name != data.iso_names.end() ? name->second : iso};
      CountryPrices cp{.country = country};
      for (const auto& [profile, micros] : profiles) {
        cp.prices.push_back({.id = PriceId(iso, profile),
                             .price = Money::FromMicros(ToCents(micros)),
                             .currency = "USD",
                             .profile = ProfileName(profile),
                             .country = country});
      }
      out.prices.push_back(std::move(cp));
    }
    out.hash = PricesHash(out.prices);
    return out;
  });
}

}  // namespace esimgo::sandbox
