/* SPDX-License-Identifier: BSD-2-Clause */
/**
 * @file ctlconv.h
 *
 * @brief ctlconv — convert security control lists (MIC cloud guideline
 * ANNEX2 and lists shaped like it) between the formats they travel in.
 *
 * This header is the library's manual: every public type, function and
 * macro is documented where it is declared.
 *
 * @section ctl_overview Overview
 *
 * The library reads a format into one common model and writes any format
 * from it.  Readers push the document metadata, then each item in document
 * order, into a sink (ctl_sink); writers are sinks; the in-memory list
 * (ctl_list) is one more sink.  A conversion therefore never needs the whole
 * list in memory.
 *
 * The library never prints and never exits.  Every fallible function returns
 * a ctl_status; the error (a diagnostic code, a message, the file, line and
 * item it concerns) is kept on the context (ctl_ctx) together with the
 * warnings collected on the way.
 *
 * The life cycle of a caller:
 *
 *  1. a context: ctl_ctx_new() (optionally ctl_set_diag_callback());
 *  2. options: ctl_options_init(), then set the members you need;
 *  3. the work: ctl_convert_file() for file to file, or ctl_read_file(),
 *     ctl_detect_format() and ctl_read() into a sink of your own, into a
 *     writer (ctl_format.writer) or into a ctl_list (ctl_list_new());
 *  4. diagnostics: on failure ctl_error_code(), ctl_error_message() and
 *     friends; in any case the warnings (ctl_warning_kept(),
 *     ctl_warning_code(), ...);
 *  5. ctl_list_free(), ctl_ctx_free().
 *
 * @code
 *     ctl_ctx *ctx = ctl_ctx_new();
 *     ctl_options opts;
 *     ctl_options_init(&opts);
 *     ctl_status st = ctl_convert_file(ctx, "list.txt", NULL, "list.csv",
 *                                      ctl_format_by_name("csv"), &opts, 0);
 *     if (st != CTL_OK)
 *         fprintf(stderr, "%s:%ld: %s [%s]\n", ctl_error_file(ctx),
 *                 ctl_error_line(ctx), ctl_error_message(ctx),
 *                 ctl_diag_name(ctl_error_code(ctx)));
 *     ctl_ctx_free(ctx);
 * @endcode
 *
 * @section ctl_glossary Words
 *
 * One meaning for each word, here and in the README:
 *
 *  - @b list: one control list: document metadata (ctl_meta) and its items
 *    in document order (ctl_list in memory).
 *  - @b item: one entry of the list — a section (level 1), a subsection
 *    (2) or a control (3) — as a ctl_item.  One row of a table holds one
 *    item.
 *  - @b field: a part of an item in the model: id, label, level, isms,
 *    title, description, category, answer (ctl_field_kind names them), or
 *    an @b extra @b field (ctl_field): text the model has no named field
 *    for, kept under the name of the column it came from.  The parts of a
 *    C struct are called its members, never its fields.
 *  - @b column: a column of a source or output table (CSV/TSV, a sheet, the
 *    tab-separated text layout): a header name and its cells.  Its role —
 *    the header word (ctl_field_from_header()) or the caller's mapping
 *    (ctl_column_map) — maps a column onto a field; a column no role maps is
 *    an @b extra @b column, read into extra fields of its name and written
 *    back from them.
 *  - @b row: one line of a table (a CSV record, a sheet row, a line of the
 *    text layout); @b cell: one column's text in one row; @b header: the
 *    row that names the columns.  (CSV calls a cell a field; only the
 *    limit name "field-size" keeps that word.)
 *
 * @section ctl_memory Memory
 *
 * Strings are UTF-8 and NUL-terminated unless a length is passed with
 * them.  What the caller passes in is borrowed for the duration of the
 * call, except where a function says otherwise (a writer sink keeps its
 * options and its stream).  What the library returns is one of:
 *  - static storage (tables, names, descriptions): valid for the life of
 *    the process, never freed;
 *  - storage owned by an object (a context, a list): valid as long as the
 *    function says, at most until that object is freed;
 *  - a buffer "malloc'd": the caller's, to be released with free().
 *
 * @section ctl_threads Threads
 *
 * A context, and the sinks, lists and options of a conversion on it,
 * belongs to one thread at a time: never call two functions on the same
 * context at once.  Different threads may each work on their own context
 * at the same time: the readers' per-call state (libxml2's error handlers,
 * libcsv's cell limit) is thread-local, the table of temporary files is
 * atomic, and the tables of statuses, codes, limits and formats are
 * constant.  Process-wide exceptions:
 *  - ctl_remove_temporaries() removes every thread's temporary files;
 *  - ctl_test_fail_alloc(), ctl_test_alloc_count() and ctl_test_read_hook()
 *    set or read one process-wide switch or counter, meant for tests; the
 *    allocation counter every allocation of the library increments is
 *    atomic (no data race between threads), but the n-th allocation it
 *    names is only meaningful while one thread works;
 *  - the first use of the XML or XLSX formats sets up libxml2 for the whole
 *    process once (xmlInitParser, an external-entity loader that refuses
 *    every entity, default error handlers for threads started later): a
 *    program that uses libxml2 itself inherits these settings.  jansson's
 *    allocation functions are left as the program set them.
 */
#ifndef CTLCONV_H
#define CTLCONV_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with hidden visibility: what this header declares is
 * its API, exported from libctlconv.so (default visibility), and nothing
 * else is. */
#if defined(__GNUC__) && __GNUC__ >= 4
#pragma GCC visibility push(default)
#endif

/** The library's version, "MAJOR.MINOR.PATCH". */
#define CTL_VERSION "0.1.0"

/* ------------------------------------------------------------------------
 * Status codes.  One table: name, CLI exit code, short description.
 * ---------------------------------------------------------------------- */

/**
 * @brief The status table: X(name, exit code of the ctlconv program,
 * short description), one row per ctl_status value.
 *
 * A status says what class of failure happened (and so how the program
 * exits); the diagnostic code on the context (ctl_error_code()) says which
 * failure it was.
 */
#define CTL_STATUS_TABLE(X)                                             \
    X(CTL_OK,        0, "success")                                      \
    X(CTL_EINPUT,    1, "bad input")                                    \
    X(CTL_ELIMIT,    1, "input exceeds a limit")                        \
    X(CTL_EUSAGE,    2, "usage error")                                  \
    X(CTL_EIO,       3, "input/output error")                           \
    X(CTL_ENOMEM,    4, "out of memory")                                \
    X(CTL_EINTERNAL, 4, "internal error")

/**
 * @brief What every fallible function returns: CTL_OK or the class of the
 * failure, one value per row of CTL_STATUS_TABLE.
 *
 * CTL_OK: success (warnings may have been raised); CTL_EINPUT: the input
 * is not a list the library can read, or holds what the output cannot;
 * CTL_ELIMIT: the input exceeds a limit (ctl_limit); CTL_EUSAGE: the
 * caller asked for something impossible (an unknown encoding, a missing
 * sheet, an ambiguous input without a format); CTL_EIO: a file could not
 * be read or written; CTL_ENOMEM: memory is exhausted; CTL_EINTERNAL: a bug
 * of ctlconv or a library failing in a way it should not.
 */
typedef enum {
/** Makes an enum value of a row (defined for this enum only). */
#define CTL_X_ENUM(name, code, text) name,
    CTL_STATUS_TABLE(CTL_X_ENUM)
#undef CTL_X_ENUM
    CTL_STATUS_COUNT   /**< number of statuses; not a status */
} ctl_status;

/**
 * @brief Short English description of a status.
 *
 * @param st A status.
 * @return "success", "bad input", ... (static storage); "unknown status"
 *         for a value outside the table.
 *
 * Thread-safe: reads the constant table only.
 */
const char *ctl_status_text(ctl_status st);

/**
 * @brief The documented exit code of the ctlconv program for a status.
 *
 * @param st A status.
 * @return 0 for CTL_OK, 1 bad input or a limit, 2 usage, 3 I/O, 4 out of
 *         memory or internal error (also for a value outside the table).
 *
 * Thread-safe: reads the constant table only.
 */
int ctl_status_exit_code(ctl_status st);

/* ------------------------------------------------------------------------
 * The context: the last error, the collected warnings, the diagnostic
 * callback.
 * ---------------------------------------------------------------------- */

/**
 * @brief The context of a caller's work: the error of the last failure,
 * the warnings raised so far and the diagnostic callback.
 *
 * Opaque.  One context may serve many conversions one after another; its
 * warnings accumulate until it is freed (ctl_error_clear() forgets only
 * the error).  A context belongs to one thread at a time.
 */
typedef struct ctl_ctx ctl_ctx;

/**
 * @brief Creates a context.
 *
 * @return A new context with no error and no warnings, to be freed with
 *         ctl_ctx_free(); NULL when memory is exhausted.
 *
 * Thread-safe.
 */
ctl_ctx *ctl_ctx_new(void);

/**
 * @brief Frees a context and everything it collected.
 *
 * Every string the context handed out (messages, file names, item ids)
 * becomes invalid.
 *
 * @param ctx The context, or NULL (nothing happens).
 */
void ctl_ctx_free(ctl_ctx *ctx);

/**
 * @brief The limits ctlconv owns.
 *
 * One table in converters/context.c holds each one's name, default and
 * meaning (ctl_limit_name(), ctl_limit_default(), ctl_limit_about()); set
 * one in ctl_options.limit.  A refusal names the limit (ctl_error_limit(),
 * hint CTL_HINT_LIMIT); the caller words how to raise it.
 */
typedef enum {
    CTL_LIMIT_INPUT_SIZE,      /**< bytes of one input (read whole) */
    CTL_LIMIT_FIELD_SIZE,      /**< bytes of one CSV/TSV cell (CSV's "field": hence the name) */
    CTL_LIMIT_COLUMNS,         /**< cells in one row (CSV, TSV, XLSX); different keys of JSON records */
    CTL_LIMIT_ITEMS,           /**< items in one list */
    CTL_LIMIT_ZIP_ENTRIES,     /**< XLSX: entries in the archive */
    CTL_LIMIT_ZIP_ENTRY_SIZE,  /**< XLSX: inflated bytes of one part */
    CTL_LIMIT_ZIP_TOTAL_SIZE,  /**< XLSX: inflated bytes in all */
    CTL_LIMIT_ZIP_RATIO,       /**< XLSX: inflated : compressed */
    CTL_LIMIT_JSON_MEMORY,     /**< JSON: parser memory for one value, beyond 3 x its size */
    CTL_LIMIT_COUNT            /**< number of limits; "none" where a limit is returned */
} ctl_limit;

/* ------------------------------------------------------------------------
 * Diagnostic codes.  Every error and warning the library raises carries one
 * code from this table: its enum name, a stable kebab-case name (what
 * `ctlconv --allow` takes and prints in brackets), its severity, the status
 * an error returns (CTL_OK for a warning), its hint (what the user can do:
 * see ctl_hint) and a line saying what it means.  One code per situation,
 * not per message: the message gives the particulars.
 * ---------------------------------------------------------------------- */

/** @brief Whether a diagnostic stops the work. */
typedef enum {
    CTL_SEV_WARNING = 0,  /**< recorded, the work goes on (strict mode may refuse it at the end) */
    CTL_SEV_ERROR         /**< the work stops with the code's status */
} ctl_severity;

/**
 * @brief What a user can do about a diagnostic, as data: the caller words
 * it (the CLI names its own options).
 *
 * CTL_HINT_LIMIT: raise the limit the diagnostic names (ctl_error_limit(),
 * ctl_diag_info.limit).
 */
typedef enum {
    CTL_HINT_NONE = 0,    /**< nothing to give */
    CTL_HINT_LIMIT,       /**< raise a limit (see ctl_limit) */
    CTL_HINT_FORMAT,      /**< name the input format */
    CTL_HINT_ENCODING,    /**< name the input encoding */
    CTL_HINT_SHEET,       /**< name the sheet to read */
    CTL_HINT_COLUMN,      /**< map a column's header onto a field (ctl_column_map) */
    CTL_HINT_SUBSTITUTE,  /**< allow substitutes in CP932 output */
    CTL_HINT_ALLOW,       /**< allow the warnings in strict mode */
    CTL_HINT_SKIP,        /**< skip rows that cannot be read (skip_bad_rows) */
    CTL_HINT_COUNT        /**< number of hints; not a hint */
} ctl_hint;

