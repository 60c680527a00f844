/* p256 with the BMI2/ADX (mulx, adcx, adox) field multiplication and an AVX2
 * comb scan: the same curve template, selected at run time by api.c when cc_cpu_features()
 * reports BMI2, ADX and AVX2. */
#define CC_EC_ADX 1
#define EC_TABLES_EXTERN /* defined by the baseline curve_<name>.c */
#include "ec_int.h"
#include "tables_p256.h"
#define EC_CURVE_VAR cc_ec_curve_p256_adx
#include "curve_impl.h"
