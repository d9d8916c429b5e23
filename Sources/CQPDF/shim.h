// qpdf's C API: open a PDF from memory, walk its objects, read streams decoded.
#include <qpdf/qpdf-c.h>
