#pragma once
// Shared helpers of the CLI end-to-end tests: each test runs the real `esimgo` executable as a
// process against a sandbox started in-process on port 0, parses its stdout and checks the
// state through the SDK.

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../testing/spawn.h"
#include "esimgo/esimgo.h"
#include "esimgo/sandbox/sandbox.h"

namespace esimgo_cli_test {

namespace fs = std::filesystem;
using nlohmann::json;

inline constexpr const char* kCli = ESIMGO_CLI_PATH;
inline constexpr const char* kKey = "cli-test-key-7f3a9c41";

inline std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "esimgo-cli-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A loopback address where nothing answers: a TCP port this process bound and never listens
// on. Linux refuses connections to it at once (ECONNREFUSED), and no other process can take
// the port while the object lives — unlike a fixed "port 1", which a machine may well serve.
class DeadPort {
 public:
  DeadPort() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "could not bind a loopback port";
      return;
    }
    port_ = ntohs(addr.sin_port);
  }
  ~DeadPort() {
    if (fd_ >= 0) close(fd_);
  }
  DeadPort(const DeadPort&) = delete;
  DeadPort& operator=(const DeadPort&) = delete;
  [[nodiscard]] int port() const { return port_; }
  /// An API base URL on this port.
  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/v2.4";
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A stand-in for the API on a loopback port (port 0): answers chosen by the test, and a count
// of every request that reached it (to prove that a run sent nothing).
class FakeApi {
 public:
  FakeApi() {
    server_.set_pre_routing_handler([this](const httplib::Request&, httplib::Response&) {
      ++requests_;
      return httplib::Server::HandlerResponse::Unhandled;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    // The socket listens from bind on: requests wait in the backlog until the loop runs.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeApi() {
    server_.stop();
    thread_.join();
  }
  FakeApi(const FakeApi&) = delete;
  FakeApi& operator=(const FakeApi&) = delete;

  /// Answers GET /v2.4`path` with `status` and the JSON `body`.
  void Get(const std::string& path, int status, std::string body) {
    server_.Get("/v2.4" + path, [status, body](const httplib::Request&, httplib::Response& res) {
      res.status = status;
      res.set_content(body, "application/json");
    });
  }
  /// Answers `method` `full_path` (version segment included, e.g. "/v2.5/esims/…/suspend")
  /// with `status` and the JSON `body`, and records each such request (see `seen`).
  void On(const std::string& method, const std::string& full_path, int status, std::string body) {
    auto handler = [this, status, body](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        seen_.push_back({req.method, req.path, req.body});
      }
      res.status = status;
      res.set_content(body, "application/json");
    };
    if (method == "GET") server_.Get(full_path, handler);
    if (method == "POST") server_.Post(full_path, handler);
    if (method == "PUT") server_.Put(full_path, handler);
    if (method == "DELETE") server_.Delete(full_path, handler);
  }
  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/v2.4";
  }
  /// The base URL of API version `version` ("2.4", "2.5") on this server.
  [[nodiscard]] std::string url(const std::string& version) const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/v" + version;
  }
  [[nodiscard]] int requests() const { return requests_.load(); }

  struct Seen {
    std::string method, path, body;
  };
  /// Every request answered by an `On` route, in order.
  [[nodiscard]] std::vector<Seen> seen() const {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  std::atomic<int> requests_{0};
  int port_ = 0;
  mutable std::mutex mu_;
  std::vector<Seen> seen_;
};

struct Proc {
  int code = -1;
  std::string out;
  std::string err;
};

using Env = std::map<std::string, std::string>;

// A clean environment: HOME and the XDG dirs inside `home`, no ESIMGO_* from the caller.
inline Env BaseEnv(const fs::path& home) {
  return {{"PATH", "/usr/bin:/bin"},
          {"HOME", home.string()},
          {"XDG_STATE_HOME", (home / "state").string()},
          {"XDG_CONFIG_HOME", (home / "config").string()},
          {"NO_COLOR", "1"}};
}

// Starts the CLI with stdin read from `stdin_path` (a file, or a terminal when `new_session`:
// the child then starts its own session so that terminal can become its controlling one) and
// stdout/stderr redirected to `dir`/`name`.out and .err.
inline pid_t SpawnWithStdin(const std::vector<std::string>& args, const Env& env,
                            const fs::path& dir, const std::string& name,
                            const std::string& stdin_path, bool new_session) {
  esimgo::testing::SpawnSpec spec{.stdin_path = stdin_path,
                                  .out_path = (dir / (name + ".out")).string(),
                                  .err_path = (dir / (name + ".err")).string(),
                                  .new_session = new_session};
  spec.argv = {kCli};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  for (const auto& [k, v] : env) spec.env.push_back(k + "=" + v);
  return esimgo::testing::SpawnProcess(spec);
}

