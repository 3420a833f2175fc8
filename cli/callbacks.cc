// esimgo callbacks listen|verify — a durable, verifying receiver of eSIM Go usage callbacks.

#include <fmt/core.h>
#include <httplib.h>
#include <openssl/sha.h>
#include <sqlite3.h>

#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "commands.h"
#include "esimgo/net/guarded_server.h"
#include "esimgo/net/http_guard.h"
#include "esimgo/webhook.h"
#include "json_model.h"
#include "signals.h"

namespace esimgo::cli {
namespace {

constexpr std::size_t kMaxBody = 64 * 1024;

struct ListenArgs {
  std::string host = "127.0.0.1";
  int port = 8787;
  std::string path = "/callback";
  std::string store;
  std::string exec;
  bool require_signature = false;
};

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  std::string out;
  for (unsigned char c : digest) out += fmt::format("{:02x}", c);
  return out;
}

std::string NowIso() {
  return Timestamp::FromTime(std::chrono::time_point_cast<std::chrono::nanoseconds>(
                                 std::chrono::system_clock::now()))
      .ToIso();
}

// The event store: one SQLite connection, one writer at a time, fsync'ed commits.
class EventStore {
 public:
  ~EventStore() {
    if (stmt_) sqlite3_finalize(stmt_);
    if (db_) sqlite3_close(db_);
  }
  std::string Open(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
      return fmt::format("cannot open the event store {}: {}", path,
                         db_ ? sqlite3_errmsg(db_) : "out of memory");
    }
    sqlite3_busy_timeout(db_, 5000);
    const char* schema =
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=FULL;"
        "CREATE TABLE IF NOT EXISTS events("
        "  id INTEGER PRIMARY KEY,"
        "  body_sha256 TEXT NOT NULL UNIQUE,"
        "  received_at TEXT NOT NULL,"
        "  alert_type TEXT NOT NULL,"
        "  iccid TEXT NOT NULL,"
        "  verified INTEGER NOT NULL,"
        "  body BLOB NOT NULL);";
    char* err = nullptr;
    if (sqlite3_exec(db_, schema, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg =
          fmt::format("cannot prepare the event store {}: {}", path, err ? err : "unknown error");
      sqlite3_free(err);
      return msg;
    }
    if (sqlite3_prepare_v2(db_,
                           "INSERT OR IGNORE INTO events(body_sha256, received_at, alert_type, "
                           "iccid, verified, body) VALUES(?,?,?,?,?,?)",
                           -1, &stmt_, nullptr) != SQLITE_OK) {
      return fmt::format("cannot prepare the event store: {}", sqlite3_errmsg(db_));
    }
    return "";
  }
  // 1 = stored, 0 = duplicate, -1 = failed.
  int Insert(const std::string& hash, const std::string& at, const std::string& type,
             const std::string& iccid, bool verified, const std::string& body) {
    std::lock_guard lock(mu_);
    sqlite3_reset(stmt_);
    sqlite3_bind_text(stmt_, 1, hash.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt_, 2, at.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt_, 3, type.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt_, 4, iccid.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt_, 5, verified ? 1 : 0);
    sqlite3_bind_blob(stmt_, 6, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
    int rc = sqlite3_step(stmt_);
    if (rc != SQLITE_DONE) return -1;
    return sqlite3_changes(db_) > 0 ? 1 : 0;
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::mutex mu_;
};

void Answer(httplib::Response& res, int status, std::string_view message) {
  res.status = status;
  res.set_content(fmt::format("{{\"message\":\"{}\"}}", JsonEscape(message)), "application/json");
}

int RunListen(Context& ctx, const ListenArgs& a) {
  if (a.path.empty() || a.path[0] != '/') {
    return ctx.Fail(kExitInvalidArgument, "--path must start with /, e.g. /callback");
  }
  if (a.port < 0 || a.port > 65535) {
    return ctx.Fail(kExitInvalidArgument, "--port must be between 0 and 65535 (0 = any free port)");
  }
  std::string store_path = a.store;
  if (store_path.empty()) {
    auto dir = StateDir();
    if (!dir) return ctx.Fail(dir.error());
    store_path = *dir + "/callbacks.db";
  }
  EventStore store;
  if (std::string err = store.Open(store_path); !err.empty()) {
    return ctx.Fail(kExitInvalidArgument, err + "; choose another file with --store");
  }
  const std::string key = ctx.CallbackKey();
  const Printer& out = ctx.out();
  std::mutex print_mu;

  // The receiver may face the internet: the same timeouts, body counting (chunked too), worker
  // pool and per-client caps as the sandbox (net/, docs/cli.md "callbacks listen").
  auto limits = std::make_shared<net::ServerLimits>();
  limits->max_body_bytes = kMaxBody;
  limits->body_too_large_message = fmt::format("body larger than {} bytes", kMaxBody);
  limits->max_workers = 512;
  limits->min_workers = 4;
  limits->max_requests_per_client = 16;
  limits->max_connections_per_client = 32;
  net::GuardedServer svr(limits);
  auto guard = net::Harden(svr, limits);
  svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty() || net::IsClosingAnswer(res)) return;
    if (res.status == 413) {
      Answer(res, 413, fmt::format("body larger than {} bytes", kMaxBody));
    } else if (res.status == 404) {
      Answer(res, 404, "no such path");
    }
  });
  auto on_callback = [&](const httplib::Request& req, httplib::Response& res) {
    if (req.body.size() > kMaxBody) {
      Answer(res, 413, fmt::format("body larger than {} bytes", kMaxBody));
      return;
    }
    Headers headers;
    for (const auto& [k, v] : req.headers) headers.emplace_back(k, v);
    auto verdict = webhook::VerifyRequest(key, headers, req.body);
    bool verified = verdict.has_value();
    if (!verified && a.require_signature) {
      {
        std::lock_guard lock(print_mu);
        ctx.Info("rejected a callback (401): " + verdict.error().message);
      }
      Answer(res, 401, "signature missing or invalid");
      return;
    }
    auto alert = webhook::ParseAlert(req.body);
    if (!alert) {
      Answer(res, 400, "the body is not a JSON object");
      return;
    }
    std::string hash = Sha256Hex(req.body);
    std::string at = NowIso();
    int stored = store.Insert(hash, at, alert->alert_type.raw, alert->iccid, verified, req.body);
    if (stored < 0) {
      // Not stored: a 5xx makes eSIM Go deliver it again.
      Answer(res, 503, "could not store the event; retry later");
      return;
    }
    if (stored == 0) {
      Answer(res, 200, "duplicate");
      return;
    }
    Json event = ToJson(*alert);
    event.Set("received_at", at).Set("verified", verified).Set("body_sha256", hash);
    {
      std::lock_guard lock(print_mu);
      std::string line;
      if (out.format() == Format::kTable) {
        std::string detail;
        if (alert->bundle) {
          detail =
              fmt::format("{}  {}", alert->bundle->name,
                          Remaining(alert->bundle->remaining_quantity,
                                    alert->bundle->initial_quantity, alert->bundle->unlimited));
        } else if (alert->country) {
          detail = fmt::format("{} ({})", alert->country->name, alert->country->code);
        } else if (alert->balance_info) {
          detail = fmt::format("balance {} (threshold {})", alert->balance_info->balance.ToString(),
                               alert->balance_info->threshold.ToString());
        }
        line = fmt::format("{}  {:<20}  {:<20}  {}  {}\n", at, alert->alert_type.raw,
                           alert->iccid.empty() ? "-" : alert->iccid, detail,
                           verified ? "verified" : "UNVERIFIED");
      } else {
        line = event.Dump(-1) + "\n";
      }
      std::fputs(line.c_str(), stdout);
      std::fflush(stdout);
    }
    if (!a.exec.empty()) {
      std::string json = event.Dump(-1) + "\n";
      if (FILE* p = popen(a.exec.c_str(), "w")) {
        std::fwrite(json.data(), 1, json.size(), p);
        int status = pclose(p);
        if (status != 0) {
          std::lock_guard lock(print_mu);
          ctx.Info(fmt::format("--exec command exited with status {} (the event is stored)",
                               WIFEXITED(status) ? WEXITSTATUS(status) : status));
        }
      }
    }
    Answer(res, 200, "stored");
  };
  svr.Post(a.path, net::LimitedBody(on_callback, limits));

