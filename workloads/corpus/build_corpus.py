#!/usr/bin/env python3
# Copyright flashtok authors. SPDX-License-Identifier: MIT
"""Builds the real-text benchmark corpus from text shipped in Debian 12 packages.

    build_corpus.py OUT_DIR [--kind-bytes N] [--script-bytes N] [--jobs N]

Writes prose.txt, code.txt, chat.txt, multilingual.txt, adversarial.txt, the per-script
files multilingual/<script>.txt and manifest.json (every source file with its package,
version, SHA-256 and the bytes taken; each package's licence; bytes, lines and the share
of distinct lines of each output). Only files of the packages named in packages.txt
(beside this script) are read, found with dpkg-query, so the output depends on those
packages' versions only: file lists are sorted, sampling uses a fixed seed, nothing
depends on mtimes, the locale or other installed packages. Python standard library only;
man pages are rendered with mandoc. See README.md beside this file.
"""
import argparse
import bisect
import gzip
import hashlib
import json
import os
import random
import re
import struct
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20260101
MAN_SOURCE_LIMIT = 60_000                                         # bytes of troff source
KINDS = ("prose", "code", "chat", "multilingual", "adversarial")
ENV = {"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin", "GROFF_NO_SGR": "1"}


# ---------------------------------------------------------------------------------------------
# Packages and the files they ship

class Packages:
    def __init__(self, names):
        self.names = names
        self.version = {}
        self.files = {}
        self.missing = []
        status = subprocess.run(["dpkg-query", "-W", "-f=${Package}\t${db:Status-Abbrev}\t${Version}\n"] + names,
                                capture_output=True, text=True, env=ENV).stdout
        for line in status.splitlines():
            name, state, version = line.split("\t")
            if state.startswith("ii"):
                self.version[name.split(":")[0]] = version
        for name in names:
            if name not in self.version:
                self.missing.append(name)
                continue
            lists = [f"/var/lib/dpkg/info/{name}.list", f"/var/lib/dpkg/info/{name}:amd64.list"]
            listed = next((open(l, encoding="utf-8").read().splitlines() for l in lists if os.path.exists(l)), None)
            if listed is None:
                listed = subprocess.run(["dpkg-query", "-L", name], capture_output=True, text=True,
                                        env=ENV, check=True).stdout.splitlines()
            self.files[name] = sorted(p for p in listed if os.path.isfile(p) and not os.path.islink(p))

    def find(self, packages, pattern, exclude=None):
        """(path, package) of the regular files of `packages` whose path matches `pattern`, sorted."""
        rx = re.compile(pattern)
        ex = re.compile(exclude) if exclude else None
        out = []
        for pkg in packages:
            for path in self.files.get(pkg, ()):
                if rx.search(path) and not (ex and ex.search(path)):
                    out.append((path, pkg))
        return sorted(set(out))

    def licence(self, name):
        """The licence names in /usr/share/doc/NAME/copyright (DEP-5 License: fields, or a guess)."""
        path = f"/usr/share/doc/{name}/copyright"
        try:
            text = open(path, encoding="utf-8", errors="replace").read()
        except OSError:
            return ["unknown (no copyright file)"]
        names = []
        for m in re.finditer(r"^License:[ \t]*(\S[^\n]*)", text, re.M):
            value = m.group(1).strip()
            if value and value not in names:
                names.append(value)
        if names:
            return names
        for label, rx in (("GPL-3+", r"GNU General Public License.{0,80}version 3"),
                          ("GPL-2+", r"GNU General Public License.{0,80}version 2"),
                          ("GPL", r"GNU General Public License|/usr/share/common-licenses/GPL"),
                          ("LGPL", r"GNU Lesser General Public|GNU Library General Public|common-licenses/LGPL"),
                          ("GFDL", r"GNU Free Documentation License|common-licenses/GFDL"),
                          ("Artistic", r"Artistic License|common-licenses/Artistic"),
                          ("BSD", r"BSD|Redistribution and use in source and binary forms"),
                          ("MIT/Expat", r"Permission is hereby granted, free of charge"),
                          ("public-domain", r"[Pp]ublic [Dd]omain")):
            if re.search(rx, text, re.S):
                names.append(label)
        return names or ["see " + path]


# ---------------------------------------------------------------------------------------------
# Reading text

class Reader:
    """Reads source files once; remembers their SHA-256 and why a file was refused."""

    def __init__(self):
        self.sha = {}
        self.skipped = {}
        self.cache = {}

    def raw(self, path):
        data = open(path, "rb").read()
        self.sha[path] = hashlib.sha256(data).hexdigest()
        if path.endswith(".gz"):
            data = gzip.decompress(data)
        return data

    def text(self, path, pkg):
        """The file as text, or None when it is not valid UTF-8 (or holds NUL bytes)."""
        if path in self.cache:
            return self.cache[path]
        data = self.raw(path)
        text = None
        if b"\0" in data:
            self.skipped[path] = (pkg, "binary (NUL bytes)")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                self.skipped[path] = (pkg, "not valid UTF-8")
        if text is not None:
            text = text.replace("\r\n", "\n") if "\r\n" in text and text.count("\r\n") == text.count("\n") else text
        self.cache[path] = text
        return text


def render_man(source):
    """A man page (troff source, UTF-8) rendered as plain text, 80 columns, as `man | col -bx`
    would (mandoc: one process per page, a few times quicker than groff's pipeline)."""
    run = subprocess.run(["mandoc", "-T", "utf8", "-O", "width=80"], input=source, capture_output=True, env=ENV)
    if run.returncode > 2 or not run.stdout:                       # 1-2: warnings and errors it recovered from
        return None
    try:
        text = run.stdout.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = re.sub(r".\x08", "", text).expandtabs(8)              # overstrike (bold, underline) removed: col -bx
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


