/* SPDX-License-Identifier: BSD-2-Clause */
/* Batch mode of the ctlconv command (-d OUTDIR): the inputs named, listed
 * (--files-from) and found in folders (-r); one output per input and
 * format, named after the input; the refusals made before anything is
 * written; worker processes (-j) that convert one input at a time and
 * report back over a pipe, so that a crash fails one input only; the
 * progress bar, the records of --diagnostics json and the summary. */
#include "cli.h"
#include "ctlconv.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { JOBS_MAX = 256 };

typedef struct {
    char *path;   /* as named, or the folder named joined with rel */
    char *rel;    /* the path under the folder named (-r), else NULL */
    dev_t dev;
    ino_t ino;
    int known;    /* dev and ino are set (the input exists) */
} batch_input;

struct batch {
    const char *outdir, *files_from;
    int recursive, nul, jobs, json, quiet;
    batch_input *in;
    size_t n, cap, skipped;
    char **out;   /* n * n_fmt output paths, input by input */
    size_t n_fmt;
    const ctl_format *const *fmts;
    struct stat outdir_st;
    int outdir_exists;
};

batch *batch_new(void)
{
    return calloc(1, sizeof(batch));
}

void batch_free(batch *b)
{
    if (!b) return;
    for (size_t i = 0; i < b->n; i++) {
        free(b->in[i].path);
        free(b->in[i].rel);
    }
    if (b->out)
        for (size_t i = 0; i < b->n * b->n_fmt; i++) free(b->out[i]);
    free(b->in);
    free(b->out);
    free(b);
}

int batch_option(batch *b, const char *name, const char *arg)
{
    if (!strcmp(name, "output-dir")) {
        if (!*arg) return ctlconv_usage_error("%s", "-d needs a folder name, not ''");
        b->outdir = arg;
    } else if (!strcmp(name, "files-from")) {
        if (!*arg) return ctlconv_usage_error("%s", "--files-from needs a file name, not '' ('-' is standard input)");
        b->files_from = arg;
    } else if (!strcmp(name, "recursive")) {
        b->recursive = 1;
    } else if (!strcmp(name, "null")) {
        b->nul = 1;
    } else if (!strcmp(name, "jobs")) {
        char *end;
        errno = 0;
        long v = strtol(arg, &end, 10);
        if (errno || end == arg || *end || v < 1 || v > JOBS_MAX || arg[0] < '0' || arg[0] > '9')
            return ctlconv_usage_error("-j takes a number of workers from 1 to %d, not '%s'", JOBS_MAX, arg);
        b->jobs = (int)v;
    }
    return 0;
}

void batch_set_report(batch *b, int json, int quiet)
{
    b->json = json;
    b->quiet = quiet;
}

int batch_wanted(const batch *b)
{
    return b->outdir || b->files_from || b->recursive || b->nul || b->jobs;
}

/* ------------------------------------------------------------------------
 * The inputs
 * ---------------------------------------------------------------------- */

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a);
    int slash = la && a[la - 1] != '/';
    char *s = malloc(la + slash + strlen(b) + 1);
    if (s) sprintf(s, "%s%s%s", a, slash ? "/" : "", b);
    return s;
}

static int out_of_memory(void)
{
    fprintf(stderr, "ctlconv: out of memory\n");
    return ctl_status_exit_code(CTL_ENOMEM);
}

/* Adds one input (path and rel are copied); 0 or the exit status. */
static int add_input(batch *b, const char *path, const char *rel)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        batch_input *in = realloc(b->in, cap * sizeof *in);
        if (!in) return out_of_memory();
        b->in = in;
        b->cap = cap;
    }
    batch_input *x = &b->in[b->n];
    memset(x, 0, sizeof *x);
    x->path = strdup(path);
    x->rel = rel ? strdup(rel) : NULL;
    if (!x->path || (rel && !x->rel)) {
        free(x->path);
        free(x->rel);
        return out_of_memory();
    }
    struct stat st;
    if (stat(path, &st) == 0) {
        x->dev = st.st_dev;
        x->ino = st.st_ino;
        x->known = 1;
    }
    b->n++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files under root/sub (sub "" for root itself) whose extension names
 * a format ctlconv knows, in name order; names beginning with '.', links
 * to folders and the output folder are passed over.  0 or the exit
 * status. */
