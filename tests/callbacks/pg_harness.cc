#include "pg_harness.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

namespace esimgo::testing {

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

PgCluster& PgCluster::Shared() {
  // Destroyed at exit (stop + delete). A SIGKILLed test binary leaves the cluster running;
  // `scripts/pg-throwaway.sh stop DIR` removes it.
  static PgCluster cluster;
  return cluster;
}

bool PgCluster::Run(const std::string& command, bool as_server_user) {
  std::string full = command;
  if (as_server_user && geteuid() == 0) full = "runuser -u postgres -- " + command;
  return std::system(full.c_str()) == 0;
}

PgCluster::PgCluster() {
  bin_ = std::getenv("PGBIN") ? std::getenv("PGBIN") : "/usr/lib/postgresql/15/bin";
  if (!std::filesystem::exists(bin_ + "/initdb")) {
    error_ = "no PostgreSQL 15 server in " + bin_ + " (install postgresql-15)";
    return;
  }
  // Short path: the socket path (DIR/.s.PGSQL.5432) must stay under 107 bytes.
  char tmpl[] = "/tmp/esimgo-pgXXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    error_ = "mkdtemp failed";
    return;
  }
  dir_ = tmpl;
  if (geteuid() == 0 && !Run("chown postgres: " + dir_, false)) {
    error_ = "cannot chown " + dir_ + " to postgres";
    return;
  }
  if (!Run(bin_ + "/initdb -D " + dir_ + "/data -A trust -U esimgo --no-sync -E UTF8 " +
               "--locale=C.UTF-8 >" + dir_ + "/initdb.log 2>&1",
           true)) {
    error_ = "initdb failed: " + Slurp(dir_ + "/initdb.log");
    return;
  }
  if (!Start()) {
    error_ = "pg_ctl start failed: " + Slurp(dir_ + "/log");
    return;
  }
  ok_ = true;
}

PgCluster::~PgCluster() {
  if (dir_.empty()) return;
  if (std::filesystem::exists(dir_ + "/data/postmaster.pid")) {
    Run(bin_ + "/pg_ctl -D " + dir_ + "/data -m immediate stop >/dev/null 2>&1", true);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool PgCluster::Start() {
  return Run(bin_ + "/pg_ctl -D " + dir_ + "/data -l " + dir_ + "/log -w -t 60 -o \"-c " +
                 "listen_addresses='' -k " + dir_ + " -p 5432 -c max_connections=200\" " +
                 "start >/dev/null",
             true);
}

bool PgCluster::Crash() {
  return Run(bin_ + "/pg_ctl -D " + dir_ + "/data -m immediate stop >/dev/null", true);
}

bool PgCluster::Stop() {
  return Run(bin_ + "/pg_ctl -D " + dir_ + "/data -m fast stop >/dev/null", true);
}

std::string PgCluster::Conninfo(std::string_view db) const {
  return "host=" + dir_ + " port=5432 user=esimgo dbname=" + std::string(db);
}

std::string PgCluster::Url(std::string_view db) const {
  std::string host;
  for (char c : dir_) {
    if (c == '/') {
      host += "%2F";
    } else {
      host += c;
    }
  }
  return "postgresql://esimgo@" + host + ":5432/" + std::string(db);
}

std::string PgCluster::Query(const std::string& conninfo, const std::string& sql) const {
  PGconn* c = PQconnectdb(conninfo.c_str());
  std::string out;
  if (PQstatus(c) != CONNECTION_OK) {
    out = std::string("ERROR: ") + PQerrorMessage(c);
  } else {
    PGresult* r = PQexec(c, sql.c_str());
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_TUPLES_OK) {
      if (PQntuples(r) > 0 && PQnfields(r) > 0) out = PQgetvalue(r, 0, 0);
    } else if (st != PGRES_COMMAND_OK) {
      out = std::string("ERROR: ") + PQresultErrorMessage(r);
    }
    PQclear(r);
  }
  PQfinish(c);
  return out;
}

std::string PgCluster::NewDatabase() {
  static std::mutex mu;
  std::lock_guard lock(mu);
  std::string name = "t" + std::to_string(getpid()) + "_" + std::to_string(++databases_);
  std::string r = Query(Conninfo("postgres"), "CREATE DATABASE " + name);
  if (r.starts_with("ERROR")) {
    error_ = r;
    return "";
  }
  return Conninfo(name);
}

}  // namespace esimgo::testing
