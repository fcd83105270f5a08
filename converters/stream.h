/* SPDX-License-Identifier: BSD-2-Clause */
/* Inputs read line by line (converters/stream.c): a streamed input as it
 * arrives, or a text in memory, behind one ctl_stream_line().  Shared by
 * the pipeline and the readers (through services.h).  Not part of the
 * public API beyond what ctlconv.h declares. */
#ifndef CTL_STREAM_H
#define CTL_STREAM_H

#include "internal.h"

struct ctl_infile;

typedef enum {
    CTL_STREAM_MEMORY,   /* a text in memory */
    CTL_STREAM_RAW,      /* bytes as they are (JSON Lines) */
    CTL_STREAM_DECODE,   /* decoded to UTF-8 (ctl_decoder) */
} ctl_stream_mode;

struct ctl_stream {
    const char *name;
    ctl_stream_mode mode;
    struct ctl_infile *in;     /* where the bytes come from (not MEMORY) */
    ctl_decoder *dec;          /* DECODE */
    int detected;              /* the encoding was chosen on the first part */
    const char *enc;           /* its name, for messages */
    char *buf;                 /* the text: buf[pos..len) not given yet */
    size_t len, pos, cap, scan;
    size_t base;               /* offset of buf[0] in the text */
    size_t given_at;           /* offset of the last line given */
    long lines;                /* line ends given before buf[0] */
    unsigned char *raw;        /* bytes read, not decoded yet: raw[0..raw_len) */
    size_t raw_len, head_used;
    size_t max_line;           /* CTL_LIMIT_INPUT_SIZE */
    size_t chunk;              /* bytes read at a time */
    int eof, taken;
    ctl_status st;             /* a failure is final */
};

/* The first part of an input that a conversion reads before it decides
 * to stream it (1.25 MB), and the bytes read at a time after it (256 KB);
 * tests make both small (ctl_test_stream_head). */
size_t ctl_stream_head(void);
/* Probes look at the first megabyte of an input, and take a shorter one
 * for all of it: detection on a first part is made only when the part
 * (cut after a line end) is longer. */
enum { CTL_STREAM_PROBED = 1 << 20 };

/* A stream over text[0..len) (nothing is copied or allocated). */
void ctl_stream_memory(ctl_stream *s, const char *name, const char *text, size_t len);
/* A stream of the input in (its head first, then what its descriptor
 * gives): raw bytes when encoding is NULL, else decoded from it; detected:
 * the encoding was chosen on the first part (a later byte that is not of
 * it says so and names --encoding).  max_line: the longest line held. */
ctl_status ctl_stream_open(ctl_ctx *ctx, ctl_stream *s, struct ctl_infile *in, const char *encoding,
                           int detected, size_t max_line);
void ctl_stream_close(ctl_stream *s);

#endif