static int walk(batch *b, const char *root, const char *sub)
{
    char *dir = *sub ? join(root, sub) : strdup(root);
    if (!dir) return out_of_memory();
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "ctlconv: %s: cannot read the folder: %s\n", dir, strerror(errno));
        free(dir);
        return ctl_status_exit_code(CTL_EIO);
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            char **more = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof *names);
            if (!more) { rc = out_of_memory(); break; }
            names = more;
        }
        if (!(names[n] = strdup(e->d_name))) { rc = out_of_memory(); break; }
        n++;
    }
    closedir(d);
    if (!rc && n) qsort(names, n, sizeof *names, by_name);   /* an empty folder: names is NULL */
    for (size_t i = 0; i < n && !rc; i++) {
        char *full = join(dir, names[i]), *rel = *sub ? join(sub, names[i]) : strdup(names[i]);
        struct stat st;
        if (!full || !rel) rc = out_of_memory();
        else if (lstat(full, &st) == 0 && !S_ISLNK(st.st_mode) && S_ISDIR(st.st_mode)) {
            int is_out = b->outdir_exists && st.st_dev == b->outdir_st.st_dev && st.st_ino == b->outdir_st.st_ino;
            if (!is_out) rc = walk(b, root, rel);
        } else if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
            if (ctl_format_by_extension(names[i])) rc = add_input(b, full, rel);
            else b->skipped++;
        }
        free(full);
        free(rel);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    free(dir);
    return rc;
}

/* One input named (on the command line or in --files-from): a file, or a
 * folder to walk with -r.  0 or the exit status. */
static int add_named(batch *b, const char *path)
{
    if (!*path) return ctlconv_usage_error("%s", "an input needs a file name, not ''");
    if (!strcmp(path, "-"))
        return ctlconv_usage_error("%s", "with -d, standard input ('-') gives no name to name an output "
                                   "after: save it to a file first");
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (!b->recursive)
            return ctlconv_usage_error("%s is a folder: give -r to convert the files in it", path);
        return walk(b, path, "");
    }
    return add_input(b, path, NULL);
}

/* The names in --files-from, separated by newlines (one CR before each
 * newline dropped: CRLF) or by NUL with -0 (every byte kept); empty names
 * are passed over.  0 or the exit status. */
static int add_listed(batch *b)
{
    int std = !strcmp(b->files_from, "-");
    FILE *f = std ? stdin : fopen(b->files_from, "r");
    if (!f) {
        fprintf(stderr, "ctlconv: %s: cannot read the list of inputs: %s\n", b->files_from, strerror(errno));
        return ctl_status_exit_code(CTL_EIO);
    }
    char *line = NULL;
    size_t size = 0;
    ssize_t len;
    int rc = 0, delim = b->nul ? '\0' : '\n';
    while (!rc && (len = getdelim(&line, &size, delim, f)) != -1) {
        if (len && line[len - 1] == delim) line[--len] = '\0';
        if (!b->nul && len && line[len - 1] == '\r') line[--len] = '\0';   /* a list written on Windows */
        if (len && strlen(line) != (size_t)len)
            rc = ctlconv_usage_error("%s: a name in the list holds a NUL byte: give -0 for a list "
                                     "separated by NUL", b->files_from);
        else if (len) rc = add_named(b, line);
    }
    if (!rc && ferror(f)) {
        fprintf(stderr, "ctlconv: %s: cannot read the list of inputs\n", b->files_from);
        rc = ctl_status_exit_code(CTL_EIO);
    }
    free(line);
    if (!std) fclose(f);
    return rc;
}

/* ------------------------------------------------------------------------
 * The outputs
 * ---------------------------------------------------------------------- */

/* The extension of a format's outputs: its first, else from its name
 * (oscal-json -> "oscal.json", ciso-xlsx -> "ciso.xlsx"). */
static void extension_of(const ctl_format *f, char *buf, size_t size)
{
    if (f->extensions && f->extensions[0]) {
        snprintf(buf, size, "%s", f->extensions[0]);
        return;
    }
    snprintf(buf, size, "%s", f->name);
    char *dash = strrchr(buf, '-');
    if (dash) *dash = '.';
}

