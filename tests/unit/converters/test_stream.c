/* SPDX-License-Identifier: BSD-2-Clause */
/* Tests of streamed input (converters/stream.c, issue 14): the decoder fed
 * in parts gives what one whole decode gives, whatever the cut (UTF-8,
 * CP932, EUC-JP-MS, UTF-16 with its byte-order mark); a conversion whose
 * input is streamed (the first part and the reads made small, so that
 * they cut the input at every byte) writes what reading it whole writes,
 * for CSV, TSV, the text layout and JSON Lines; a byte that contradicts
 * the encoding chosen on the first part is an error, never a guess. */
#include "support.h"
#include "internal.h"
#include "stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------------
 * The decoder in parts.
 * ---------------------------------------------------------------------- */

/* Feeds in[0..n) cut at the offsets cuts[0..k) (a sequence a part ends in
 * carried to the next, as the stream carries it); returns the decoder's
 * verdict and the text in out. */
static int feed_cut(const char *enc, const unsigned char *in, size_t n, const size_t *cuts, size_t k,
                    ctl_buf *out, ctl_decode_fault *f)
{
    ctl_decoder *d;
    ck_assert_int_eq(ctl_decoder_open(enc, &d), 1);
    unsigned char carry[64];
    size_t held = 0, from = 0;
    int r = 1;
    for (size_t i = 0; i <= k && r == 1; i++) {
        size_t to = i < k ? cuts[i] : n, used;
        unsigned char part[256];
        ck_assert(held + (to - from) <= sizeof part);
        memcpy(part, carry, held);
        memcpy(part + held, in + from, to - from);
        size_t len = held + (to - from);
        r = ctl_decoder_feed(d, part, len, i == k, out, &used, f);
        held = len - used;
        ck_assert(held < sizeof carry);
        memcpy(carry, part + used, held);
        from = to;
    }
    ctl_decoder_free(d);
    return r;
}

typedef struct {
    const char *enc;
    const char *bytes;
    size_t n;
    const char *want;
} decode_case;

static const decode_case cases[] = {
    {"UTF-8", "\xEF\xBB\xBF" "a\xE3\x81\x82\xE2\x82\xAC\xF0\x9D\x84\x9E\n", 15, "a\xE3\x81\x82\xE2\x82\xAC\xF0\x9D\x84\x9E\n"},
    {"CP932", "\x93\xFA\x96\x7B\x8C\xEA\xB1\x5C\n", 9, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xEF\xBD\xB1\\\n"},
    {"EUC-JP-MS", "\xC6\xFC\xCB\xDC\xB8\xEC\x8E\xB1\xAD\xB6\n", 11,
     "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xEF\xBD\xB1\xE2\x85\xA1\n"},
    {"UTF-16", "\xFF\xFE" "a\0" "\x42\x30" "\x34\xD8\x1E\xDD" "\n\0", 12, "a\xE3\x81\x82\xF0\x9D\x84\x9E\n"},
    {"UTF-16LE", "\xFF\xFE" "a\0" "\x42\x30" "\n\0", 8, "a\xE3\x81\x82\n"},
};

START_TEST(decoder_cut_anywhere)
{
    const decode_case *c = &cases[_i];
    const unsigned char *in = (const unsigned char *)c->bytes;
    /* whole, cut once at every offset, and one byte at a time */
    for (size_t cut = 0; cut <= c->n + 1; cut++) {
        size_t cuts[64], k = 0;
        if (cut <= c->n) cuts[k++] = cut;
        else
            for (size_t i = 1; i < c->n; i++) cuts[k++] = i;
        ctl_buf out = {0};
        ctl_decode_fault f;
        ck_assert_msg(feed_cut(c->enc, in, c->n, cuts, k, &out, &f) == 1, "%s cut at %zu", c->enc, cut);
        ck_assert_msg(out.len == strlen(c->want) && !memcmp(out.data, c->want, out.len), "%s cut at %zu: %.*s",
                      c->enc, cut, (int)out.len, out.data);
        ctl_buf_free(&out);
    }
}
END_TEST

START_TEST(decoder_faults_where_they_are)
{
    /* an invalid byte at offset 4, whatever the cut; a sequence the input
     * ends in only at the end */
    const unsigned char bad[] = "ab\xE3\x81\xFFz";
    for (size_t cut = 0; cut <= 6; cut++) {
        ctl_buf out = {0};
        ctl_decode_fault f;
        ck_assert_int_eq(feed_cut("UTF-8", bad, 6, &cut, 1, &out, &f), 0);
        ck_assert_uint_eq(f.offset, 2);
        ck_assert(!f.truncated);
        ctl_buf_free(&out);
    }
    const unsigned char cp[] = "ab\x93";
    for (size_t cut = 0; cut <= 3; cut++) {
        ctl_buf out = {0};
        ctl_decode_fault f;
        ck_assert_int_eq(feed_cut("CP932", cp, 3, &cut, 1, &out, &f), 0);
        ck_assert(f.truncated);
        ck_assert_uint_eq(f.offset, 2);
        ck_assert_int_eq((int)out.len, 2);
        ctl_buf_free(&out);
    }
    ctl_decoder *d;
    ck_assert_int_eq(ctl_decoder_open("NO-SUCH-ENCODING", &d), 0);
}
END_TEST

START_TEST(fast_validation_agrees)
{
    /* random bytes biased to UTF-8's leads and continuations, and every
     * two-byte and three-byte start: the same prefix as the plain check */
    static const unsigned char pick[] = {'a', '\n', 0x80, 0x8F, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE3,
                                         0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
    unsigned seed = 1;
    unsigned char b[40];
    for (int k = 0; k < 200000; k++) {
        size_t n = (size_t)(k % 40);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            b[i] = pick[(seed >> 16) % sizeof pick];
        }
        ck_assert_uint_eq(ctl_utf8_valid_fast(b, n), ctl_utf8_valid_prefix(b, n));
    }
    for (unsigned x = 0; x < 0x1000000; x += 7) {
        unsigned char t[12] = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', (unsigned char)(x >> 16), (unsigned char)(x >> 8),
                               (unsigned char)x, 'z'};
        ck_assert_uint_eq(ctl_utf8_valid_fast(t, 12), ctl_utf8_valid_prefix(t, 12));
    }
}
END_TEST

