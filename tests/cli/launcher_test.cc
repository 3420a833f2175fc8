// The `esimgo` launcher (cli/launcher.cc, ADR 0008): it answers a bare `esimgo --version` without
// loading anything, names no heavy library, hands every other command to the CLI module
// (esimgo-cli.so) found from its own path, and says clearly what is wrong when the module is
// missing or broken.

#include <cstdio>
#include <regex>

#include "cli_fixture.h"
#include "esimgo/version.h"

namespace esimgo_cli_test {
namespace {

constexpr const char* kVersionLine =
    "esimgo " ESIMGO_VERSION_STRING " (eSIM Go API v2.4 and v2.5)\n";

// Runs `program args…` (not necessarily the built launcher: a copy of it elsewhere) with stdout
// and stderr captured in files under `dir`.
Proc RunProgram(const fs::path& program, const std::vector<std::string>& args, const Env& env,
                const fs::path& dir) {
  static int counter = 0;
  std::string name = "launcher" + std::to_string(++counter);
  fs::path out = dir / (name + ".out");
  fs::path err = dir / (name + ".err");
  esimgo::testing::SpawnSpec spec{.out_path = out.string(), .err_path = err.string()};
  spec.argv = {program.string()};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  for (const auto& [k, v] : env) spec.env.push_back(k + "=" + v);
  pid_t pid = esimgo::testing::SpawnProcess(spec);
  Proc p;
  p.code = WaitExit(pid);
  p.out = ReadFile(out);
  p.err = ReadFile(err);
  return p;
}

// The standard output of a shell command (ldd, readelf).
std::string Capture(const std::string& command) {
  std::string text;
  if (FILE* f = popen(command.c_str(), "r")) {
    char buf[4096];
    size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    pclose(f);
  }
  return text;
}

// A copy of the launcher alone in a directory of its own (no module next to it).
fs::path CopyLauncher(const fs::path& dir) {
  fs::path bin = dir / "bin";
  fs::create_directories(bin);
  fs::copy_file(kCli, bin / "esimgo");
  return bin / "esimgo";
}

class Launcher : public ::testing::Test {
 protected:
  TempDir home_;
};

TEST_F(Launcher, VersionPrintsTheProjectVersionLineAndNothingElse) {
  Proc p = RunCli({"--version"}, BaseEnv(home_.path()), home_.path());
  EXPECT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(p.out, kVersionLine);
  EXPECT_EQ(p.err, "");
}

TEST_F(Launcher, VersionAfterAnotherOptionIsAnsweredByTheModuleWithTheSameLine) {
  // Not a bare `--version`: the launcher loads the module and CLI11 answers; both must agree.
  Proc p = RunCli({"--no-color", "--version"}, BaseEnv(home_.path()), home_.path());
  EXPECT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(p.out, kVersionLine);
}

TEST_F(Launcher, NamesNoNetworkDatabaseOrCryptoLibrary) {
  // ldd lists what the loader maps for the launcher, transitively; readelf what it names.
  std::string ldd = Capture(std::string("ldd '") + kCli + "' 2>&1");
  std::string needed = Capture(std::string("readelf -d '") + kCli + "' 2>&1");
  ASSERT_NE(ldd.find("libc.so"), std::string::npos) << ldd;
  ASSERT_NE(needed.find("NEEDED"), std::string::npos) << needed;
  for (const char* lib : {"libcurl", "libpq", "libssl", "libcrypto", "libsqlite", "httplib",
                          "libqrencode", "libpng", "libzip", "libfmt", "libsimdjson"}) {
    EXPECT_EQ(ldd.find(lib), std::string::npos) << lib << " in ldd:\n" << ldd;
    EXPECT_EQ(needed.find(lib), std::string::npos) << lib << " in readelf -d:\n" << needed;
  }
}

TEST_F(Launcher, HelpAndCommandsRunThroughTheModule) {
  Proc help = RunCli({"--help"}, BaseEnv(home_.path()), home_.path());
  EXPECT_EQ(help.code, 0) << help.err;
  EXPECT_NE(help.out.find("Usage: esimgo"), std::string::npos) << help.out;

  // No key: the embedded sandbox, in the module.
  Proc show = RunCli({"--output", "json", "catalogue", "show", "esim_1GB_7D_GB_V2"},
                     BaseEnv(home_.path()), home_.path());
  EXPECT_EQ(show.code, 0) << show.err;
  auto j = json::parse(show.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << show.out;
  EXPECT_NE(show.out.find("\"esim_1GB_7D_GB_V2\""), std::string::npos) << show.out;
}

TEST_F(Launcher, UsageErrorsKeepTheirExitCode) {
  Proc p = RunCli({"no-such-command"}, BaseEnv(home_.path()), home_.path());
  EXPECT_EQ(p.code, 2) << p.err;
  EXPECT_NE(p.err.find("Run with --help"), std::string::npos) << p.err;
}

TEST_F(Launcher, MissingModuleIsAClearErrorWithExitCode1) {
  TempDir dir;
  fs::path launcher = CopyLauncher(dir.path());
  Proc p = RunProgram(launcher, {"--help"}, BaseEnv(home_.path()), home_.path());
  EXPECT_EQ(p.code, 1);
  EXPECT_EQ(p.out, "");
  EXPECT_NE(p.err.find("the CLI module esimgo-cli.so is missing"), std::string::npos) << p.err;
  EXPECT_NE(p.err.find((launcher.parent_path() / "esimgo-cli.so").string()), std::string::npos)
      << p.err;
  EXPECT_NE(p.err.find("reinstall the esimgo package"), std::string::npos) << p.err;

  // A bare --version never needed the module.
  Proc version = RunProgram(launcher, {"--version"}, BaseEnv(home_.path()), home_.path());
  EXPECT_EQ(version.code, 0) << version.err;
  EXPECT_EQ(version.out, kVersionLine);
}

TEST_F(Launcher, FindsTheModuleAtTheInstallPathRelativeToItself) {
  TempDir dir;
  fs::path launcher = CopyLauncher(dir.path());
  Proc missing = RunProgram(launcher, {"--help"}, BaseEnv(home_.path()), home_.path());
  // The second path the error names is the install location (<bindir>/<libdir rel>/esimgo/…).
  std::smatch m;
  const std::regex two_paths("looked for (\\S+) and (\\S+)\\. ");
  ASSERT_TRUE(std::regex_search(missing.err, m, two_paths)) << missing.err;
  fs::path installed = m[2].str();
  EXPECT_EQ(installed.filename(), "esimgo-cli.so");
  EXPECT_EQ(installed.parent_path().filename(), "esimgo");
  EXPECT_EQ(installed.string().rfind(launcher.parent_path().string() + "/", 0), 0u)
      << installed << " is not relative to " << launcher.parent_path();

  fs::create_directories(installed.parent_path());
  fs::copy_file(fs::path(kCli).parent_path() / "esimgo-cli.so", installed);
  Proc help = RunProgram(launcher, {"--help"}, BaseEnv(home_.path()), home_.path());
  EXPECT_EQ(help.code, 0) << help.err;
  EXPECT_NE(help.out.find("Usage: esimgo"), std::string::npos) << help.out;
}

TEST_F(Launcher, BrokenModuleIsAClearErrorWithExitCode1) {
  TempDir dir;
  fs::path launcher = CopyLauncher(dir.path());
  WriteFile(launcher.parent_path() / "esimgo-cli.so", "not an ELF file\n");
  Proc p = RunProgram(launcher, {"--help"}, BaseEnv(home_.path()), home_.path());
  EXPECT_EQ(p.code, 1);
  EXPECT_EQ(p.out, "");
  EXPECT_NE(p.err.find("esimgo: cannot load the CLI module"), std::string::npos) << p.err;
}

}  // namespace
}  // namespace esimgo_cli_test
