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

/** The limits ctlconv owns.  One table in converters/context.c holds each
 *  one's name, default and meaning; the caller words how to raise one (see CTL_HINT_LIMIT). */
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

/* ------------------------------------------------------------------------
 * Diagnostic codes.  Every error and warning the library raises carries one
 * code from this table: its enum name, a stable kebab-case name (what
 * `ctlconv --allow` takes and prints in brackets), its severity, the status
 * an error returns (CTL_OK for a warning), its hint (what the user can do:
 * see ctl_hint) and a line saying what it means.  One code per situation,
 * not per message: the message gives the particulars.
 * ---------------------------------------------------------------------- */

/** Whether a diagnostic stops the work. */
typedef enum { CTL_SEV_WARNING = 0, CTL_SEV_ERROR } ctl_severity;

/** What a user can do about a diagnostic, as data: the caller words it
 *  (the CLI names its own options).  CTL_HINT_LIMIT: raise the limit the
 *  diagnostic names (ctl_error_limit). */
typedef enum {
    CTL_HINT_NONE = 0,
    CTL_HINT_LIMIT,       /**< raise a limit (see ctl_limit) */
    CTL_HINT_FORMAT,      /**< name the input format */
    CTL_HINT_ENCODING,    /**< name the input encoding */
    CTL_HINT_SHEET,       /**< name the sheet to read */
    CTL_HINT_COLUMN,      /**< map a header onto a field (ctl_column_map) */
    CTL_HINT_SUBSTITUTE,  /**< allow substitutes in CP932 output */
    CTL_HINT_ALLOW,       /**< allow the warnings in strict mode */
    CTL_HINT_COUNT
} ctl_hint;

