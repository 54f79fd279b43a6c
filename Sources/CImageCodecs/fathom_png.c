// libpng behind an interface that never longjmps into its caller: see fathom_png.h.
//
// Every function that calls libpng first does setjmp(png_jmpbuf(png)). libpng's error
// callback (on_error) records the message and longjmps back to that setjmp, which is always
// in a frame of this file, never in a Swift frame. After an error the libpng structures are
// in an undefined state, so the reader refuses further work.
#include "fathom_png.h"

#include <png.h>
#include <stdlib.h>
#include <string.h>

enum reader_stage { STAGE_CREATED, STAGE_HEADER_READ, STAGE_STARTED, STAGE_FINISHED, STAGE_FAILED };

struct fathom_png_reader {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size;
    size_t offset;
    int passes;
    enum reader_stage stage;
    char message[256];
};

static void copy_message(char *destination, size_t capacity, const char *text) {
    if (capacity == 0) return;
    size_t length = strlen(text);
    if (length >= capacity) length = capacity - 1;
    memcpy(destination, text, length);
    destination[length] = '\0';
}

static int host_is_little_endian(void) {
    const uint16_t probe = 1;
    return *(const uint8_t *)&probe == 1;
}

// Warnings (bad ancillary CRCs, odd iCCP profiles...) do not stop decoding and must not
// reach stderr of a server, so they are dropped.
static void on_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

static void on_read_error(png_structp png, png_const_charp message) {
    fathom_png_reader *reader = (fathom_png_reader *)png_get_error_ptr(png);
    copy_message(reader->message, sizeof reader->message, message);
    png_longjmp(png, 1);
}

static void read_from_memory(png_structp png, png_bytep destination, size_t length) {
    fathom_png_reader *reader = (fathom_png_reader *)png_get_io_ptr(png);
    if (length > reader->size - reader->offset) {
        png_error(png, "unexpected end of data (is the file truncated?)");
    }
    memcpy(destination, reader->data + reader->offset, length);
    reader->offset += length;
}

fathom_png_reader *fathom_png_reader_create(const void *data, size_t size) {
    fathom_png_reader *reader = calloc(1, sizeof *reader);
    if (reader == NULL) return NULL;
    reader->data = data;
    reader->size = size;
    reader->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, reader, on_read_error, on_warning);
    if (reader->png == NULL) {
        free(reader);
        return NULL;
    }
    reader->info = png_create_info_struct(reader->png);
    if (reader->info == NULL) {
        png_destroy_read_struct(&reader->png, NULL, NULL);
        free(reader);
        return NULL;
    }
    png_set_read_fn(reader->png, reader, read_from_memory);
    // The caller enforces its own, configurable dimension limits after the header is read;
    // libpng's default cap (1,000,000 per side) would otherwise report big images as corrupt.
    png_set_user_limits(reader->png, 0x7fffffffU, 0x7fffffffU);
    reader->stage = STAGE_CREATED;
    return reader;
}

static fathom_png_status misuse(fathom_png_reader *reader, const char *what) {
    copy_message(reader->message, sizeof reader->message, what);
    reader->stage = STAGE_FAILED;
    return FATHOM_PNG_ERROR;
}