// Starts the CLI with `stdin_text` as its stdin and stdout/stderr redirected to files in `dir`.
inline pid_t Spawn(const std::vector<std::string>& args, const Env& env, const fs::path& dir,
                   const std::string& name, const std::string& stdin_text = {}) {
  fs::path in = dir / (name + ".in");
  WriteFile(in, stdin_text);
  return SpawnWithStdin(args, env, dir, name, in.string(), /*new_session=*/false);
}

using esimgo::testing::WaitExit;

inline Proc RunCli(const std::vector<std::string>& args, const Env& env, const fs::path& dir,
                   const std::string& stdin_text = {}) {
  static int counter = 0;
  std::string name = "run" + std::to_string(++counter);
  pid_t pid = Spawn(args, env, dir, name, stdin_text);
  Proc p;
  p.code = WaitExit(pid);
  p.out = ReadFile(dir / (name + ".out"));
  p.err = ReadFile(dir / (name + ".err"));
  return p;
}

// Waits until `file` contains `needle`; returns the file's text.
inline std::string WaitFor(const fs::path& file, const std::string& needle,
                           std::chrono::seconds limit = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  std::string text;
  while (std::chrono::steady_clock::now() < deadline) {
    text = ReadFile(file);
    if (text.find(needle) != std::string::npos) return text;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return text;
}

// Rows in a receiver's SQLite event store (the esimgo::callbacks schema, ADR 0009).
inline int64_t CountStored(const fs::path& db) {
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(h, "SELECT count(*) FROM callback_events", -1, &st, nullptr);
  int64_t n = -1;
  if (st && sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
  return n;
}

// One sandbox per test suite (port 0, a key of its own); every test gets a fresh HOME.
class Cli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto sb = esimgo::sandbox::Sandbox::Start(
        {.port = 0, .api_key = kKey, .rate_limit = 0, .seed = 4242});
    ASSERT_TRUE(sb) << sb.error().ToString();
    sandbox_ = std::move(*sb).release();
  }
  static void TearDownTestSuite() {
    delete sandbox_;
    sandbox_ = nullptr;
  }

  [[nodiscard]] std::string url() const { return sandbox_->base_url(); }
  [[nodiscard]] esimgo::Client client() const {
    return esimgo::Client({.api_key = kKey, .base_url = url(), .requests_per_second = 0});
  }

  // Runs `esimgo --base-url <sandbox> --api-key <key> args…`.
  Proc Exec(std::vector<std::string> args, const std::string& stdin_text = {}) {
    std::vector<std::string> full = {"--base-url", url(), "--api-key", kKey};
    full.insert(full.end(), args.begin(), args.end());
    return RunCli(full, BaseEnv(home_.path()), home_.path(), stdin_text);
  }

  // The JSON stdout of a successful run.
  json CliJson(std::vector<std::string> args) {
    args.insert(args.begin(), {"-o", "json"});
    Proc p = Exec(args);
    EXPECT_EQ(p.code, 0) << p.err;
    auto j = json::parse(p.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << p.out;
    return j;
  }

  // A GB data bundle with a finite amount.
  std::string GbBundle() {
    auto page = client().catalogue().List({.per_page = 100, .countries = {"GB"}});
    EXPECT_TRUE(page) << page.error().ToString();
    for (const auto& b : page->bundles) {
      if (!b.unlimited && b.data_amount_mb > 0) return b.name;
    }
    ADD_FAILURE() << "no GB bundle in the sandbox catalogue";
    return "";
  }

  // Buys one bundle into inventory and applies it to a new eSIM; returns the ICCID.
  std::string NewEsimWithBundle(const std::string& bundle) {
    json order = CliJson({"orders", "create", bundle, "--yes"});
    EXPECT_FALSE(order.value("order_reference", "").empty()) << order.dump();
    json applied = CliJson({"esims", "apply", bundle});
    EXPECT_EQ(applied["esims"].size(), 1u) << applied.dump();
    return applied["esims"][0]["iccid"].get<std::string>();
  }

  inline static esimgo::sandbox::Sandbox* sandbox_ = nullptr;
  TempDir home_;
};

// Input validation before any request: the base URL is a dead loopback port, so a run that
// reaches the network fails with exit 8 instead of the code the test expects.
class CliOffline : public ::testing::Test {
 protected:
  Proc Offline(std::vector<std::string> args) {
    std::vector<std::string> full = {"--base-url", dead_.url(), "--api-key", kKey};
    full.insert(full.end(), args.begin(), args.end());
    return RunCli(full, BaseEnv(home_.path()), home_.path());
  }
  DeadPort dead_;
  TempDir home_;
};

}  // namespace esimgo_cli_test
