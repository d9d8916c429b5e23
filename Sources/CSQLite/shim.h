#ifndef HUB_CSQLITE_SHIM_H
#define HUB_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
