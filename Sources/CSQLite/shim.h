#ifndef HUB_CSQLITE_SHIM_H
#define HUB_CSQLITE_SHIM_H
#include <sqlite3.h>

// sqlite3_config is variadic, which Swift cannot call: this wrapper turns off SQLite's memory
// statistics, which otherwise take one process-wide mutex for every allocation SQLite makes
// (about 30 a stored event). The hub reads no sqlite3_status figure and sets no heap limit.
// It must run before SQLite is first used; afterwards it changes nothing and says SQLITE_MISUSE.
static inline int hub_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
#endif
