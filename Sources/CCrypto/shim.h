// OpenSSL's libcrypto, for SHA-256 and HMAC-SHA256 through its EVP interface (which uses the
// processor's SHA instructions where it has them). Nothing is added here but the headers.
#include <openssl/evp.h>
#include <openssl/hmac.h>