/* outdir/[dir of rel/]stem.ext for input x, stem its name without its
 * last extension. */
static char *output_path(const batch *b, const batch_input *x, const char *ext)
{
    const char *name = x->rel ? x->rel : x->path;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t dirlen = x->rel ? (size_t)(base - name) : 0;
    const char *dot = strrchr(base, '.');
    size_t stemlen = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    size_t olen = strlen(b->outdir);
    while (olen > 1 && b->outdir[olen - 1] == '/') olen--;
    size_t n = olen + 1 + dirlen + stemlen + 1 + strlen(ext) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%.*s%s%.*s%.*s.%s", (int)olen, b->outdir, b->outdir[olen - 1] == '/' ? "" : "/",
                 (int)dirlen, name, (int)stemlen, base, ext);
    return s;
}

static int make_outputs(batch *b)
{
    if (!(b->out = calloc(b->n * b->n_fmt + 1, sizeof *b->out))) return out_of_memory();
    for (size_t k = 0; k < b->n_fmt; k++) {
        char ext[64];
        extension_of(b->fmts[k], ext, sizeof ext);
        for (size_t i = 0; i < b->n; i++)
            if (!(b->out[i * b->n_fmt + k] = output_path(b, &b->in[i], ext))) return out_of_memory();
    }
    return 0;
}

static const batch *sort_batch;   /* for the comparisons below (qsort has no user pointer) */

static int by_file(const void *pa, const void *pb)
{
    const batch_input *a = &sort_batch->in[*(const size_t *)pa], *b = &sort_batch->in[*(const size_t *)pb];
    if (a->known != b->known) return a->known - b->known;
    if (a->dev != b->dev) return a->dev < b->dev ? -1 : 1;
    if (a->ino != b->ino) return a->ino < b->ino ? -1 : 1;
    return 0;
}

static int by_output(const void *pa, const void *pb)
{
    return strcmp(sort_batch->out[*(const size_t *)pa], sort_batch->out[*(const size_t *)pb]);
}

/* An output that another output needs as a folder (in/a.csv writes
 * out/a.json, in/a.json/b.csv out/a.json/b.json): each folder above each
 * output looked for among the outputs, oidx sorted by_output.  0 or the
 * exit status. */
static int file_over_folder(const batch *b, const size_t *oidx, size_t n_out)
{
    for (size_t i = 0; i < n_out; i++) {
        const char *path = b->out[oidx[i]];
        for (const char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
            size_t len = (size_t)(slash - path), lo = 0, hi = n_out;
            while (lo < hi) {   /* the output spelled as path's first len bytes */
                size_t mid = (lo + hi) / 2;
                const char *m = b->out[oidx[mid]];
                int c = strncmp(m, path, len);
                if (!c && m[len]) c = 1;
                if (!c)
                    return ctlconv_usage_error("%s would be written as %s, a file where %s needs a folder: nothing "
                                               "written (convert them into different folders)",
                                               b->in[oidx[mid] / b->n_fmt].path, m, b->in[oidx[i] / b->n_fmt].path);
                if (c < 0) lo = mid + 1;
                else hi = mid;
            }
        }
    }
    return 0;
}

/* The refusals made before anything is written: the same input twice, two
 * inputs writing one output, an output that is one of the inputs, an
 * output file where another output needs a folder.  0 or the exit
 * status. */
