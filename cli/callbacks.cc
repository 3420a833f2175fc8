// esimgo callbacks — receive, verify, store and read eSIM Go usage callbacks. This file
// registers the commands; the receiver is callbacks_listen.cc + callbacks_receiver.cc, the hook
// queue callbacks_hooks.cc, the readers callbacks_read.cc.

#include <fmt/core.h>
#include <openssl/sha.h>

#include <fstream>
#include <sstream>

#include "callbacks_internal.h"
#include "commands.h"
#include "esimgo/webhook.h"

namespace esimgo::cli {
namespace {

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  std::string out;
  for (unsigned char c : digest) out += fmt::format("{:02x}", c);
  return out;
}

int RunVerify(Context& ctx, const std::string& body_file, const std::string& signature) {
  std::ifstream in(body_file, std::ios::binary);
  if (!in) {
    return ctx.Fail(kExitInvalidArgument, fmt::format("cannot read --body-file {}", body_file));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string body = ss.str();
  bool ok = webhook::VerifySignature(ctx.CallbackKey(), body, signature);
  ctx.out().EmitRecord(Json::Object().Set("valid", ok).Set("body_sha256", Sha256Hex(body)),
                       {{"Signature", ok ? "valid" : "MISMATCH"}});
  if (!ok) {
    return ctx.Fail(kExitSignatureMismatch,
                    "the signature does not match this body and API key: use the raw body bytes "
                    "exactly as received and the account's API key (--api-key)");
  }
  return kExitOk;
}

}  // namespace

void RegisterCallbacks(CLI::App& app, Context& ctx) {
  auto* group = Sub(app, "callbacks", "Receive, verify, store and read eSIM Go usage callbacks");
  group->require_subcommand(1);
  const char* store_help =
      "Event store: a SQLite file (default: state dir/callbacks.db) or a PostgreSQL URL "
      "(postgresql://…) shared by any number of receivers";

  auto la = std::make_shared<ListenArgs>();
  auto* listen = Sub(*group, "listen", "Receive callbacks, verify, store durably once, print");
  listen->add_option("--host", la->host, "Address to bind (default 127.0.0.1)");
  listen->add_option("--port", la->port, "Port (default 8787; 0 = any free port)");
  listen->add_option("--path", la->path, "Path (default /callback)");
  listen->add_option("--store", la->store, store_help);
  listen->add_option("--dedupe-window", la->dedupe_window,
                     "A body received again within this time is a redelivery, stored once "
                     "(default 6h, below 24h)");
  listen->add_option("--source", la->source,
                     "Account name stored with each event and part of the dedupe key (one "
                     "database, several eSIM Go accounts; default \"default\")");
  listen->add_option("--exec", la->exec,
                     "Run CMD for each new event from a durable queue (at least once): body on "
                     "stdin, ESIMGO_EVENT_ID in the environment");
  listen->add_option("--hook-workers", la->hook_workers, "Hooks run at once (default 1)");
  listen->add_option("--hook-attempts", la->hook_max_attempts,
                     "Runs of a failing hook before it is dead (default 8)");
  listen->add_option("--hook-lease", la->hook_lease,
                     "How long a claimed hook is ours before another runner may take it over "
                     "(renewed while it runs; default 60s)");
  listen->add_flag("--require-signature", la->require_signature,
                   "Answer 401 to callbacks without a valid V3 signature");
  listen->add_option("--previous-api-key", la->previous_api_key,
                     "Also accept signatures made with this key (rotation; or "
                     "ESIMGO_CALLBACK_KEYS=current,previous)");
  listen->add_option("--drain-grace", la->drain_grace,
                     "After SIGTERM, keep storing for this long while /readyz answers 503 "
                     "(default 0s)");
  listen->add_option("--max-requests-per-client", la->max_requests_per_client,
                     "Requests in progress per client address (default 64; raise it behind a "
                     "load balancer)");
  listen->add_flag("--quiet", la->quiet, "Do not print each stored event");
  OnRun(listen, ctx, [&ctx, la] { return RunListen(ctx, *la); });

  auto ta = std::make_shared<TailArgs>();
  auto* tail =
      Sub(*group, "tail", "Print stored callbacks in stream order (JSON lines when piped)");
  tail->add_option("--store", ta->store, store_help);
  tail->add_flag("-f,--follow", ta->follow, "Keep printing new events as they are committed");
  tail->add_option("--since", ta->since,
                   "Start at an event id (123), a duration ago (2h) or a time (ISO 8601)");
  tail->add_option("--type", ta->type, "Only this alertType, e.g. Utilisation");
  tail->add_option("--iccid", ta->iccid, "Only this ICCID");
  tail->add_option("--consumer", ta->consumer,
                   "A named reader: resume where it stopped, save the position after printing");
  tail->add_option("-n,--limit", ta->limit, "Stop after this many events");
  OnRun(tail, ctx, [&ctx, ta] { return RunTail(ctx, *ta); });

  auto ra = std::make_shared<ReplayArgs>();
  auto* replay = Sub(*group, "replay",
                     "Re-send stored callbacks (exact bytes, signed as received) to a URL or a "
                     "command");
  replay->add_option("--store", ra->store, store_help);
  replay->add_option("--id", ra->ids, "Event id (repeatable)");
  replay->add_option("--since", ra->since, "Events from an id, a duration ago or a time");
  replay->add_option("--until", ra->until, "…up to an id, a duration ago or a time");
  replay->add_option("--forward-to", ra->forward_to, "POST each to this URL");
  replay->add_option("--exec", ra->exec, "Run CMD for each (body on stdin, ESIMGO_EVENT_ID)");
  replay->add_option("--previous-api-key", ra->previous_api_key,
                     "The previous key, to sign events it verified");
  OnRun(replay, ctx, [&ctx, ra] { return RunReplay(ctx, *ra); });

  auto ps = std::make_shared<std::string>();
  auto pa = std::make_shared<std::string>();
  auto pw = std::make_shared<std::string>("6h");
  auto* prune = Sub(*group, "prune", "Delete stored callbacks older than a duration");
  prune->add_option("--store", *ps, store_help);
  prune->add_option("--older-than", *pa, "e.g. 90d")->required();
  prune->add_option("--dedupe-window", *pw,
                    "The receivers' --dedupe-window (dedupe keys older than it go; default 6h)");
  OnRun(prune, ctx, [&ctx, ps, pa, pw] { return RunPrune(ctx, *ps, *pa, *pw); });

  auto* hooks = Sub(*group, "hooks", "The durable --exec hook queue");
  hooks->require_subcommand(1);
  auto ha = std::make_shared<HookRunArgs>();
  auto* hrun = Sub(*hooks, "run", "Run queued hooks (a worker without a receiver)");
  hrun->add_option("--store", ha->store, store_help);
  hrun->add_option("--exec", ha->exec, "The hook command")->required();
  hrun->add_option("--workers", ha->workers, "Hooks run at once (default 1)");
  hrun->add_option("--attempts", ha->max_attempts, "Runs before a failing hook is dead (8)");
  hrun->add_option("--lease", ha->lease, "Claim lease, renewed while a hook runs (60s)");
  OnRun(hrun, ctx, [&ctx, ha] { return RunHooksWorker(ctx, *ha); });
  auto hs = std::make_shared<std::string>();
  auto hstate = std::make_shared<std::string>("all");
  auto hlimit = std::make_shared<int>(100);
  auto* hlist = Sub(*hooks, "list", "Show hook rows (state, attempts, last error)");
  hlist->add_option("--store", *hs, store_help);
  hlist->add_option("--state", *hstate, "pending, running, done, dead or all (default)");
  hlist->add_option("-n,--limit", *hlimit, "At most this many rows (default 100)");
  OnRun(hlist, ctx,
        [&ctx, hs, hstate, hlimit] { return RunHooksList(ctx, *hs, *hstate, *hlimit); });
  auto hids = std::make_shared<std::vector<int64_t>>();
  auto* hretry = Sub(*hooks, "retry", "Make dead hooks pending again (all, or these event ids)");
  hretry->add_option("--store", *hs, store_help);
  hretry->add_option("ids", *hids, "Event ids (default: every dead hook)");
  OnRun(hretry, ctx, [&ctx, hs, hids] { return RunHooksRetry(ctx, *hs, *hids); });

  auto body = std::make_shared<std::string>();
  auto sig = std::make_shared<std::string>();
  auto* verify = Sub(*group, "verify", "Check a callback signature against a saved body");
  verify->add_option("--body-file", *body, "The raw body as received")->required();
  verify->add_option("--signature", *sig, "The X-Signature-SHA256 value (base64 or hex)")
      ->required();
  OnRun(verify, ctx, [&ctx, body, sig] { return RunVerify(ctx, *body, *sig); });
}

}  // namespace esimgo::cli