/* ------------------------------------------------------------------------
 * Lines.
 * ---------------------------------------------------------------------- */

START_TEST(memory_lines_keep_their_ends)
{
    const char *t = "a\r\nb\rc\n\nd";
    ctl_stream s;
    ctl_stream_memory(&s, "t", t, strlen(t));
    const char *want[] = {"a\r\n", "b\r", "c\n", "\n", "d"};
    for (size_t i = 0; i < 5; i++) {
        const char *l;
        size_t n;
        assert_ok(ctx, ctl_stream_line(ctx, &s, 1, &l, &n));
        ck_assert_int_eq((int)n, (int)strlen(want[i]));
        ck_assert(!memcmp(l, want[i], n));
    }
    const char *l;
    size_t n;
    assert_ok(ctx, ctl_stream_line(ctx, &s, 1, &l, &n));
    ck_assert_uint_eq(n, 0);
    /* LF only */
    ctl_stream_memory(&s, "t", t, strlen(t));
    assert_ok(ctx, ctl_stream_line(ctx, &s, 0, &l, &n));
    ck_assert_int_eq((int)n, 3);
    assert_ok(ctx, ctl_stream_line(ctx, &s, 0, &l, &n));
    ck_assert_int_eq((int)n, 4);   /* b\rc\n */
}
END_TEST

/* ------------------------------------------------------------------------
 * Conversions streamed against read whole.
 * ---------------------------------------------------------------------- */

/* tmp_dir/name ("in" or "out"). */
static const char *path_of(const char *name)
{
    static char in[128], out[128];
    char *p = !strcmp(name, "in") ? in : out;
    snprintf(p, 128, "%s/%s", tmp_dir, name);
    return p;
}

static void put_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert(f != NULL);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    fclose(f);
}

/* Converts in (format from, NULL: detected) to `to`; returns the status,
 * the output in *out (malloc'd, NULL when none was written). */
static ctl_status convert(const char *in, const char *from, const char *to, const ctl_options *opts,
                          unsigned char **out, size_t *n, char *msg, size_t size)
{
    ctl_ctx *c = ctl_ctx_new();
    const char *o = path_of("out");
    unlink(o);
    ctl_status st = ctl_convert_file(c, in, from ? ctl_format_by_name(from) : NULL, o, ctl_format_by_name(to),
                                     opts, 0);
    snprintf(msg, size, "%s: %s", ctl_diag_name(ctl_error_code(c)), st == CTL_OK ? "" : ctl_error_message(c));
    ctl_ctx_free(c);
    *out = NULL;
    *n = 0;
    if (access(o, F_OK) == 0) *out = slurp(o, n);
    return st;
}

/* The conversion of bytes read whole, then streamed with the first part
 * and the reads cut at every byte: the same status, message and output. */