  BlockStopSignals();
  int port = a.port;
  if (port == 0) {
    port = svr.bind_to_any_port(a.host);
  } else if (!svr.bind_to_port(a.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return ctx.Fail(kExitNetwork, fmt::format("cannot listen on {}:{}: is the port in use? try "
                                              "--port 0 for any free port",
                                              a.host, a.port));
  }
  net::AfterBind(*guard);
  std::thread server([&] { svr.listen_after_bind(); });
  std::string host = a.host.find(':') != std::string::npos ? "[" + a.host + "]" : a.host;
  ctx.Info(fmt::format("listening on http://{}:{}{} (store {}{}); Ctrl-C stops", host, port, a.path,
                       store_path, a.require_signature ? ", signatures required" : ""));
  int sig = WaitForStopSignal();
  svr.stop();
  server.join();
  ctx.Info(fmt::format("stopped ({})", sig == SIGINT ? "SIGINT" : "SIGTERM"));
  return kExitOk;
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
  auto* group = Sub(app, "callbacks", "Receive and verify eSIM Go usage callbacks");
  group->require_subcommand(1);

  auto la = std::make_shared<ListenArgs>();
  auto* listen = Sub(*group, "listen", "Receive callbacks, verify, store durably, print");
  listen->add_option("--host", la->host, "Address to bind (default 127.0.0.1)");
  listen->add_option("--port", la->port, "Port (default 8787; 0 = any free port)");
  listen->add_option("--path", la->path, "Path (default /callback)");
  listen->add_option("--store", la->store, "SQLite file (default: state dir/callbacks.db)");
  listen->add_option("--exec", la->exec, "Run CMD for each new event, event JSON on stdin");
  listen->add_flag("--require-signature", la->require_signature,
                   "Answer 401 to callbacks without a valid V3 signature");
  OnRun(listen, ctx, [&ctx, la] { return RunListen(ctx, *la); });

  auto body = std::make_shared<std::string>();
  auto sig = std::make_shared<std::string>();
  auto* verify = Sub(*group, "verify", "Check a callback signature against a saved body");
  verify->add_option("--body-file", *body, "The raw body as received")->required();
  verify->add_option("--signature", *sig, "The X-Signature-SHA256 value (base64 or hex)")
      ->required();
  OnRun(verify, ctx, [&ctx, body, sig] { return RunVerify(ctx, *body, *sig); });
}

}  // namespace esimgo::cli
