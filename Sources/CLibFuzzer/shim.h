// libFuzzer's driver, for `hub-fuzz` built with -sanitize=fuzzer (scripts/fuzz). SwiftPM gives an
// executable its own entry point, so libFuzzer's main is not used: ours calls the driver. Nothing
// is linked here; the sanitizer flag brings libFuzzer.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
