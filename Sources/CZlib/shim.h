// zlib's inflate, for Factur-X attachments decoded with a running size limit. inflateInit is a
// macro, which Swift cannot call: this wrapper is the only C the module adds.
#include <zlib.h>

static inline int hub_inflate_init(z_stream *stream) {
    return inflateInit(stream);
}