class ManPages:
    """Renders man pages (in parallel, in a fixed order) and remembers them."""

    def __init__(self, reader, jobs):
        self.reader = reader
        self.pool = ThreadPoolExecutor(max_workers=jobs)
        self.done = {}
        self.asked = 0
        self.rendered = 0

    def source(self, path, pkg):
        data = self.reader.raw(path)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            self.reader.skipped[path] = (pkg, "man source not valid UTF-8")
            return None
        first = [l for l in text.split("\n") if l.strip() and not l.startswith(('.\\"', "'\\\"", '\\"'))][:1]
        if first and first[0].startswith(".so "):
            return None                                           # a link to another page
        if len(data) > MAN_SOURCE_LIMIT:
            self.reader.skipped[path] = (pkg, f"man source over {MAN_SOURCE_LIMIT} bytes (not rendered, to save time)")
            return None
        return data

    def render(self, items):
        """Yields (path, pkg, text) for items in order, rendering a few ahead."""
        items = list(items)
        self.asked += len(items)
        for start in range(0, len(items), 8):
            batch = [it for it in items[start:start + 8] if it[0] not in self.done]
            sources = [(p, k, self.source(p, k)) for p, k in batch]
            futures = [(p, k, self.pool.submit(render_man, s) if s else None) for p, k, s in sources]
            for p, k, f in futures:
                text = f.result() if f else None
                self.rendered += f is not None
                if f and text is None:
                    self.reader.skipped[p] = (k, "mandoc failed or gave invalid UTF-8")
                self.done[p] = text
            for p, k in items[start:start + 8]:
                if self.done.get(p):
                    yield p, k, self.done[p]


# ---------------------------------------------------------------------------------------------
# Units of text and how outputs are filled

class Unit:
    __slots__ = ("text", "path", "pkg", "how", "lang")

    def __init__(self, text, path, pkg, how, lang=None):
        self.text, self.path, self.pkg, self.how, self.lang = text, path, pkg, how, lang

    def size(self):
        return len(self.text.encode("utf-8"))


def utf8_cut(text, limit):
    """The longest prefix of text of at most `limit` UTF-8 bytes, preferably ending at a line end."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    cut = limit
    while cut > 0 and (data[cut] & 0xC0) == 0x80:
        cut -= 1
    nl = data.rfind(b"\n", 0, cut)
    if nl > cut // 2:
        cut = nl + 1
    return data[:cut].decode("utf-8")


def chunks(text, target):
    """text split at paragraph (else line) ends into pieces of about `target` bytes."""
    if len(text.encode("utf-8")) <= target * 3 // 2:
        return [text]
    out, cur, size = [], [], 0
    for para in re.split(r"(?<=\n)(?=\n)", text):
        n = len(para.encode("utf-8"))
        if n > target * 2:                                         # one huge paragraph: by lines
            for line in para.splitlines(keepends=True):
                cur.append(line)
                size += len(line.encode("utf-8"))
                if size >= target:
                    out.append("".join(cur)); cur, size = [], 0
            continue
        cur.append(para)
        size += n
        if size >= target:
            out.append("".join(cur)); cur, size = [], 0
    if cur:
        out.append("".join(cur))
    return [c for c in out if c.strip()]


def take(units, budget):
    """Units from the iterable until `budget` bytes; the last one cut to fit."""
    out, used = [], 0
    for u in units:
        if used >= budget:
            break
        n = u.size()
        if used + n > budget:
            u = Unit(utf8_cut(u.text, budget - used), u.path, u.pkg, u.how, u.lang)
            n = u.size()
            if n == 0:
                break
        out.append(u)
        used += n
    return out, used


def fill(sources, budget):
    """sources: [(share, iterable of Unit)]; what a source lacks goes to the ones after it, and
    what is still missing at the end comes from the sources' remaining units, in order."""
    total_share = sum(s for s, _ in sources)
    sources = [(share, iter(units)) for share, units in sources]
    out, used = [], 0
    for i, (share, units) in enumerate(sources):
        want = int(budget * sum(s for s, _ in sources[:i + 1]) / total_share) - used
        got, n = take(units, want)
        out += got
        used += n
    for _, units in sources:
        if used >= budget:
            break
        got, n = take(units, budget - used)
        out += got
        used += n
    return out


def water_fill(groups, budget, rng):
    """groups: {key: [Unit]} (each list already in its sampling order). Gives each key an equal
    share of the budget, what a small group lacks spread over the others; units interleaved."""
    keys = sorted(groups, key=lambda k: (sum(u.size() for u in groups[k]), k))
    left, out = budget, []
    for i, key in enumerate(keys):
        share = left // (len(keys) - i)
        got, used = take(groups[key], share)
        out += got
        left -= used
    rng.shuffle(out)
    return out


def sampled(items, seed):
    items = sorted(items)
    random.Random(seed).shuffle(items)
    return items


# ---------------------------------------------------------------------------------------------
# The kinds

ENGLISH_MAN = r"^/usr/share/man/man[1-8][^/]*/[^/]+\.gz$"


def man_units(man, items, how, cap, lang=None):
    for path, pkg, text in man.render(items):
        yield Unit(utf8_cut(text, cap), path, pkg, how, lang)


