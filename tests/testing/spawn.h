#pragma once
// Starting a real program from a test (the esimgo CLI, a copy of its launcher, a receiver):
// one fork/exec with an exact environment and stdin/stdout/stderr redirected to files, and the
// matching wait with a deadline. The CLI, launcher and receiver suites all start processes
// through these two functions.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace esimgo::testing {

struct SpawnSpec {
  std::vector<std::string> argv;  ///< argv[0] is the program's path.
  std::vector<std::string> env;   ///< "NAME=value" each: the whole environment, nothing inherited.
  std::string stdin_path = "/dev/null";
  std::string out_path;  ///< stdout goes here (created, mode 0600).
  std::string err_path;  ///< stderr goes here.
  bool append = false;   ///< Append to out/err (a process restarted into the same files).
  /// Start a session of its own; stdin is then opened read-write, so that a terminal given as
  /// stdin can become the child's controlling terminal.
  bool new_session = false;
};

// The child's pid; the child exits 127 if the program cannot be executed.
inline pid_t SpawnProcess(const SpawnSpec& spec) {
  // Everything the child needs is built before fork: after it, only async-signal-safe calls.
  std::vector<std::string> argv_s = spec.argv, env_s = spec.env;
  std::vector<char*> argv, envp;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  const int out_flags = O_WRONLY | O_CREAT | (spec.append ? O_APPEND : O_TRUNC);
  pid_t pid = fork();
  if (pid == 0) {
    if (spec.new_session) setsid();
    int fd_in = open(spec.stdin_path.c_str(), spec.new_session ? O_RDWR : O_RDONLY);
    int fd_out = open(spec.out_path.c_str(), out_flags, 0600);
    int fd_err = open(spec.err_path.c_str(), out_flags, 0600);
    dup2(fd_in, 0);
    dup2(fd_out, 1);
    dup2(fd_err, 2);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

// Exit code, or -1 (killed by a signal, or still running after `limit`: then it is killed).
inline int WaitExit(pid_t pid, std::chrono::seconds limit = std::chrono::seconds(60)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace esimgo::testing
