/* sm2 with the BMI2/ADX build's field arithmetic, plus verification, recovery, signing and key
 * derivation 16 rows at a time in AVX-512 IFMA lanes (ecmult_ifma.h, ecmult_gen_ifma.h): selected
 * at run time by api.c when cc_cpu_features() also reports AVX-512 and IFMA. Elsewhere than
 * x86-64 it is the ADX build. */
#define CC_EC_ADX 1
#if defined(__x86_64__) && defined(__GNUC__)
#define CC_EC_IFMA 1
#endif
#define EC_TABLES_EXTERN /* defined by the baseline curve_<name>.c */
#include "ec_int.h"
#include "tables_sm2.h"
#define EC_CURVE_VAR cc_ec_curve_sm2_ifma
#include "curve_impl.h"