def file_units(reader, items, how, target, per_file=None, lang=None, seed=0, transform=None):
    """Units of about `target` bytes from the files, all pooled and shuffled (per_file: at most
    that many units of one file, taken from a seeded random place in it)."""
    pool = []
    for path, pkg in items:
        text = reader.text(path, pkg)
        if not text or not text.strip():
            continue
        if transform:
            text = transform(text)
            if not text:
                continue
        parts = chunks(text, target)
        if per_file and len(parts) > per_file:
            start = random.Random(f"{seed}:{path}").randrange(len(parts) - per_file + 1)
            parts = parts[start:start + per_file]
        pool += [Unit(p, path, pkg, how, lang) for p in parts]
    random.Random(seed).shuffle(pool)
    return pool


def build_prose(ctx, budget):
    P, R = ctx.pkgs, ctx.reader
    man_items = sampled(P.find(ctx.prose_man_packages, ENGLISH_MAN), f"{SEED}:prose:man")
    docs = P.find(["debian-faq"], r"\.en\.txt\.gz$") + P.find(["debian-reference-en"], r"\.en\.txt\.gz$")
    docs += P.find(["git"], r"^/usr/share/doc/git/(RelNotes|howto)/.*\.txt$")
    docs += P.find(ctx.all_packages, r"^/usr/share/doc/[^/]+/(README|FAQ|NEWS|TODO|AUTHORS|THANKS|HACKING)"
                   r"[^/]*(\.md|\.txt)?(\.gz)?$", exclude=r"\.(html|pdf|Debian\.gz|source)$|README\.Debian")
    fortunes = P.find(["fortunes-min"], r"^/usr/share/games/fortunes/[a-z-]+$")
    return fill([
        (0.5, man_units(ctx.man, man_items, "man page rendered by mandoc (80 columns)", 40_000)),
        (0.42, file_units(R, docs, "documentation text", 16_000, per_file=24, seed=f"{SEED}:prose:docs")),
        (0.08, file_units(R, fortunes, "fortune cookies", 8_000, seed=f"{SEED}:prose:fortunes")),
    ], budget)


CODE_LANGUAGES = (
    # name, packages, path pattern, exclude
    ("c", ["libc6-dev", "linux-libc-dev"], r"^/usr/include/.*\.h$", None),
    ("c++", ["libstdc++-12-dev"], r"^/usr/include/c\+\+/12/", r"\.gch$"),
    ("python", ["libpython3.11-stdlib", "libpython3.11-minimal"], r"^/usr/lib/python3\.11/.*\.py$",
     r"/(test|tests|idlelib/idle_test|lib2to3/tests)/"),
    ("perl", ["perl-modules-5.36"], r"\.(pm|pl)$", r"/unicore/"),
    ("shell", ["bash-completion"], r"^/usr/share/bash-completion/completions/", None),
    ("javascript", ["libjs-jquery", "libjs-underscore", "libjs-sphinxdoc", "libjs-d3"], r"\.js$", r"\.min\.js$"),
    ("rust", ["librust-serde-dev", "librust-regex-syntax-dev"], r"\.rs$", None),
    ("go", ["golang-github-pkg-errors-dev", "golang-gopkg-yaml.v3-dev", "golang-github-russross-blackfriday-v2-dev",
            "golang-github-burntsushi-toml-dev", "golang-github-pmezard-go-difflib-dev",
            "golang-github-shurcool-sanitized-anchor-name-dev"], r"\.go$", None),
    ("cmake", ["cmake-data"], r"\.cmake$", None),
    ("tcl", ["libtcl8.6", "tcl8.6"], r"\.tcl$", None),
)


def code_pools(ctx):
    if ctx.code_cache is None:
        ctx.code_cache = {}
        for name, pkgs, pattern, exclude in CODE_LANGUAGES:
            items = ctx.pkgs.find(pkgs, pattern, exclude)
            if name == "shell":   # shell scripts elsewhere in these packages too (by their #! line)
                for path, pkg in ctx.pkgs.find(ctx.all_packages, r"^/usr/(s?bin|lib|share)/"):
                    if (path, pkg) in items or path.endswith(".gz"):
                        continue
                    try:
                        head = open(path, "rb").read(32)
                    except OSError:
                        continue
                    if re.match(rb"#! ?/(usr/)?bin/(env )?(ba)?sh\b", head):
                        items.append((path, pkg))
            ctx.code_cache[name] = file_units(ctx.reader, items, f"{name} source", 12_000, per_file=4,
                                              seed=f"{SEED}:code:{name}", lang=name)
    return ctx.code_cache


def build_code(ctx, budget):
    pools = code_pools(ctx)
    return water_fill({name: list(units) for name, units in pools.items()}, budget, random.Random(f"{SEED}:code"))


# -- chat ---------------------------------------------------------------------------------------

def to_markdown(body):
    """An indented plain-text document section (DocBook text output: debian-faq and
    debian-reference) as Markdown: paragraphs unwrapped, bullets, tables, notes, code fenced."""
    lines = body.split("\n")
    ind = min((len(l) - len(l.lstrip(" ")) for l in lines if l.strip()), default=0)
    lines = [l[ind:] for l in lines]
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if line.startswith("+---"):                              # an ASCII table
            j = i + 1
            while j < len(lines) and not lines[j].startswith("+---"):
                j += 1
            out.append(grid_table(lines[i:j + 1]))
            i = j + 1
            continue
        block = []
        while i < len(lines) and lines[i].strip() and not lines[i].startswith("+---"):
            block.append(lines[i])
            i += 1
        first = block[0]
        if first.strip() in ("Note", "Tip", "Warning", "Caution", "Important"):
            out.append(f"> **{first.strip()}**")
        elif re.match(r"\s*[$#] ", first) or (first.startswith("  ") and not re.match(r"\s*[*+•] ", first)):
            lang = "console" if re.match(r"\s*[$#] ", first) else ""
            sub = min(len(l) - len(l.lstrip(" ")) for l in block)
            out.append(f"```{lang}\n" + "\n".join(l[sub:] for l in block) + "\n```")
        elif re.match(r"[*+•] ", first.lstrip()) or re.match(r"\d+\. ", first.lstrip()):
            items, cur = [], None
            for l in block:
                m = re.match(r"(\s*)([*+•]|\d+\.) (.*)", l)
                if m:
                    depth = len(m.group(1)) // 4
                    mark = "-" if m.group(2) in "*+•" else m.group(2)
                    cur = ["  " * depth + mark + " " + m.group(3).strip()]
                    items.append(cur)
                elif cur is not None:
                    cur.append(l.strip())
            out.append("\n".join(" ".join(c) for c in items))
        else:
            out.append(" ".join(l.strip() for l in block))
    return "\n\n".join(out)


