#ifndef CFUZZERDRIVER_H
#define CFUZZERDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (LLVM >= 11), for an executable whose `main` is not libFuzzer's: SwiftPM links debug
/// executables with `main` renamed to `<module>_main`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
