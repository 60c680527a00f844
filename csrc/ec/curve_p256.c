/* p256: instantiate the curve template. */
#include "ec_int.h"
#include "tables_p256.h"
#define EC_CURVE_VAR cc_ec_curve_p256
#include "curve_impl.h"