static void same_at_every_cut(const char *bytes, size_t n, const char *from, const char *to,
                              const ctl_options *opts)
{
    const char *in = path_of("in");
    put_file(in, bytes, n);
    unsigned char *want, *got;
    size_t wn, gn;
    char wmsg[512], gmsg[512];
    ctl_test_stream_head(0);
    ctl_status wst = convert(in, from, to, opts, &want, &wn, wmsg, sizeof wmsg);
    for (size_t head = 1; head < n; head++) {
        ctl_test_stream_head(head);
        ctl_status gst = convert(in, from, to, opts, &got, &gn, gmsg, sizeof gmsg);
        ck_assert_msg(gst == wst && !strcmp(gmsg, wmsg), "%s->%s cut at %zu: %s / whole: %s", from ? from : "?", to,
                      head, gmsg, wmsg);
        ck_assert_msg((!want && !got) || (want && got && gn == wn && !memcmp(got, want, wn)),
                      "%s->%s cut at %zu: another output", from ? from : "?", to, head);
        free(got);
    }
    ctl_test_stream_head(0);
    free(want);
}

static const char csv_in[] =
    "\xEF\xBB\xBF" "項番,ISMS,タイトル,本文,区分,備考\r\n"
    "I. 1.,,方針,,,\r\n"
    "I. 1. 1.,A.5.1.1,\"文書\r\n化\",\"説明, \"\"引用\"\"\",基本,x\r\n"
    "I. 1. 2.,A.5.1.2,見直し,本文,推奨,\r"
    "I. 1. 3.,,three,\"a\nb\",,y\n";

START_TEST(csv_streamed_as_whole)
{
    ctl_options o;
    ctl_options_init(&o);
    same_at_every_cut(csv_in, sizeof csv_in - 1, "csv", "json", &o);
    same_at_every_cut(csv_in, sizeof csv_in - 1, NULL, "csv", &o);
}
END_TEST

START_TEST(csv_errors_streamed_as_whole)
{
    ctl_options o;
    ctl_options_init(&o);
    static const char bad[] = "項番,タイトル,本文\nI. 1.,a,b\nI. 1. 1.,a\"b,c\nI. 1. 2.,x,y\n";
    same_at_every_cut(bad, sizeof bad - 1, "csv", "csv", &o);
    static const char open_quote[] = "項番,タイトル,本文\nI. 1.,a,b\nI. 1. 1.,\"a\nb,c\n";
    same_at_every_cut(open_quote, sizeof open_quote - 1, "csv", "jsonl", &o);
}
END_TEST

START_TEST(tsv_and_sep_line_streamed_as_whole)
{
    ctl_options o;
    ctl_options_init(&o);
    static const char tsv[] = "項番\tタイトル\t本文\nI. 1.\ta\tb\nI. 1. 1.\tc\td\n";
    same_at_every_cut(tsv, sizeof tsv - 1, "tsv", "csv", &o);
    static const char sep[] = "sep=;\n項番;タイトル;本文\nI. 1.;a;b\nI. 1. 1.;c;d\n";
    same_at_every_cut(sep, sizeof sep - 1, "csv", "json", &o);
}
END_TEST

START_TEST(text_streamed_as_whole)
{
    ctl_options o;
    ctl_options_init(&o);
    static const char text[] =
        "クラウドサービス提供における情報セキュリティ対策ガイドライン\n"
        "注記の行\r\n"
        "ISMS\t項番\t対策項目\t区分\n"
        "\tII. 1.\t情報セキュリティのための方針群\t\n"
        "\tII. 1. 1.\t方針\t\n"
        "\tII. 1. 1. 1\t文書化する\t基本\n"
        "A.5.1.1\n"
        "\fクラウドサービス提供における情報セキュリティ対策ガイドライン\n"
        "\tII. 1. 1. 2\t見直す\t推奨\r"
        "何か\n";
    same_at_every_cut(text, sizeof text - 1, "text", "json", &o);
}
END_TEST

START_TEST(jsonl_streamed_as_whole)
{
    ctl_options o;
    ctl_options_init(&o);
    static const char own[] =
        "{\"format\": \"ctlconv-list\", \"version\": 2, \"title\": \"t\"}\n"
        "{\"id\": \"I.1\", \"level\": 1, \"title\": \"a\"}\r\n"
        "\n"
        "{\"id\": \"I.1.1\", \"level\": 2, \"title\": \"b\\u3042\", \"isms\": [\"A.5.1.1\"]}\n";
    same_at_every_cut(own, sizeof own - 1, "jsonl", "csv", &o);
    static const char records[] = "{\"id\": \"1.1\", \"title\": \"a\"}\n{\"id\": \"1.2\", \"title\": \"b\"}\n";
    same_at_every_cut(records, sizeof records - 1, "jsonl", "csv", &o);
    same_at_every_cut(records, sizeof records - 1, NULL, "csv", &o);
}
END_TEST

