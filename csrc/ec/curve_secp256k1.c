/* secp256k1: instantiate the curve template. */
#include "ec_int.h"
#include "tables_secp256k1.h"
#define EC_CURVE_VAR cc_ec_curve_secp256k1
#include "curve_impl.h"
