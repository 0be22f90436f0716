/* A test-only stand-in for bcryptprimitives.dll, which Wine 8.0 lacks and
 * Rust's standard library imports on Windows for ProcessPrng (Windows 10
 * and later have it). It fills the buffer from advapi32's RtlGenRandom
 * (SystemFunction036). Placed next to a test program under Wine only;
 * never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
