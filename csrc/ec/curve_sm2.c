/* sm2: instantiate the curve template. */
#include "ec_int.h"
#include "tables_sm2.h"
#define EC_CURVE_VAR cc_ec_curve_sm2
#include "curve_impl.h"