/**
 * @brief The diagnostic table: X(enum name, stable name, severity, status
 * of an error, hint, meaning), one row per ctl_diag value.
 *
 * The stable names and meanings are what `ctlconv --list-codes` prints and
 * the README lists.  A new situation gets a new row at the end of its
 * group; a row is never renamed.
 */
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
      "a byte sequence is not valid in the input encoding, or the only reading is no text (mojibake)") \
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
    X(CTL_D_BAD_ROW, "bad-row", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_SKIP,                               \
      "a data row that cannot be read (its id cell holds no identifier)")                               \
    X(CTL_D_BAD_MAP, "bad-map", CTL_SEV_ERROR, CTL_EUSAGE, CTL_HINT_NONE,                               \
      "a mapping file that cannot be used (the line is named)")                                         \
    X(CTL_D_NO_ROWS, "no-rows", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                               \
      "no control rows in the input")                                                                   \
    X(CTL_D_RAGGED_ROW, "ragged-row", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                         \
      "a table row whose cells do not fit its header's columns")                                        \
    X(CTL_D_MALFORMED_CSV, "malformed-csv", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                   \
      "CSV/TSV quoting is broken")                                                                      \
    X(CTL_D_MALFORMED_JSON, "malformed-json", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                 \
      "the input is not well-formed JSON")                                                              \
    X(CTL_D_MALFORMED_XML, "malformed-xml", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                   \
      "the input is not well-formed XML")                                                               \
    X(CTL_D_MALFORMED_YAML, "malformed-yaml", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                 \
      "the input is not well-formed YAML")                                                              \
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
    X(CTL_D_NO_SUCH_COLUMN, "no-such-column", CTL_SEV_ERROR, CTL_EUSAGE, CTL_HINT_COLUMN,               \
      "a column mapping names a header the input's header row does not have")                           \
    X(CTL_D_DELIMITER_MISMATCH, "delimiter-mismatch", CTL_SEV_ERROR, CTL_EUSAGE, CTL_HINT_NONE,         \
      "the delimiter asked for disagrees with the format or the file's sep= line")                      \
    /* errors: what an output cannot hold */                                                            \
    X(CTL_D_XML_UNWRITABLE, "xml-unwritable", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,                 \
      "text XML 1.0 (or libxml2 reading it back) cannot hold")                                          \
    X(CTL_D_CP932_UNWRITABLE, "cp932-unwritable", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_SUBSTITUTE,       \
      "cells CP932 cannot hold unchanged")                                                              \
    X(CTL_D_CISO_UNWRITABLE, "ciso-unwritable", CTL_SEV_ERROR, CTL_EINPUT, CTL_HINT_NONE,               \
      "what a CISO Assistant library cannot hold (a document title over 200 characters, URNs over 255)")  \
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
      "a row that could not be read, skipped as the caller asked (skip_bad_rows)")                      \
    X(CTL_D_HEADER_REPEATED, "header-repeated", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                 \
      "a copy of the header row among the rows (a printed page's), skipped")                            \
    X(CTL_D_DUPLICATE_ID, "duplicate-id", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                       \
      "an id that an earlier item has too; both items kept")                                            \
    X(CTL_D_ID_GENERATED, "id-generated", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                       \
      "a row without an id, kept under the numbered row above with a generated id")                     \
    X(CTL_D_HEADINGS_MADE, "headings-made", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                     \
      "parent ids and titles repeated on every row turned into heading items")                          \
    X(CTL_D_PARENT_UNKNOWN, "parent-unknown", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                   \
      "a parent id that is no earlier item of the list; kept as written, level 1 below it")             \
    X(CTL_D_LINE_SKIPPED, "line-skipped", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                       \
      "a text line that is no row, header or heading, skipped")                                         \
    X(CTL_D_LINE_TRUNCATED, "line-truncated", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                   \
      "a text line with too many tab-separated cells: the rest ignored")                                \
    X(CTL_D_STRAY_HEADER, "stray-header", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                       \
      "a header word after the last column of a row, ignored")                                          \
    X(CTL_D_LEVEL_MISMATCH, "level-mismatch", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                   \
      "a level cell that is no positive whole number; the level is inferred")                                   \
    X(CTL_D_NUMBER_MISMATCH, "number-mismatch", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                 \
      "a number cell that is not the row's number, kept as an extra column")                            \
    X(CTL_D_NOT_ISMS, "not-isms", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                               \
      "a reference cell that is no list of identifiers of its scheme: kept as written")                            \
    X(CTL_D_BAD_CATEGORY, "bad-category", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                       \
      "a category cell with more than one line or over 200 bytes, kept as an extra column")          \
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
    X(CTL_D_FORMULA_UNEVALUATED, "formula-unevaluated", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,         \
      "an XLSX formula cell without a saved value, read as empty")                                      \
    X(CTL_D_NUMBER_FORMAT_IGNORED, "number-format-ignored", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,     \
      "an XLSX number format (or a date) ctlconv cannot show: the stored number kept")                  \
    X(CTL_D_SHEET_CHOSEN, "sheet-chosen", CTL_SEV_WARNING, CTL_OK, CTL_HINT_SHEET,                      \
      "a workbook with several sheets: the first with a header row was read")                           \
    X(CTL_D_FIELD_DROPPED, "field-dropped", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                     \
      "fields one side has no place for (answers, category words, references, parts of a GRC library), left out")  \
    /* warnings: writing */                                                                             \
    X(CTL_D_TITLE_DROPPED, "title-dropped", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                     \
      "the output format has no place for the title, note and annex heading")                           \
    X(CTL_D_TITLE_AT_RISK, "title-at-risk", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                     \
      "the title, note or annex heading may not read back as such (text layout, workbook)")             \
    X(CTL_D_UNPLACED_DROPPED, "unplaced-dropped", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,               \
      "the output format has no place for unplaced ISMS references")                                    \
    X(CTL_D_EXTRA_DROPPED, "extra-dropped", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                     \
      "extra cells without a column in the document's header, not written")                             \
    X(CTL_D_LABEL_REWRITTEN, "label-rewritten", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                 \
      "labels the output cannot carry (text layout, a table's id column), written as the id")           \
    X(CTL_D_REFS_CHANGED, "refs-changed", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                       \
      "references a table format writes in one cell that will not read back the same")                  \
    X(CTL_D_TEXT_FLATTENED, "text-flattened", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                   \
      "line breaks or tabs written as spaces, or cells trimmed (text layout, CISO workbook)")          \
    X(CTL_D_NAME_SHORTENED, "name-shortened", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                   \
      "a title over CISO Assistant's 200 characters: the name shortened, the full title the annotation")  \
    X(CTL_D_CP932_CHANGED, "cp932-changed", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                     \
      "a character written in CP932 as another one, or as 〓")                                           \
    X(CTL_D_PROPERTY_DROPPED, "property-dropped", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,               \
      "a workbook property left out: XML 1.0 cannot carry a character of it")                           \
    X(CTL_D_DATE_FROM_CLOCK, "date-from-clock", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                 \
      "the export's date is the clock's: give --date or SOURCE_DATE_EPOCH for the same output each run")  \
    X(CTL_D_REF_UNKNOWN, "ref-unknown", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                         \
      "a reference that is no identifier of its scheme (no link or mapping made of it)")                 \
    X(CTL_D_ANSWERS_DROPPED, "answers-dropped", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                 \
      "the output has no place for the answers (an OSCAL catalog: they go to a component definition)")  \
    X(CTL_D_NO_ANSWERS, "no-answers", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                           \
      "a component definition of a list without answers: no implemented requirements")                 \
    /* warnings: checking (ctl_check) */                                                                \
    X(CTL_D_NUMBER_GAP, "number-gap", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                           \
      "a gap in the numbering of siblings (II.1.1.1 then II.1.1.3)")                                    \
    X(CTL_D_NUMBER_DISORDER, "number-disorder", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                 \
      "an item before its parent, or numbered below the sibling before it")                             \
    X(CTL_D_NO_MEASURE, "no-measure", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                           \
      "a requirement without a measure where the list's others have one")                               \
    X(CTL_D_NO_CATEGORY, "no-category", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                         \
      "a requirement without a category where the list's others have one")                              \
    X(CTL_D_CATEGORY_UNUSUAL, "category-unusual", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,               \
      "a category word no other item of the list uses")                                                 \
    X(CTL_D_MOJIBAKE, "mojibake", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                               \
      "a replacement character or mojibake: text decoded with the wrong encoding")                      \
    X(CTL_D_FORMULA_RISK, "formula-risk", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                       \
      "a cell beginning with = + - or @ that a spreadsheet runs as a formula")                          \
    X(CTL_D_MORE_WARNINGS, "more-warnings", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                     \
      "the warnings past the first 999 kept, counted")                                                 \
    X(CTL_D_COMPRESSION_IGNORED, "compression-ignored", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,         \
      "the XLSX deflate level asked for could not be applied (libminizip linked ahead of libctlconv)")  \
    X(CTL_D_NO_METADATA, "no-metadata", CTL_SEV_WARNING, CTL_OK, CTL_HINT_NONE,                         \
      "JSON Lines of ctlconv's items without the metadata line (a chunk of a stream): read as items")

/**
 * @brief A diagnostic code: one value per row of CTL_DIAG_TABLE.
 *
 * Test and branch on codes, not on message text.  CTL_DIAG_COUNT stands
 * for "no code" where one is returned (no error, an unknown name).
 */
typedef enum {
/** Makes an enum value of a row (defined for this enum only). */
#define CTL_X_ENUM(name, text, sev, st, hint, meaning) name,
    CTL_DIAG_TABLE(CTL_X_ENUM)
#undef CTL_X_ENUM
    CTL_DIAG_COUNT   /**< number of codes; "no code" where one is returned */
} ctl_diag;

/* The functions below read the constant table only: they may be called
 * from any thread; returned strings are static. */

/**
 * @brief The stable name of a code.
 *
 * @param code A diagnostic code.
 * @return "ref-inferred", ... (static storage); NULL for an unknown code.
 *
 * Thread-safe.
 */
const char *ctl_diag_name(ctl_diag code);

/**
 * @brief One line saying what a code means.
 *
 * @param code A diagnostic code.
 * @return The meaning (static storage); NULL for an unknown code.
 *
 * Thread-safe.
 */
const char *ctl_diag_meaning(ctl_diag code);

/**
 * @brief The code with a stable name.
 *
 * @param name "ref-inferred", ... (NUL-terminated, exact); NULL allowed.
 * @return The code, or CTL_DIAG_COUNT if no code has that name.
 *
 * Thread-safe.
 */
ctl_diag ctl_diag_by_name(const char *name);

/**
 * @brief The severity of a code.
 *
 * @param code A diagnostic code.
 * @return Its severity; CTL_SEV_ERROR for an unknown code.
 *
 * Thread-safe.
 */
ctl_severity ctl_diag_severity(ctl_diag code);

/**
 * @brief The status an error code returns.
 *
 * @param code A diagnostic code.
 * @return The status of an error code; CTL_OK for a warning code;
 *         CTL_EINTERNAL for an unknown code.
 *
 * Thread-safe.
 */
ctl_status ctl_diag_status(ctl_diag code);

/**
 * @brief What the user can do about a code.
 *
 * @param code A diagnostic code.
 * @return Its hint; CTL_HINT_NONE when there is nothing to give (also for
 *         an unknown code).
 *
 * Thread-safe.
 */
ctl_hint ctl_diag_hint(ctl_diag code);

/**
 * @brief A diagnostic as a callback sees it.
 *
 * The strings belong to the library and are valid only during the call:
 * copy what you keep.
 */
typedef struct ctl_diag_info {
    ctl_diag code;         /**< the diagnostic code */
    ctl_severity severity; /**< the code's severity */
    const char *file;      /**< "" when none, "-" for standard input */
    long line;             /**< 1-based; 0 when it concerns no line */
    const char *item;      /**< canonical id of the item it concerns (the first
                                when several), or "" */
    const char *message;   /**< without file, line, code or hint */
    ctl_limit limit;       /**< the limit for CTL_HINT_LIMIT, else CTL_LIMIT_COUNT */
} ctl_diag_info;

/**
 * @brief Called for each diagnostic as it is raised.
 *
 * Called for every warning (also those past the kept ones) and for the
 * error that is kept (later errors are its consequences and are not
 * reported).  A warning or error raised while the input format is being
 * guessed is reported once the guess is settled, and not at all when the
 * guess that raised it is dropped.  Called on the thread whose call raised
 * the diagnostic, from inside that call.
 *
 * @param user The pointer given to ctl_set_diag_callback().
 * @param diag The diagnostic; valid during the call only.
 */
typedef void (*ctl_diag_fn)(void *user, const ctl_diag_info *diag);

/**
 * @brief Sets or removes the diagnostic callback of a context.
 *
 * The callback must not call back into ctx (no function taking ctx).
 *
 * @param ctx  The context.
 * @param fn   The callback; NULL removes it.
 * @param user Passed to fn as it is.
 *
 * Not thread-safe: call it from the thread that owns ctx, not during a
 * conversion on it.
 */