static int refusals(batch *b)
{
    size_t n_out = b->n * b->n_fmt;
    size_t *idx = malloc((n_out > b->n ? n_out : b->n) * sizeof *idx + 1);
    if (!idx) return out_of_memory();
    int rc = 0;
    sort_batch = b;
    for (size_t i = 0; i < b->n; i++) idx[i] = i;
    qsort(idx, b->n, sizeof *idx, by_file);
    for (size_t i = 1; i < b->n && !rc; i++)
        if (b->in[idx[i]].known && !by_file(&idx[i - 1], &idx[i]))
            rc = ctlconv_usage_error("%s and %s are the same input file: name it once (nothing written)",
                                     b->in[idx[i - 1] < idx[i] ? idx[i - 1] : idx[i]].path,
                                     b->in[idx[i - 1] < idx[i] ? idx[i] : idx[i - 1]].path);
    /* idx stays sorted by file for the search below */
    size_t *oidx = rc ? NULL : malloc(n_out * sizeof *oidx + 1);
    if (!rc && !oidx) rc = out_of_memory();
    for (size_t i = 0; !rc && i < n_out; i++) oidx[i] = i;
    if (!rc) qsort(oidx, n_out, sizeof *oidx, by_output);
    for (size_t i = 1; !rc && i < n_out; i++)
        if (!by_output(&oidx[i - 1], &oidx[i]))
            rc = ctlconv_usage_error("%s and %s would both be written as %s: nothing written (convert them "
                                     "into different folders)",
                                     b->in[oidx[i - 1] / b->n_fmt].path, b->in[oidx[i] / b->n_fmt].path,
                                     b->out[oidx[i]]);
    if (!rc) rc = file_over_folder(b, oidx, n_out);
    free(oidx);
    for (size_t o = 0; !rc && b->outdir_exists && o < n_out; o++) {
        struct stat st;
        if (stat(b->out[o], &st) != 0) continue;
        batch_input key = {NULL, NULL, st.st_dev, st.st_ino, 1};
        size_t lo = 0, hi = b->n;
        while (lo < hi) {   /* idx is sorted by_file */
            size_t mid = (lo + hi) / 2;
            const batch_input *m = &b->in[idx[mid]];
            int c = m->known != 1 ? -1 : m->dev != key.dev ? (m->dev < key.dev ? -1 : 1)
                                        : m->ino != key.ino ? (m->ino < key.ino ? -1 : 1) : 0;
            if (!c) {
                rc = ctlconv_usage_error("%s would overwrite the input %s: nothing written (choose another -d)",
                                         b->out[o], b->in[idx[mid]].path);
                break;
            }
            if (c < 0) lo = mid + 1;
            else hi = mid;
        }
    }
    free(idx);
    return rc;
}

/* mkdir -p of path's first len bytes (the deepest folder tried first, its
 * parents only when it is missing); 0 or errno. */
