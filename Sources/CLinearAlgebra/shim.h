// OpenBLAS's CBLAS for Float32 tensor work and LAPACKE for the Gaussian process (Double).
// Debian ships LAPACKE apart from OpenBLAS, so both libraries are linked (see module.modulemap).
#ifndef TUNER_CLINEARALGEBRA_SHIM_H
#define TUNER_CLINEARALGEBRA_SHIM_H
#include <cblas.h>
#include <lapacke.h>

// Declared again so the module builds even when the cblas.h alternative is not OpenBLAS's own.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
#endif