def grid_table(rows):
    """A +---+ / |a|b| / |---+---| text table as a Markdown table (multi-line cells joined)."""
    sep = next((r for r in rows if re.match(r"\|[-+]+\|$", r)), None)
    if sep is None:
        return "```\n" + "\n".join(rows) + "\n```"
    cuts = [k for k, c in enumerate(sep) if c in "|+"]
    records, cur = [], None
    for r in rows[1:-1]:
        if re.match(r"\|[-+]+\|$", r):
            cur = None
            continue
        cells = [r[a + 1:b].strip() for a, b in zip(cuts, cuts[1:])]
        if cur is None:
            cur = [[c] for c in cells]
            records.append(cur)
        else:
            for k, c in enumerate(cells):
                if k < len(cur):
                    cur[k].append(c)
    if not records:
        return ""
    fmt = lambda rec: "| " + " | ".join(" ".join(x for x in cell if x).replace("|", "\\|") for cell in rec) + " |"
    return "\n".join([fmt(records[0]), "|" + "---|" * len(records[0])] + [fmt(r) for r in records[1:]])


def docbook_sections(text):
    """(heading, body) of each numbered section of a DocBook text export (after its contents)."""
    start = text.find("\nChapter 1.")
    text = text[start:] if start >= 0 else text
    out, head, body = [], None, []
    for line in text.split("\n"):
        if line and not line.startswith(" "):
            if re.match(r"\d+(\.\d+)+\. ", line) or line.startswith("Chapter "):
                if head is not None:
                    out.append((head, "\n".join(body)))
                head, body = line.strip(), []
                continue
            if head is not None and not body:
                head += " " + line.strip()                        # a heading wrapped to a new line
                continue
        body.append(line)
    if head is not None:
        out.append((head, "\n".join(body)))
    return [(h, b) for h, b in out if b.strip()]


def man_markdown(text):
    """A rendered man page as Markdown: section names as headings, option lists as bullets."""
    out, para = [], []
    lines = text.split("\n")
    name = ""
    for k, line in enumerate(lines):
        if k == 0 or re.match(r"^\S.*\S\s{3,}\S.*\(\d\w*\)$", line):     # header / footer lines
            continue
        if re.match(r"^[A-Z][A-Z0-9 /()-]+$", line):
            out.append(" ".join(para)); para = []
            out.append("## " + line.title())
            continue
        s = line.strip()
        if not s:
            out.append(" ".join(para)); para = []
            continue
        if not name and out and out[-1] == "## Name":
            name = s
        if re.match(r"^ {7}-", line) and para == []:
            para.append("- `" + re.split(r"\s{2,}", s)[0] + "`" + (" " + " ".join(re.split(r"\s{2,}", s)[1:]) if "  " in s else ""))
        else:
            para.append(s)
    out.append(" ".join(para))
    md = "\n\n".join(p for p in out if p)
    return name, md


class Emoji:
    def __init__(self, ctx):
        self.items = []
        for path, pkg in ctx.pkgs.find(["unicode-data"], r"/emoji/emoji-test\.txt$"):
            text = ctx.reader.text(path, pkg)
            ctx.note(path, pkg)
            for m in re.finditer(r"^[0-9A-F ]+;\s*fully-qualified\s*#\s*(\S+)", text, re.M):
                self.items.append(m.group(1))
        self.path = path