void ctl_set_diag_callback(ctl_ctx *ctx, ctl_diag_fn fn, void *user);

/* The accessors below read ctx and may be called from the thread that
 * owns ctx; returned strings belong to ctx and stay valid until the next
 * call that raises or clears a diagnostic, or ctl_ctx_free.  An error is
 * the first one recorded since the context was made or last cleared: the
 * cause; later errors are its consequences and are not recorded. */

/**
 * @brief The status of the error recorded on a context.
 *
 * @param ctx The context.
 * @return The status of the error; CTL_OK when none is recorded.
 */
ctl_status ctl_error_status(const ctl_ctx *ctx);

/**
 * @brief The code of the error recorded on a context.
 *
 * @param ctx The context.
 * @return The error's code; CTL_DIAG_COUNT when none is recorded.
 */
ctl_diag ctl_error_code(const ctl_ctx *ctx);

/**
 * @brief The message of the error recorded on a context.
 *
 * @param ctx The context.
 * @return The message, without file, line, code or hint; "" when none.
 *         Owned by ctx: valid until the next call that raises or clears a
 *         diagnostic on ctx, or ctl_ctx_free().
 */
const char *ctl_error_message(const ctl_ctx *ctx);

/**
 * @brief The file the recorded error concerns.
 *
 * @param ctx The context.
 * @return The file name; "" when none, "-" for standard input.  Owned by
 *         ctx, valid as ctl_error_message()'s.
 */
const char *ctl_error_file(const ctl_ctx *ctx);

/**
 * @brief The line the recorded error concerns.
 *
 * @param ctx The context.
 * @return The 1-based line; 0 when the error concerns no line (or none is
 *         recorded).
 */
long ctl_error_line(const ctl_ctx *ctx);

/**
 * @brief The item the recorded error concerns.
 *
 * @param ctx The context.
 * @return The item's canonical id (the first when several); "" when none.
 *         Owned by ctx, valid as ctl_error_message()'s.
 */
const char *ctl_error_item(const ctl_ctx *ctx);

/**
 * @brief The limit the recorded error asks to raise.
 *
 * @param ctx The context.
 * @return The limit of a CTL_D_LIMIT error (hint CTL_HINT_LIMIT);
 *         CTL_LIMIT_COUNT otherwise.
 */
ctl_limit ctl_error_limit(const ctl_ctx *ctx);

/**
 * @brief Forgets the recorded error, so that the next one is recorded.
 *
 * Warnings are kept.  Strings returned by the ctl_error_* accessors then
 * read "".
 *
 * @param ctx The context.
 */
void ctl_error_clear(ctl_ctx *ctx);

/**
 * @brief The number of warnings raised on a context so far.
 *
 * @param ctx The context.
 * @return Every warning raised since the context was made, kept or not.
 */
size_t ctl_warning_count(const ctl_ctx *ctx);

/**
 * @brief The number of items readers handed on through this context.
 *
 * Every item that ctl_read(), ctl_convert_file() or ctl_convert_files()
 * read on the context, added up since the context was made (a failed
 * conversion counts those read before it failed).  A batch of conversions
 * with one context each gets each input's count.
 *
 * @param ctx The context.
 * @return The items read.
 */
size_t ctl_items_read(const ctl_ctx *ctx);

/**
 * @brief The number of warnings raised so far with a code.
 *
 * @param ctx  The context.
 * @param code A warning code.
 * @return How many warnings with that code were raised, kept or not (0
 *         for an unknown code).
 */
size_t ctl_warning_count_of(const ctl_ctx *ctx, ctl_diag code);

/**
 * @brief The number of warnings kept, which index the accessors below.
 *
 * At most 1000 are kept: past that, the last one kept has the code
 * CTL_D_MORE_WARNINGS and says how many more there were.
 *
 * @param ctx The context.
 * @return The number of warnings kept, 0 to 1000.
 */
size_t ctl_warning_kept(const ctl_ctx *ctx);

/**
 * @brief The code of the i-th warning kept.
 *
 * @param ctx The context.
 * @param i   0-based, below ctl_warning_kept().
 * @return The code; CTL_DIAG_COUNT when i is out of range.
 */
ctl_diag ctl_warning_code(const ctl_ctx *ctx, size_t i);

/**
 * @brief The message of the i-th warning kept.
 *
 * @param ctx The context.
 * @param i   0-based, below ctl_warning_kept().
 * @return The message, without file, line, code or hint; "" when i is out
 *         of range.  Owned by ctx: valid until the next call that raises a
 *         diagnostic on ctx, or ctl_ctx_free().
 */
const char *ctl_warning_message(const ctl_ctx *ctx, size_t i);

/**
 * @brief The file the i-th warning concerns.
 *
 * @param ctx The context.
 * @param i   0-based, below ctl_warning_kept().
 * @return The file name ("" when none or out of range, "-" for standard
 *         input).  Owned by ctx, valid as ctl_warning_message()'s.
 */
const char *ctl_warning_file(const ctl_ctx *ctx, size_t i);

/**
 * @brief The line the i-th warning concerns.
 *
 * @param ctx The context.
 * @param i   0-based, below ctl_warning_kept().
 * @return The 1-based line; 0 when it concerns no line or i is out of
 *         range.
 */
long ctl_warning_line(const ctl_ctx *ctx, size_t i);

/**
 * @brief The item the i-th warning concerns.
 *
 * @param ctx The context.
 * @param i   0-based, below ctl_warning_kept().
 * @return The item's canonical id (the first when several); "" when none
 *         or out of range.  Owned by ctx, valid as ctl_warning_message()'s.
 */
const char *ctl_warning_item(const ctl_ctx *ctx, size_t i);

/**
 * @brief Records an error on a context.
 *
 * For readers, writers, sinks and callbacks (ctl_formats_known_fn): the
 * way to stop the work with a reason.  The error is recorded unless one is
 * recorded already (the first is the cause: its status is returned and
 * the new one is dropped).  Calls the diagnostic callback.
 *
 * @param ctx  The context.
 * @param code An error code (CTL_SEV_ERROR).  A warning code is a bug of
 *             the caller: recorded with the status CTL_EINTERNAL.
 * @param file The file it concerns, or NULL.
 * @param line The 1-based line it concerns, or 0.
 * @param fmt  printf format of the message (no file, line, code or hint:
 *             those are added by whoever prints it); cut at 1023 bytes.
 * @param ...  The format's arguments.
 * @return The status to return: the code's, or the status of the error
 *         recorded before.
 */