static int make_folders(const char *path, size_t len)
{
    while (len > 1 && path[len - 1] == '/') len--;
    char *p = strndup(path, len);
    if (!p) return ENOMEM;
    int err = 0;
    if (mkdir(p, 0777) != 0) err = errno;
    if (err == ENOENT) {
        char *slash = strrchr(p, '/');
        err = slash && slash > p ? make_folders(p, (size_t)(slash - p)) : ENOENT;
        if (!err && mkdir(p, 0777) != 0) err = errno;
    }
    struct stat st;
    if (err == EEXIST) err = stat(p, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    free(p);
    return err;
}

/* make_folders for the folder of an output: once per folder in a row (a
 * worker's inputs mostly share one). */
static int output_folder(const char *out, size_t len)
{
    static char *last;
    if (last && strlen(last) == len && !memcmp(last, out, len)) return 0;
    int err = make_folders(out, len);
    if (!err) {
        free(last);
        last = strndup(out, len);
    }
    return err;
}

/* ------------------------------------------------------------------------
 * The workers
 * ---------------------------------------------------------------------- */

/* What a worker sends back for one input, followed by text_len bytes of
 * its diagnostics as printed. */
typedef struct {
    uint32_t index;
    int32_t exit, code;
    uint64_t items, warnings;
    uint64_t text_len;
} record;

typedef struct {
    pid_t pid;
    int task, result;   /* descriptors: indexes to it, records from it */
    long busy;          /* the input in hand, or -1 */
} worker;

static int write_full(int fd, const void *buf, size_t len)
{
    for (const char *p = buf; len;) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Bytes read (len, or fewer at the end of the pipe), or -1. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, (char *)buf + got, len - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return -1;
        if (r == 0) break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* A worker that crashes removes its temporary files first. */
static void on_crash(int sig)
{
    ctl_remove_temporaries();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Converts input i in a worker: its output folders, then the conversion,
 * its diagnostics caught as text. */
static void convert_one(const batch *b, uint32_t i, int result, batch_convert_fn fn, void *user)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len), *saved = stderr;
    if (mem) stderr = mem;
    size_t counts[2] = {0, 0};
    int code = -1, rc = 0;
    const char *outs[CTL_OUTPUTS_MAX];
    for (size_t k = 0; k < b->n_fmt; k++) {
        outs[k] = b->out[i * b->n_fmt + k];
        const char *slash = strrchr(outs[k], '/');
        int err = slash && slash > outs[k] ? output_folder(outs[k], (size_t)(slash - outs[k])) : 0;
        if (err && !rc) {
            fprintf(stderr, "ctlconv: %.*s: cannot create the folder: %s\n", (int)(slash - outs[k]), outs[k],
                    strerror(err));
            rc = ctl_status_exit_code(err == ENOMEM ? CTL_ENOMEM : CTL_EIO);
            code = err == ENOMEM ? CTL_D_OUT_OF_MEMORY : CTL_D_IO_ERROR;
        }
    }
    if (!rc) rc = fn(user, b->in[i].path, b->n_fmt, outs, b->fmts, counts, &code);
    if (mem) {
        fclose(mem);
        stderr = saved;
    }
    record r = {i, rc, code, counts[0], counts[1], text ? len : 0};
    if (write_full(result, &r, sizeof r) || (r.text_len && write_full(result, text, len))) {
        free(text);
        exit(ctl_status_exit_code(CTL_EIO));
    }
    free(text);
}

static void worker_main(const batch *b, int task, int result, batch_convert_fn fn, void *user)
{
    static const int crashes[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t k = 0; k < sizeof crashes / sizeof *crashes; k++) signal(crashes[k], on_crash);
    uint32_t i;
    while (read_full(task, &i, sizeof i) == (ssize_t)sizeof i && i < b->n) convert_one(b, i, result, fn, user);
    close(task);
    close(result);
}

/* The signals that end the batch: the parent passes them on to its
 * workers, which remove their temporary files (main's handler) and end. */
static const int ending[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
enum { N_ENDING = sizeof ending / sizeof *ending };
static struct sigaction ending_before[N_ENDING];   /* as main set them: the workers' */
static struct sigaction pipe_before;
static volatile pid_t worker_pids[JOBS_MAX];

static void pass_on(int sig)
{
    for (size_t k = 0; k < JOBS_MAX; k++)
        if (worker_pids[k] > 0) kill(worker_pids[k], sig);
    for (size_t i = 0; i < N_ENDING; i++)
        if (ending[i] == sig) sigaction(sig, &ending_before[i], NULL);
    raise(sig);   /* main's handler (or the default) once this one returns */
}

/* While the workers run: SIGPIPE ignored (a worker gone is a record
 * missing), the ending signals passed on.  A signal ignored when ctlconv
 * started stays ignored. */
static void parent_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, &pipe_before);
    sa.sa_handler = pass_on;
    sigfillset(&sa.sa_mask);
    for (size_t i = 0; i < N_ENDING; i++) {
        sigaction(ending[i], NULL, &ending_before[i]);
        if (ending_before[i].sa_handler != SIG_IGN) sigaction(ending[i], &sa, NULL);
    }
}

/* The signals as main set them (in a worker, and after the run). */
static void main_signals(void)
{
    sigaction(SIGPIPE, &pipe_before, NULL);
    for (size_t i = 0; i < N_ENDING; i++) sigaction(ending[i], &ending_before[i], NULL);
}

