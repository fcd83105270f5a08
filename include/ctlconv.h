/*
 * ctlconv — convert security control lists (MIC cloud guideline ANNEX2 and
 * lists shaped like it) between the formats they travel in.
 *
 * The library reads a format into one common model and writes any format
 * from it.  Readers push the document metadata, then each item in document
 * order, into a sink (ctl_sink); writers are sinks; the in-memory list
 * (ctl_list) is one more sink.  A conversion therefore never needs the whole
 * list in memory.
 *
 * The library never prints and never exits.  Every fallible function returns
 * a ctl_status; the message (with the file and line it concerns) is kept on
 * the context (ctl_ctx) together with the warnings collected on the way.
 */
#ifndef CTLCONV_H
#define CTLCONV_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CTL_VERSION "0.1.0"

/* ------------------------------------------------------------------------
 * Status codes.  One table: name, CLI exit code, short description.
 * ---------------------------------------------------------------------- */
#define CTL_STATUS_TABLE(X)                                             \
    X(CTL_OK,        0, "success")                                      \
    X(CTL_EINPUT,    1, "bad input")                                    \
    X(CTL_ELIMIT,    1, "input exceeds a limit")                        \
    X(CTL_EUSAGE,    2, "usage error")                                  \
    X(CTL_EIO,       3, "input/output error")                           \
    X(CTL_ENOMEM,    4, "out of memory")                                \
    X(CTL_EINTERNAL, 4, "internal error")

typedef enum {
#define CTL_X_ENUM(name, code, text) name,
    CTL_STATUS_TABLE(CTL_X_ENUM)
#undef CTL_X_ENUM
    CTL_STATUS_COUNT
} ctl_status;

/** Short English description of a status ("bad input", ...). */
const char *ctl_status_text(ctl_status st);
/** The documented exit code of the ctlconv program for a status. */
int ctl_status_exit_code(ctl_status st);

/* ------------------------------------------------------------------------
 * The context: options, the last error and the collected warnings.
 * ---------------------------------------------------------------------- */
typedef struct ctl_ctx ctl_ctx;

/** Creates a context; NULL when memory is exhausted. */
ctl_ctx *ctl_ctx_new(void);
/** Frees a context and everything it collected.  NULL is allowed. */
void ctl_ctx_free(ctl_ctx *ctx);

/** Status of the last error recorded on ctx (CTL_OK when none). */
ctl_status ctl_error_status(const ctl_ctx *ctx);
/** Message of the last error, without file and line ("" when none). */
const char *ctl_error_message(const ctl_ctx *ctx);
/** File the last error concerns ("" when none, "-" for standard input). */
const char *ctl_error_file(const ctl_ctx *ctx);
/** Line (1-based) the last error concerns; 0 when it concerns no line. */
long ctl_error_line(const ctl_ctx *ctx);
/** Forgets the last error (warnings are kept). */
void ctl_error_clear(ctl_ctx *ctx);

/** Number of warnings raised so far. */
size_t ctl_warning_count(const ctl_ctx *ctx);
/** Number of warnings kept (at most 1000: the last one kept then says how
 *  many more there were); index ctl_warning_message by this. */
size_t ctl_warning_kept(const ctl_ctx *ctx);
/** The i-th warning: message, and file/line (line 0: none). */
const char *ctl_warning_message(const ctl_ctx *ctx, size_t i);
const char *ctl_warning_file(const ctl_ctx *ctx, size_t i);
long ctl_warning_line(const ctl_ctx *ctx, size_t i);

/** Records an error on ctx and returns st.  Used by readers and writers;
 *  file may be NULL, line 0 when no line applies. */