fathom_png_status fathom_png_read_header(fathom_png_reader *reader, fathom_png_header *header) {
    if (reader->stage != STAGE_CREATED) return misuse(reader, "fathom_png_read_header called out of order");
    if (setjmp(png_jmpbuf(reader->png))) {
        reader->stage = STAGE_FAILED;
        return FATHOM_PNG_ERROR;
    }
    png_read_info(reader->png, reader->info);
    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(reader->png, reader->info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    header->width = width;
    header->height = height;
    header->bit_depth = bit_depth;
    header->color_type = color_type;
    header->interlaced = interlace != PNG_INTERLACE_NONE;
    reader->stage = STAGE_HEADER_READ;
    return FATHOM_PNG_OK;
}

fathom_png_status fathom_png_start_image(fathom_png_reader *reader, fathom_png_layout *layout) {
    if (reader->stage != STAGE_HEADER_READ) return misuse(reader, "fathom_png_start_image called out of order");
    if (setjmp(png_jmpbuf(reader->png))) {
        reader->stage = STAGE_FAILED;
        return FATHOM_PNG_ERROR;
    }
    png_structp png = reader->png;
    // Palette -> RGB, gray below 8 bits -> 8 bits (scaled, so 1-bit white is 255),
    // tRNS -> a full alpha channel. No gamma transform is set, so samples stay exact.
    png_set_expand(png);
    if (png_get_bit_depth(png, reader->info) == 16 && host_is_little_endian()) png_set_swap(png);
    reader->passes = png_set_interlace_handling(png);
    png_read_update_info(png, reader->info);
    int channels = png_get_channels(png, reader->info);
    int bit_depth = png_get_bit_depth(png, reader->info);
    if (channels < 1 || channels > 4 || (bit_depth != 8 && bit_depth != 16)) {
        png_error(png, "unexpected pixel layout after expansion");
    }
    layout->channels = channels;
    layout->bit_depth = bit_depth;
    layout->row_bytes = png_get_rowbytes(png, reader->info);
    reader->stage = STAGE_STARTED;
    return FATHOM_PNG_OK;
}

fathom_png_status fathom_png_read_pixels(fathom_png_reader *reader, void *pixels, size_t row_stride) {
    if (reader->stage != STAGE_STARTED) return misuse(reader, "fathom_png_read_pixels called out of order");
    if (setjmp(png_jmpbuf(reader->png))) {
        reader->stage = STAGE_FAILED;
        return FATHOM_PNG_ERROR;
    }
    png_uint_32 height = png_get_image_height(reader->png, reader->info);
    // With interlace handling on, each Adam7 pass reads every row again and libpng fills in
    // the pixels that pass contributes, so the rows must be the final destination rows.
    for (int pass = 0; pass < reader->passes; pass++) {
        for (png_uint_32 y = 0; y < height; y++) {
            png_read_row(reader->png, (png_bytep)pixels + (size_t)y * row_stride, NULL);
        }
    }
    // Chunks after the image data (text, IEND) are not read: they cannot change the pixels,
    // and a file that lost only its IEND still holds a complete, CRC-checked image.
    reader->stage = STAGE_FINISHED;
    return FATHOM_PNG_OK;
}

const char *fathom_png_reader_message(const fathom_png_reader *reader) {
    return reader->message;
}

void fathom_png_reader_destroy(fathom_png_reader *reader) {
    if (reader == NULL) return;
    png_destroy_read_struct(&reader->png, &reader->info, NULL);
    free(reader);
}

// MARK: - Encoding

typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
    int out_of_memory;
    char message[256];
} encode_state;

static void on_write_error(png_structp png, png_const_charp message) {
    encode_state *state = (encode_state *)png_get_error_ptr(png);
    copy_message(state->message, sizeof state->message, message);
    png_longjmp(png, 1);
}

static void write_to_memory(png_structp png, png_bytep source, size_t length) {
    encode_state *state = (encode_state *)png_get_io_ptr(png);
    if (length > state->capacity - state->size) {
        size_t needed = state->size + length;
        if (needed < length) needed = SIZE_MAX;  // overflow: realloc below will fail
        size_t capacity = state->capacity < 4096 ? 4096 : state->capacity;
        while (capacity < needed) capacity = capacity > SIZE_MAX / 2 ? needed : capacity * 2;
        uint8_t *grown = realloc(state->data, capacity);
        if (grown == NULL) {
            state->out_of_memory = 1;
            png_error(png, "out of memory while encoding PNG");
        }
        state->data = grown;
        state->capacity = capacity;
    }
    memcpy(state->data + state->size, source, length);
    state->size += length;
}

static void flush_memory(png_structp png) {
    (void)png;
}

fathom_png_status fathom_png_encode(const void *pixels, uint32_t width, uint32_t height,
                                    int channels, int bit_depth, size_t row_stride,
                                    int compression_level,
                                    uint8_t **output, size_t *output_size,
                                    char *message, size_t message_capacity) {
    static const int color_types[5] = { -1, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                        PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA };
    *output = NULL;
    *output_size = 0;
    if (channels < 1 || channels > 4 || (bit_depth != 8 && bit_depth != 16) ||
        compression_level < 0 || compression_level > 9) {
        copy_message(message, message_capacity, "invalid PNG encoding parameters");
        return FATHOM_PNG_ERROR;
    }
    encode_state state;
    memset(&state, 0, sizeof state);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &state, on_write_error, on_warning);
    if (png == NULL) {
        copy_message(message, message_capacity, "out of memory creating the PNG encoder");
        return FATHOM_PNG_NO_MEMORY;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        copy_message(message, message_capacity, "out of memory creating the PNG encoder");
        return FATHOM_PNG_NO_MEMORY;
    }
    // `state` lives in memory (its address is taken), so its fields are current after a
    // longjmp; `png` and `info` are not modified after setjmp.
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(state.data);
        copy_message(message, message_capacity, state.message);
        return state.out_of_memory ? FATHOM_PNG_NO_MEMORY : FATHOM_PNG_ERROR;
    }
    png_set_write_fn(png, &state, write_to_memory, flush_memory);
    png_set_user_limits(png, 0x7fffffffU, 0x7fffffffU);
    png_set_compression_level(png, compression_level);
    png_set_IHDR(png, info, width, height, bit_depth, color_types[channels],
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    if (bit_depth == 16 && host_is_little_endian()) png_set_swap(png);
    for (uint32_t y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)pixels + (size_t)y * row_stride);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    *output = state.data;
    *output_size = state.size;
    return FATHOM_PNG_OK;
}

void fathom_png_free(void *buffer) {
    free(buffer);
}