/* Starts worker k (w[0..n_w) the others, whose descriptors it closes). */
static int start_worker(const batch *b, worker *w, size_t n_w, size_t k, batch_convert_fn fn, void *user)
{
    int task[2], result[2];
    if (pipe(task) != 0) return -1;
    if (pipe(result) != 0) {
        close(task[0]);
        close(task[1]);
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    /* the ending signals wait until the child has main's handlers and the
     * parent knows the child */
    sigset_t block, before;
    sigemptyset(&block);
    for (size_t i = 0; i < N_ENDING; i++) sigaddset(&block, ending[i]);
    sigprocmask(SIG_BLOCK, &block, &before);
    pid_t pid = fork();
    if (pid != 0) {
        if (pid > 0) worker_pids[k] = pid;
        sigprocmask(SIG_SETMASK, &before, NULL);
    }
    if (pid < 0) {
        close(task[0]);
        close(task[1]);
        close(result[0]);
        close(result[1]);
        return -1;
    }
    if (pid == 0) {
        main_signals();
        memset((void *)worker_pids, 0, sizeof worker_pids);
        sigprocmask(SIG_SETMASK, &before, NULL);
        for (size_t j = 0; j < n_w; j++) {
            if (j == k) continue;
            if (w[j].task >= 0) close(w[j].task);
            if (w[j].result >= 0) close(w[j].result);
        }
        close(task[1]);
        close(result[0]);
        worker_main(b, task[0], result[1], fn, user);
        exit(0);
    }
    close(task[0]);
    close(result[1]);
    w[k].pid = pid;
    w[k].task = task[1];
    w[k].result = result[0];
    w[k].busy = -1;
    return 0;
}

/* ------------------------------------------------------------------------
 * The run: records, progress, summary
 * ---------------------------------------------------------------------- */

typedef struct {
    size_t done, converted, failed, outputs;
    unsigned long long warnings;
    int rc;
    struct timespec start;
    int progress;   /* draw the bar (stderr is a terminal) */
    int drawn;      /* a bar is on the screen */
    struct timespec last;
} tally;

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void clear_progress(tally *t)
{
    if (!t->drawn) return;
    fputs("\r\033[K", stderr);
    t->drawn = 0;
}

/* "[#####.....] 312/1000  421 files/s  in/x.csv", one line redrawn. */
static void draw_progress(tally *t, const batch *b, const worker *w, size_t n_w, int force)
{
    if (!t->progress || (!force && t->drawn && seconds_since(&t->last) < 0.1)) return;
    clock_gettime(CLOCK_MONOTONIC, &t->last);
    struct winsize ws;
    int cols = ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20 ? ws.ws_col : 80;
    const char *file = "";
    for (size_t k = 0; k < n_w; k++)
        if (w[k].busy >= 0) file = b->in[w[k].busy].path;
    enum { BAR = 20 };
    char bar[BAR + 1];
    size_t fill = b->n ? t->done * BAR / b->n : BAR;
    for (size_t i = 0; i < BAR; i++) bar[i] = i < fill ? '#' : '.';
    bar[BAR] = '\0';
    double secs = seconds_since(&t->start);
    char head[128];
    int n = snprintf(head, sizeof head, "[%s] %zu/%zu  %.0f files/s  ", bar, t->done, b->n,
                     secs > 0 ? (double)t->done / secs : 0.0);
    int room = cols - 1 - n;
    size_t flen = strlen(file);
    if (room < 4) fprintf(stderr, "\r%s\033[K", head);
    else if (flen <= (size_t)room) fprintf(stderr, "\r%s%s\033[K", head, file);
    else fprintf(stderr, "\r%s...%s\033[K", head, file + flen - (size_t)(room - 3));
    fflush(stderr);
    t->drawn = 1;
}

/* The record of one input: its diagnostics, and with json its line. */
static void report(const batch *b, tally *t, const record *r, const char *text)
{
    clear_progress(t);
    if (r->text_len) fwrite(text, 1, r->text_len, stderr);
    int ok = r->exit == 0;
    t->done++;
    if (ok) {
        t->converted++;
        t->outputs += b->n_fmt;
    } else {
        t->failed++;
    }
    t->warnings += r->warnings;
    if (r->exit > t->rc) t->rc = r->exit;
    if (!b->json) return;
    fputs("{\"record\":\"input\",\"input\":", stderr);
    ctlconv_json_string(stderr, b->in[r->index].path);
    fprintf(stderr, ",\"status\":\"%s\",\"exit\":%d,\"items\":%llu,\"warnings\":%llu,\"errors\":%d,\"outputs\":[",
            ok ? "ok" : "failed", (int)r->exit, (unsigned long long)r->items, (unsigned long long)r->warnings,
            ok ? 0 : 1);
    for (size_t k = 0; ok && k < b->n_fmt; k++) {
        if (k) fputc(',', stderr);
        ctlconv_json_string(stderr, b->out[r->index * b->n_fmt + k]);
    }
    fputs("],\"code\":", stderr);
    const char *name = r->code >= 0 ? ctl_diag_name((ctl_diag)r->code) : NULL;
    if (ok || !name) fputs("null", stderr);
    else ctlconv_json_string(stderr, name);
    fputs("}\n", stderr);
}

/* A worker ended with input busy in hand and no record: that input failed. */
static void report_crash(const batch *b, tally *t, long busy, int status)
{
    char msg[256];
    if (WIFSIGNALED(status))
        snprintf(msg, sizeof msg, "the worker converting it was killed by signal %d (%s): nothing written for it",
                 WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        snprintf(msg, sizeof msg, "the worker converting it ended with status %d: nothing written for it",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    FILE *out = mem ? mem : stderr;
    if (b->json) ctlconv_json_diag(out, CTL_D_INTERNAL, b->in[busy].path, 0, "", msg, CTL_LIMIT_COUNT);
    else fprintf(out, "ctlconv: %s: %s [%s]\n", b->in[busy].path, msg, ctl_diag_name(CTL_D_INTERNAL));
    if (mem) fclose(mem);
    record r = {(uint32_t)busy, ctl_status_exit_code(CTL_EINTERNAL), CTL_D_INTERNAL, 0, 0, mem && text ? len : 0};
    report(b, t, &r, text);
    free(text);
}

static void summary(const batch *b, const tally *t)
{
    double secs = seconds_since(&t->start);
    if (b->json) {
        fprintf(stderr, "{\"record\":\"summary\",\"inputs\":%zu,\"converted\":%zu,\"failed\":%zu,"
                        "\"warnings\":%llu,\"outputs\":%zu,\"skipped\":%zu,\"exit\":%d,\"seconds\":%.3f}\n",
                b->n, t->converted, t->failed, t->warnings, t->outputs, b->skipped, t->rc, secs);
        return;
    }
    if (b->quiet) return;
    fprintf(stderr, "ctlconv: %zu input%s: %zu converted, %zu failed; %llu warning%s; %zu output%s written "
                    "in %s in %.2f s",
            b->n, b->n == 1 ? "" : "s", t->converted, t->failed, t->warnings, t->warnings == 1 ? "" : "s",
            t->outputs, t->outputs == 1 ? "" : "s", b->outdir, secs);
    if (b->skipped)
        fprintf(stderr, "; %zu file%s in the folders skipped (no extension ctlconv knows)", b->skipped,
                b->skipped == 1 ? "" : "s");
    fputs("\n", stderr);
}

/* Hands worker k its next input, or closes its task pipe when none is
 * left. */
static void dispatch(worker *w, size_t *next, size_t n)
{
    if (*next < n) {
        uint32_t i = (uint32_t)*next;
        if (write_full(w->task, &i, sizeof i) == 0) {
            w->busy = (long)i;
            (*next)++;
            return;
        }
    }
    close(w->task);   /* no more, or it cannot take one: it ends */
    w->task = -1;
}

/* Reads worker k's record; 0, or -1 when it has ended. */
static int collect(const batch *b, tally *t, worker *w)
{
    record r;
    ssize_t got = read_full(w->result, &r, sizeof r);
    if (got == (ssize_t)sizeof r && r.index < b->n && r.text_len < ((uint64_t)1 << 31)) {
        char *text = r.text_len ? malloc(r.text_len) : NULL;
        if (!r.text_len || (text && read_full(w->result, text, r.text_len) == (ssize_t)r.text_len)) {
            report(b, t, &r, text);
            free(text);
            w->busy = -1;
            return 0;
        }
        free(text);
    }
    return -1;
}

/* A worker whose pipe has ended: waited for; its input in hand failed. */
static void reap(const batch *b, tally *t, worker *w)
{
    int status = 0;
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR) {}
    close(w->result);
    w->result = -1;
    if (w->task >= 0) close(w->task);
    w->task = -1;
    for (size_t k = 0; k < JOBS_MAX; k++)
        if (worker_pids[k] == w->pid) worker_pids[k] = 0;
    w->pid = 0;
    if (w->busy >= 0) {
        report_crash(b, t, w->busy, status);
        w->busy = -1;
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        clear_progress(t);
        fprintf(stderr, "ctlconv: a worker process ended with status %d after its last input\n",
                WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        t->rc = ctl_status_exit_code(CTL_EINTERNAL);
    }
}

static int run_workers(const batch *b, tally *t, batch_convert_fn fn, void *user)
{
    size_t n_w = (size_t)b->jobs < b->n ? (size_t)b->jobs : b->n, next = 0, alive = 0;
    worker w[JOBS_MAX];
    struct pollfd pfd[JOBS_MAX];
    for (size_t k = 0; k < n_w; k++) w[k] = (worker){0, -1, -1, -1};
    for (size_t k = 0; k < n_w; k++) {
        if (start_worker(b, w, n_w, k, fn, user) != 0) break;
        alive++;
        dispatch(&w[k], &next, b->n);
    }
    if (!alive && b->n) {
        fprintf(stderr, "ctlconv: cannot start a worker process: %s\n", strerror(errno));
        return ctl_status_exit_code(CTL_EINTERNAL);
    }
    while (alive) {
        size_t np = 0, who[JOBS_MAX];
        for (size_t k = 0; k < n_w; k++)
            if (w[k].result >= 0) {
                pfd[np] = (struct pollfd){w[k].result, POLLIN, 0};
                who[np++] = k;
            }
        int ready = poll(pfd, np, t->progress ? 200 : -1);
        if (ready < 0 && errno != EINTR) break;
        for (size_t p = 0; ready > 0 && p < np; p++) {
            if (!pfd[p].revents) continue;
            worker *x = &w[who[p]];
            if (collect(b, t, x) == 0) {
                dispatch(x, &next, b->n);
                continue;
            }
            reap(b, t, x);
            alive--;
            /* a crash leaves inputs to do: a new worker in its place */
            if (next < b->n && start_worker(b, w, n_w, who[p], fn, user) == 0) {
                alive++;
                dispatch(x, &next, b->n);
            }
        }
        draw_progress(t, b, w, n_w, 0);
    }
    /* inputs never handed out (no worker could be started again) */
    for (; next < b->n; next++) {
        record r = {(uint32_t)next, ctl_status_exit_code(CTL_EINTERNAL), CTL_D_INTERNAL, 0, 0, 0};
        report(b, t, &r, NULL);
    }
    return 0;
}

int batch_run(batch *b, char **args, int n_args, size_t n_fmt, const ctl_format *const *fmts,
              batch_convert_fn fn, void *user)
{
    b->n_fmt = n_fmt;
    b->fmts = fmts;
    if (b->nul && !b->files_from) return ctlconv_usage_error("%s", "-0 applies to the list of --files-from: give it");
    if (!b->outdir) {
        if (n_args > 1)
            return ctlconv_usage_error("one input at a time without -d ('%s' is extra): give -d OUTDIR to convert "
                                       "several, one output each", args[1]);
        if (n_fmt > 1)
            return ctlconv_usage_error("%s", "several formats after -t write several files: give -d OUTDIR");
        return ctlconv_usage_error("%s needs -d OUTDIR, the folder of the outputs",
                                   b->files_from ? "--files-from" : b->recursive ? "-r" : "-j");
    }
    if (!n_args && !b->files_from)
        return ctlconv_usage_error("%s", "-d needs the inputs to convert (files, folders with -r, or --files-from)");
    b->outdir_exists = stat(b->outdir, &b->outdir_st) == 0;
    if (b->outdir_exists && !S_ISDIR(b->outdir_st.st_mode))
        return ctlconv_usage_error("-d %s is not a folder", b->outdir);
    int rc = 0;
    for (int i = 0; i < n_args && !rc; i++) rc = add_named(b, args[i]);
    if (!rc && b->files_from) rc = add_listed(b);
    if (!rc) rc = make_outputs(b);
    if (!rc) rc = refusals(b);
    if (rc) return rc;
    int err = b->n ? make_folders(b->outdir, strlen(b->outdir)) : 0;
    if (err) {
        fprintf(stderr, "ctlconv: %s: cannot create the folder: %s\n", b->outdir, strerror(err));
        return ctl_status_exit_code(err == ENOMEM ? CTL_ENOMEM : CTL_EIO);
    }
    if (!b->jobs) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        b->jobs = cores < 1 ? 1 : cores > JOBS_MAX ? JOBS_MAX : (int)cores;
    }
    tally t;
    memset(&t, 0, sizeof t);
    clock_gettime(CLOCK_MONOTONIC, &t.start);
    t.progress = !b->quiet && !b->json && isatty(2);
    parent_signals();
    rc = run_workers(b, &t, fn, user);
    main_signals();
    clear_progress(&t);
    if (rc > t.rc) t.rc = rc;
    summary(b, &t);
    return t.rc;
}
