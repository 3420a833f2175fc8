#pragma once
/// @file json_model.h
/// Kept for the files that include it by this name: the models' JSON shapes and views now
/// live in one table per model, fields.h.

#include "fields.h"
