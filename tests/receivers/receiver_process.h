#pragma once
// The receiver end-to-end tests' helpers: the real `esimgo` binary started as a process
// (`callbacks listen` on port 0 against a throwaway PostgreSQL), signed callbacks sent over
// loopback, and the answers, metrics and stored rows read back.

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../testing/spawn.h"
#include "esimgo/webhook.h"

namespace esimgo_receivers_test {

namespace fs = std::filesystem;

inline constexpr const char* kCli = ESIMGO_CLI_PATH;
inline constexpr const char* kKey = "receiver-test-key-5d1e";
inline constexpr const char* kOldKey = "receiver-test-old-key-93a0";

inline std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "esimgo-rcv-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Starts `esimgo args…` with stdout/stderr in dir/name.out|.err and a clean environment.
inline pid_t Spawn(const std::vector<std::string>& args, const fs::path& dir,
                   const std::string& name, std::map<std::string, std::string> env = {}) {
  env.emplace("PATH", "/usr/bin:/bin");
  env.emplace("HOME", dir.string());
  env.emplace("XDG_STATE_HOME", (dir / "state").string());
  env.emplace("XDG_CONFIG_HOME", (dir / "config").string());
  env.emplace("NO_COLOR", "1");
  esimgo::testing::SpawnSpec spec{.out_path = (dir / (name + ".out")).string(),
                                  .err_path = (dir / (name + ".err")).string(),
                                  .append = true};
  spec.argv = {kCli};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  for (const auto& [k, v] : env) spec.env.push_back(k + "=" + v);
  return esimgo::testing::SpawnProcess(spec);
}

using esimgo::testing::WaitExit;

struct Run {
  int code = -1;
  std::string out, err;
};

// Runs `esimgo args…` to completion.
inline Run RunCli(const std::vector<std::string>& args, const fs::path& dir,
                  std::map<std::string, std::string> env = {}) {
  static int counter = 0;
  std::string name = "run" + std::to_string(++counter);
  pid_t pid = Spawn(args, dir, name, std::move(env));
  Run r;
  r.code = WaitExit(pid);
  r.out = ReadFile(dir / (name + ".out"));
  r.err = ReadFile(dir / (name + ".err"));
  return r;
}

// Polls `check` until it holds or `limit` passes (condition waits, not fixed sleeps).
template <class F>
bool Eventually(F check, std::chrono::milliseconds limit = std::chrono::milliseconds(20000)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (check()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return check();
}

// A `callbacks listen` process on port 0.
class Receiver {
 public:
  Receiver(const fs::path& dir, const std::string& name, const std::string& store,
           std::vector<std::string> extra = {}, std::map<std::string, std::string> env = {})
      : dir_(dir), name_(name) {
    std::vector<std::string> args = {"--api-key", kKey,     "-o", "json",    "callbacks",
                                     "listen",    "--port", "0",  "--store", store};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = Spawn(args, dir, name, std::move(env));
    Eventually([&] {
      std::string err = ReadFile(dir_ / (name_ + ".err"));
      auto at = err.find("listening on http://127.0.0.1:");
      if (at == std::string::npos) return false;
      port_ = std::stoi(err.substr(at + 30));
      return true;
    });
  }
  ~Receiver() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string err() const { return ReadFile(dir_ / (name_ + ".err")); }
  std::string out() const { return ReadFile(dir_ / (name_ + ".out")); }
  // SIGTERM, then the exit code.
  int Terminate() {
    kill(pid_, SIGTERM);
    int code = WaitExit(pid_);
    pid_ = -1;
    return code;
  }
  void Kill9() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  int Wait() {
    int code = WaitExit(pid_);
    pid_ = -1;
    return code;
  }

 private:
  fs::path dir_;
  std::string name_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// A distinct Utilisation-shaped body per `n`.
inline std::string Body(int n, const std::string& tag = "t") {
  return R"({"alertType":"Utilisation","iccid":"89440000000)" + std::to_string(100000000 + n) +
         R"(","bundle":{"id":")" + tag + "-" + std::to_string(n) +
         R"(","name":"esim_1GB_7D_GB_V2","initialQuantity":1000000000,"remainingQuantity":500000000,"unlimited":false}})";
}

inline httplib::Result PostSigned(httplib::Client& c, const std::string& body,
                                  const std::string& key = kKey) {
  return c.Post("/callback", {{"X-Signature-SHA256", esimgo::webhook::ComputeSignature(key, body)}},
                body, "application/json");
}

inline std::unique_ptr<httplib::Client> ClientFor(int port) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
  c->set_connection_timeout(std::chrono::seconds(5));
  c->set_read_timeout(std::chrono::seconds(30));
  return c;
}

}  // namespace esimgo_receivers_test