#define CTL_DIAG_TABLE(X)                                                                               \
    /* errors: resources and files */                                                                   \
    X(CTL_D_OUT_OF_MEMORY, "out-of-memory", CTL_SEV_ERROR, CTL_ENOMEM, CTL_HINT_NONE,                   \
      "memory is exhausted")                                                                            \
    X(CTL_D_INTERNAL, "internal", CTL_SEV_ERROR, CTL_EINTERNAL, CTL_HINT_NONE,                          \
      "a library or part of ctlconv failed in a way it should not")                                     \
    X(CTL_D_IO_ERROR, "io-error", CTL_SEV_ERROR, CTL_EIO, CTL_HINT_NONE,                                \
      "a file cannot be opened, read, written or put in place")                                         \
    X(CTL_D_INPUT_CHANGED, "input-changed", CTL_SEV_ERROR, CTL_EIO, CTL_HINT_NONE,                      \
      "the input file changed while it was read")                                                       \
    X(CTL_D_UNSAFE_LINK, "unsafe-link", CTL_SEV_ERROR, CTL_EIO, CTL_HINT_NONE,                          \
      "the output is a symbolic link of another user in a sticky shared directory")                     \
    X(CTL_D_WORKBOOK_UNVERIFIED, "workbook-unverified", CTL_SEV_ERROR, CTL_EIO, CTL_HINT_NONE,          \
      "the workbook written cannot be read back whole (a full disk?)")                                  \
    X(CTL_D_BAD_ARGUMENT, "bad-argument", CTL_SEV_ERROR, CTL_EUSAGE, CTL_HINT_NONE,                     \
      "an argument the caller gave cannot be used (an empty output name)")                              \
    X(CTL_D_UNSUPPORTED, "unsupported", CTL_SEV_ERROR, CTL_EUSAGE, CTL_HINT_NONE,                       \
      "this version cannot read or write that format")                                                  \
    X(CTL_D_STRICT, "strict", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_ALLOW,                                \
      "strict mode: warnings were raised, nothing is written")                                          \
    /* errors: limits */                                                                                \
    X(CTL_D_LIMIT, "limit", CTL_SEV_ERROR, CTL_ELIMIT, CTL_HINT_LIMIT,                                  \
      "the input exceeds one of ctlconv's limits (see ctl_limit)")                                      \
    X(CTL_D_FIXED_LIMIT, "fixed-limit", CTL_SEV_ERROR, CTL_ELIMIT, CTL_HINT_NONE,                       \
      "the data exceeds a limit of a format or library that cannot be raised")                          \
    /* errors: what the input is */                                                                     \
    X(CTL_D_EMPTY_INPUT, "empty-input", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                       \
      "the input is empty")                                                                             \
    X(CTL_D_UNKNOWN_ENCODING, "unknown-encoding", CTL_SEV_ERROR, CTL_EUSAGE, CTL_HINT_NONE,             \
      "the encoding given is not one iconv knows")                                                      \
    X(CTL_D_UNDECODABLE, "undecodable", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_ENCODING,                   \
      "a byte sequence is not valid in the input encoding")                                             \
    X(CTL_D_BINARY_INPUT, "binary-input", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_ENCODING,                 \
      "a NUL byte or character: not a text file (or UTF-16 without a byte-order mark)")                 \
    X(CTL_D_CONTROL_CHARACTER, "control-character", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_ENCODING,       \
      "a control character no text list holds")                                                         \
    X(CTL_D_AMBIGUOUS_FORMAT, "ambiguous-format", CTL_SEV_ERROR, CTL_EUSAGE, CTL_HINT_FORMAT,           \
      "the input fits two formats and nothing tells them apart")                                        \
    X(CTL_D_UNRECOGNISED, "unrecognised-input", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_FORMAT,             \
      "the input is no control list in a format ctlconv recognises")                                    \
    X(CTL_D_UNREADABLE_FORMAT, "unreadable-format", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,           \
      "a known format ctlconv does not read (XLS, ODS, PDF, Word...)")                                  \
    /* errors: the shape of the input */                                                                \
    X(CTL_D_NO_HEADER, "no-header", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_COLUMN,                         \
      "a table without a header row naming the columns")                                                \
    X(CTL_D_NO_ROWS, "no-rows", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                               \
      "no control rows in the input")                                                                   \
    X(CTL_D_RAGGED_ROW, "ragged-row", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                         \
      "a table row with more fields than its header")                                                   \
    X(CTL_D_MALFORMED_CSV, "malformed-csv", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                   \
      "CSV/TSV quoting is broken")                                                                      \
    X(CTL_D_MALFORMED_JSON, "malformed-json", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                 \
      "the input is not well-formed JSON")                                                              \
    X(CTL_D_MALFORMED_XML, "malformed-xml", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                   \
      "the input is not well-formed XML")                                                               \
    X(CTL_D_DOCTYPE, "doctype", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                               \
      "a DOCTYPE or entity reference, refused (DTDs are never loaded)")                                 \
    X(CTL_D_NOT_A_LIST, "not-a-list", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                         \
      "well-formed JSON or XML, but not a control list")                                                \
    X(CTL_D_UNSUPPORTED_VERSION, "unsupported-version", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,       \
      "a version of the control-list format this ctlconv does not read")                                \
    X(CTL_D_BAD_STRUCTURE, "bad-structure", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                   \
      "an element or key out of place in a JSON or XML control list")                                   \
    X(CTL_D_BAD_FIELD, "bad-field", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                           \
      "a JSON or XML field with a value or type the format does not allow")                             \
    X(CTL_D_CORRUPT_WORKBOOK, "corrupt-workbook", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,             \
      "an XLSX archive or one of its parts is damaged or inconsistent")                                 \
    X(CTL_D_NO_SHEET, "no-sheet", CTL_SEV_ERROR, CTL_EUSAGE, CTL_HINT_SHEET,                            \
      "the sheet asked for is not in the workbook")                                                     \
    /* errors: what an output cannot hold */                                                            \
    X(CTL_D_XML_UNWRITABLE, "xml-unwritable", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                 \
      "text XML 1.0 (or libxml2 reading it back) cannot hold")                                          \
    X(CTL_D_CP932_UNWRITABLE, "cp932-unwritable", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_SUBSTITUTE,       \
      "cells CP932 cannot hold unchanged")                                                              \
    /* warnings: reading */                                                                             \
    X(CTL_D_ENCODING_WEAK, "encoding-weak", CTL_SEV_WARNING, CTL_OK, CTL_HINT_ENCODING,                 \
      "short input read as UTF-8 or a Japanese encoding on weak evidence")                              \
    X(CTL_D_ENCODING_AMBIGUOUS, "encoding-ambiguous", CTL_SEV_WARNING, CTL_OK, CTL_HINT_ENCODING,       \
      "the input reads as CP932 and as EUC-JP-MS equally well; CP932 used")                             \
    X(CTL_D_ENCODING_GUESSED, "encoding-guessed", CTL_SEV_WARNING, CTL_OK, CTL_HINT_ENCODING,           \
      "the encoding is uchardet's guess")                                                               \
    X(CTL_D_DUPLICATE_COLUMN, "duplicate-column", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,               \
      "a second column for one field, kept as an extra column")                                         \
    X(CTL_D_UNNAMED_COLUMN, "unnamed-column", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                   \
      "text in a column without a header, kept as an extra column")                                     \
    X(CTL_D_ROW_SKIPPED, "row-skipped", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                         \
      "a table row without an item number, skipped")                                                    \
    X(CTL_D_LINE_SKIPPED, "line-skipped", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                       \
      "a text line that is no row, header or heading, skipped")                                         \
    X(CTL_D_LINE_TRUNCATED, "line-truncated", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                   \
      "a text line with too many fields: the rest ignored")                                             \
    X(CTL_D_STRAY_HEADER, "stray-header", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                       \
      "a header word after the last column of a row, ignored")                                          \
    X(CTL_D_LEVEL_MISMATCH, "level-mismatch", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                   \
      "a level cell disagrees with the item number; the number wins")                                   \
    X(CTL_D_NUMBER_MISMATCH, "number-mismatch", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                 \
      "a number cell that is not the row's number, kept as an extra column")                            \
    X(CTL_D_NOT_ISMS, "not-isms", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                               \
      "an ISMS cell holding no list of references, kept as an extra column")                            \
    X(CTL_D_BAD_CATEGORY, "bad-category", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                       \
      "a category that is neither 基本 nor 推奨, kept as an extra column")                                  \
    X(CTL_D_TITLE_JOINED, "title-joined", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                       \
      "a title beside the number and in its own column, joined")                                        \
    X(CTL_D_REF_INFERRED, "ref-inferred", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                       \
      "detached ISMS references attached to rows by level (an inference)")                              \
    X(CTL_D_REF_UNPLACED, "ref-unplaced", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                       \
      "detached ISMS references that fit no row, kept as unplaced")                                     \
    X(CTL_D_REFS_OVERFLOW, "refs-overflow", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                     \
      "too many detached ISMS references on a page: the rest kept as unplaced")                         \
    X(CTL_D_ESCAPE_KEPT, "escape-kept", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                         \
      "an XLSX _xHHHH_ escape for no character, kept as text")                                          \
    X(CTL_D_SHEET_CHOSEN, "sheet-chosen", CTL_SEV_WARNING, CTL_OK, CTL_HINT_SHEET,                      \
      "a workbook with several sheets: the first with a header row was read")                           \
    /* warnings: writing */                                                                             \
    X(CTL_D_TITLE_DROPPED, "title-dropped", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                     \
      "the output format has no place for the title, note and annex heading")                           \
    X(CTL_D_TITLE_AT_RISK, "title-at-risk", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                     \
      "the title, note or annex heading may not read back as such from the text layout")                \
    X(CTL_D_UNPLACED_DROPPED, "unplaced-dropped", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,               \
      "the output format has no place for unplaced ISMS references")                                    \
    X(CTL_D_EXTRA_DROPPED, "extra-dropped", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                     \
      "extra cells without a column in the document's header, not written")                             \
    X(CTL_D_LABEL_REWRITTEN, "label-rewritten", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                 \
      "labels that are not their item's number, written as the number")                                 \
    X(CTL_D_TEXT_FLATTENED, "text-flattened", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                   \
      "line breaks or tabs written as spaces, cells trimmed (text layout)")                             \
    X(CTL_D_CP932_CHANGED, "cp932-changed", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                     \
      "a character written in CP932 as another one, or as 〓")                                           \
    X(CTL_D_PROPERTY_DROPPED, "property-dropped", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,               \
      "a workbook property left out: XML 1.0 cannot carry a character of it")                           \
    X(CTL_D_MORE_WARNINGS, "more-warnings", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                     \
      "the warnings past the first 999 kept, counted")

