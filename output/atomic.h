/* atomic.h: moved to network/atomic.h (the bottom room, so that network/'s
 * writers use it too); this header only forwards, for the files that still
 * include it here. New code includes network/atomic.h. */
#pragma once
#include "network/atomic.h"
