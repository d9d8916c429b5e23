#ifndef HUB_CMICROHTTPD_SHIM_H
#define HUB_CMICROHTTPD_SHIM_H
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <microhttpd.h>

/// MHD_SIZE_UNKNOWN and the content-reader end markers are macros Swift does not import.
static const uint64_t HubMHDSizeUnknown = MHD_SIZE_UNKNOWN;
static const ssize_t HubMHDContentReaderEndOfStream = MHD_CONTENT_READER_END_OF_STREAM;
static const ssize_t HubMHDContentReaderEndWithError = MHD_CONTENT_READER_END_WITH_ERROR;

/// MHD_get_connection_info is variadic, which Swift cannot call: the connection's socket, -1 if unknown.
static inline int hub_mhd_connection_socket(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info ? info->connect_fd : -1;
}

/// The pointer the connection-notification callback stored for the connection, NULL if none.
static inline void *hub_mhd_connection_context(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}
#endif