typedef enum {
#define CTL_X_ENUM(name, text, sev, st, hint, meaning) name,
    CTL_DIAG_TABLE(CTL_X_ENUM)
#undef CTL_X_ENUM
    CTL_DIAG_COUNT
} ctl_diag;

/* The functions below read the constant table only: they may be called
 * from any thread; returned strings are static. */

/** The stable name of a code ("ref-inferred"); NULL for an unknown code. */
const char *ctl_diag_name(ctl_diag code);
/** One line saying what the code means; NULL for an unknown code. */
const char *ctl_diag_meaning(ctl_diag code);
/** The code named name ("ref-inferred", NUL-terminated; NULL allowed), or
 *  CTL_DIAG_COUNT if none. */
ctl_diag ctl_diag_by_name(const char *name);
/** Severity of a code (CTL_SEV_ERROR for an unknown one). */
ctl_severity ctl_diag_severity(ctl_diag code);
/** The status an error code returns (CTL_OK for a warning,
 *  CTL_EINTERNAL for an unknown code). */
ctl_status ctl_diag_status(ctl_diag code);
/** What the user can do about a code (CTL_HINT_NONE: nothing to give). */
ctl_hint ctl_diag_hint(ctl_diag code);

/** A diagnostic as a callback sees it.  The strings belong to the library
 *  and are valid only during the call: copy what you keep. */
