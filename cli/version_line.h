#pragma once
/// @file version_line.h
/// The one line `esimgo --version` prints, shared by the launcher (cli/launcher.cc, which answers
/// a bare `esimgo --version` without loading the CLI module) and the module's CLI11 parser (every
/// other place `--version` may appear). The version itself comes from the generated
/// esimgo/version.h, i.e. from project() and nowhere else.

#include "esimgo/version.h"

/// `esimgo --version`'s output, without the newline.
#define ESIMGO_CLI_VERSION_LINE "esimgo " ESIMGO_VERSION_STRING " (eSIM Go API v2.4 and v2.5)"
