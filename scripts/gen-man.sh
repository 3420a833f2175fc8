#!/usr/bin/env bash
# Generates the esimgo(1) man page from the --help text of every command.
# Usage: scripts/gen-man.sh <builddir> [output file, default <builddir>/esimgo.1]
set -euo pipefail
build=${1:-build}
cli="$build/cli/esimgo"
out=${2:-$build/esimgo.1}
[ -x "$cli" ] || { echo "gen-man: $cli not found; build first" >&2; exit 1; }

esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/"; }
section() {
  printf '.SS "%s"\n.nf\n' "$1"
  shift
  "$cli" "$@" --help 2>&1 | esc
  printf '.fi\n'
}

{
  printf '.TH ESIMGO 1 "%s" "esimgo %s" "User Commands"\n' "$(date -u +%Y-%m-%d)" \
    "$("$cli" --version | awk '{print $2}')"
  printf '.SH NAME\nesimgo \\- the eSIM Go reseller API (v2.4 and v2.5) from the shell\n'
  printf '.SH SYNOPSIS\n.B esimgo\n[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIsubcommand\\fR] [\\fIoptions\\fR]\n'
  printf '.SH DESCRIPTION\nEvery operation of the eSIM Go API v2.4 and v2.5 (--api-version). Without an API key every command runs against an embedded sandbox. See docs/cli.md for exit codes, output fields and the config file.\n'
  printf '.SH GLOBAL OPTIONS\n.nf\n'
  "$cli" --help 2>&1 | esc
  printf '.fi\n.SH COMMANDS\n'
  for group in catalogue orders esims bundles inventory organisation callbacks sandbox; do
    subs=$("$cli" "$group" --help 2>&1 | awk '/^Subcommands:/{f=1;next} f && NF {print $1}')
    for sub in $subs; do section "esimgo $group $sub" "$group" "$sub"; done
  done
  section "esimgo networks" networks
  printf '.SH EXIT STATUS\n.nf\n0 ok\n1 cancelled or unexpected failure\n2 usage, or confirmation needed without a terminal (use --yes)\n3 invalid argument\n4 authentication\n5 not found\n6 rate limited or unavailable\n7 server error\n8 network error or outcome in doubt\n9 signature mismatch\n.fi\n'
  printf '.SH ENVIRONMENT\nESIMGO_API_KEY, ESIMGO_BASE_URL, ESIMGO_OUTPUT, ESIMGO_TIMEOUT, NO_COLOR, XDG_CONFIG_HOME, XDG_STATE_HOME\n'
  printf '.SH FILES\n$XDG_CONFIG_HOME/esimgo/config, $XDG_STATE_HOME/esimgo/sandbox.db, $XDG_STATE_HOME/esimgo/callbacks.db\n'
} >"$out"
echo "wrote $out"
