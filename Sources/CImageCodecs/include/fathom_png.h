// A longjmp-free C interface to libpng for Fathom's Vision module.
//
// libpng reports errors by longjmp. A longjmp must never cross Swift frames, so every
// libpng call happens inside the functions below, each of which owns its own setjmp and
// turns a libpng error into a status code plus a message. Callers never see a longjmp.
#ifndef FATHOM_PNG_H
#define FATHOM_PNG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Result of every fallible function here.
typedef enum {
    FATHOM_PNG_OK = 0,
    /// libpng rejected the data (or the encoder's input); see the message.
    FATHOM_PNG_ERROR = 1,
    /// A memory allocation failed.
    FATHOM_PNG_NO_MEMORY = 2,
} fathom_png_status;

/// What the file's IHDR declares, before any transformation.
typedef struct {
    uint32_t width;
    uint32_t height;
    /// 1, 2, 4, 8 or 16.
    int bit_depth;
    /// PNG colour type: 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA.
    int color_type;
    /// Nonzero for Adam7 interlacing.
    int interlaced;
} fathom_png_header;

/// The pixel layout `fathom_png_read_pixels` produces.
typedef struct {
    /// 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.
    int channels;
    /// 8 or 16; 16-bit samples come out in the host's byte order.
    int bit_depth;
    /// Bytes in one output row.
    size_t row_bytes;
} fathom_png_layout;

/// An in-progress decode of a PNG held in memory.
typedef struct fathom_png_reader fathom_png_reader;

/// Creates a reader over `size` bytes at `data`, which must stay valid until the reader
/// is destroyed. Returns NULL only when memory runs out.
fathom_png_reader *fathom_png_reader_create(const void *data, size_t size);

/// Reads the chunks up to the first IDAT and reports the declared header. Allocates nothing
/// proportional to the image size, so the caller can check the dimensions against its
/// limits before going on.
fathom_png_status fathom_png_read_header(fathom_png_reader *reader, fathom_png_header *header);

/// Configures the transformations that turn every PNG into 8- or 16-bit gray, gray+alpha,
/// RGB or RGBA (palette and low bit depths expanded, tRNS turned into alpha, interlacing
/// undone, no gamma correction) and reports the resulting layout.
fathom_png_status fathom_png_start_image(fathom_png_reader *reader, fathom_png_layout *layout);

/// Decodes the whole image into `pixels`, whose rows are `row_stride` bytes apart and at
/// least `layout.row_bytes` long.
fathom_png_status fathom_png_read_pixels(fathom_png_reader *reader, void *pixels, size_t row_stride);

/// The message of the last failure (empty if none). Valid until the reader is destroyed.
const char *fathom_png_reader_message(const fathom_png_reader *reader);

/// Frees the reader. Accepts NULL.
void fathom_png_reader_destroy(fathom_png_reader *reader);

/// Encodes `height` rows of `width` pixels (`channels` 1–4 interleaved samples each, of
/// `bit_depth` 8 or 16 bits; 16-bit samples in the host's byte order), rows `row_stride`
/// bytes apart, at zlib `compression_level` 0–9. On success `*output` is a buffer to
/// release with `fathom_png_free` holding `*output_size` bytes. On failure a message is
/// written to `message` (capacity `message_capacity`, always NUL-terminated).
fathom_png_status fathom_png_encode(const void *pixels, uint32_t width, uint32_t height,
                                    int channels, int bit_depth, size_t row_stride,
                                    int compression_level,
                                    uint8_t **output, size_t *output_size,
                                    char *message, size_t message_capacity);

/// Frees a buffer returned by `fathom_png_encode`. Accepts NULL.
void fathom_png_free(void *buffer);

#ifdef __cplusplus
}
#endif

#endif