typedef struct ctl_diag_info {
    ctl_diag code;
    ctl_severity severity;
    const char *file;      /**< "" when none, "-" for standard input */
    long line;             /**< 1-based; 0 when it concerns no line */
    const char *item;      /**< canonical id of the item it concerns (the first
                                when several), or "" */
    const char *message;   /**< without file, line, code or hint */
    ctl_limit limit;       /**< the limit for CTL_HINT_LIMIT, else CTL_LIMIT_COUNT */
} ctl_diag_info;

/** Called for each diagnostic as it is raised: every warning (also those
 *  past the kept ones) and the error that is kept (later errors are its
 *  consequences and are not reported).  A warning or error raised while the
 *  input format is being guessed is reported once the guess is settled,
 *  and not at all when the guess that raised it is dropped. */
typedef void (*ctl_diag_fn)(void *user, const ctl_diag_info *diag);
/** Sets (fn NULL: removes) the callback of ctx; user is passed to it.  The
 *  callback must not call back into ctx.  Not thread-safe (a context
 *  belongs to one thread at a time). */
void ctl_set_diag_callback(ctl_ctx *ctx, ctl_diag_fn fn, void *user);

/* The accessors below read ctx and may be called from the thread that
 * owns ctx; returned strings belong to ctx and stay valid until the next
 * call that raises or clears a diagnostic, or ctl_ctx_free. */

/** Status of the last error recorded on ctx (CTL_OK when none). */
ctl_status ctl_error_status(const ctl_ctx *ctx);
/** Code of the last error (CTL_DIAG_COUNT when none). */
ctl_diag ctl_error_code(const ctl_ctx *ctx);
/** Message of the last error, without file, line or hint ("" when none). */
const char *ctl_error_message(const ctl_ctx *ctx);
/** File the last error concerns ("" when none, "-" for standard input). */
const char *ctl_error_file(const ctl_ctx *ctx);
/** Line (1-based) the last error concerns; 0 when it concerns no line. */
long ctl_error_line(const ctl_ctx *ctx);
/** Canonical id of the item the last error concerns ("" when none). */
const char *ctl_error_item(const ctl_ctx *ctx);
/** The limit the last error asks to raise (CTL_HINT_LIMIT); CTL_LIMIT_COUNT
 *  when none. */