ctl_status ctl_fail(ctl_ctx *ctx, ctl_status st, const char *file, long line,
                    const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/** Records a warning.  Returns CTL_OK, or CTL_ENOMEM if it could not be
 *  stored (the error is then recorded). */
ctl_status ctl_warn(ctl_ctx *ctx, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ------------------------------------------------------------------------
 * Options that change how readers and writers behave.
 * ---------------------------------------------------------------------- */
typedef enum { CTL_HEADER_EN = 0, CTL_HEADER_JA } ctl_header_lang;

/** Encodings a writer can produce (CSV/TSV). */
typedef enum {
    CTL_OUT_UTF8 = 0,    /**< UTF-8 without a byte-order mark */
    CTL_OUT_UTF8_BOM,    /**< UTF-8 with a BOM, as Excel's "CSV UTF-8" */
    CTL_OUT_CP932        /**< Windows Japanese, as Excel's plain "CSV" */
} ctl_out_encoding;

/** The fields of the model a source column can hold (see --column). */
typedef enum {
    CTL_FIELD_NONE = 0, CTL_FIELD_ID, CTL_FIELD_LABEL, CTL_FIELD_LEVEL, CTL_FIELD_ISMS,
    CTL_FIELD_TITLE, CTL_FIELD_DESCRIPTION, CTL_FIELD_CATEGORY, CTL_FIELD_ANSWER
} ctl_field_kind;

/** A header the reader does not know, mapped onto a field by the user. */
typedef struct ctl_column_map {
    ctl_field_kind field;
    const char *header;
} ctl_column_map;

/** The limits ctlconv owns.  One table in converters/context.c holds each
 *  one's name, default and meaning; ctl_limit_fail words every refusal. */
typedef enum {
    CTL_LIMIT_INPUT_SIZE,      /**< bytes of one input (read whole) */
    CTL_LIMIT_FIELD_SIZE,      /**< bytes of one CSV field */
    CTL_LIMIT_COLUMNS,         /**< cells in one row (CSV, XLSX) */
    CTL_LIMIT_ITEMS,           /**< items in one list */
    CTL_LIMIT_ZIP_ENTRIES,     /**< XLSX: entries in the archive */
    CTL_LIMIT_ZIP_ENTRY_SIZE,  /**< XLSX: inflated bytes of one part */
    CTL_LIMIT_ZIP_TOTAL_SIZE,  /**< XLSX: inflated bytes in all */
    CTL_LIMIT_ZIP_RATIO,       /**< XLSX: inflated : compressed */
    CTL_LIMIT_JSON_MEMORY,     /**< JSON: parser memory for one value, beyond 3 x its size */
    CTL_LIMIT_COUNT
} ctl_limit;

typedef struct ctl_options {
    const char *encoding;        /**< input encoding; NULL = detect */
    ctl_header_lang header;      /**< header words of CSV/text output */
    int crlf;                    /**< CSV output: CRLF record ends */
    char delimiter;              /**< CSV input delimiter; 0 = detect */
    const ctl_column_map *columns; /**< --column mappings */
    size_t n_columns;
    ctl_out_encoding out_encoding; /**< CSV/TSV output encoding */
    int excel_safe;              /**< prefix ' to cells Excel would run */
    int substitute;              /**< CP932 output: substitute, don't fail */
    const char *sheet;           /**< XLSX input: sheet name or 1-based number */
    size_t limit[CTL_LIMIT_COUNT]; /**< see ctl_limit; 0 = the default */
} ctl_options;

/** Fills opts with the defaults. */
void ctl_options_init(ctl_options *opts);

/** Name (as --limit takes it: "input-size"), default and a line saying what
 *  the limit bounds; NULL/0 for an unknown one. */
const char *ctl_limit_name(ctl_limit which);
size_t ctl_limit_default(ctl_limit which);
const char *ctl_limit_about(ctl_limit which);
/** The limit named name (len bytes of it), or CTL_LIMIT_COUNT if none. */
ctl_limit ctl_limit_by_name(const char *name, size_t len);
/** The limit in force: opts->limit[which], or the default when that is 0. */
size_t ctl_limit_value(const ctl_options *opts, ctl_limit which);
/** Records the refusal of input over a limit (CTL_ELIMIT): the message,
 *  then how to raise it ("... (raise it with --limit NAME=N)"). */
ctl_status ctl_limit_fail(ctl_ctx *ctx, const char *file, long line, ctl_limit which,
                          const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ------------------------------------------------------------------------
 * The common model.
 * ---------------------------------------------------------------------- */
typedef enum {
    CTL_CATEGORY_NONE = 0,
    CTL_CATEGORY_BASIC,       /* 基本 */
    CTL_CATEGORY_RECOMMENDED  /* 推奨 */
} ctl_category;

/** One further column a source had: its header name and the cell text. */
typedef struct ctl_field {
    char *name;
    char *value;
} ctl_field;

/** Where an item came from, for diagnostics (not part of the model's
 *  equality). */
typedef struct ctl_pos {
    const char *file;   /* owned by whoever owns the item */
    long line;          /* 1-based line, 0 if unknown */
} ctl_pos;

/** One row of the list: a section (level 1), subsection (2) or control (3).
 *  All strings are UTF-8 and never NULL in an item handed to a sink
 *  (empty string when absent). */
typedef struct ctl_item {
    char *id;            /* canonical, ASCII: "II.1.1.1" */
    char *label;         /* as printed: "II. 1. 1. 1" */
    int level;           /* number of numeric parts: 1..n */
    char **isms;         /* canonical references "A.5.1.1" */
    size_t n_isms;
    char *title;
    char *description;
    ctl_category category;
    char *answer;
    ctl_field *extra;    /* further columns, in source order */
    size_t n_extra;
    ctl_pos pos;
} ctl_item;

/** Document metadata. */
typedef struct ctl_meta {
    char *title;         /* document title ("" if none) */
    char *note;          /* source note, lines joined with "\n" */
    char *annex;         /* annex heading, e.g. "ANNEX2 対策一覧" */
    char **columns;      /* the source's column names, in source order */
    size_t n_columns;
    char **unplaced;     /* ISMS references the reader could not attach
                            (known only at the end: see ctl_sink.end) */
    size_t n_unplaced;
} ctl_meta;

/* ------------------------------------------------------------------------
 * Sinks.  A reader calls begin once, item for every item in document order,
 * then end once with the final metadata (which may add unplaced references).
 * The sink must copy what it keeps: the reader frees its items.
 * ---------------------------------------------------------------------- */
typedef struct ctl_sink ctl_sink;
struct ctl_sink {
    ctl_status (*begin)(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta);
    ctl_status (*item)(ctl_sink *self, ctl_ctx *ctx, const ctl_item *item);
    ctl_status (*end)(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta);
    void (*destroy)(ctl_sink *self);   /* frees the sink; may be NULL */
};

/** The in-memory list: another sink. */
typedef struct ctl_list {
    ctl_sink sink;       /* first member: a ctl_list * is a ctl_sink * */
    ctl_meta meta;
    ctl_item *items;
    size_t n_items;
    size_t cap_items;
    char **sources;      /* file names the positions refer to (owned) */
    size_t n_sources;
} ctl_list;

/** Creates an empty list; NULL when memory is exhausted. */
ctl_list *ctl_list_new(void);
/** Frees the list and everything in it.  NULL is allowed. */
void ctl_list_free(ctl_list *list);
/** Replays a list into a sink (begin, items, end). */
ctl_status ctl_list_replay(const ctl_list *list, ctl_ctx *ctx, ctl_sink *sink);
/** Model equality as the round-trip contract defines it: items, ids,
 *  levels, references, texts, categories, extra columns, metadata.  Labels
 *  are compared only when compare_labels is set; positions never.  On a
 *  difference returns 0 and, when why is not NULL, writes a description. */
int ctl_list_equal(const ctl_list *a, const ctl_list *b, int compare_labels,
                   char *why, size_t why_size);

/* ------------------------------------------------------------------------
 * Normalisers (converters/).
 * ---------------------------------------------------------------------- */

/** A parsed item number. */
typedef struct ctl_number {
    char id[64];      /* canonical id "II.1.1.1" */
    int level;        /* numeric parts */
} ctl_number;

/** Parses an item number at the start of s (any spelling: "II. 1. 1. 1",
 *  "Ⅲ. 1. 1. 5.", "Ⅱ．１．１．１", "III.1.1.5").  On success returns the
 *  number of bytes of s it used (trailing dot and following white space
 *  included) and fills num; returns 0 when s does not start with one. */
size_t ctl_parse_number(const char *s, size_t len, ctl_number *num);
/** Is the whole of s[0..len) one item number?  Fills num when it is. */
int ctl_parse_number_exact(const char *s, size_t len, ctl_number *num);

/** Writes the canonical display label of an id ("II.1" -> "II. 1.",
 *  "II.1.1.1" -> "II. 1. 1. 1") into buf.  Returns buf. */
char *ctl_number_label(const char *id, int level, char *buf, size_t size);

/** Parses a cell holding zero or more ISMS references (A.5.1.1, full
 *  width too), separated by white space, ',', ';', '、' or '/'.  On
 *  success returns 1 and stores a malloc'd array of canonical references
 *  (each malloc'd) in *refs (NULL when none).  Returns 0 if the cell holds
 *  anything else (nothing is stored), -1 when memory is exhausted. */
int ctl_parse_isms(const char *s, size_t len, char ***refs, size_t *n);
/** Depth of a canonical reference: "A.17" -> 1, "A.17.1.2" -> 3. */
int ctl_isms_depth(const char *ref);

/** Parses a category word (基本, 推奨, basic, recommended; NFKC, any case).
 *  Returns 1 and sets *cat when s is one. */
int ctl_parse_category(const char *s, size_t len, ctl_category *cat);
/** "基本" / "推奨" / "" for a category. */
const char *ctl_category_ja(ctl_category cat);
/** "basic" / "recommended" / "" for a category. */
const char *ctl_category_en(ctl_category cat);

/** The field a header word names (項番, ISMS 管理策, title, ...; NFKC,
 *  case and white space folded); CTL_FIELD_NONE for any other word. */
ctl_field_kind ctl_field_from_header(const char *s, size_t len);

/** Decodes raw bytes to UTF-8.  encoding: a name iconv knows, or NULL to
 *  detect (BOM, strict UTF-8, CP932 vs EUC-JP-MS, uchardet).  On success
 *  *out is a malloc'd NUL-terminated UTF-8 buffer (BOM removed) and
 *  *used the encoding's name (static storage).  An undecodable byte is an
 *  error naming file, line and byte offset. */
ctl_status ctl_decode(ctl_ctx *ctx, const char *file, const unsigned char *in,
                      size_t len, const char *encoding, char **out,
                      size_t *out_len, const char **used);

/* ------------------------------------------------------------------------
 * Formats.
 * ---------------------------------------------------------------------- */

/** What a reader is given: the raw bytes and, for formats that travel in
 *  legacy encodings, the same bytes decoded to UTF-8. */
typedef struct ctl_input {
    const char *name;              /* file name for messages ("-": stdin) */
    const unsigned char *data;     /* raw bytes */
    size_t len;
    const char *text;              /* UTF-8, NUL-terminated (decode formats) */
    size_t text_len;
    const char *encoding;          /* encoding the text was decoded from */
} ctl_input;

/** What a format cannot hold (ctl_format.loses): a round trip through it
 *  keeps everything else, and its writer warns when it drops something. */
enum {
    CTL_LOSES_METADATA  = 1 << 0,  /**< document title, note, annex heading */
    CTL_LOSES_UNPLACED  = 1 << 1,  /**< unplaced ISMS references */
    CTL_LOSES_LABELS    = 1 << 2,  /**< printed labels: canonical ones come back */
    CTL_LOSES_LINEBREAKS = 1 << 3, /**< line breaks and tabs in cells become spaces;
                                        cells are trimmed */
};

typedef struct ctl_format {
    const char *name;              /* "text", "csv", ... */
    unsigned loses;                /* CTL_LOSES_* */
    const char *description;
    const char *const *extensions; /* NULL-terminated, without dots */
    int decode;                    /* reader wants the input decoded */
    /** Scores the first bytes (UTF-8 text when decode is set): 0 = not
     *  this format, 100 = certain.  For decode formats, 50 and more claims
     *  evidence only this format has; below, the input merely fits. */
    int (*probe)(const char *data, size_t len);
    /** Reads the input into the sink; NULL when the format is write-only. */
    ctl_status (*read)(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts,
                       ctl_sink *sink);
    /** Creates a writer sink that writes to out; NULL when read-only. */
    ctl_status (*writer)(ctl_ctx *ctx, FILE *out, const char *out_name,
                         const ctl_options *opts, ctl_sink **sink);
} ctl_format;

/** The table of formats, NULL-terminated. */
const ctl_format *const *ctl_formats(void);
/** Finds a format by name (case-insensitive); NULL if unknown. */
const ctl_format *ctl_format_by_name(const char *name);
/** Finds a format by a file name's extension; NULL if none matches. */
const ctl_format *ctl_format_by_extension(const char *path);

/* ------------------------------------------------------------------------
 * Conversion (converters/pipeline.c).
 * ---------------------------------------------------------------------- */

/** Reads a whole file ("-" or NULL: standard input) under the input size
 *  limit.  *data is malloc'd. */
ctl_status ctl_read_file(ctl_ctx *ctx, const char *path, size_t limit,
                         unsigned char **data, size_t *len);

/** Chooses the input format: content first (a format's evidence, see
 *  ctl_format.probe; a table's own extension counts as evidence for it),
 *  then the extension among formats that fit; evidence for two formats, an
 *  input that stays ambiguous, or a known format ctlconv does not read, is
 *  an error (CTL_EUSAGE asking for -f for the ambiguous ones).  The
 *  returned format has a reader. */
ctl_status ctl_detect_format(ctl_ctx *ctx, const char *path,
                             const unsigned char *data, size_t len,
                             const ctl_options *opts, const ctl_format **fmt);

/** Reads bytes of a known format into a sink (decoding first if the
 *  format wants it). */
ctl_status ctl_read(ctl_ctx *ctx, const ctl_format *fmt, const char *name,
                    const unsigned char *data, size_t len,
                    const ctl_options *opts, ctl_sink *sink);

/** Converts one input file to one output file.  in_path / out_path "-" or
 *  NULL mean standard input / output ("" is CTL_EUSAGE).  in_fmt NULL:
 *  detect.  The output is prepared before the input is read, written to a
 *  temporary file and put in place only when the whole conversion
 *  succeeded; with strict set, a warning fails the conversion.  out_path is
 *  walked one component at a time: every symbolic link on the way is
 *  followed unless it sits in a sticky world-writable directory and belongs
 *  to neither that directory's owner nor us (the effective uid), as
 *  fs.protected_symlinks=1 (CTL_EIO).  A regular file (or a new name) gets
 *  a temporary file beside it, renamed over it relative to its directory
 *  (a replaced file keeps its mode, and its owner and group when we may set
 *  them); a descriptor (see ctl_output_descriptor; also any path that leads
 *  to our /proc/self/fd/N, or names the file a standard descriptor holds
 *  open for writing) gets the staged bytes written through it at the end;
 *  a device or a FIFO is opened before the input is read (never through a
 *  link, refused if it changed) and written through that descriptor at the
 *  end.  An input regular file that changes while it is read is an error
 *  (CTL_EIO). */
ctl_status ctl_convert_file(ctl_ctx *ctx, const char *in_path,
                            const ctl_format *in_fmt, const char *out_path,
                            const ctl_format *out_fmt, const ctl_options *opts,
                            int strict);

/** The descriptor an output path stands for by its spelling alone: 1 for
 *  "-", NULL and /dev/stdout, 2 for /dev/stderr, N for /dev/fd/N and
 *  /proc/self/fd/N; -1 for any other path (ctl_convert_file also finds
 *  the descriptor of other paths as it walks them: /dev/./stdout, a link
 *  to /dev/fd/3, the file standard output holds).  Output to a descriptor
 *  is written through a duplicate of it as it is (a file opened for
 *  appending is appended to, a pipe is written), never by opening the path
 *  again. */
int ctl_output_descriptor(const char *path);

/** Removes the temporary files ctlconv holds at this moment (an output
 *  being staged, a workbook being built).  Async-signal-safe: for a
 *  handler of SIGINT, SIGTERM and the like, which should then restore the
 *  signal's default action and raise it again.  Temporary files are made in
 *  $TMPDIR (/tmp when it is unset or empty) or beside the output (removed
 *  relative to the output's directory as it was opened).  A program that
 *  may run under a file size limit should ignore SIGXFSZ: a write over it
 *  then fails (EFBIG, CTL_EIO) and the temporary files go with the error. */
void ctl_remove_temporaries(void);

/* ------------------------------------------------------------------------
 * Testing.
 * ---------------------------------------------------------------------- */

/** Makes the n-th allocation of ctlconv's own code from now on fail, once
 *  (0: none).  Allocations inside the libraries ctlconv calls are not
 *  counted.  For tests only; not thread-safe. */
void ctl_test_fail_alloc(unsigned long n);
/** Allocations of ctlconv's own code since the last ctl_test_fail_alloc. */
unsigned long ctl_test_alloc_count(void);
/** Calls hook(name, bytes so far) after ctl_read_file opened a file and
 *  after each read (NULL: none).  For tests only. */
void ctl_test_read_hook(void (*hook)(const char *name, size_t done));

#ifdef __cplusplus
}
#endif
#endif /* CTLCONV_H */
