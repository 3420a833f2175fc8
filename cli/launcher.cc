// esimgo: the launcher. The CLI itself is a module (esimgo-cli.so: every other file of cli/) that
// names libcrypto, cpp-httplib, libssl, SQLite, qrencode, libpng, libzip… in its DT_NEEDED; mapping
// and relocating those is most of what a short command costs (ADR 0008). This executable names
// only libc, answers a bare `esimgo --version` itself, and dlopens the module for everything else.
//
// Deliberately C-level code: no std::string, no iostreams, no exceptions. With Debian's
// `--as-needed` the launcher then does not even load libstdc++ (≈ 0.8 ms of the loader's time on
// this machine), which is what makes `--version` cheaper than `curl --version`.

#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "version_line.h"

#ifndef ESIMGO_CLI_MODULE_INSTALL_PATH
#error \
    "ESIMGO_CLI_MODULE_INSTALL_PATH (the module's path relative to the binary's dir) is set by cli/CMakeLists.txt"
#endif

namespace {

constexpr const char* kModuleName = "esimgo-cli.so";
constexpr const char* kEntryPoint = "esimgo_cli_main";
// esimgo::cli::kExitFailure (cli/exit_codes.h: "anything not covered below"); that header pulls in
// the SDK's result types, which the launcher must not depend on.
constexpr int kExitFailure = 1;

using CliMain = int (*)(int, char**);

// Writes `dir/rel` into `out`; false when it does not fit.
bool JoinPath(char (&out)[PATH_MAX], const char* dir, const char* rel) {
  int n = std::snprintf(out, sizeof out, "%s/%s", dir, rel);
  return n > 0 && static_cast<size_t>(n) < sizeof out;
}

}  // namespace

int main(int argc, char** argv) {
  // Only the exact command `esimgo --version` is answered here: anything else (`--version` after
  // another option, `--help`, every command) goes through the module's parser, so its behaviour
  // is the CLI's, not a second implementation of it. The line is CLI11's format: text + '\n'.
  if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
    std::fputs(ESIMGO_CLI_VERSION_LINE "\n", stdout);
    return 0;
  }

  // The module is found from the executable's own path, never from $PATH, LD_LIBRARY_PATH or
  // the current directory: first next to the binary (the build tree), then the install layout
  // (CMAKE_INSTALL_LIBDIR/esimgo relative to CMAKE_INSTALL_BINDIR, compiled in), so one rule
  // holds for any prefix and for a relocated install.
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) {
    std::fprintf(stderr,
                 "esimgo: cannot find its own executable (/proc/self/exe: %s), so it cannot find "
                 "its CLI module %s; is /proc mounted?\n",
                 std::strerror(errno), kModuleName);
    return kExitFailure;
  }
  exe[n] = '\0';
  char* slash = std::strrchr(exe, '/');
  if (slash == nullptr) {
    std::fprintf(stderr, "esimgo: its own path has no directory: %s\n", exe);
    return kExitFailure;
  }
  *slash = '\0';
  const char* dir = exe[0] == '\0' ? "/" : exe;

  char build_tree[PATH_MAX];
  char installed[PATH_MAX];
  const bool build_ok = JoinPath(build_tree, dir, kModuleName);
  const bool installed_ok = JoinPath(installed, dir, ESIMGO_CLI_MODULE_INSTALL_PATH);
  const char* path = nullptr;
  if (build_ok && access(build_tree, F_OK) == 0) {
    path = build_tree;
  } else if (installed_ok && access(installed, F_OK) == 0) {
    path = installed;
  }
  if (path == nullptr) {
    std::fprintf(stderr,
                 "esimgo: the CLI module %s is missing: looked for %s and %s. The esimgo "
                 "executable cannot run without it; reinstall the esimgo package (or, in a build "
                 "tree, build the esimgo target, which builds the module next to it).\n",
                 kModuleName, build_ok ? build_tree : "(path too long)",
                 installed_ok ? installed : "(path too long)");
    return kExitFailure;
  }

  // RTLD_NOW: a library the module needs that is missing or too old fails here, with the
  // loader's own message, instead of in the middle of a command. RTLD_LOCAL: nothing else in
  // the process looks symbols up in the module. The module is never closed (its static
  // destructors run at exit, as they did when it was the executable).
  void* module = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (module == nullptr) {
    std::fprintf(stderr,
                 "esimgo: cannot load the CLI module: %s. Install the libraries it names "
                 "(reinstall the esimgo package; `ldd %s` lists what is missing).\n",
                 dlerror(), path);
    return kExitFailure;
  }
  auto cli_main = reinterpret_cast<CliMain>(dlsym(module, kEntryPoint));
  if (cli_main == nullptr) {
    std::fprintf(stderr,
                 "esimgo: %s is not this version's CLI module (no %s); reinstall the esimgo "
                 "package.\n",
                 path, kEntryPoint);
    return kExitFailure;
  }
  return cli_main(argc, argv);
}
