// esimgo-sandbox: runs the eSIM Go v2.4 emulator as a standalone server.
// Prints its base URL (one line) on stdout when ready; stops on SIGINT/SIGTERM.

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>

#include "esimgo/sandbox/sandbox.h"

int main(int argc, char** argv) {
  esimgo::sandbox::SandboxOptions opts;
  CLI::App app{"esimgo-sandbox: a stateful emulator of the eSIM Go v2.4 API (see docs/sandbox.md)"};
  app.add_option("--host", opts.host, "Address to listen on")->capture_default_str();
  app.add_option("--port", opts.port, "Port (0 = pick a free one and print it)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  app.add_option("--db", opts.db_path, "SQLite file for the state (default: in-memory)");
  app.add_option("--api-key", opts.api_key, "API key clients must send as X-API-Key");
  app.add_option("--callback-url", opts.callback_url, "Where usage alerts are POSTed");
  app.add_option("--callback-version", opts.callback_version, "2 = unsigned, 3 = signed")
      ->capture_default_str()
      ->check(CLI::IsMember({2, 3}));
  app.add_option("--rate-limit", opts.rate_limit, "Requests per second per client IP (0 = off)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--seed", opts.seed, "Seed for generated ICCIDs etc. (0 = random)");
  app.add_option("--faults", opts.faults, "Fault spec, e.g. 'POST /orders=commit-then-drop:1'");
  app.add_option("--allow-ip", opts.allowed_ips,
                 "Accept API requests only from this address (repeatable; others get the same "
                 "403 as a bad key, like eSIM Go's IP whitelist)");
  app.add_option("--threads", opts.threads,
                 "Most HTTP worker threads (started on demand; one per open connection)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  CLI11_PARSE(app, argc, argv);

  // Block the stop signals in every thread, then wait for one on the main thread.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  auto sandbox = esimgo::sandbox::Sandbox::Start(opts);
  if (!sandbox) {
    std::cerr << "esimgo-sandbox: " << sandbox.error().message << "\n";
    return 1;
  }
  std::cout << (*sandbox)->base_url() << std::endl;  // endl flushes: scripts wait for this line
  int sig = 0;
  sigwait(&set, &sig);
  std::cerr << "esimgo-sandbox: stopping\n";
  (*sandbox)->Stop();
  return 0;
}
