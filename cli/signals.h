#pragma once
/// @file signals.h
/// Clean shutdown of the long-running commands on SIGINT/SIGTERM.

#include <csignal>

#include <pthread.h>

namespace esimgo::cli {

/// Blocks SIGINT and SIGTERM in this thread and every thread started after it, so that only
/// `WaitForStopSignal` receives them. Call before starting server threads.
inline void BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

/// Waits for SIGINT or SIGTERM; returns the signal number.
inline int WaitForStopSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

}  // namespace esimgo::cli
