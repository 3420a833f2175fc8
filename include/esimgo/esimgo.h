#pragma once
/// @file esimgo.h
/// Everything of libesimgo in one include.

#include "esimgo/client.h"   // IWYU pragma: export
#include "esimgo/drift.h"    // IWYU pragma: export
#include "esimgo/webhook.h"  // IWYU pragma: export
