// libxml2's streaming reader (xmlTextReader): well-formedness, encodings and invalid bytes are
// libxml2's business, and a bad byte is an error it reports, never a trap.
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, and its encoding.h then includes the system's ICU headers,
// which clash with the copy of ICU inside Foundation (_FoundationICU) in any Swift file that
// imports both. The hub never touches an encoding handler's ICU fields (the last members of
// xmlCharEncodingHandler, behind a pointer), so they are left out of this view of the headers.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
