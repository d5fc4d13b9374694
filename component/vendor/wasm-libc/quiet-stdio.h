/* Forced into the component's C (libwebp) by scripts/wasm32-cc.
 *
 * libwebp's animation encoder prints warnings with fprintf(stderr, ...), only when asked to be
 * verbose (the component never asks), and writes its error message with snprintf. Either call
 * links wasi-libc's printf core, and through it the table of file descriptors and imports of
 * wasi:filesystem: a capability the component must not have (the sandbox test checks its import
 * list). So the warnings go nowhere, and the message is written by the few lines below, which
 * know the only conversions it uses: %s and %d. */
#ifndef IMGPIPE_QUIET_STDIO_H
#define IMGPIPE_QUIET_STDIO_H
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

static inline int imgpipe_quiet_fprintf(FILE *stream, const char *format, ...) {
  (void)stream;
  (void)format;
  return 0;
}

static inline int imgpipe_small_snprintf(char *out, size_t size, const char *format, ...) {
  va_list args;
  size_t n = 0;
  va_start(args, format);
#define IMGPIPE_PUT(c) do { if (n + 1 < size) out[n] = (c); n++; } while (0)
  for (const char *f = format; *f; f++) {
    if (f[0] == '%' && f[1] == 's') {
      for (const char *s = va_arg(args, const char *); s && *s; s++) IMGPIPE_PUT(*s);
      f++;
    } else if (f[0] == '%' && f[1] == 'd') {
      int v = va_arg(args, int);
      char digits[12];
      int k = 0;
      unsigned int u = v < 0 ? 0u - (unsigned int)v : (unsigned int)v;
      do { digits[k++] = (char)('0' + u % 10); u /= 10; } while (u && k < 11);
      if (v < 0) IMGPIPE_PUT('-');
      while (k) IMGPIPE_PUT(digits[--k]);
      f++;
    } else {
      IMGPIPE_PUT(*f);
    }
  }
#undef IMGPIPE_PUT
  va_end(args);
  if (size) out[n < size ? n : size - 1] = '\0';
  return (int)n;
}

#define fprintf imgpipe_quiet_fprintf
#define snprintf imgpipe_small_snprintf
#endif
