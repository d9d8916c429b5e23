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

// libxml2 reports some errors (input encoding conversion) through its generic error function,
// which prints to stderr; the reader's structured handler already turns them into the dead
// letter's reason. The function is variadic, which Swift cannot write: this one says nothing.
static void hub_xml_ignore_generic_error(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

/// Silences libxml2's generic error output for the calling thread (libxml2 keeps it per thread).
static inline void hub_xml_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, hub_xml_ignore_generic_error);
}