START_TEST(given_encoding_streamed)
{
    ctl_options o;
    ctl_options_init(&o);
    o.encoding = "CP932";
    /* 項番,タイトル,本文 / I. 1.,方針,本文 in CP932 */
    static const char cp[] = "\x8D\x80\x94\xD4,\x83\x5E\x83\x43\x83\x67\x83\x8B,\x96\x7B\x95\xB6\n"
                             "I. 1.,\x95\xFB\x90\x6A,\x96\x7B\x95\xB6\n"
                             "I. 1. 1.,\xB1\xB2,x\n";
    same_at_every_cut(cp, sizeof cp - 1, "csv", "json", &o);
    same_at_every_cut(cp, sizeof cp - 1, NULL, "json", &o);
}
END_TEST

START_TEST(contradicting_byte_is_an_error)
{
    /* UTF-8 in the first part, then a CP932 byte pair: streamed, it is an
     * error naming the encoding, never a guess */
    ctl_buf b = {0};
    ck_assert(ctl_buf_adds(&b, "項番,タイトル,本文\n"));
    for (int i = 0; i < 50; i++) ck_assert(ctl_buf_printf(&b, "I. 1. %d.,方針,本文\n", i + 1));
    ck_assert(ctl_buf_adds(&b, "I. 2.,\x95\xFB\x90\x6A,x\n"));
    const char *in = path_of("in");
    put_file(in, b.data, b.len);
    ctl_test_stream_head(64);
    ctl_options o;
    ctl_options_init(&o);
    unsigned char *out;
    size_t n;
    char msg[512];
    ck_assert_int_eq(convert(in, "csv", "csv", &o, &out, &n, msg, sizeof msg), CTL_EINPUT);
    ck_assert_msg(strstr(msg, "undecodable") && strstr(msg, "not valid UTF-8: undecodable byte 0x95") &&
                  strstr(msg, "name its encoding"), "%s", msg);
    ck_assert(out == NULL);   /* a file output stays atomic */
    ctl_buf_free(&b);
}
END_TEST

START_TEST(streamed_line_is_bounded)
{
    /* a streamed input holds a line at a time, under the input-size limit */
    ctl_buf b = {0};
    ck_assert(ctl_buf_adds(&b, "項番,タイトル,本文\nI. 1.,a,\""));
    for (int i = 0; i < 400; i++) ck_assert(ctl_buf_adds(&b, "0123456789"));
    ck_assert(ctl_buf_adds(&b, "\"\n"));
    const char *in = path_of("in");
    put_file(in, b.data, b.len);
    ctl_test_stream_head(32);
    ctl_options o;
    ctl_options_init(&o);
    o.limit[CTL_LIMIT_INPUT_SIZE] = 1000;
    unsigned char *out;
    size_t n;
    char msg[512];
    ck_assert_int_eq(convert(in, "csv", "csv", &o, &out, &n, msg, sizeof msg), CTL_ELIMIT);
    ck_assert_msg(strstr(msg, "a line longer than the limit of 1000 bytes"), "%s", msg);
    /* the whole input is over the limit too, and the same input read whole
     * is refused as before */
    ctl_test_stream_head(0);
    ck_assert_int_eq(convert(in, "csv", "csv", &o, &out, &n, msg, sizeof msg), CTL_ELIMIT);
    ck_assert_msg(strstr(msg, "input is larger than the limit of 1000 bytes"), "%s", msg);
    ctl_buf_free(&b);
}
END_TEST

static Suite *stream_suite(void)
{
    Suite *s = suite_create("stream");
    TCase *t = tcase_create("decoder");
    use_ctx_fixture(t);
    tcase_add_loop_test(t, decoder_cut_anywhere, 0, (int)(sizeof cases / sizeof *cases));
    tcase_add_test(t, decoder_faults_where_they_are);
    tcase_add_test(t, fast_validation_agrees);
    tcase_add_test(t, memory_lines_keep_their_ends);
    suite_add_tcase(s, t);
    TCase *c = tcase_create("conversions");
    use_tmp_dir_fixture(c);
    tcase_set_timeout(c, 120);
    tcase_add_test(c, csv_streamed_as_whole);
    tcase_add_test(c, csv_errors_streamed_as_whole);
    tcase_add_test(c, tsv_and_sep_line_streamed_as_whole);
    tcase_add_test(c, text_streamed_as_whole);
    tcase_add_test(c, jsonl_streamed_as_whole);
    tcase_add_test(c, given_encoding_streamed);
    tcase_add_test(c, contradicting_byte_is_an_error);
    tcase_add_test(c, streamed_line_is_bounded);
    suite_add_tcase(s, c);
    return s;
}

int main(void)
{
    return run_suite(stream_suite());
}