ctl_limit ctl_error_limit(const ctl_ctx *ctx);
/** Forgets the last error (warnings are kept). */
void ctl_error_clear(ctl_ctx *ctx);

/** Number of warnings raised so far. */
size_t ctl_warning_count(const ctl_ctx *ctx);
/** Number of warnings raised so far with the given code. */
size_t ctl_warning_count_of(const ctl_ctx *ctx, ctl_diag code);
/** Number of warnings kept (at most 1000: the last one kept then has the
 *  code CTL_D_MORE_WARNINGS and says how many more there were); index the
 *  accessors below by this.  Out of range: "", 0 or CTL_DIAG_COUNT. */
size_t ctl_warning_kept(const ctl_ctx *ctx);
/** The i-th warning: code, message, file, line (0: none) and the canonical
 *  id of the item it concerns (the first when several; "" when none). */
ctl_diag ctl_warning_code(const ctl_ctx *ctx, size_t i);
const char *ctl_warning_message(const ctl_ctx *ctx, size_t i);
const char *ctl_warning_file(const ctl_ctx *ctx, size_t i);
long ctl_warning_line(const ctl_ctx *ctx, size_t i);
const char *ctl_warning_item(const ctl_ctx *ctx, size_t i);

/** Records an error with code (an error code: its status is returned) on
 *  ctx, unless an error is recorded already (the first is the cause: its
 *  status is returned).  For readers and writers; file may be NULL, line 0
 *  when no line applies.  Calls the diagnostic callback.  A warning code
 *  is a bug of the caller: recorded with the status CTL_EINTERNAL. */
