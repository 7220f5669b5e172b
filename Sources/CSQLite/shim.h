// SQLite3 from Debian's libsqlite3-dev; StudyStore wraps it.
#ifndef TUNER_CSQLITE_SHIM_H
#define TUNER_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
