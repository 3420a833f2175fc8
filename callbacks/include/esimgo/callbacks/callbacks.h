#pragma once
/// @file callbacks.h
/// Everything of esimgo::callbacks: the event store, the group-commit writer and the stream.

#include "esimgo/callbacks/dedupe.h"  // IWYU pragma: export
#include "esimgo/callbacks/store.h"   // IWYU pragma: export
#include "esimgo/callbacks/stream.h"  // IWYU pragma: export
#include "esimgo/callbacks/types.h"   // IWYU pragma: export
#include "esimgo/callbacks/writer.h"  // IWYU pragma: export