ctl_status ctl_fail(ctl_ctx *ctx, ctl_diag code, const char *file, long line,
                    const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/** The same for an error that concerns one item: item is its canonical id
 *  (NULL or "": none). */
ctl_status ctl_fail_item(ctl_ctx *ctx, ctl_diag code, const char *file, long line,
                         const char *item, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/** Records a warning with code (a warning code).  Returns CTL_OK, or
 *  CTL_ENOMEM if it could not be stored (the error is then recorded). */
ctl_status ctl_warn(ctl_ctx *ctx, ctl_diag code, const char *file, long line,
                    const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/** The same for a warning that concerns one item (canonical id). */
ctl_status ctl_warn_item(ctl_ctx *ctx, ctl_diag code, const char *file, long line,
                         const char *item, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

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


typedef struct ctl_format ctl_format;

/** Called by ctl_convert_file once both formats are known (the input's given
 *  or detected), before anything is handed to the writer: CTL_OK goes on;
 *  any other status ends the conversion with that status and nothing
 *  written.  The callback may record its reason on ctx (ctl_fail) or keep it
 *  for its caller through user.  Lets a caller check its options against a
 *  detected input format (see ctl_format.options). */
typedef ctl_status (*ctl_formats_known_fn)(ctl_ctx *ctx, const ctl_format *in,
                                           const ctl_format *out, void *user);

/** Which of these options a format honours is data on the format: see
 *  CTL_READS_* and CTL_WRITES_* (ctl_format.options).  The others have no
 *  effect on it. */
typedef struct ctl_options {
    const char *encoding;        /**< input encoding; NULL = detect */
    ctl_header_lang header;      /**< header words of CSV/TSV/XLSX output */
    int crlf;                    /**< CSV output: CRLF record ends */
    char delimiter;              /**< CSV input delimiter; 0 = detect */
    const ctl_column_map *columns; /**< --column mappings */
    size_t n_columns;
    ctl_out_encoding out_encoding; /**< CSV/TSV output encoding */
    int excel_safe;              /**< prefix ' to cells Excel would run */
    int substitute;              /**< CP932 output: substitute, don't fail */
    const char *sheet;           /**< XLSX input: sheet name or 1-based number */
    const ctl_diag *allow;       /**< strict mode lets these warnings through */
    size_t n_allow;
    size_t limit[CTL_LIMIT_COUNT]; /**< see ctl_limit; 0 = the default */
    ctl_formats_known_fn formats_known; /**< see ctl_formats_known_fn; NULL = none */
    void *formats_known_user;    /**< passed to formats_known */
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
/** Records the refusal of input over a limit: an error with the code
 *  CTL_D_LIMIT (status CTL_ELIMIT) that names the limit (ctl_error_limit);
 *  the message says what exceeded it, the caller words how to raise it. */
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

/** Which fields of ctl_options a format's reader (CTL_READS_*) and writer
 *  (CTL_WRITES_*) honour (ctl_format.options).  Any other option has no
 *  effect on the format; the ctlconv program refuses it (exit 2).  The
 *  limits apply to every format. */
enum {
    CTL_READS_ENCODING     = 1 << 0,  /**< encoding (formats that decode: see decode) */
    CTL_READS_DELIMITER    = 1 << 1,  /**< delimiter */
    CTL_READS_COLUMNS      = 1 << 2,  /**< columns: the input names its columns in a header row */
    CTL_READS_SHEET        = 1 << 3,  /**< sheet */
    CTL_WRITES_HEADER_LANG = 1 << 8,  /**< header: the words of the header row */
    CTL_WRITES_ENCODING    = 1 << 9,  /**< out_encoding */
    CTL_WRITES_SUBSTITUTE  = 1 << 10, /**< substitute */
    CTL_WRITES_EXCEL_SAFE  = 1 << 11, /**< excel_safe */
    CTL_WRITES_CRLF        = 1 << 12, /**< crlf */
};

typedef struct ctl_format {
    const char *name;              /* "text", "csv", ... */
    unsigned loses;                /* CTL_LOSES_* */
    const char *description;
    const char *const *extensions; /* NULL-terminated, without dots */
    int decode;                    /* reader wants the input decoded */
    unsigned options;              /* CTL_READS_* | CTL_WRITES_*: the options it honours */
    int weak_extension;            /* a name with one of its extensions is no
                                      evidence of the format (.txt: any text
                                      is); it still chooses among formats
                                      that fit */
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
    /** Bytes every input of the format holds at offset magic_at ("PK\3\4"
     *  for XLSX); NULL when it has none.  Detection takes a format whose
     *  magic matches before any probe or extension is consulted. */
    const char *magic;
    size_t magic_len;
    size_t magic_at;
    /** Set for a format ctlconv knows but neither reads nor writes (read and
     *  writer NULL; .xls, .ods, .pdf): what to do instead, in a few words
     *  ("save as .xlsx"), for a listing of the formats.  NULL otherwise. */
    const char *refusal;
    /** Set with refusal: records on ctx why an input of this format is
     *  refused and what to do instead, and returns CTL_EINPUT.  by_content:
     *  the input's magic showed the format; 0: only name's extension did. */
    ctl_status (*refuse)(ctl_ctx *ctx, const char *name, int by_content);
} ctl_format;

/** The table of formats, NULL-terminated: the formats ctlconv reads or
 *  writes, then the known formats it refuses (read and writer NULL,
 *  refusal set), so that a listing can name them and what to do instead.
 *  Static storage; safe to call from several threads. */
const ctl_format *const *ctl_formats(void);
/** Finds a format by name (case-insensitive); NULL if unknown.  A refused
 *  format is found too: check read and writer. */
const ctl_format *ctl_format_by_name(const char *name);
/** Finds a format by a file name's extension; NULL if none matches.  A
 *  refused format is found too (".pdf"): check read and writer. */
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
 *  succeeded; with strict set, a warning fails the conversion
 *  (CTL_D_STRICT) unless opts->allow lists its code.  out_path is
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
 *  (CTL_EIO).  Once the input format is known, opts->formats_known (when
 *  set) may stop the conversion. */
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
