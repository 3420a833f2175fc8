#pragma once
/// @file callbacks_internal.h
/// What the `esimgo callbacks …` commands share (callbacks*.cc): their arguments, opening the
/// store, the signing keys, and how an event is printed.

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "context.h"
#include "esimgo/callbacks/callbacks.h"
#include "json.h"
#include "outcome.h"

namespace esimgo::cli {

/// `callbacks listen`.
struct ListenArgs {
  std::string host = "127.0.0.1";
  int port = 8787;
  std::string path = "/callback";
  std::string store;  ///< SQLite path or PostgreSQL URL; empty = state dir/callbacks.db.
  std::string exec;   ///< Hook command (durable queue, at least once).
  bool require_signature = false;
  std::string dedupe_window = "6h";
  std::string previous_api_key;
  std::string source = "default";
  bool quiet = false;  ///< Do not print each stored event on stdout.
  int hook_workers = 1;
  int hook_max_attempts = 8;
  std::string hook_lease = "60s";
  /// After SIGTERM: how long to keep storing callbacks while /readyz already answers 503.
  std::string drain_grace = "0s";
  /// Requests in progress per client address (the connection cap is twice this). Behind a
  /// load balancer every request comes from its address: raise it there.
  std::size_t max_requests_per_client = 64;
};

/// `callbacks hooks run` (a hook worker without a receiver).
struct HookRunArgs {
  std::string store;
  std::string exec;
  int workers = 1;
  int max_attempts = 8;
  std::string lease = "60s";
};

/// `callbacks tail`.
struct TailArgs {
  std::string store;
  bool follow = false;
  std::string since;
  std::string type;
  std::string iccid;
  std::string consumer;
  std::size_t limit = 0;  ///< 0 = no limit.
};

/// `callbacks replay`.
struct ReplayArgs {
  std::string store;
  std::vector<int64_t> ids;
  std::string since;
  std::string until;
  std::string forward_to;
  std::string exec;
  std::string previous_api_key;
};

/// The keys callbacks are verified with: slot 0 = current, slot 1 = previous (rotation).
struct CallbackKeys {
  std::string current;
  std::string previous;  ///< Empty = none.
};

/// Current key: --api-key (or the configured key), else the first of ESIMGO_CALLBACK_KEYS,
/// else the embedded sandbox's. Previous: --previous-api-key, else the second of
/// ESIMGO_CALLBACK_KEYS. Errors: more than two keys in ESIMGO_CALLBACK_KEYS.
[[nodiscard]] Outcome<CallbackKeys> ResolveKeys(const Context& ctx,
                                                const std::string& previous_flag);

/// `target` with any password removed (printable).
[[nodiscard]] std::string PrintableTarget(const std::string& target);

/// Opens the store named by --store (default: the state dir's callbacks.db). Errors are
/// turned into CLI failures that say what to do.
/// `must_exist`: a SQLite file that is not there is an error (readers must not create an empty
/// store by a typo).
[[nodiscard]] Outcome<std::unique_ptr<callbacks::Store>> OpenCallbackStore(
    const std::string& target, const callbacks::StoreOptions& options, bool must_exist = false);

/// The --store value with the default applied.
[[nodiscard]] Outcome<std::string> StoreTarget(const std::string& flag);

/// Parses a positive duration ("6h", "90d", "500ms"); `what` names the flag in errors.
[[nodiscard]] Outcome<std::chrono::milliseconds> PositiveDuration(const std::string& text,
                                                                  const std::string& what);

/// Applies `--since`/`--until` (ID, DURATION ago, or an ISO time) to `filter`.
[[nodiscard]] Outcome<> ApplySince(const std::string& since, callbacks::ReadFilter& filter);
[[nodiscard]] Outcome<> ApplyUntil(const std::string& until, callbacks::ReadFilter& filter);

/// One event as a JSON line: id, received_at, alert_type, iccid, verified, key_slot, source,
/// receiver, and the body embedded as JSON (exact lexemes, whitespace outside strings
/// removed) or, when it is not JSON, as `body_text`.
[[nodiscard]] std::string EventJsonLine(const callbacks::Event& event);

/// One event as a table line (sanitised).
[[nodiscard]] std::string EventTableLine(const callbacks::Event& event);

/// Starts `sh -c command` with `env` added and `input` on stdin (≤ 64 KiB: it fits the pipe, so
/// a hook that never reads cannot block us); returns its pid, or -1 when it could not start.
/// Its stdout/stderr are this process's.
[[nodiscard]] pid_t SpawnCommand(const std::string& command,
                                 const std::vector<std::pair<std::string, std::string>>& env,
                                 const std::string& input);

/// Runs `sh -c command` with `env` added, `input` on stdin; returns its wait status, or -1
/// when it could not be started. Output goes to this process's stdout/stderr.
[[nodiscard]] int RunCommand(const std::string& command,
                             const std::vector<std::pair<std::string, std::string>>& env,
                             const std::string& input);

int RunListen(Context& ctx, const ListenArgs& args);
int RunHooksWorker(Context& ctx, const HookRunArgs& args);
int RunHooksList(Context& ctx, const std::string& store, const std::string& state, int limit);
int RunHooksRetry(Context& ctx, const std::string& store, const std::vector<int64_t>& ids);
int RunTail(Context& ctx, const TailArgs& args);
int RunReplay(Context& ctx, const ReplayArgs& args);
int RunPrune(Context& ctx, const std::string& store, const std::string& older_than,
             const std::string& dedupe_window);

}  // namespace esimgo::cli