ctl_status ctl_fail(ctl_ctx *ctx, ctl_diag code, const char *file, long line,
                    const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/**
 * @brief Records an error that concerns one item.
 *
 * As ctl_fail(), with the item's id (ctl_error_item()).
 *
 * @param ctx  The context.
 * @param code An error code.
 * @param file The file it concerns, or NULL.
 * @param line The 1-based line it concerns, or 0.
 * @param item The item's canonical id; NULL or "": none.
 * @param fmt  printf format of the message.
 * @param ...  The format's arguments.
 * @return The status to return (as ctl_fail()).
 */
ctl_status ctl_fail_item(ctl_ctx *ctx, ctl_diag code, const char *file, long line,
                         const char *item, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/**
 * @brief Records a warning on a context.
 *
 * The warning is kept (up to 1000: see ctl_warning_kept()), counted and
 * passed to the diagnostic callback.  The work goes on.
 *
 * @param ctx  The context.
 * @param code A warning code (CTL_SEV_WARNING).
 * @param file The file it concerns, or NULL.
 * @param line The 1-based line it concerns, or 0.
 * @param fmt  printf format of the message; cut at 1023 bytes.
 * @param ...  The format's arguments.
 * @return CTL_OK; CTL_ENOMEM if it could not be stored (that error is then
 *         recorded).
 */
ctl_status ctl_warn(ctl_ctx *ctx, ctl_diag code, const char *file, long line,
                    const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/**
 * @brief Records a warning that concerns one item.
 *
 * As ctl_warn(), with the item's id (ctl_warning_item()).
 *
 * @param ctx  The context.
 * @param code A warning code.
 * @param file The file it concerns, or NULL.
 * @param line The 1-based line it concerns, or 0.
 * @param item The item's canonical id; NULL or "": none.
 * @param fmt  printf format of the message.
 * @param ...  The format's arguments.
 * @return CTL_OK; CTL_ENOMEM if it could not be stored.
 */
ctl_status ctl_warn_item(ctl_ctx *ctx, ctl_diag code, const char *file, long line,
                         const char *item, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* ------------------------------------------------------------------------
 * Options that change how readers and writers behave.
 * ---------------------------------------------------------------------- */

/** @brief The language of the header words a table writer writes. */
typedef enum {
    CTL_HEADER_EN = 0,   /**< English: id, level, isms, title, ... */
    CTL_HEADER_JA        /**< Japanese: 項番, 階層, ISMS管理策, 対策項目, ... */
} ctl_header_lang;

/** @brief Encodings a writer can produce (CSV/TSV). */
typedef enum {
    CTL_OUT_UTF8 = 0,    /**< UTF-8 without a byte-order mark */
    CTL_OUT_UTF8_BOM,    /**< UTF-8 with a BOM, as Excel's "CSV UTF-8" */
    CTL_OUT_CP932        /**< Windows Japanese, as Excel's plain "CSV" */
} ctl_out_encoding;

/**
 * @brief The named fields of an item: the role a column can have.
 *
 * ctl_field_from_header() gives the role of a header word; ctl_column_map
 * gives a role to a header the library does not know.
 */
typedef enum {
    CTL_FIELD_NONE = 0, /**< no named field: an extra column (extra fields) */
    CTL_FIELD_ID,       /**< the item's code, read into id and label */
    CTL_FIELD_LABEL,    /**< the label, as printed */
    CTL_FIELD_LEVEL,    /**< the level (depth): the best evidence of the hierarchy */
    CTL_FIELD_ISMS,     /**< references (to ISO/IEC 27001:2013 Annex A unless the
                             header or ctl_options.ref_scheme names another scheme) */
    CTL_FIELD_TITLE,    /**< the title */
    CTL_FIELD_DESCRIPTION, /**< the description (the measure) */
    CTL_FIELD_CATEGORY, /**< the category word (基本, 推奨, 遵守事項, IG1...) */
    CTL_FIELD_ANSWER,   /**< the answer */
    CTL_FIELD_PARENT    /**< the id of the parent item */
} ctl_field_kind;

/** @brief A column's header the reader does not know, mapped onto a field
 *  by the caller (the CLI's --column). */
typedef struct ctl_column_map {
    ctl_field_kind field;  /**< the field the column holds; CTL_FIELD_NONE: an extra
                                column, whatever its header word says.  A field mapped
                                here is read from this column only: another column whose
                                header word names it is an extra column */
    const char *header;    /**< the header word, as the source spells it */
} ctl_column_map;

/** @brief The normalised value of a category word: what the word means
 *  where ctlconv knows it (the word itself is kept in category_text). */
typedef enum {
    CTL_CATEGORY_NONE = 0,    /**< none, or a word ctlconv does not know */
    CTL_CATEGORY_BASIC,       /**< 基本, basic */
    CTL_CATEGORY_RECOMMENDED, /**< 推奨, recommended */
    CTL_CATEGORY_MANDATORY    /**< 遵守事項, 必須, mandatory, required */
} ctl_category;

/** @brief A category word of a source and the value it stands for: the
 *  caller's vocabulary (ctl_options.categories, a mapping file's
 *  category.WORD keys). */
typedef struct ctl_category_map {
    const char *word;      /**< the word as the source spells it (matched after
                                NFKC, case folding and white space removal; at
                                most 256 bytes) */
    ctl_category value;    /**< what it stands for (CTL_CATEGORY_NONE: no
                                normalised value, the word alone is kept) */
} ctl_category_map;

/** @brief Which evidence in the file gives the hierarchy
 *  (ctl_options.hierarchy).  An item without the evidence chosen falls
 *  back to the next one, as with CTL_HIERARCHY_AUTO (see ctl_item). */
typedef enum {
    CTL_HIERARCHY_AUTO = 0, /**< the best evidence: level, else parent, else the ids */
    CTL_HIERARCHY_LEVEL,    /**< levels (a depth column, the outline); parents the file
                                 gives are ignored */
    CTL_HIERARCHY_PARENT,   /**< parent ids (a parent column); levels the file gives
                                 are ignored */
    CTL_HIERARCHY_IDS       /**< containment among the ids ("AC-2" holds "AC-2(1)"):
                                 levels and parents the file gives are ignored */
} ctl_hierarchy_source;


typedef struct ctl_format ctl_format;

/**
 * @brief Called by ctl_convert_file() once both formats are known.
 *
 * Called with the input's format (given or detected), before anything is
 * handed to the writer: CTL_OK goes on; any other status ends the
 * conversion with that status and nothing written.  The callback may
 * record its reason on ctx (ctl_fail()) or keep it for its caller through
 * user.  Lets a caller check its options against a detected input format
 * (see ctl_format.options).
 *
 * @param ctx  The context of the conversion.
 * @param in   The input format.
 * @param out  The output format.
 * @param user ctl_options.formats_known_user.
 * @return CTL_OK to go on, another status to stop.
 */
typedef ctl_status (*ctl_formats_known_fn)(ctl_ctx *ctx, const ctl_format *in,
                                           const ctl_format *out, void *user);

/**
 * @brief Options of a conversion; ctl_options_init() fills the defaults.
 *
 * Which of these options a format honours is data on the format: see
 * CTL_READS_* and CTL_WRITES_* (ctl_format.options).  The others have no
 * effect on it.  Pointers in it are borrowed: they must stay valid while
 * a function that was given the options runs, and for a writer sink until
 * it is destroyed.
 */
typedef struct ctl_options {
    const char *encoding;        /**< input encoding; NULL = detect */
    ctl_header_lang header;      /**< header words of CSV/TSV/XLSX output */
    int crlf;                    /**< CSV output: CRLF record ends */
    char delimiter;              /**< CSV input delimiter; 0 = detect (or the
                                      file's "sep=X" first line); TSV input takes
                                      tab only */
    const ctl_column_map *columns; /**< mappings of unknown headers onto fields (--column);
                                        each header must be in the input's header row */
    size_t n_columns;            /**< number of entries in columns */
    ctl_out_encoding out_encoding; /**< CSV/TSV output encoding */
    int excel_safe;              /**< prefix ' to cells Excel would run */
    int substitute;              /**< CP932 output: substitute, don't fail */
    const char *sheet;           /**< XLSX input: sheet name or 1-based number */
    const ctl_diag *allow;       /**< strict mode lets these warnings through */
    size_t n_allow;              /**< number of entries in allow */
    size_t limit[CTL_LIMIT_COUNT]; /**< see ctl_limit; 0 = the default */
    const char *ref_scheme;      /**< the scheme of a references column whose header
                                      does not name one; NULL = the header's (ISO/IEC
                                      27001:2013 for "isms"), else none ("") */
    int skip_bad_rows;           /**< a data row that cannot be read is skipped with a
                                      warning (CTL_D_ROW_SKIPPED) instead of an error */
    int make_headings;           /**< tables whose rows repeat their parent's id and
                                      title: make heading items of them; 0 = when
                                      found, 1 = always, -1 = never */
    ctl_hierarchy_source hierarchy; /**< which evidence gives the hierarchy;
                                      CTL_HIERARCHY_AUTO: the best the file has */
    const ctl_category_map *categories; /**< the source's category words and their
                                      values, consulted before the words ctlconv
                                      knows (the first match counts); NULL = none */
    size_t n_categories;         /**< number of entries in categories */
    const char *date;            /**< the date a GRC export states (OSCAL last-modified):
                                      an RFC 3339 date-time with its zone, or YYYY-MM-DD
                                      (midnight UTC); NULL = ctl_convert_file() takes
                                      SOURCE_DATE_EPOCH, else the input's modification
                                      time, else the clock (CTL_D_DATE_FROM_CLOCK) */
    const char *component;       /**< the component an OSCAL component definition
                                      describes (the provider's service); NULL = the
                                      list's title */
    const char *doc_version;     /**< the version a GRC export states (OSCAL
                                      metadata version; CISO Assistant library
                                      version, a whole number); NULL = "1" */
    const char *library;         /**< the ASCII name in CISO Assistant URNs
                                      ([a-z0-9][a-z0-9-]*); NULL = from the input's
                                      file name, else "list" */
    const char *packager;        /**< the packager in CISO Assistant URNs
                                      ([a-z0-9][a-z0-9-]*); NULL = "ctlconv" */
    ctl_formats_known_fn formats_known; /**< see ctl_formats_known_fn; NULL = none */
    void *formats_known_user;    /**< passed to formats_known */
    int compression;             /**< XLSX output: the deflate level of the zip
                                      entries plus one (1 = level 0, stored; 10 =
                                      level 9); 0 = the format's default */
} ctl_options;

/**
 * @brief Fills options with the defaults.
 *
 * Everything zero or NULL (detect the encoding and the delimiter, English
 * header words, UTF-8 output, no mappings, no callback), and every limit
 * at its default.
 *
 * @param opts The options to fill.
 *
 * Thread-safe.
 */
void ctl_options_init(ctl_options *opts);

/**
 * @brief The name of a limit.
 *
 * @param which A limit.
 * @return The name as the CLI's --limit takes it ("input-size"; static
 *         storage); NULL for an unknown limit.
 *
 * Thread-safe.
 */
const char *ctl_limit_name(ctl_limit which);

/**
 * @brief The default value of a limit.
 *
 * @param which A limit.
 * @return Its default (bytes, entries, items... as ctl_limit_about() says);
 *         0 for an unknown limit.
 *
 * Thread-safe.
 */
size_t ctl_limit_default(ctl_limit which);

/**
 * @brief One line saying what a limit bounds.
 *
 * @param which A limit.
 * @return The line (static storage); NULL for an unknown limit.
 *
 * Thread-safe.
 */
const char *ctl_limit_about(ctl_limit which);

/**
 * @brief The limit with a name.
 *
 * @param name The name ("input-size"); need not be NUL-terminated.
 * @param len  Bytes of name.
 * @return The limit, or CTL_LIMIT_COUNT if none has that name.
 *
 * Thread-safe.
 */
ctl_limit ctl_limit_by_name(const char *name, size_t len);

/**
 * @brief The value of a limit in force.
 *
 * @param opts  The options; NULL: the defaults.
 * @param which A limit.
 * @return opts->limit[which], or the default when that is 0; 0 for an
 *         unknown limit.
 *
 * Thread-safe.
 */
size_t ctl_limit_value(const ctl_options *opts, ctl_limit which);

/**
 * @brief Records the refusal of input over a limit.
 *
 * Records an error with the code CTL_D_LIMIT that names the limit
 * (ctl_error_limit(), hint CTL_HINT_LIMIT), as ctl_fail() does.  The
 * message says what exceeded it; the caller words how to raise it.
 *
 * @param ctx   The context.
 * @param file  The file it concerns, or NULL.
 * @param line  The 1-based line it concerns, or 0.
 * @param which The limit exceeded.
 * @param fmt   printf format of the message.
 * @param ...   The format's arguments.
 * @return CTL_ELIMIT, or the status of an error recorded before.
 */
ctl_status ctl_limit_fail(ctl_ctx *ctx, const char *file, long line, ctl_limit which,
                          const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ------------------------------------------------------------------------
 * The common model.
 * ---------------------------------------------------------------------- */

/** @brief A reference from an item to an identifier of another scheme
 *  (ISO/IEC 27001:2013 Annex A for MIC's ISMS column). */
typedef struct ctl_ref {
    char *scheme;  /**< the scheme: "iso27001-2013", "iso27001-2022",
                        "iso27002-2022", "iso27017-2015", "nist-sp800-53", any other
                        name ([a-z][a-z0-9-]*), or "" when unknown */
    char *id;      /**< the identifier, canonical (ctl_parse_id()) when it is one;
                        otherwise the text as written */
} ctl_ref;

/** @brief An extra field of an item: text from a column that is no named
 *  field of the model (an extra column). */
typedef struct ctl_field {
    char *name;    /**< the column's header name */
    char *value;   /**< the item's cell in that column */
} ctl_field;

/** @brief Where an item came from, for diagnostics (not part of the
 *  model's equality). */
typedef struct ctl_pos {
    const char *file;   /**< owned by whoever owns the item */
    long line;          /**< 1-based line, 0 if unknown */
} ctl_pos;

/**
 * @brief One item of the list: a heading (part, section, domain...) or a
 * control or requirement, at any depth, with its fields.
 *
 * level and parent come from the best evidence the file has: an explicit
 * depth or level column, else a parent column, else containment among the
 * list's own ids ("AC-2" holds "AC-2(1)"), else the outline of the
 * document.  A row without an id is a child of the numbered item above it
 * (unless its level or parent is given) and gets an id: its parent's id,
 * '#', and its 1-based rank among that parent's rows without an id
 * ("II.1.1#2", "#1" at the top, "3#1#2" below another such row); its
 * label is then "", or the code as printed when the reader found one that
 * is no identifier (a key such as "core" in an id column, "2.1.1(1)-1 a)"
 * in JSON).
 *
 * All strings are UTF-8 and never NULL in an item handed to a sink
 * (empty string when absent).  An item handed to a sink belongs to the
 * reader: valid during the call only.  An item of a ctl_list belongs to
 * the list.
 */
typedef struct ctl_item {
    char *id;            /**< canonical (ctl_parse_id()): "II.1.1.1", "AC-2(1)" */
    char *label;         /**< as printed: "II. 1. 1. 1" */
    int level;           /**< depth in the list: 1 for a top item; 0 in an item a
                              reader hands on means "not known" (see above) */
    char *parent;        /**< the id of the parent item, "" for a top item; NULL in
                              an item a reader hands on means "not known" */
    ctl_ref *refs;       /**< references, in source order */
    size_t n_refs;       /**< number of references */
    char *title;         /**< the title */
    char *description;   /**< the description (the measure) */
    ctl_category category; /**< the normalised value of the category word */
    char *category_text; /**< the category word as the source spells it ("" none) */
    char *answer;        /**< the answer */
    ctl_field *extra;    /**< extra fields, in source column order */
    size_t n_extra;      /**< number of extra fields */
    ctl_pos pos;         /**< where it came from */
} ctl_item;

/** @brief Document metadata. */
typedef struct ctl_meta {
    char *title;         /**< document title ("" if none) */
    char *note;          /**< source note, lines joined with "\n" */
    char *annex;         /**< annex heading, e.g. "ANNEX2 対策一覧" */
    char *ref_scheme;    /**< the scheme most references are in ("" none): table
                              writers write references of it without a prefix */
    char **columns;      /**< the source's column names, in source order */
    size_t n_columns;    /**< number of names in columns */
    char **unplaced;     /**< ISMS references (ISO/IEC 27001:2013) the reader could not attach
                              (known only at the end: see ctl_sink.end) */
    size_t n_unplaced;   /**< number of references in unplaced */
} ctl_meta;

/* ------------------------------------------------------------------------
 * Sinks.  A reader calls begin once, item for every item in document order,
 * then end once with the final metadata (which may add unplaced references).
 * The sink must copy what it keeps: the reader frees its items.
 * ---------------------------------------------------------------------- */

/**
 * @brief Where a reader pushes a list: a writer, a ctl_list, or a sink of
 * the caller's own.
 *
 * A reader calls begin once, item for every item in document order, then
 * end once with the final metadata.  When the reader fails, or a call
 * returns anything but CTL_OK, the reader stops and returns that status:
 * end is then not called, and the sink may have seen some items.  Each
 * call may record its own error on ctx (ctl_fail()) and return its
 * status.  The meta and item passed belong to the reader and are valid
 * during the call only: the sink copies what it keeps.  Whoever made the
 * sink frees it with destroy (when not NULL), whether the read succeeded
 * or not.
 */
typedef struct ctl_sink ctl_sink;
/** @brief The callbacks of a sink (see the ctl_sink typedef). */
struct ctl_sink {
    /** Called once, first, with the metadata known before the items (its
     *  unplaced references are not known yet). */
    ctl_status (*begin)(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta);
    /** Called for each item, in document order. */
    ctl_status (*item)(ctl_sink *self, ctl_ctx *ctx, const ctl_item *item);
    /** Called once, last, with the final metadata (unplaced references
     *  included); a writer finishes its output here. */
    ctl_status (*end)(ctl_sink *self, ctl_ctx *ctx, const ctl_meta *meta);
    void (*destroy)(ctl_sink *self);   /**< frees the sink; may be NULL */
};

/**
 * @brief The in-memory list: another sink.
 *
 * Read into it by passing &list->sink (or the list cast to ctl_sink *).
 * Each begin and end replaces its metadata; items are appended.  The
 * caller may read every member; the list owns all it points to.
 */
typedef struct ctl_list {
    ctl_sink sink;       /**< first member: a ctl_list * is a ctl_sink * */
    ctl_meta meta;       /**< the document metadata */
    ctl_item *items;     /**< the items, in document order */
    size_t n_items;      /**< number of items */
    size_t cap_items;    /**< room in items (internal) */
    char **sources;      /**< file names the positions refer to (owned) */
    size_t n_sources;    /**< number of names in sources */
} ctl_list;

/**
 * @brief Creates an empty list.
 *
 * @return A list to be freed with ctl_list_free() (its sink.destroy is
 *         NULL); NULL when memory is exhausted.
 *
 * Thread-safe.
 */
ctl_list *ctl_list_new(void);

/**
 * @brief Frees a list and everything in it.
 *
 * @param list The list, or NULL (nothing happens).
 */
void ctl_list_free(ctl_list *list);

/**
 * @brief Replays a list into a sink: begin with its metadata, each item,
 * end with its metadata.
 *
 * @param list The list (not changed).
 * @param ctx  The context for the sink's diagnostics.
 * @param sink The sink (a writer: the list is written in its format).
 * @return CTL_OK, or the first status a sink call returned (its error is
 *         recorded on ctx by the sink).
 */
ctl_status ctl_list_replay(const ctl_list *list, ctl_ctx *ctx, ctl_sink *sink);

/**
 * @brief Model equality, as the round-trip contract defines it.
 *
 * Compares the document title, note, annex heading and unplaced
 * references, then, item by item: ids, levels, parents, references
 * (schemes and ids), title, description, category (value and word: an
 * empty word stands for the Japanese word of the value), answer and extra
 * fields (names, order and text).  Labels are compared only when compare_labels is set; positions
 * and the source's column names never.
 *
 * @param a              A list.
 * @param b              Another list.
 * @param compare_labels Non-zero: compare labels too.
 * @param why            On a difference, receives a description of the
 *                       first one ("item II.1: title differs"); NULL: none.
 * @param why_size       Bytes of why.
 * @return 1 when equal, 0 when not.
 *
 * Thread-safe for lists no thread changes.
 */
int ctl_list_equal(const ctl_list *a, const ctl_list *b, int compare_labels,
                   char *why, size_t why_size);

/**
 * @brief Checks a list for what its authors would want fixed before an
 * auditor sees it (`ctlconv check`).
 *
 * Each finding is a warning on ctx naming the item's file, line and id:
 * gaps in the numbering of siblings whose ids end in ".N"
 * (CTL_D_NUMBER_GAP; not reported in a list with many gaps, which numbers
 * a selection such as a baseline); an item before its parent or numbered
 * below the sibling before it (CTL_D_NUMBER_DISORDER); a requirement (an
 * item without children) without a measure or a category while at least
 * four in five of the list's requirements have one (CTL_D_NO_MEASURE,
 * CTL_D_NO_CATEGORY); a category word only one item uses among words
 * others use three times or more (CTL_D_CATEGORY_UNUSUAL); a reference
 * that is no identifier of its scheme, where ctlconv has the scheme's
 * table (CTL_D_REF_UNKNOWN); U+FFFD, C1 controls or the sequences UTF-8,
 * CP932 or EUC-JP become when read in the wrong encoding
 * (CTL_D_MOJIBAKE); a cell beginning with = + - or @ that is no number
 * (CTL_D_FORMULA_RISK).  Duplicate ids, unknown parents and references
 * attached by inference or left unplaced are reported by the reading
 * (ctl_read()), not again here.
 *
 * @param ctx  The context the findings are raised on.
 * @param list The list, as read into a ctl_list (ctl_read()).
 * @return CTL_OK whatever was found; CTL_ENOMEM when memory is exhausted.
 */
ctl_status ctl_check(ctl_ctx *ctx, const ctl_list *list);

/* ------------------------------------------------------------------------
 * Normalisers (converters/).  They read their arguments only and may be
 * called from any thread.
 * ---------------------------------------------------------------------- */

/** @brief Room for a canonical id: an id is at most 63 bytes, a generated
 *  one ("<id>#<rank>", see ctl_item) at most 70. */
#define CTL_ID_MAX 72

/** @brief A parsed item number. */
typedef struct ctl_number {
    char id[CTL_ID_MAX]; /**< canonical id "II.1.1.1" */
    int level;        /**< numeric parts */
} ctl_number;

/**
 * @brief Parses an item number at the start of a string.
 *
 * Any spelling: "II. 1. 1. 1", "Ⅲ. 1. 1. 5.", "Ⅱ．１．１．１", "III.1.1.5"
 * (Unicode compatibility decomposition, then the rules): a Roman part and
 * up to 8 numeric parts of up to 6 digits.
 *
 * @param s   The text; need not be NUL-terminated.
 * @param len Bytes of s.
 * @param num Receives the canonical id and level on success.
 * @return The number of bytes of s the number used (trailing dot and
 *         following white space included); 0 when s does not start with
 *         one (num is then not changed).
 *
 * Thread-safe.
 */
size_t ctl_parse_number(const char *s, size_t len, ctl_number *num);

/**
 * @brief Is the whole of a string one item number?
 *
 * @param s   The text; need not be NUL-terminated.
 * @param len Bytes of s.
 * @param num Receives the canonical id and level when it is (it may be
 *            written when a number only starts s).
 * @return 1 when s[0..len) is one item number, 0 otherwise.
 *
 * Thread-safe.
 */
int ctl_parse_number_exact(const char *s, size_t len, ctl_number *num);

/**
 * @brief Writes the canonical display label of an id.
 *
 * "II.1" -> "II. 1.", "II.1.1.1" -> "II. 1. 1. 1" (levels below 3 end
 * with a dot).
 *
 * @param id    A canonical id (NUL-terminated).
 * @param level Its level.
 * @param buf   Receives the label, NUL-terminated; a label longer than
 *              size allows is cut short (80 bytes hold the label of any id
 *              ctl_parse_number() makes).
 * @param size  Bytes of buf.
 * @return buf.
 *
 * Thread-safe.
 */
char *ctl_number_label(const char *id, int level, char *buf, size_t size);

/**
 * @brief Is the whole of a string one identifier, of any scheme?
 *
 * An identifier is recognised by its shape, not by one guideline's
 * grammar: segments of digits, Roman numerals or letters ('&' inside
 * them: "A&A"), joined by '.', '-' or '_', with parenthesised segments
 * ("AC-2(1)", "2.1.1(1)-1") and suffixes ("9.2.3.11.PB").  Its canonical
 * form is the text after Unicode compatibility decomposition of the
 * characters that spell identifiers (full-width letters and digits, U+2160
 * Roman numerals, U+FF0E), with white space removed and one trailing dot
 * dropped: "Ⅱ．１．１．１" and "II. 1. 1. 1." are "II.1.1.1".  Letter case is
 * kept.  An identifier holds a digit, or is at most 8 characters of which
 * every letter is upper case ("AC", "A&A"); so prose ("Devices", "x",
 * "True") is no identifier.
 *
 * @param s    The text; need not be NUL-terminated.
 * @param len  Bytes of s.
 * @param id   Receives the canonical id when s is one (CTL_ID_MAX bytes).
 * @return 1 when s[0..len), trimmed, is one identifier; 0 otherwise.
 *
 * Thread-safe.
 */
int ctl_parse_id(const char *s, size_t len, char id[CTL_ID_MAX]);

/**
 * @brief Does one canonical id contain another?
 *
 * outer contains inner when inner is outer followed by '.', '-', '_' or
 * '(' and more: "AC-2" holds "AC-2(1)", "2.1.1(1)" holds "2.1.1(1)-1",
 * "II.1" holds "II.1.1"; "1" does not hold "10.1".
 *
 * @param outer A canonical id (NUL-terminated).
 * @param inner Another.
 * @return 1 when it does, 0 otherwise.
 *
 * Thread-safe.
 */
int ctl_id_contains(const char *outer, const char *inner);

/**
 * @brief The canonical name of a reference scheme.
 *
 * Takes the names ctlconv writes and common spellings ("ISO/IEC
 * 27001:2013", "iso27001-2022", "NIST SP 800-53", "isms" for
 * iso27001-2013).
 *
 * @param s   The name; need not be NUL-terminated.
 * @param len Bytes of s.
 * @return The canonical name (static storage) of a scheme ctlconv knows;
 *         NULL for any other.
 *
 * Thread-safe.
 */
const char *ctl_scheme_name(const char *s, size_t len);

/**
 * @brief Parses a cell of references.
 *
 * Identifiers separated by white space (line breaks included), ',', ';',
 * '、', '・' or '/'; each may name its scheme ("iso27001-2022:A.5.1");
 * the others are in scheme.  In the scheme iso27001-2013 an identifier
 * must be an Annex A one (A.5 ... A.18.2.3); in others any identifier
 * (ctl_parse_id()).
 *
 * @param s      The cell's text; need not be NUL-terminated.
 * @param len    Bytes of s.
 * @param scheme The scheme of unprefixed identifiers ("" none).
 * @param refs   On success receives a malloc'd array (NULL when there are
 *               none) whose strings are malloc'd: free each scheme and id,
 *               then the array, with free().
 * @param n      Receives the number of references.
 * @return 1 on success; 0 if the cell holds anything else (nothing is
 *         stored: the caller keeps the cell as one reference as written);
 *         -1 when memory is exhausted.
 *
 * Thread-safe.
 */
int ctl_parse_refs(const char *s, size_t len, const char *scheme, ctl_ref **refs, size_t *n);

/**
 * @brief Parses a cell holding zero or more ISMS references.
 *
 * References such as A.5.1.1 (full width too), separated by white space
 * (line breaks included), ',', ';', '、', '・' or '/'.
 *
 * @param s    The cell's text; need not be NUL-terminated.
 * @param len  Bytes of s.
 * @param refs On success receives a malloc'd array of canonical references,
 *             each malloc'd (NULL when there are none): the caller frees
 *             each and the array with free().
 * @param n    Receives the number of references (0 unless 1 is returned).
 * @return 1 on success; 0 if the cell holds anything else (nothing is
 *         stored); -1 when memory is exhausted.
 *
 * Thread-safe.
 */
int ctl_parse_isms(const char *s, size_t len, char ***refs, size_t *n);

/**
 * @brief The depth of a canonical reference.
 *
 * @param ref A canonical reference, NUL-terminated.
 * @return The number of numeric parts: "A.17" -> 1, "A.17.1.2" -> 3.
 *
 * Thread-safe.
 */
int ctl_isms_depth(const char *ref);

/**
 * @brief The normalised value of a category word.
 *
 * 基本, basic → CTL_CATEGORY_BASIC; 推奨, recommended →
 * CTL_CATEGORY_RECOMMENDED; 遵守事項, 必須, mandatory, required →
 * CTL_CATEGORY_MANDATORY (NFKC, any case, surrounding white space
 * ignored).
 *
 * @param s   The word; need not be NUL-terminated.
 * @param len Bytes of s.
 * @param cat Receives the category when s is one.
 * @return 1 when s is a category word, 0 otherwise (cat not changed).
 *
 * Thread-safe.
 */
int ctl_parse_category(const char *s, size_t len, ctl_category *cat);

/**
 * @brief The Japanese word of a category.
 *
 * @param cat A category.
 * @return "基本", "推奨", "必須", or "" for CTL_CATEGORY_NONE (static storage).
 *
 * Thread-safe.
 */
const char *ctl_category_ja(ctl_category cat);

/**
 * @brief The English word of a category.
 *
 * @param cat A category.
 * @return "basic", "recommended", "mandatory", or "" for CTL_CATEGORY_NONE (static
 *         storage).
 *
 * Thread-safe.
 */
const char *ctl_category_en(ctl_category cat);

/**
 * @brief The field a column's header word names.
 *
 * 項番, ISMS 管理策, title, ... matched after NFKC, case and white-space
 * folding.
 *
 * @param s   The header word; need not be NUL-terminated.
 * @param len Bytes of s.
 * @return The field; CTL_FIELD_NONE for any other word (an extra column).
 *
 * Thread-safe.
 */
ctl_field_kind ctl_field_from_header(const char *s, size_t len);

/**
 * @brief Decodes raw bytes to UTF-8.
 *
 * With an encoding given, that one (a UTF-8 byte-order mark is skipped).
 * Otherwise detected: a byte-order mark, then strict UTF-8, then CP932
 * against EUC-JP-MS, then uchardet's guess.  An undecodable byte is an
 * error naming the file, line and byte offset; nothing is dropped or
 * replaced.
 *
 * @param ctx      The context for diagnostics.
 * @param file     The file name for messages, or NULL.
 * @param in       The bytes.
 * @param len      Bytes of in.
 * @param encoding A name iconv knows; NULL to detect.
 * @param out      On success receives a malloc'd NUL-terminated UTF-8
 *                 buffer (BOM removed), the caller's to free(); NULL on
 *                 failure.
 * @param out_len  Receives its length in bytes (without the NUL).
 * @param used     Receives the encoding's name ("UTF-8", "CP932",
 *                 "EUC-JP-MS", ..., or "given" for another name iconv
 *                 took; static storage); NULL on failure.
 * @return CTL_OK; CTL_EUSAGE (CTL_D_UNKNOWN_ENCODING); CTL_EINPUT
 *         (CTL_D_UNDECODABLE, CTL_D_BINARY_INPUT,
 *         CTL_D_CONTROL_CHARACTER); CTL_ENOMEM.  Warnings:
 *         CTL_D_ENCODING_WEAK, CTL_D_ENCODING_AMBIGUOUS,
 *         CTL_D_ENCODING_GUESSED.
 */
ctl_status ctl_decode(ctl_ctx *ctx, const char *file, const unsigned char *in,
                      size_t len, const char *encoding, char **out,
                      size_t *out_len, const char **used);

/* ------------------------------------------------------------------------
 * Formats.
 * ---------------------------------------------------------------------- */

/** @brief An input read as it arrives, line by line (ctl_input.stream):
 *  decoded to UTF-8 for the formats that decode, raw bytes otherwise. */
typedef struct ctl_stream ctl_stream;

/** @brief What a reader is given: the raw bytes and, for formats that
 *  travel in legacy encodings, the same bytes decoded to UTF-8.  For a
 *  streamed input (stream set: a format whose streams is set, an input
 *  larger than its first part) data and text hold only that first part,
 *  cut after a line end, for looking at (a delimiter, a first line); the
 *  reader reads the whole input from stream, from its start. */
typedef struct ctl_input {
    const char *name;              /**< file name for messages ("-": stdin) */
    const unsigned char *data;     /**< raw bytes */
    size_t len;                    /**< bytes of data */
    const char *text;              /**< UTF-8, NUL-terminated (decode formats) */
    size_t text_len;               /**< bytes of text */
    const char *encoding;          /**< encoding the text was decoded from */
    ctl_stream *stream;            /**< the input to read when set; see above */
    /** Set when the input is read in place rather than whole (a regular
     *  file larger than its first part, of a format whose seeks is set):
     *  reads n bytes at offset off of the input into buf (*got: fewer at
     *  its end) and returns 0, or an errno value; callable from several
     *  threads at once.  data and len then hold only the first part. */
    int (*read_at)(void *user, void *buf, size_t n, unsigned long long off, size_t *got);
    void *read_at_user;            /**< read_at's user */
    unsigned long long size;       /**< with read_at: the input's bytes */
} ctl_input;

/**
 * @brief The next line of a streamed input.
 *
 * @param ctx  The context for diagnostics.
 * @param s    The stream.
 * @param cr   1: a line ends at LF, CR LF or CR; 0: at LF only.
 * @param line Receives the line with its end (none on the last line of an
 *             input without a final line end); valid until the next call.
 * @param len  Receives its length; 0 at the end of the input.
 * @return CTL_OK; CTL_EINPUT (CTL_D_UNDECODABLE: bytes that are not of the
 *         encoding chosen on the first part, CTL_D_BINARY_INPUT);
 *         CTL_ELIMIT (a line longer than CTL_LIMIT_INPUT_SIZE); CTL_EIO
 *         (CTL_D_IO_ERROR, CTL_D_INPUT_CHANGED); CTL_ENOMEM.
 */
ctl_status ctl_stream_line(ctl_ctx *ctx, ctl_stream *s, int cr, const char **line, size_t *len);

/**
 * @brief The offset of the last line ctl_stream_line() gave, in bytes of
 *        the text it gives (decoded), from the start of the input.
 *
 * @param s The stream.
 * @return The offset.
 */
size_t ctl_stream_offset(const ctl_stream *s);

/**
 * @brief The whole input in memory, for a reader that needs it all (what
 *        ctl_input.data or text would hold, under CTL_LIMIT_INPUT_SIZE).
 *
 * Only before ctl_stream_line() was called.  The bytes stay the stream's.
 *
 * @param ctx  The context for diagnostics.
 * @param s    The stream.
 * @param data Receives the bytes (NUL-terminated).
 * @param len  Receives their length.
 * @return CTL_OK; as ctl_stream_line(); CTL_ELIMIT (the input is larger
 *         than CTL_LIMIT_INPUT_SIZE); CTL_EUSAGE (lines were taken).
 */
ctl_status ctl_stream_slurp(ctl_ctx *ctx, ctl_stream *s, const char **data, size_t *len);

/** @brief What a format cannot hold (ctl_format.loses): a round trip
 *  through it keeps everything else, and its writer warns when it drops
 *  something. */
enum {
    CTL_LOSES_METADATA  = 1 << 0,  /**< document title, note, annex heading */
    CTL_LOSES_UNPLACED  = 1 << 1,  /**< unplaced ISMS references */
    CTL_LOSES_LABELS    = 1 << 2,  /**< printed labels: canonical ones come back */
    CTL_LOSES_LINEBREAKS = 1 << 3, /**< line breaks and tabs in cells become spaces;
                                        cells are trimmed */
    CTL_LOSES_ANSWERS   = 1 << 4,  /**< the provider's answers (an OSCAL catalog: they
                                        go to a component definition) */
    CTL_LOSES_CATEGORIES = 1 << 5, /**< category words and values: the format has a
                                        vocabulary of its own (CISO Assistant's importance) */
    CTL_LOSES_EXTRAS    = 1 << 6,  /**< extra columns and the source's column names */
    CTL_LOSES_REFS      = 1 << 7,  /**< references other than identifiers of ISO/IEC 27001:2013
                                        and 2022 that exist, and the order between those of
                                        the two (a CISO Assistant library maps only those, to
                                        the frameworks it ships: 2013's first) */
    CTL_LOSES_EDGE_SPACES = 1 << 8, /**< white space at either end of a text (title, description,
                                        answer, an extra's value; the document's title, note and
                                        annex heading) as Python's str.strip() takes it off: spaces,
                                        tabs, line breaks, U+3000... (CISO Assistant's converter
                                        trims every cell of its workbook) */
    CTL_LOSES_SECOND_EDITION = 1 << 9, /**< with CTL_LOSES_REFS: the references of ISO/IEC
                                        27001:2022 of a list that references identifiers of 2013
                                        too (a CISO Assistant workbook holds one mapping set:
                                        2013's) */
};

/** @brief Which members of ctl_options a format's reader (CTL_READS_*)
 *  and writer (CTL_WRITES_*) honour (ctl_format.options).  Any other
 *  option has no effect on the format; the ctlconv program refuses it
 *  (exit 2).  The limits apply to every format. */
enum {
    CTL_READS_ENCODING     = 1 << 0,  /**< encoding (formats that decode: see decode) */
    CTL_READS_DELIMITER    = 1 << 1,  /**< delimiter (a TSV reader: tab only; any
                                           other is an error, delimiter-mismatch) */
    CTL_READS_COLUMNS      = 1 << 2,  /**< columns: the input names its columns in a header row */
    CTL_READS_SHEET        = 1 << 3,  /**< sheet */
    CTL_WRITES_HEADER_LANG = 1 << 8,  /**< header: the words of the header row */
    CTL_WRITES_ENCODING    = 1 << 9,  /**< out_encoding */
    CTL_WRITES_SUBSTITUTE  = 1 << 10, /**< substitute */
    CTL_WRITES_EXCEL_SAFE  = 1 << 11, /**< excel_safe */
    CTL_WRITES_CRLF        = 1 << 12, /**< crlf */
    CTL_WRITES_DATE        = 1 << 13, /**< date (OSCAL last-modified) */
    CTL_WRITES_COMPONENT   = 1 << 14, /**< component (OSCAL component definition) */
    CTL_WRITES_DOC_VERSION = 1 << 15, /**< doc_version */
    CTL_WRITES_LIBRARY     = 1 << 16, /**< library and packager (CISO Assistant URNs) */
    CTL_WRITES_COMPRESSION = 1 << 17, /**< compression (the deflate level of a zip container) */
};

/**
 * @brief A format: one row of the format table (ctl_formats()).
 *
 * Descriptors are static and constant: any thread may read them and call
 * probe; read, writer and refuse follow the rules of the context they are
 * given.
 */
typedef struct ctl_format {
    const char *name;              /**< "text", "csv", ... */
    unsigned loses;                /**< CTL_LOSES_* */
    const char *description;       /**< a few words for listings ("Excel workbook (Office Open XML)") */
    const char *const *extensions; /**< NULL-terminated, without dots */
    int decode;                    /**< reader wants the input decoded */
    unsigned options;              /**< CTL_READS_* | CTL_WRITES_*: the options it honours */
    int weak_extension;            /**< a name with one of its extensions is no
                                      evidence of the format (.txt: any text
                                      is); it still chooses among formats
                                      that fit */
    /** Scores the first bytes (UTF-8 text when decode is set): 0 = not
     *  this format, 100 = certain.  For decode formats, 50 and more claims
     *  evidence only this format has; below, the input merely fits.
     *  Thread-safe. */
    int (*probe)(const char *data, size_t len);
    /** Reads the input into the sink; NULL when the format is write-only.
     *  Prefer ctl_read(), which decodes and holds the items limit. */
    ctl_status (*read)(ctl_ctx *ctx, const ctl_input *in, const ctl_options *opts,
                       ctl_sink *sink);
    /** Creates a writer sink that writes to out; NULL when read-only.  On
     *  CTL_OK *sink is the caller's, freed with its destroy; it keeps out,
     *  out_name and opts (they must outlive it) and neither flushes nor
     *  closes out.  The output is complete once end returned CTL_OK. */
    ctl_status (*writer)(ctl_ctx *ctx, FILE *out, const char *out_name,
                         const ctl_options *opts, ctl_sink **sink);
    /** Bytes every input of the format holds at offset magic_at ("PK\3\4"
     *  for XLSX); NULL when it has none.  Detection takes a format whose
     *  magic matches before any probe or extension is consulted. */
    const char *magic;
    size_t magic_len;              /**< bytes of magic */
    size_t magic_at;               /**< offset of magic in the input */
    /** Set for a format ctlconv knows but neither reads nor writes (read and
     *  writer NULL; .xls, .ods, .pdf): what to do instead, in a few words
     *  ("save as .xlsx"), for a listing of the formats.  NULL otherwise. */
    const char *refusal;
    /** Set with refusal: records on ctx why an input of this format is
     *  refused and what to do instead (CTL_D_UNREADABLE_FORMAT), and
     *  returns CTL_EINPUT.  by_content: the input's magic showed the
     *  format; 0: only name's extension did. */
    ctl_status (*refuse)(ctl_ctx *ctx, const char *name, int by_content);
    /** Set when read takes a streamed input (ctl_input.stream): the
     *  pipeline then hands it an input larger than its first part as it
     *  arrives, rather than read whole. */
    int streams;
    /** Set when read hands its items on as it reads them though its input
     *  is read whole (XLSX: a sheet's rows as they are parsed): the output
     *  to a descriptor then goes out as it is made, as for a streamed
     *  input (not in strict mode). */
    int flows;
    /** Set when read takes an input read in place (ctl_input.read_at): the
     *  pipeline then hands it a regular file larger than its first part
     *  that way, rather than read whole (XLSX: a zip is read at offsets). */
    int seeks;
} ctl_format;

/**
 * @brief The table of formats.
 *
 * The formats ctlconv reads or writes, then the known formats it refuses
 * (read and writer NULL, refusal set), so that a listing can name them and
 * what to do instead.
 *
 * @return A NULL-terminated array (static storage).
 *
 * Thread-safe.
 */
const ctl_format *const *ctl_formats(void);

/**
 * @brief Finds a format by name.
 *
 * A refused format is found too: check read and writer.
 *
 * @param name "csv", "xlsx", ... (case-insensitive).
 * @return The format (static storage); NULL if unknown.
 *
 * Thread-safe.
 */
const ctl_format *ctl_format_by_name(const char *name);

/**
 * @brief Finds a format by a file name's extension.
 *
 * A refused format is found too (".pdf"): check read and writer.
 *
 * @param path A file name or path; the extension of its last component
 *             counts (case-insensitive).
 * @return The format (static storage); NULL if none matches.
 *
 * Thread-safe.
 */
const ctl_format *ctl_format_by_extension(const char *path);

/* ------------------------------------------------------------------------
 * Conversion (converters/pipeline.c).
 * ---------------------------------------------------------------------- */

/**
 * @brief Reads a whole file under the input size limit.
 *
 * A regular file that changes while it is read is refused.
 *
 * @param ctx   The context for diagnostics.
 * @param path  The file; "-" or NULL: standard input.
 * @param limit The most bytes to accept (CTL_LIMIT_INPUT_SIZE's value);
 *              0: the default.
 * @param data  On success receives the malloc'd bytes, followed by a NUL
 *              not counted in len; the caller's to free().  NULL on failure.
 * @param len   Receives the number of bytes (0 on failure).
 * @return CTL_OK; CTL_EUSAGE (CTL_D_BAD_ARGUMENT: path is ""); CTL_EIO
 *         (CTL_D_IO_ERROR: cannot open, a directory, a read error;
 *         CTL_D_INPUT_CHANGED); CTL_ELIMIT (CTL_D_LIMIT); CTL_ENOMEM.
 */
ctl_status ctl_read_file(ctl_ctx *ctx, const char *path, size_t limit,
                         unsigned char **data, size_t *len);

/**
 * @brief Chooses the format of an input.
 *
 * Content first (a format's magic, then its evidence: see
 * ctl_format.probe; a table's own extension counts as evidence for it),
 * then the extension among formats that fit.  Evidence for two formats, an
 * input that stays ambiguous, or a known format ctlconv does not read, is
 * an error.  Warnings raised while decoding for a guess that is dropped
 * are forgotten.
 *
 * @param ctx  The context for diagnostics.
 * @param path The input's name, for its extension and for messages; "-"
 *             or NULL: standard input (no extension).
 * @param data The input's bytes.
 * @param len  Bytes of data.
 * @param opts The options (opts->encoding is used to decode); not NULL.
 * @param fmt  On success receives the format, which has a reader; NULL on
 *             failure.
 * @return CTL_OK; CTL_EINPUT (CTL_D_EMPTY_INPUT, CTL_D_UNRECOGNISED,
 *         CTL_D_UNREADABLE_FORMAT, a decoding error); CTL_EUSAGE
 *         (CTL_D_AMBIGUOUS_FORMAT with the hint CTL_HINT_FORMAT,
 *         CTL_D_UNKNOWN_ENCODING); CTL_ENOMEM.  Warnings: the encoding
 *         ones (see ctl_decode()).
 */
ctl_status ctl_detect_format(ctl_ctx *ctx, const char *path,
                             const unsigned char *data, size_t len,
                             const ctl_options *opts, const ctl_format **fmt);

/**
 * @brief Reads bytes of a known format into a sink.
 *
 * Decodes first if the format wants it (ctl_decode()), and holds the items
 * limit (CTL_LIMIT_ITEMS) between the reader and the sink.
 *
 * @param ctx  The context for diagnostics.
 * @param fmt  The input format (ctl_detect_format(), ctl_format_by_name()).
 * @param name The input's name for messages and item positions; "-" or
 *             NULL: standard input.
 * @param data The input's bytes.
 * @param len  Bytes of data.
 * @param opts The options; not NULL.
 * @param sink The sink (see ctl_sink for what it sees on failure).
 * @return CTL_OK; CTL_EINPUT (the input is not a list in that format: any
 *         reading error code); CTL_ELIMIT (CTL_D_LIMIT,
 *         CTL_D_FIXED_LIMIT); CTL_EUSAGE (CTL_D_UNSUPPORTED for a format
 *         without a reader, CTL_D_UNKNOWN_ENCODING, CTL_D_NO_SHEET);
 *         CTL_ENOMEM; CTL_EINTERNAL; or whatever the sink returned (a
 *         writer: CTL_EIO...).  Warnings: the reading ones.
 */
ctl_status ctl_read(ctl_ctx *ctx, const ctl_format *fmt, const char *name,
                    const unsigned char *data, size_t len,
                    const ctl_options *opts, ctl_sink *sink);

/**
 * @brief Converts one input file to one output file.
 *
 * The output is prepared before the input is read, written to a temporary
 * file and put in place only when the whole conversion succeeded: a
 * failed conversion leaves no output and the old file untouched.  out_path
 * is walked one component at a time: every symbolic link on the way is
 * followed unless it sits in a sticky world-writable directory and belongs
 * to neither that directory's owner nor us (the effective uid), as
 * fs.protected_symlinks=1.  A regular file (or a new name) gets a
 * temporary file beside it, renamed over it relative to its directory (a
 * replaced file keeps its mode, and its owner and group when we may set
 * them); a descriptor (see ctl_output_descriptor(); also any path that
 * leads to our /proc/self/fd/N, or names the file a standard descriptor
 * holds open for writing) gets the staged bytes written through it at the
 * end; a device or a FIFO is opened before the input is read (never
 * through a link, refused if it changed) and written through that
 * descriptor at the end.  An input regular file that changes while it is
 * read is an error.  Once the input format is known, opts->formats_known
 * (when set) may stop the conversion.
 *
 * @param ctx      The context.  Its warnings accumulate; strict mode counts
 *                 every warning on it, also those raised before the call:
 *                 use a fresh context per conversion.
 * @param in_path  The input file; "-" or NULL: standard input.
 * @param in_fmt   The input format; NULL: detect (ctl_detect_format()).
 * @param out_path The output file; "-" or NULL: standard output.
 * @param out_fmt  The output format; not NULL.
 * @param opts     The options; not NULL.
 * @param strict   Non-zero: a warning fails the conversion (CTL_D_STRICT)
 *                 unless opts->allow lists its code.
 * @return CTL_OK; CTL_EUSAGE (CTL_D_BAD_ARGUMENT for an empty in_path or
 *         out_path, CTL_D_UNSUPPORTED for a format that cannot be read or
 *         written, detection and decoding errors, CTL_D_NO_SHEET); CTL_EIO
 *         (CTL_D_IO_ERROR, CTL_D_INPUT_CHANGED, CTL_D_UNSAFE_LINK,
 *         CTL_D_WORKBOOK_UNVERIFIED); CTL_EINPUT (any reading error,
 *         CTL_D_STRICT, CTL_D_XML_UNWRITABLE, CTL_D_CP932_UNWRITABLE);
 *         CTL_ELIMIT; CTL_ENOMEM; CTL_EINTERNAL; or what formats_known
 *         returned.
 */
ctl_status ctl_convert_file(ctl_ctx *ctx, const char *in_path,
                            const ctl_format *in_fmt, const char *out_path,
                            const ctl_format *out_fmt, const ctl_options *opts,
                            int strict);

/** @brief The most outputs one ctl_convert_files() call writes. */
#define CTL_OUTPUTS_MAX 16

/**
 * @brief Converts one input file to several outputs, reading it once.
 *
 * As ctl_convert_file() for each output (the same staging, the same
 * checks), with the items of the one reading handed to every writer in
 * turn.  All outputs or none: each is put in place only when every writer
 * finished; a writer that fails (CTL_D_CP932_UNWRITABLE...) fails the
 * conversion and leaves no output.  The reading options are opts; the date
 * and library name are resolved for each output format that writes them.
 *
 * @param ctx       The context (see ctl_convert_file()).
 * @param in_path   The input file; "-" or NULL: standard input.
 * @param in_fmt    The input format; NULL: detect.
 * @param n_out     Number of outputs, 1 to CTL_OUTPUTS_MAX.
 * @param out_paths The output files ("-" or NULL: standard output, at most
 *                  once); two equal paths are refused (CTL_D_BAD_ARGUMENT).
 * @param out_fmts  Their formats; not NULL.
 * @param opts      The options; not NULL.
 * @param strict    As ctl_convert_file().
 * @return As ctl_convert_file().
 */
ctl_status ctl_convert_files(ctl_ctx *ctx, const char *in_path, const ctl_format *in_fmt,
                             size_t n_out, const char *const *out_paths,
                             const ctl_format *const *out_fmts, const ctl_options *opts,
                             int strict);

/**
 * @brief The descriptor an output path stands for by its spelling alone.
 *
 * ctl_convert_file() also finds the descriptor of other paths as it walks
 * them (/dev/./stdout, a link to /dev/fd/3, the file standard output
 * holds).  Output to a descriptor is written through a duplicate of it as
 * it is (a file opened for appending is appended to, a pipe is written),
 * never by opening the path again.
 *
 * @param path An output path, or NULL.
 * @return 1 for "-", NULL and /dev/stdout; 2 for /dev/stderr; N for
 *         /dev/fd/N and /proc/self/fd/N; -1 for any other path.
 *
 * Thread-safe.
 */
int ctl_output_descriptor(const char *path);

/**
 * @brief Removes the temporary files ctlconv holds at this moment.
 *
 * An output being staged, a workbook being built: those of every thread.
 * Async-signal-safe: for a handler of SIGINT, SIGTERM and the like, which
 * should then restore the signal's default action and raise it again.
 * Temporary files are made in $TMPDIR (/tmp when it is unset or empty) or
 * beside the output (removed relative to the output's directory as it was
 * opened).  A program that may run under a file size limit should ignore
 * SIGXFSZ: a write over it then fails (EFBIG, CTL_EIO) and the temporary
 * files go with the error.
 *
 * Process-wide; may be called from any thread or a signal handler.
 */
void ctl_remove_temporaries(void);

/* ------------------------------------------------------------------------
 * Mapping files (converters/mapfile.c).
 * ---------------------------------------------------------------------- */

/**
 * @brief What describes one source, read from a mapping file: written once,
 * applied to the options of every file of a batch (ctl_map_apply()).
 *
 * Opaque.  A mapping file is UTF-8 text (a byte-order mark is skipped), one
 * setting a line:
 *
 * @code
 *     # Kontrollen (export of the GRC tool)
 *     format        = csv
 *     encoding      = CP932
 *     delimiter     = ;
 *     column.id     = Kontroll-Nr
 *     column.title  = Bezeichnung
 *     column.category = Stufe
 *     ref-scheme    = iso27001-2022
 *     hierarchy     = ids
 *     headings      = no
 *     skip-bad-rows = no
 *     category.Pflicht = mandatory
 * @endcode
 *
 * A line is blank, a comment (its first non-blank character is '#'), or
 * KEY = VALUE: white space around both is dropped; VALUE runs to the end of
 * the line ('#' in it is text) and is not empty.  The keys:
 *  - @c format: the input format (a name of ctl_format_by_name() that
 *    ctlconv reads);
 *  - @c encoding: the input encoding (ctl_options.encoding; one the
 *    decoder knows);
 *  - @c delimiter: ',', ';' or 'tab' (also 'comma', 'semicolon');
 *  - @c sheet: the sheet to read, a name or a 1-based number;
 *  - @c column.FIELD: the header of the column holding FIELD, one of id,
 *    label, level, parent, refs (also isms, references), title,
 *    description, category, answer (ctl_options.columns); column.extra
 *    (repeatable) keeps a column as an extra column whatever its header
 *    word says;
 *  - @c ref-scheme: the scheme of a references column whose header names
 *    none (ctl_options.ref_scheme): a name ctl_scheme_name() knows, or
 *    another of lower-case letters, digits and '-';
 *  - @c hierarchy: auto, level, parent or ids (ctl_options.hierarchy);
 *  - @c headings: auto, yes or no (ctl_options.make_headings 0, 1, -1);
 *  - @c skip-bad-rows: yes or no (ctl_options.skip_bad_rows);
 *  - @c category.WORD: the value the source's category word WORD stands
 *    for: basic, recommended, mandatory (or a word ctl_parse_category()
 *    knows), or none (ctl_options.categories).
 * An unknown key, a key given twice (column.isms and column.refs are one
 * key; category words are compared as ctl_options.categories matches
 * them), one header mapped onto two fields, or a value a key does not take
 * is an error naming the file and line.
 */
typedef struct ctl_map ctl_map;

/**
 * @brief Parses a mapping file's text.
 *
 * @param ctx  The context for diagnostics.
 * @param name The file name for messages; NULL: "-".
 * @param text The text (UTF-8); need not be NUL-terminated.
 * @param len  Bytes of text.
 * @param map  On success receives the map, to be freed with ctl_map_free();
 *             NULL on failure.
 * @return CTL_OK; CTL_EUSAGE (CTL_D_BAD_MAP: the message says what is
 *         wrong, ctl_error_file() and ctl_error_line() say where);
 *         CTL_ENOMEM.
 *
 * Thread-safe with a context of the caller's thread.
 */
ctl_status ctl_map_parse(ctl_ctx *ctx, const char *name, const char *text, size_t len,
                         ctl_map **map);

/**
 * @brief Reads and parses a mapping file.
 *
 * @param ctx  The context for diagnostics.
 * @param path The file; "-" or NULL: standard input.
 * @param map  On success receives the map, to be freed with ctl_map_free();
 *             NULL on failure.
 * @return CTL_OK; as ctl_read_file() (CTL_EIO...) and ctl_map_parse()
 *         (CTL_EUSAGE with CTL_D_BAD_MAP).
 */
ctl_status ctl_map_read(ctl_ctx *ctx, const char *path, ctl_map **map);

/**
 * @brief Fills the options a map sets and the caller left at their
 * defaults.
 *
 * What the caller set wins: a member of opts that is no longer what
 * ctl_options_init() put there (an encoding, a sheet...) is kept.  Column
 * mappings are merged: the caller's first, then the map's for the fields
 * and headers the caller's do not map.  Category words likewise: the
 * caller's first, then the map's.  opts->columns and opts->categories may
 * then point into the map (the caller's entries copied): the map must
 * outlive every use of opts, and a second ctl_map_apply() on the same map
 * replaces what the first pointed to.  opts->formats_known and the other
 * members a map has no key for are not touched; the format is the
 * caller's to take (ctl_map_format()).
 *
 * @param ctx     The context for diagnostics.
 * @param map     The map.
 * @param opts    The options to fill; not NULL.
 * @param applied Receives the CTL_READS_* flags of the members the map
 *                filled (encoding, delimiter, columns, sheet), so that a
 *                caller can check them against the input format
 *                (ctl_format.options); NULL: not wanted.
 * @return CTL_OK; CTL_ENOMEM (opts unchanged).
 */
ctl_status ctl_map_apply(ctl_ctx *ctx, ctl_map *map, ctl_options *opts, unsigned *applied);

/**
 * @brief The input format a map names.
 *
 * @param map The map.
 * @return The format (static storage; it has a reader), or NULL when the
 *         map has no format key.
 */
const ctl_format *ctl_map_format(const ctl_map *map);

/**
 * @brief Frees a map.
 *
 * Options it was applied to must no longer be used.
 *
 * @param map The map, or NULL (nothing happens).
 */
void ctl_map_free(ctl_map *map);

/* ------------------------------------------------------------------------
 * Comparing two lists (converters/diff.c, converters/diff_out.c).
 * ---------------------------------------------------------------------- */

/** @brief What happened to an item (bits of ctl_diff_change.kind: a renumbered
 *  item may also have moved and changed). */
enum {
    CTL_DIFF_ADDED = 1u,       /**< only in the new list */
    CTL_DIFF_REMOVED = 2u,     /**< only in the old list */
    CTL_DIFF_RENUMBERED = 4u,  /**< its id changed: matched by title and text */
    CTL_DIFF_MOVED = 8u,       /**< its parent, or its place among the items, changed */
    CTL_DIFF_CHANGED = 16u     /**< one of its fields changed (ctl_diff_change.fields) */
};

/** @brief Options of ctl_diff() (bits). */
enum {
    CTL_DIFF_LABELS = 1u       /**< compare labels too (off: a format that drops
                                    labels would make every label differ) */
};

/** @brief A run of a text difference: kept, deleted from the old text or
 *  inserted in the new. */
typedef enum {
    CTL_SPAN_SAME = 0,
    CTL_SPAN_DELETED = 1,
    CTL_SPAN_INSERTED = 2
} ctl_span_op;

/** @brief One run of a text difference. */
typedef struct ctl_diff_span {
    ctl_span_op op;   /**< kept, deleted or inserted */
    char *text;       /**< its text (UTF-8, not empty) */
} ctl_diff_span;

/** @brief One field of an item that changed, with its difference. */
typedef struct ctl_diff_field {
    char *field;          /**< "title", "description", "category", "answer",
                               "refs", "label", or "extra:NAME" */
    char *old_text;       /**< the old value ("" none; refs joined with ", ") */
    char *new_text;       /**< the new value */
    ctl_diff_span *spans; /**< the difference, old order then new: the old text
                               is the SAME and DELETED runs, the new text the
                               SAME and INSERTED runs */
    size_t n_spans;       /**< number of runs */
    int whole;            /**< 1: too long for a word difference
                               (CTL_DIFF_TOKENS_MAX, or
                               CTL_DIFF_CELLS_TOTAL spent by ctl_diff()): the middle that differs
                               is one deleted and one inserted run */
} ctl_diff_field;

/** @brief One item that differs between the lists. */
typedef struct ctl_diff_change {
    unsigned kind;             /**< CTL_DIFF_* bits */
    const ctl_item *old_item;  /**< the item in the old list; NULL when added */
    const ctl_item *new_item;  /**< the item in the new list; NULL when removed */
    int similarity;            /**< renumbered: how alike title and text are, in
                                    percent (100: the same); else 0 */
    ctl_diff_field *fields;  /**< the fields that changed, in model order */
    size_t n_fields;           /**< number of fields */
} ctl_diff_change;

/** @brief The differences between two lists, in the new list's order (a
 *  removed item where it stood). */
typedef struct ctl_diff_result {
    ctl_diff_change *changes;   /**< the items that differ */
    size_t n_changes;      /**< number of changes */
    size_t n_old;          /**< items in the old list */
    size_t n_new;          /**< items in the new list */
    size_t counts[5];      /**< changes with each kind bit, in the order of the
                                bits: added, removed, renumbered, moved, changed */
    int renumber_limited;  /**< 1: too many unmatched items to look for every
                                renumbering (CTL_DIFF_PAIRS_MAX pairs): some
                                renumbered items show as removed and added */
    unsigned ignored;      /**< the CTL_LOSES_* bits of ctl_diff()'s ignore that
                                it honoured: fields not compared */
} ctl_diff_result;

/** @brief Tokens beyond which a text difference is the whole middle
 *  replaced (the product of both sides' tokens that differ). */
#define CTL_DIFF_TOKENS_MAX (1u << 22)
/** @brief Token pairs all the text differences of one ctl_diff() may
 *  compare; once spent, a field's middle that differs is replaced whole. */
#define CTL_DIFF_CELLS_TOTAL (1u << 28)
/** @brief Pairs of unmatched items beyond which renumbered items are looked
 *  for by equal title and text only. */
#define CTL_DIFF_PAIRS_MAX 250000u

/**
 * @brief Compares two lists: what was added, removed, renumbered, moved
 * and changed.
 *
 * Items are matched by id (canonical, so lists read from different
 * formats compare as models); an item whose id is in one list only is
 * matched, where it can be, with one of the other list by its text: equal
 * title and description first, then at least 70% alike (the Dice
 * coefficient of the character pairs of title, description, answer and
 * extra fields), the most alike first: renumbered.  A matched item has moved when its parent (mapped through the
 * matching) differs, or when it is out of the longest run of matched items
 * kept in order.  Fields compared: title, description, category (the word
 * as written, else the value's), answer, references, extra fields by name,
 * and with CTL_DIFF_LABELS the label (not of a renumbered item).  Document
 * metadata is not compared.  What one side's format cannot hold is left
 * out with ignore (its ctl_format.loses): CTL_LOSES_ANSWERS,
 * CTL_LOSES_CATEGORIES, CTL_LOSES_EXTRAS and CTL_LOSES_LABELS leave that
 * field out, CTL_LOSES_LINEBREAKS compares texts with line breaks and
 * tabs as spaces, CTL_LOSES_REFS compares only the references of ISO/IEC
 * 27001:2013 and 2022 that exist (those a CISO Assistant library keeps);
 * other bits are not honoured (ctl_diff_result.ignored).
 *
 * @param ctx      The context for errors.
 * @param old_list The old list (must outlive the result: changes point
 *                 into it).
 * @param new_list The new list (likewise).
 * @param flags    CTL_DIFF_LABELS or 0.
 * @param ignore   CTL_LOSES_* bits of what not to compare, or 0.
 * @param out      On success receives the result, to be freed with
 *                 ctl_diff_free(); NULL on failure.
 * @return CTL_OK; CTL_EUSAGE (CTL_D_BAD_ARGUMENT: a NULL list or out);
 *         CTL_ENOMEM.
 */
ctl_status ctl_diff(ctl_ctx *ctx, const ctl_list *old_list, const ctl_list *new_list,
                    unsigned flags, unsigned ignore, ctl_diff_result **out);

/**
 * @brief Frees a result of ctl_diff().
 *
 * @param res The result, or NULL (nothing happens).
 */
void ctl_diff_free(ctl_diff_result *res);

/**
 * @brief The word-level difference of two texts.
 *
 * Tokens are runs of letters and digits of alphabetic scripts, runs of
 * white space, and each other character alone (so Japanese and other text
 * without spaces is compared character by character).  The longest common
 * run of tokens is kept; beyond CTL_DIFF_TOKENS_MAX the middle that differs
 * is replaced whole.
 *
 * @param ctx     The context for errors.
 * @param old_text The old text (UTF-8).
 * @param new_text The new text (UTF-8).
 * @param spans   Receives the runs (see ctl_diff_field.spans), freed with
 *                ctl_diff_spans_free(); NULL when both texts are empty.
 * @param n_spans Receives the number of runs.
 * @param whole   Receives 1 when the middle was replaced whole, else 0; may
 *                be NULL.
 * @return CTL_OK; CTL_ENOMEM.
 */
ctl_status ctl_diff_text(ctl_ctx *ctx, const char *old_text, const char *new_text,
                         ctl_diff_span **spans, size_t *n_spans, int *whole);

/**
 * @brief Frees runs of ctl_diff_text().
 *
 * @param spans The runs, or NULL.
 * @param n     Their number.
 */
void ctl_diff_spans_free(ctl_diff_span *spans, size_t n);

/**
 * @brief The name of one kind bit: "added", "removed", "renumbered",
 * "moved", "changed".
 *
 * @param kind One CTL_DIFF_* bit.
 * @return The name; NULL for anything else.
 */
const char *ctl_diff_kind_name(unsigned kind);

/**
 * @brief The result as one JSON object (for machines).
 *
 * {"old": NAME, "new": NAME, "equal": BOOL, "counts": {"added": N, ...},
 * "renumber_limited": BOOL, "not_compared": ["answer", ...],
 * "changes": [{"kind": ["renumbered", "changed"], "old_id", "new_id",
 * "title", "old_parent", "new_parent", "similarity", "fields": [{"field",
 * "old", "new", "whole", "diff": [["=", TEXT], ["-", TEXT], ["+", TEXT]]}]}]}.
 * Ids, parents and titles are absent on the side an item is missing from.
 *
 * @param ctx      The context for errors.
 * @param res      The result.
 * @param old_name The old list's name for "old" (NULL: left out).
 * @param new_name The new list's name for "new" (NULL: left out).
 * @param text     Receives the JSON text (malloc'd, ends with a newline),
 *                 the caller's to free(); NULL on failure.
 * @return CTL_OK; CTL_ENOMEM.
 */
ctl_status ctl_diff_json(ctl_ctx *ctx, const ctl_diff_result *res, const char *old_name,
                         const char *new_name, char **text);

/**
 * @brief Writes the result as an XLSX review workbook: one row per change
 * (kind, old id, new id, title, fields, difference), the changed words of
 * the difference highlighted (deleted: red, struck through; inserted:
 * green, bold).
 *
 * A difference longer than a cell holds (32,767 characters) is written
 * plain and cut, saying so in the cell.  The workbook is built in a
 * temporary file and put at path only when complete.
 *
 * @param ctx      The context for errors.
 * @param res      The result.
 * @param old_name The old list's name (the sheet's first line).
 * @param new_name The new list's name.
 * @param path     The workbook to write.
 * @return CTL_OK; CTL_EIO (CTL_D_IO_ERROR); CTL_ENOMEM.
 */
ctl_status ctl_diff_xlsx(ctl_ctx *ctx, const ctl_diff_result *res, const char *old_name,
                         const char *new_name, const char *path);

/* ------------------------------------------------------------------------
 * Testing.  Process-wide switches: not thread-safe.
 * ---------------------------------------------------------------------- */

/**
 * @brief Makes an allocation of ctlconv's own code fail, once.
 *
 * Allocations inside the libraries ctlconv calls are not counted.  Also
 * resets the count of ctl_test_alloc_count().  For tests only.
 *
 * @param n The n-th allocation from now on fails; 0: none.
 *
 * Not thread-safe: process-wide.
 */
void ctl_test_fail_alloc(unsigned long n);

/**
 * @brief Counts the allocations of ctlconv's own code.
 *
 * @return The allocations since the last ctl_test_fail_alloc() (0 before
 *         the first call: until then none is counted).
 *
 * Process-wide: an atomic counter that every thread's allocations share.
 */
unsigned long ctl_test_alloc_count(void);

/**
 * @brief Sets a hook that ctl_read_file() calls as it reads.
 *
 * For tests only (changing a file while it is read).
 *
 * @param hook Called with (name, bytes so far) after ctl_read_file()
 *             opened a file and after each read; NULL: none.
 *
 * Not thread-safe: process-wide.
 */
void ctl_test_read_hook(void (*hook)(const char *name, size_t done));

/**
 * @brief Sets the size of the first part of an input that a conversion
 *        reads before it decides whether to stream it (1.25 MB).
 *
 * For tests only (streaming small inputs, cut at every byte).
 *
 * @param bytes The size; 0: the default.
 *
 * Not thread-safe: process-wide.
 */
void ctl_test_stream_head(size_t bytes);

#if defined(__GNUC__) && __GNUC__ >= 4
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif
#endif /* CTLCONV_H */
