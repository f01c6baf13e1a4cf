/* TEST-ONLY stand-in for Windows' bcryptprimitives.dll, which Wine 8 does not have.
 *
 * cryptography's Rust module imports ProcessPrng (Windows 10+) to fill buffers with
 * random bytes. This one asks Wine's BCryptGenRandom (the system-preferred RNG) instead.
 * Built by scripts/build_windows.sh into the Wine prefix's system32 only; the script
 * refuses a bundle or an installer that carries it.
 */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
    while (size > 0) {
        ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
            return FALSE;
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}
