/* TEST-ONLY stand-in for Windows' system icuuc.dll, which Wine 8 does not have.
 *
 * Qt6Core.dll imports about twenty ucnv_* functions from it, so without some icuuc.dll
 * no Qt program starts under Wine. Every converter lookup here fails (and nothing is
 * listed), so Qt falls back to its built-in UTF-8/UTF-16/Latin-1 codecs: exactly what
 * the desk uses. Built by scripts/build_windows.sh into the Wine prefix's system32
 * only; the script refuses a bundle or an installer that carries it (a real Windows
 * 10/11 has the real one in C:\Windows\System32).
 */
#include <stddef.h>
#include <stdint.h>

typedef int32_t UErrorCode;
typedef uint16_t UChar;
typedef struct UConverter UConverter;
#define U_FILE_ACCESS_ERROR 4
#define U_UNSUPPORTED_ERROR 16
#define API __declspec(dllexport)

static void fail(UErrorCode *err, UErrorCode code) {
    if (err != NULL && *err <= 0) *err = code;
}

API UConverter *ucnv_open(const char *name, UErrorCode *err) {
    (void)name;
    fail(err, U_FILE_ACCESS_ERROR);
    return NULL;
}
API void ucnv_close(UConverter *cnv) { (void)cnv; }
API void ucnv_reset(UConverter *cnv) { (void)cnv; }
API int8_t ucnv_getMaxCharSize(const UConverter *cnv) { (void)cnv; return 1; }
API const char *ucnv_getName(const UConverter *cnv, UErrorCode *err) {
    (void)cnv;
    fail(err, U_UNSUPPORTED_ERROR);
    return NULL;
}
API int32_t ucnv_countAvailable(void) { return 0; }
API const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
API const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *err) {
    (void)name; (void)standard;
    fail(err, U_UNSUPPORTED_ERROR);
    return NULL;
}
API void ucnv_getToUCallBack(const UConverter *c, void **action, const void **context) {
    (void)c;
    if (action) *action = NULL;
    if (context) *context = NULL;
}
API void ucnv_getFromUCallBack(const UConverter *c, void **action, const void **context) {
    (void)c;
    if (action) *action = NULL;
    if (context) *context = NULL;
}
API void ucnv_setToUCallBack(UConverter *c, void *n, const void *nc, void **o, const void **oc,
                             UErrorCode *err) {
    (void)c; (void)n; (void)nc; (void)o; (void)oc;
    fail(err, U_UNSUPPORTED_ERROR);
}
API void ucnv_setFromUCallBack(UConverter *c, void *n, const void *nc, void **o, const void **oc,
                               UErrorCode *err) {
    (void)c; (void)n; (void)nc; (void)o; (void)oc;
    fail(err, U_UNSUPPORTED_ERROR);
}
API void ucnv_toUnicode(UConverter *c, UChar **t, const UChar *tl, const char **s, const char *sl,
                        int32_t *off, int8_t flush, UErrorCode *err) {
    (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)off; (void)flush;
    fail(err, U_UNSUPPORTED_ERROR);
}
API void ucnv_fromUnicode(UConverter *c, char **t, const char *tl, const UChar **s, const UChar *sl,
                          int32_t *off, int8_t flush, UErrorCode *err) {
    (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)off; (void)flush;
    fail(err, U_UNSUPPORTED_ERROR);
}
API int32_t ucnv_toUCountPending(const UConverter *c, UErrorCode *err) {
    (void)c;
    fail(err, U_UNSUPPORTED_ERROR);
    return 0;
}
API int32_t ucnv_fromUCountPending(const UConverter *c, UErrorCode *err) {
    (void)c;
    fail(err, U_UNSUPPORTED_ERROR);
    return 0;
}
API void ucnv_cbToUWriteUChars(void *args, const UChar *source, int32_t length, int32_t offset,
                               UErrorCode *err) {
    (void)args; (void)source; (void)length; (void)offset;
    fail(err, U_UNSUPPORTED_ERROR);
}
API void ucnv_cbFromUWriteUChars(void *args, const UChar **source, const UChar *limit,
                                 int32_t offset, UErrorCode *err) {
    (void)args; (void)source; (void)limit; (void)offset;
    fail(err, U_UNSUPPORTED_ERROR);
}
/* The two standard callbacks Qt passes by address; never called since no converter opens. */
API void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *ctx, void *args, const UChar *units,
                                         int32_t length, int32_t cp, int reason, UErrorCode *err) {
    (void)ctx; (void)args; (void)units; (void)length; (void)cp; (void)reason;
    fail(err, U_UNSUPPORTED_ERROR);
}
API void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *ctx, void *args, const char *units,
                                       int32_t length, int reason, UErrorCode *err) {
    (void)ctx; (void)args; (void)units; (void)length; (void)reason;
    fail(err, U_UNSUPPORTED_ERROR);
}
