// zlib from Debian's zlib1g-dev: gzip-compressed IDX files (Fashion-MNIST) and PNG output.
#ifndef TUNER_CZLIB_SHIM_H
#define TUNER_CZLIB_SHIM_H
#include <zlib.h>
#endif