def build_chat(ctx, budget):
    P, R = ctx.pkgs, ctx.reader
    rng = random.Random(f"{SEED}:chat")
    qa = []                                                       # (question, answer markdown, path, pkg)
    for path, pkg in P.find(["debian-faq"], r"\.en\.txt\.gz$") + P.find(["debian-reference-en"], r"\.en\.txt\.gz$"):
        for head, body in docbook_sections(R.text(path, pkg)):
            q = re.sub(r"^(Chapter )?[\d.]+\s*", "", head)
            md = to_markdown(body)
            if q and md:
                qa.append((q, utf8_cut(md, 6_000), path, pkg))
    rng.shuffle(qa)
    man_items = sampled(P.find(ctx.chat_man_packages, ENGLISH_MAN), f"{SEED}:chat:man")
    emoji = Emoji(ctx)
    code = code_pools(ctx)
    code_units = [u for name in sorted(code) for u in code[name][len(code[name]) // 2:]]   # not the half code.txt favours
    rng.shuffle(code_units)
    fence = {"c": "c", "c++": "cpp", "python": "python", "perl": "perl", "shell": "bash", "javascript": "javascript",
             "rust": "rust", "go": "go", "cmake": "cmake", "tcl": "tcl"}

    def snippet():
        u = code_units.pop()
        lines = u.text.split("\n")
        n = rng.randint(6, 40)
        at = rng.randrange(max(1, len(lines) - n))
        body = "\n".join(lines[at:at + n]).strip("\n")
        ctx.take(u.path, u.pkg, "chat.txt", len(body.encode("utf-8")), u.how + ", lines in a fenced block")
        return f"```{fence[u.lang]}\n{body}\n```"

    def man_qa():
        # The English pages prose.txt rendered (all of them, in another order), then new ones;
        # each page is a few turns: its name line, then the heading of each further part.
        ready = sampled([(p, k) for p, k in man_items if ctx.man.done.get(p)], f"{SEED}:chat:man:ready")
        for path, pkg, text in ctx.man.render(ready + [it for it in man_items if it not in set(ready)]):
            name, md = man_markdown(text)
            if not (name and md):
                continue
            for k, part in enumerate(chunks(md.replace("\n\n## ", "\n\n\n## "), 4_000)[:4]):
                part = part.strip("\n").replace("\n\n\n## ", "\n\n## ")
                q = name if k == 0 else part.split("\n", 1)[0].lstrip("# ")
                yield (q, utf8_cut(part, 6_000), path, pkg)

    mans = man_qa()
    convs, used = [], 0
    while used < budget:
        turns = []
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            src = qa.pop() if qa and rng.random() < 0.45 else next(mans, None) or (qa.pop() if qa else None)
            if src is None:
                break
            q, a, path, pkg = src
            if rng.random() < 0.35 and code_units:
                q = q + "\n\n" + snippet()
            if rng.random() < 0.3 and code_units:
                a = a + "\n\nFor example:\n\n" + snippet()
            if rng.random() < 0.25:
                e = rng.choice(emoji.items)
                ctx.take(emoji.path, "unicode-data", "chat.txt", len(e.encode()), "emoji sequences (emoji-test.txt)")
                a = e + " " + a
            if rng.random() < 0.1:
                a = re.sub(r"(?m)^- ", lambda m: "- " + rng.choice(emoji.items) + " ", a, count=3)
            ctx.take(path, pkg, "chat.txt", len((q + a).encode("utf-8")), "questions/headings and answers as Markdown")
            turns.append(f"<|im_start|>user\n{q}<|im_end|>\n<|im_start|>assistant\n{a}<|im_end|>\n")
        if not turns:
            break
        conv = "".join(turns) + "\n"
        convs.append(conv)
        used += len(conv.encode("utf-8"))
    return [Unit("".join(convs), None, None, None)]


# -- multilingual ---------------------------------------------------------------------------------

def mo_strings(data):
    """The translated strings (msgstr, plural forms included) of a GNU .mo file, in file order."""
    magic = struct.unpack("<I", data[:4])[0]
    e = "<" if magic == 0x950412DE else ">"
    _, n, o_ids, o_strs = struct.unpack(e + "4I", data[4:20])
    out = []
    for i in range(n):
        il, io = struct.unpack(e + "2I", data[o_ids + 8 * i:o_ids + 8 * i + 8])
        sl, so = struct.unpack(e + "2I", data[o_strs + 8 * i:o_strs + 8 * i + 8])
        msgid, msgstr = data[io:io + il], data[so:so + sl]
        if not msgid or msgstr == msgid:
            continue                                              # the header; untranslated
        out.append(msgstr.replace(b"\0", b"\n"))
    return out


SCRIPT_RANGES = (
    ("greek", 0x370, 0x3FF), ("greek", 0x1F00, 0x1FFF), ("cyrillic", 0x400, 0x52F), ("armenian", 0x530, 0x58F),
    ("hebrew", 0x590, 0x5FF), ("arabic", 0x600, 0x6FF), ("arabic", 0x750, 0x77F), ("arabic", 0xFB50, 0xFDFF),
    ("arabic", 0xFE70, 0xFEFF), ("devanagari", 0x900, 0x97F), ("bengali", 0x980, 0x9FF),
    ("indic_other", 0xA00, 0xB7F), ("tamil", 0xB80, 0xBFF), ("indic_other", 0xC00, 0xDFF), ("thai", 0xE00, 0xE7F),
    ("lao", 0xE80, 0xEFF), ("tibetan", 0xF00, 0xFFF), ("myanmar", 0x1000, 0x109F), ("georgian", 0x10A0, 0x10FF),
    ("hangul", 0x1100, 0x11FF), ("ethiopic", 0x1200, 0x139F), ("khmer", 0x1780, 0x17FF), ("kana", 0x3040, 0x30FF),
    ("hangul", 0x3130, 0x318F), ("han", 0x3400, 0x4DBF), ("han", 0x4E00, 0x9FFF), ("hangul", 0xAC00, 0xD7AF),
    ("han", 0xF900, 0xFAFF),
)
SCRIPT_RANGES = tuple(sorted(SCRIPT_RANGES, key=lambda r: r[1]))
_starts = [r[1] for r in SCRIPT_RANGES]


def script_of(text, lang):
    """The per-script file a document belongs to (None: no such file, e.g. English)."""
    counts = {}
    latin = accented = 0
    for ch in text:
        c = ord(ch)
        if c < 0x80:
            latin += ch.isalpha()
            continue
        if 0xC0 <= c <= 0x24F or 0x1E00 <= c <= 0x1EFF:
            latin += 1
            accented += 1
            continue
        k = bisect.bisect_right(_starts, c) - 1
        if k >= 0 and SCRIPT_RANGES[k][1] <= c <= SCRIPT_RANGES[k][2]:
            s = SCRIPT_RANGES[k][0]
            counts[s] = counts.get(s, 0) + 1
    other = sum(counts.values())
    if other >= 0.2 * (other + latin) and other:
        s = max(sorted(counts), key=lambda k: counts[k])
        if s in ("han", "kana"):
            return "japanese" if lang.startswith("ja") or counts.get("kana", 0) > 0.05 * other else "chinese"
        return "korean" if s == "hangul" else s
    if lang.startswith("en") or latin == 0:
        return None
    return "latin_diacritics" if accented >= 0.01 * latin else "latin_ascii"


FORTUNE_LANGS = {"fortunes-zh": "zh_CN", "fortunes-ru": "ru", "fortunes-de": "de", "fortunes-it": "it",
                 "fortunes-es": "es", "fortunes-pl": "pl", "fortunes-cs": "cs"}


def multilingual_units(ctx):
    """Every candidate unit of translated text, grouped by language (each group in sampling order)."""
    if ctx.ml_cache is not None:
        return ctx.ml_cache
    P, R = ctx.pkgs, ctx.reader
    groups = {}
    # UI strings: the msgstr texts of the .mo catalogues, one unit per (catalogue, language) part.
    for path, pkg in P.find(ctx.mo_packages, r"^/usr/share/locale/[^/]+/LC_MESSAGES/[^/]+\.mo$"):
        lang = path.split("/")[4]
        if lang.startswith("en") or lang in ("C", "POSIX"):
            continue
        strs = []
        for s in mo_strings(R.raw(path)):
            try:
                strs.append(s.decode("utf-8"))
            except UnicodeDecodeError:
                R.skipped[path] = (pkg, "a msgstr not valid UTF-8 (those strings dropped)")
        if not strs:
            continue
        text = "\n".join(strs) + "\n"
        for part in chunks(text, 6_000):
            groups.setdefault(lang, []).append(Unit(part, path, pkg, "msgstr texts of a .mo catalogue", lang))
    # Translated man pages, a sample per language.
    for pkg in ctx.man_l10n_packages:
        by_lang = {}
        for path, p in P.find([pkg], r"^/usr/share/man/[a-z]{2}(_[A-Z]{2})?/man[1-8]/[^/]+\.gz$"):
            by_lang.setdefault(path.split("/")[4], []).append((path, p))
        for lang in sorted(by_lang):
            items = sampled(by_lang[lang], f"{SEED}:ml:man:{lang}")[:ctx.man_per_language]
            for path, p, text in ctx.man.render(items):
                for part in chunks(text, 12_000)[:2]:
                    groups.setdefault(lang, []).append(Unit(part, path, p, "man page rendered by mandoc (80 columns)", lang))
    # Fortunes.
    for pkg, lang in FORTUNE_LANGS.items():
        items = P.find([pkg], r"^/usr/share/games/fortunes/.*[^/]$", exclude=r"\.(dat|u8)$")
        items = [(p, k) for p, k in items if not os.path.islink(p)]
        for u in file_units(R, items, "fortune cookies", 8_000, per_file=6, lang=lang, seed=f"{SEED}:ml:{pkg}"):
            groups.setdefault(lang, []).append(u)
    for lang in groups:
        random.Random(f"{SEED}:ml:{lang}").shuffle(groups[lang])
    ctx.ml_cache = groups
    return groups


def build_multilingual(ctx, budget):
    groups = multilingual_units(ctx)
    groups = {lang: [u for u in units] for lang, units in groups.items()
              if sum(u.size() for u in units) >= 20_000}          # a language with at least 20 KB of text
    return water_fill(groups, budget, random.Random(f"{SEED}:ml"))


def build_scripts(ctx, budget):
    groups = multilingual_units(ctx)
    by_script = {}
    for lang in sorted(groups):
        for u in groups[lang]:
            s = script_of(u.text, lang)
            if s and s != "latin_ascii":
                by_script.setdefault(s, {}).setdefault(lang, []).append(u)
    for s in ("chinese", "japanese", "korean"):
        for lang, units in by_script.get(s, {}).items():
            by_script.setdefault("cjk", {}).setdefault(lang, []).extend(units)
    out = {}
    for s in sorted(by_script):
        units = water_fill(by_script[s], budget, random.Random(f"{SEED}:script:{s}"))
        if sum(u.size() for u in units) >= 50_000:
            out[s] = (units, sorted(by_script[s]))
    return out


# -- adversarial ------------------------------------------------------------------------------------

def build_adversarial(ctx, budget):
    P, R = ctx.pkgs, ctx.reader

    def scored(items, score, target, how, top, seed):
        """The `top` files that score highest (ties by path), in units of about `target` bytes."""
        rows = []
        for path, pkg in items:
            t = R.text(path, pkg)
            if t:
                rows.append((-score(t), path, pkg))
        rows.sort()
        return file_units(R, [(p, k) for _, p, k in rows[:top]], how, target, per_file=3, seed=seed)

    def density(rx):
        return lambda t: len(rx.findall(t)) / (len(t) + 1000)

    def count(rx):
        return lambda t: len(rx.findall(t))

    ws_rx = re.compile(r"[ \t]{8,}")
    headers = P.find(["linux-libc-dev", "libc6-dev"], r"^/usr/include/.*\.h$")
    python = P.find(["libpython3.11-stdlib", "libpython3.11-minimal"], r"\.py$", r"/(test|tests)/")
    docs = (P.find(["debian-reference-en", "debian-faq"], r"\.txt\.gz$")
            + P.find(["git"], r"^/usr/share/doc/git/(RelNotes|howto)/.*\.txt$")
            + P.find(["perl-modules-5.36"], r"\.pod$"))
    tables = [(p, k) for p, k in P.find(["manpages"], r"/man7/(ascii|iso_8859-\d+|koi8-[ru]|cp125[12]|charsets|armscii-8|utf-8)\.7\.gz$")]

    whitespace = []
    whitespace += file_units(R, P.find(["figlet"], r"\.flf$"), "ASCII-art font (figlet)", 8_000, per_file=2,
                             seed=f"{SEED}:adv:figlet")
    whitespace += [Unit(t, p, k, "character tables: man page rendered by mandoc") for p, k, t in ctx.man.render(tables)]
    whitespace += scored(headers, density(ws_rx), 8_000, "C header with aligned columns", 60, f"{SEED}:adv:ws")
    whitespace += scored(python, density(re.compile(r"^ {16,}\S", re.M)), 8_000, "deeply indented Python", 30,
                         f"{SEED}:adv:indent")
    random.Random(f"{SEED}:adv:ws:all").shuffle(whitespace)

    longwords = []
    for path, pkg in P.find(["wngerman"], r"^/usr/share/dict/ngerman$"):
        words = [w for w in (R.text(path, pkg) or "").split("\n") if len(w) >= 20]
        text = "\n".join(words) + "\n"
        longwords += [Unit(c, path, pkg, "German words of 20+ letters (lines of the word list)") for c in chunks(text, 8_000)]
    urls = []
    url_files = P.find(ctx.all_packages, r"^/usr/share/doc/[^/]+/copyright$") + docs
    for path, pkg in url_files:
        for line in (R.text(path, pkg) or "").split("\n"):
            if re.search(r"(https?|ftp)://\S{24,}", line):
                urls.append((line.strip(), path, pkg))
    seen, url_units, cur = set(), [], []
    for line, path, pkg in urls:                                  # one unit per copyright file, lines deduplicated
        if line in seen:
            continue
        seen.add(line)
        if cur and cur[-1][1] != path:
            url_units.append(Unit("\n".join(l for l, _, _ in cur) + "\n", cur[0][1], cur[0][2], "lines with long URLs (copyright files, docs)"))
            cur = []
        cur.append((line, path, pkg))
    if cur:
        url_units.append(Unit("\n".join(l for l, _, _ in cur) + "\n", cur[0][1], cur[0][2], "lines with long URLs (copyright files, docs)"))
    idents = scored(headers, density(re.compile(r"\b[A-Za-z_][A-Za-z0-9_]{28,}\b")), 8_000,
                    "C header with long identifiers", 40, f"{SEED}:adv:ident")
    longwords = longwords[:40] + url_units + idents
    random.Random(f"{SEED}:adv:long").shuffle(longwords)

    digits = []
    digits += file_units(R, P.find(["tzdata"], r"/(tzdata\.zi|leap-seconds\.list|leapseconds|zone1970\.tab|zone\.tab|iso3166\.tab)$"),
                         "time zone tables", 8_000, per_file=12, seed=f"{SEED}:adv:tz")
    digits += scored(P.find(["perl-modules-5.36"], r"/unicore/(To|lib/[^/]+)/[^/]+\.pl$"),
                     density(re.compile(r"\d{4,}")), 8_000, "Unicode property tables (Perl unicore)", 40, f"{SEED}:adv:digits")
    digits += file_units(R, P.find(["netbase"], r"^/etc/(services|protocols)$"), "port and protocol numbers", 8_000,
                         per_file=4, seed=f"{SEED}:adv:net")
    random.Random(f"{SEED}:adv:digits:all").shuffle(digits)

    base64 = file_units(R, P.find(["ca-certificates"], r"\.crt$"), "PEM certificates (base64)", 6_000,
                        seed=f"{SEED}:adv:pem")

    hexes = []
    hexes += file_units(R, P.find(["pci.ids"], r"pci\.ids$"), "PCI ids (hex)", 8_000, per_file=30, seed=f"{SEED}:adv:pci")
    hexes += file_units(R, P.find(["unicode-data"], r"/(UnicodeData|NamesList)\.txt$"), "Unicode data (hex code points)",
                        8_000, per_file=12, seed=f"{SEED}:adv:ucd")
    hexes += scored(python, density(re.compile(r"(0x|\\x|\\u)[0-9A-Fa-f]{2,}")), 8_000, "hex tables in Python", 20,
                    f"{SEED}:adv:hexpy")
    md5 = sorted((f"/var/lib/dpkg/info/{name}.md5sums", name) for name in ctx.all_packages)
    md5 = [(p, k) for p, k in md5 if os.path.isfile(p)]
    hexes += file_units(R, md5, "package MD5 sums (dpkg)", 8_000, per_file=2, seed=f"{SEED}:adv:md5")
    random.Random(f"{SEED}:adv:hex:all").shuffle(hexes)

    punct = scored(docs + headers + python + P.find(["cmake-data"], r"\.cmake$"),
                   count(re.compile(r"^\s*(?:#|//|/\*|\*|--|;)?\s*([-=*#~_+.:/])\1{9,}", re.M)), 8_000,
                   "lines of repeated punctuation", 60, f"{SEED}:adv:punct")
    emoji = file_units(R, P.find(["unicode-data"], r"/emoji/emoji-(test|zwj-sequences)\.txt$"),
                       "emoji sequences and their names", 8_000, per_file=12, seed=f"{SEED}:adv:emoji")

    groups = [(0.20, whitespace), (0.15, longwords), (0.15, digits), (0.15, base64), (0.15, hexes),
              (0.10, punct), (0.10, emoji)]
    units = fill(groups, budget)
    random.Random(f"{SEED}:adv").shuffle(units)
    return units


# ---------------------------------------------------------------------------------------------
# Output and manifest

class Context:
    def __init__(self, pkgs, reader, man, args):
        self.pkgs, self.reader, self.man = pkgs, reader, man
        self.all_packages = pkgs.names
        self.code_cache = None
        self.ml_cache = None
        self.taken = {}                                           # output -> path -> [pkg, bytes, how]
        self.used = {}
        self.man_per_language = args.man_per_language
        self.prose_man_packages = [p for p in pkgs.names if not p.startswith("manpages-") or p == "manpages-dev"]
        self.chat_man_packages = self.prose_man_packages
        self.man_l10n_packages = [p for p in pkgs.names if p.startswith("manpages-") and p != "manpages-dev"]
        self.mo_packages = pkgs.names

    def note(self, path, pkg):
        self.reader.raw(path) if path not in self.reader.sha else None

    def take(self, path, pkg, output, n, how):
        if path is None:
            return
        if path not in self.reader.sha:
            self.reader.raw(path)
        row = self.taken.setdefault(output, {}).setdefault(path, [pkg, 0, how])
        row[1] += n


def write_output(ctx, out_dir, name, units, budget):
    text = "".join(u.text if u.text.endswith("\n") else u.text + "\n" for u in units)
    text = utf8_cut(text, budget) if len(text.encode("utf-8")) > budget else text
    data = text.encode("utf-8")
    data.decode("utf-8")                                          # valid UTF-8 by construction
    path = os.path.join(out_dir, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    left = len(data)
    for u in units:                                               # bytes each source contributed
        n = min(u.size() + (0 if u.text.endswith("\n") else 1), left)
        left -= n
        if n > 0:
            ctx.take(u.path, u.pkg, name, n, u.how)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "lines": len(lines),
            "distinct_lines": len(set(lines)), "distinct_line_share": round(len(set(lines)) / max(1, len(lines)), 4),
            "distinct_nonblank_line_share": round(len({l for l in lines if l.strip()}) /
                                                  max(1, sum(1 for l in lines if l.strip())), 4),
            "non_ascii_byte_share": round(sum(b >= 0x80 for b in data) / max(1, len(data)), 4)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--kind-bytes", type=int, default=4_000_000, help="size of each kind's file (default 4 MB)")
    ap.add_argument("--script-bytes", type=int, default=1_000_000, help="size of each per-script file (default 1 MB)")
    ap.add_argument("--man-per-language", type=int, default=12, help="translated man pages rendered per language")
    ap.add_argument("--packages", default=os.path.join(HERE, "packages.txt"))
    ap.add_argument("--jobs", type=int, default=2, help="man pages rendered at once")
    ap.add_argument("--kinds", default=",".join(KINDS) + ",scripts")
    args = ap.parse_args()

    names = [l.split("#")[0].strip() for l in open(args.packages, encoding="utf-8")]
    names = sorted(n for n in names if n)
    pkgs = Packages(names)
    if pkgs.missing:
        sys.exit("not installed: " + " ".join(pkgs.missing) + " (workloads/corpus/build_corpus.sh installs them)")
    reader = Reader()
    ctx = Context(pkgs, reader, ManPages(reader, args.jobs), args)
    os.makedirs(args.out_dir, exist_ok=True)
    wanted = args.kinds.split(",")
    outputs = {}
    t0 = time.monotonic()
    builders = {"prose": build_prose, "code": build_code, "chat": build_chat,
                "multilingual": build_multilingual, "adversarial": build_adversarial}
    for kind in KINDS:
        if kind in wanted:
            units = builders[kind](ctx, args.kind_bytes)
            outputs[f"{kind}.txt"] = write_output(ctx, args.out_dir, f"{kind}.txt", units, args.kind_bytes)
            print(f"{kind}.txt: {outputs[f'{kind}.txt']['bytes']} bytes ({time.monotonic() - t0:.1f} s)", file=sys.stderr)
    print(f"man pages rendered: {ctx.man.rendered}", file=sys.stderr)
    if "scripts" in wanted:
        for script, (units, langs) in build_scripts(ctx, args.script_bytes).items():
            name = f"multilingual/{script}.txt"
            outputs[name] = write_output(ctx, args.out_dir, name, units, args.script_bytes)
            outputs[name]["languages"] = langs
            print(f"{name}: {outputs[name]['bytes']} bytes ({', '.join(langs)})", file=sys.stderr)
    if "multilingual" in wanted:
        langs = {u_lang for u_lang in multilingual_units(ctx)}
        outputs["multilingual.txt"]["languages"] = sorted(
            l for l in langs if sum(u.size() for u in ctx.ml_cache[l]) >= 20_000)

    used_pkgs = sorted({row[0] for rows in ctx.taken.values() for row in rows.values()})
    manifest = {
        "generator": "workloads/corpus/build_corpus.py",
        "parameters": {"kind_bytes": args.kind_bytes, "script_bytes": args.script_bytes, "seed": SEED,
                       "man_per_language": args.man_per_language,
                       "man_rendering": "mandoc -T utf8 -O width=80, overstrikes removed (as man | col -bx)"},
        "note": "Real text from Debian 12 packages; chat.txt is real text in a ChatML template, not real "
                "conversations. Bytes, lines and distinct lines do not depend on any tokenizer.",
        "packages": {n: {"version": pkgs.version[n], "licence": pkgs.licence(n), "used": n in used_pkgs}
                     for n in names},
        "outputs": {},
        "skipped": [{"path": p, "package": k, "reason": r} for p, (k, r) in sorted(reader.skipped.items())],
    }
    for name, facts in outputs.items():
        rows = ctx.taken.get(name, {})
        facts["source_files"] = len(rows)
        facts["sources"] = [{"path": p, "package": k, "version": pkgs.version.get(k), "sha256": reader.sha.get(p),
                             "bytes_taken": n, "how": how} for p, (k, n, how) in sorted(rows.items())]
        manifest["outputs"][name] = facts
    with open(os.path.join(args.out_dir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False, sort_keys=False)
        f.write("\n")
    ctx.man.pool.shutdown()


if __name__ == "__main__":
    main()
