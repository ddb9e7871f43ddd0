"""Blocklists: the text formats, the compiled file and matching (waypost.shield.blocklist).

Every list is generated here, in tmp_path: no third-party list ships with the tests.
"""

from __future__ import annotations

import random
import re
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waypost.shield import blocklist
from waypost.shield.blocklist import (
    CATEGORIES,
    MAGIC,
    MAX_LINE,
    MAX_PROBLEMS,
    BadLine,
    Blocklist,
    BlocklistError,
    Problem,
    compile_lists,
    is_compiled,
    load,
    normalise,
    parse_line,
)


def write(path: Path, *lines: str | bytes) -> Path:
    """A list file of ``lines`` (bytes written as they are, for undecodable lines)."""
    data = b"".join(
        (line if isinstance(line, bytes) else line.encode("utf-8")) + b"\n" for line in lines
    )
    path.write_bytes(data)
    return path


def compiled(tmp_path: Path, domains: dict[str, str], name: str = "list.bin") -> Path:
    """A compiled file of ``{domain: category}``, through text sources per category."""
    sources = []
    for category in CATEGORIES:
        listed = [domain for domain, c in domains.items() if c == category]
        if listed:
            sources.append((category, write(tmp_path / f"{name}.{category}.txt", *listed)))
    out = tmp_path / name
    compile_lists(sources, out)
    return out


def reference(listed: dict[str, str], name: str) -> str | None:
    """What match() must say, the slow obvious way: the name, then each parent, in a dict."""
    data = name.encode("utf-8", "surrogatepass").lower()  # DNS: only ASCII has a case
    if data.endswith(b"."):
        data = data[:-1]
    labels = data.split(b".")
    for i in range(len(labels)):
        category = listed.get(b".".join(labels[i:]).decode("latin-1"))  # non-ASCII: no key
        if category is not None:
            return category
    return None


# --- Names and lines ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("example.com", "example.com"),
        ("Example.COM", "example.com"),
        ("example.com.", "example.com"),
        ("  example.com \t", "example.com"),
        ("*.example.com", "example.com"),
        ("*.Example.com.", "example.com"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("BÜCHER.example.", "xn--bcher-kva.example"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("_dmarc.example.com", "_dmarc.example.com"),
        ("-v-.tumblr.example", "-v-.tumblr.example"),
        ("xxx", "xxx"),  # a whole top-level domain may be listed
        ("1.2.3.example", "1.2.3.example"),
        ("a" * 63 + ".com", "a" * 63 + ".com"),
    ],
)
def test_normalise_lowers_drops_dots_and_wildcards_and_encodes_idna(name, expected):
    assert normalise(name) == expected


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "empty name"),
        (".", "empty name"),
        ("a..example", "empty label"),
        (".example.com", "empty label"),
        ("example.com..", "empty label"),
        ("a" * 64 + ".com", "label longer than 63"),
        (".".join(["abcdefghi"] * 26), "longer than 253"),
        ("exa mple.com", "character ' '"),
        ("example.com/ads", "character '/'"),
        ("ex*ample.com", "character '*'"),
        ("*.*.example.com", "character '*'"),
        ("1.2.3.4", "IP address"),
        ("::1", "character ':'"),
        ("a\x00b.com", "character '\\x00'"),
        ("ü" * 70 + ".example", "international"),
    ],
)
def test_normalise_refuses_what_is_not_a_host_name(name, reason):
    with pytest.raises(BadLine, match=re.escape(reason)) as e:
        normalise(name)
    assert isinstance(e.value, ValueError)
    assert isinstance(e.value, BlocklistError)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # hosts files: every name after the address; what lists nothing is skipped
        ("0.0.0.0 example.com", ["example.com"]),
        ("127.0.0.1 a.example B.Example.  # two names", ["a.example", "b.example"]),
        ("0.0.0.0\tads.example\t#tab", ["ads.example"]),
        (":: v6.example", ["v6.example"]),
        ("fe80::1%lo0 scoped.example", ["scoped.example"]),
        ("0.0.0.0 a.example ## a note", ["a.example"]),
        ("127.0.0.1 localhost", []),
        ("::1 ip6-localhost ip6-loopback", []),
        ("255.255.255.255 broadcasthost", []),
        ("0.0.0.0 0.0.0.0", []),
        ("0.0.0.0 localhost.localdomain real.example", ["real.example"]),
        # plain domain lists and wildcards
        ("example.com", ["example.com"]),
        ("Example.com.  # trailing comment", ["example.com"]),
        ("*.example.com", ["example.com"]),
        ("bücher.example", ["xn--bcher-kva.example"]),
        ("localhost", []),
        # adblock-style
        ("||example.com^", ["example.com"]),
        ("||Example.com^$third-party", ["example.com"]),
        ("||example.com^$important,~script", ["example.com"]),
        ("||example.com^|", ["example.com"]),
        ("||example.com", ["example.com"]),
        ("||*.example.com^", ["example.com"]),
        ("|https://example.com^", ["example.com"]),
        ("|http://example.com:8080/", ["example.com"]),
        ("@@||example.com^", []),
        ("||example.com^$badfilter", []),
        ("||example.com^$domain=news.example", []),
        ("||example.com^$removeparam=utm_source", []),
        ("example.com##.advert", []),
        ("example.com#@#.advert", []),
        ("example.com#?#div:has(> .ad)", []),
        ("example.com$$script[tag-content=ad]", []),
        ("##.advert", []),
        # comments, headers, blank lines
        ("# a comment", []),
        ("! Title: a list", []),
        ("[Adblock Plus 2.0]", []),
        ("", []),
        ("   \t ", []),
    ],
)
def test_parse_line_reads_each_format(line, expected):
    assert parse_line(line) == expected


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("||example.com/ads/", "path"),
        ("||example.com^*banner", "pattern"),
        ("||ads.*.example.com^", "pattern"),
        ("|http://example.com/ads/banner.gif", "path"),
        ("/ads/", "path"),
        ("/banner[0-9]+/", "path"),
        ("http://example.com/page", "URL"),
        ("ads.*.example.com", "pattern"),
        ("example.com^", "pattern"),
        ("example.com$third-party", "character '$'"),
        ("two words", "not a hosts-file line"),
        ("0.0.0.0", "IP address"),  # noqa: S104
        ("0.0.0.0 good.example bad!name", "character '!'"),
        ("||", "empty name"),
    ],
)
def test_parse_line_raises_for_junk(line, reason):
    with pytest.raises(BadLine, match=re.escape(reason)):
        parse_line(line)


@given(st.text())
def test_parse_line_and_normalise_raise_only_their_own_error(text):
    for function in (parse_line, normalise):
        try:
            result = function(text)
        except BadLine:
            continue
        names = result if isinstance(result, list) else [result]
        assert all(normalise(name) == name for name in names)  # already normal


# --- Compiling ---------------------------------------------------------------------


def test_compile_reads_every_format_and_reports_junk_not_fatally(tmp_path):
    source = write(
        tmp_path / "mixed.txt",
        "\ufeff# a hosts file, then the rest",
        "0.0.0.0 hosts.example other.example # two",
        "127.0.0.1 localhost",
        "plain.example",
        "||adblock.example^$third-party",
        "*.wild.example",
        "||example.org/ads/",  # line 7: junk
        b"caf\xe9.example",  # line 8: not UTF-8
        "bücher.example\r",
        "x" * (MAX_LINE + 10),  # line 10: too long, read past
        "after-long.example",
        "@@||allowed.example^",
        "plain.example",  # a repeat
    )
    out = tmp_path / "out.bin"
    report = compile_lists([("adult", source)], out)

    assert report.domains == 7
    assert report.by_category == {"adult": 7} | {c: 0 for c in CATEGORIES[1:]}
    assert report.problem_count == 3
    assert [(p.source, p.line) for p in report.problems] == [
        (str(source), 7),
        (str(source), 8),
        (str(source), 10),
    ]
    path_rule, not_utf8, too_long = report.problems
    assert path_rule.text == "||example.org/ads/"
    assert "path" in path_rule.reason
    assert "not UTF-8" in not_utf8.reason
    assert not_utf8.text == "caf\ufffd.example"
    assert f"longer than {MAX_LINE}" in too_long.reason
    assert len(too_long.text) == 200

    with Blocklist.open(out) as listed:
        for name in (
            "hosts.example",
            "other.example",
            "plain.example",
            "adblock.example",
            "wild.example",
            "a.wild.example",
            "xn--bcher-kva.example",
            "after-long.example",
        ):
            assert listed.match(name) == "adult", name
        for name in ("localhost", "allowed.example", "example.org", "caf.example"):
            assert listed.match(name) is None, name
        assert len(listed) == 7
        assert listed.path == out


def test_report_keeps_the_first_thousand_problems_and_counts_all(tmp_path):
    source = write(tmp_path / "junk.txt", "good.example", *(["bad/line"] * (MAX_PROBLEMS + 5)))
    report = compile_lists([("custom", source)], tmp_path / "out.bin")
    assert report.problem_count == MAX_PROBLEMS + 5
    assert len(report.problems) == MAX_PROBLEMS
    assert report.problems[-1].line == MAX_PROBLEMS + 1
    assert report.as_json() == {
        "domains": 1,
        "by_category": {c: int(c == "custom") for c in CATEGORIES},
        "problems": [
            {"source": str(source), "line": n, "text": "bad/line", "reason": p.reason}
            for n, p in enumerate(report.problems, start=2)
        ],
        "problem_count": MAX_PROBLEMS + 5,
    }
    assert report.problems[0] == Problem(str(source), 2, "bad/line", report.problems[0].reason)


def test_a_domain_in_two_categories_keeps_the_first_in_category_order(tmp_path):
    dating = write(tmp_path / "dating.txt", "both.example", "dating.example")
    adult = write(tmp_path / "adult.txt", "0.0.0.0 both.example", "adult.example")
    custom = write(tmp_path / "custom.txt", "||BOTH.example.^", "custom.example")
    out = tmp_path / "out.bin"
    # listed dating first: the order of the sources does not matter, CATEGORIES' does
    report = compile_lists([("dating", dating), ("custom", custom), ("adult", adult)], out)
    assert report.domains == 4
    assert report.by_category == {
        "adult": 2,
        "dating": 1,
        "gambling": 0,
        "bypass": 0,
        "social": 0,
        "custom": 1,
    }
    with Blocklist.open(out) as listed:
        assert listed.match("both.example") == "adult"
        assert listed.match("www.both.example") == "adult"
        assert listed.match("dating.example") == "dating"
        assert listed.match("custom.example") == "custom"

    in_memory = Blocklist.from_domains({"Both.Example": "social", "both.example.": "gambling"})
    assert in_memory.match("both.example") == "gambling"
    assert len(in_memory) == 1


def test_the_nearest_listed_parent_decides_the_category(tmp_path):
    out = compiled(
        tmp_path,
        {"example.com": "custom", "adult.example.com": "adult", "x.adult.example.com": "social"},
    )
    with Blocklist.open(out) as listed:
        assert listed.match("www.example.com") == "custom"
        assert listed.match("adult.example.com") == "adult"
        assert listed.match("a.b.adult.example.com") == "adult"
        assert listed.match("x.adult.example.com") == "social"
        assert listed.match("y.x.adult.example.com") == "social"


def test_unknown_categories_are_refused(tmp_path):
    source = write(tmp_path / "list.txt", "example.com")
    out = tmp_path / "out.bin"
    with pytest.raises(BlocklistError, match="unknown category 'porn'"):
        compile_lists([("adult", source), ("porn", source)], out)
    assert not out.exists()  # refused before anything was read or written
    with pytest.raises(BlocklistError, match="unknown category"):
        Blocklist.from_domains({"example.com": "Adult"})
    with pytest.raises(BlocklistError, match="unknown category"):
        load(source, category="ads")


def test_an_unreadable_source_raises_and_leaves_the_old_file(tmp_path):
    out = compiled(tmp_path, {"old.example": "adult"})
    with pytest.raises(BlocklistError, match="cannot read"):
        compile_lists([("adult", tmp_path / "missing.txt")], out)
    with Blocklist.open(out) as listed:
        assert listed.match("old.example") == "adult"
    with pytest.raises(BlocklistError, match="cannot write"):
        compile_lists([], tmp_path / "no-such-dir" / "out.bin")


def test_compiling_the_same_lists_gives_the_same_bytes(tmp_path):
    source = write(tmp_path / "list.txt", *(f"site{n}.example" for n in range(500)))
    compile_lists([("adult", source)], tmp_path / "a.bin")
    compile_lists([("adult", source)], tmp_path / "b.bin")
    assert (tmp_path / "a.bin").read_bytes() == (tmp_path / "b.bin").read_bytes()


def test_an_empty_list_compiles_and_matches_nothing(tmp_path):
    report = compile_lists([("adult", write(tmp_path / "empty.txt", "# nothing"))], tmp_path / "e")
    assert report.domains == 0
    with Blocklist.open(tmp_path / "e") as listed:
        assert len(listed) == 0
        assert listed.match("example.com") is None
        assert listed.match("") is None


def test_recompiling_replaces_the_file_while_the_old_mapping_keeps_answering(tmp_path):
    out = compiled(tmp_path, {"first.example": "adult"})
    out.chmod(0o640)
    old = Blocklist.open(out)

    compile_lists([("dating", write(tmp_path / "second.txt", "second.example"))], out)

    assert old.match("first.example") == "adult"  # the old inode, still mapped
    assert old.match("second.example") is None
    with Blocklist.open(out) as new:
        assert new.match("second.example") == "dating"
        assert new.match("first.example") is None
    assert stat.S_IMODE(out.stat().st_mode) == 0o640  # the existing file's permissions
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    old.close()

    fresh = tmp_path / "fresh.bin"
    compile_lists([], fresh)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644  # the resolver may be another user


# --- Matching ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("example.com", "adult"),
        ("www.example.com", "adult"),
        ("a.b.example.com", "adult"),
        ("x.a.b.example.com", "adult"),
        ("EXAMPLE.Com", "adult"),
        ("www.example.com.", "adult"),
        ("notexample.com", None),
        ("example.com.evil", None),
        ("example.co", None),
        ("com", None),
        ("xample.com", None),
        ("example-com", None),
        ("_sip.example.com", "adult"),
        ("xn--bcher-kva.example", "dating"),
        ("shop.xn--bcher-kva.example", "dating"),
        ("bücher.example", None),  # the resolver passes punycode, as on the wire
        ("", None),
        (".", None),
        ("..example.com", "adult"),
    ],
)
def test_match_at_zero_to_three_extra_labels_and_never_by_letters(tmp_path, name, expected):
    out = compiled(tmp_path, {"example.com": "adult", "bücher.example": "dating"})
    with Blocklist.open(out) as listed:
        assert listed.match(name) == expected
    assert (
        Blocklist.from_domains({"example.com": "adult", "bücher.example": "dating"}).match(name)
        == expected
    )


def test_a_larger_list_agrees_with_the_reference(tmp_path):
    rng = random.Random(12)
    alphabet = "abcdefghij"
    domains = {
        "".join(rng.choices(alphabet, k=rng.randint(1, 6)))
        + rng.choice([".com", ".net", ".b.org", ""]): rng.choice(CATEGORIES)
        for _ in range(5000)
    }
    listed_map = {normalise(d): c for d, c in domains.items()}
    with Blocklist.open(compiled(tmp_path, domains)) as listed:
        assert len(listed) == len(listed_map)
        names = [*listed_map, *(f"x.y.{d}" for d in listed_map)]
        names += ["".join(rng.choices(alphabet + ".", k=rng.randint(1, 12))) for _ in range(3000)]
        for name in names:
            assert listed.match(name) == reference(listed_map, name), name


LABELS = st.sampled_from(["a", "b", "ab", "ba", "x-y", "_s", "0", "xn--bcher-kva", "com"])
DOMAINS = st.builds(
    lambda labels, top: ".".join([*labels, top]),
    st.lists(LABELS, max_size=3),
    st.sampled_from(["a", "b", "com", "ab"]),
)


@st.composite
def lists_and_names(draw: st.DrawFn) -> tuple[dict[str, str], str]:
    listed = draw(st.dictionaries(DOMAINS, st.sampled_from(CATEGORIES), max_size=25))
    base = draw(st.sampled_from(sorted(listed)) if listed and draw(st.booleans()) else DOMAINS)
    extra = draw(st.lists(LABELS, max_size=3))
    name = ".".join([*extra, base])
    if draw(st.booleans()):
        name = "".join(draw(st.sampled_from([ch, ch.upper()])) for ch in name)
    return listed, name + draw(st.sampled_from(["", "."]))


@given(lists_and_names())
def test_match_agrees_with_a_naive_reference(case):
    listed, name = case
    blocklist = Blocklist.from_domains(listed)
    assert blocklist.match(name) == reference(listed, name)
    assert len(blocklist) == len(listed)


@given(st.text(st.characters(exclude_categories=())))
def test_match_never_raises_for_any_text(name):
    listed = Blocklist.from_domains({"a.com": "adult", "com": "custom"})
    assert listed.match(name) == reference({"a.com": "adult", "com": "custom"}, name)


def test_match_takes_surrogates_and_control_characters():
    listed = Blocklist.from_domains({"example.com": "bypass"})
    assert listed.match("\ud800.example.com") == "bypass"
    assert listed.match("\x00\xff.example.com") == "bypass"
    assert listed.match("\ud800") is None


def test_close_empties_the_list_and_can_be_repeated(tmp_path):
    listed = Blocklist.open(compiled(tmp_path, {"example.com": "adult"}))
    assert len(listed) == 1
    listed.close()
    assert listed.match("example.com") is None
    assert len(listed) == 0
    listed.close()
    with Blocklist.from_domains({"example.com": "adult"}) as in_memory:
        assert in_memory.path is None
        assert in_memory.match("example.com") == "adult"
    assert in_memory.match("example.com") is None


# --- Broken files --------------------------------------------------------------------


@pytest.fixture(scope="module")
def good_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    directory = tmp_path_factory.mktemp("good")
    source = write(directory / "list.txt", "one.example", "two.example", "three.example")
    compile_lists([("adult", source)], directory / "good.bin")
    return (directory / "good.bin").read_bytes()


def test_the_compiled_file_starts_with_the_magic_and_its_header(good_bytes):
    assert good_bytes.startswith(MAGIC)
    assert int.from_bytes(good_bytes[8:10], "little") == 2  # version
    assert int.from_bytes(good_bytes[16:24], "little") == 3  # domains
    assert int.from_bytes(good_bytes[24:32], "little") == len(good_bytes)
    assert Blocklist(good_bytes).match("www.two.example") == "adult"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda data: b"", "too short"),
        (lambda data: data[:63], "too short"),
        (lambda data: b"\x00" + data[1:], "magic"),
        (lambda data: b"0.0.0.0 example.com\n" * 5, "magic"),
        (lambda data: data[:8] + b"\x01\x00" + data[10:], "version 1"),
        (lambda data: data[:-1], "truncated"),
        (lambda data: data[:80], "truncated"),
        (lambda data: data + b"\x00", "truncated"),
        (lambda data: data[:-3] + bytes([data[-3] ^ 1]) + data[-2:], "checksum"),
        (lambda data: data[:70] + bytes([data[70] ^ 0x80]) + data[71:], "checksum"),
        (lambda data: data[:10] + b"\xff" + data[11:], "impossible header"),
    ],
)
def test_broken_files_raise_blocklist_error(tmp_path, good_bytes, change, reason):
    broken = tmp_path / "broken.bin"
    broken.write_bytes(change(good_bytes))
    with pytest.raises(BlocklistError, match=reason):
        Blocklist.open(broken)
    with pytest.raises(BlocklistError, match=reason):
        Blocklist(change(good_bytes))


def test_every_truncation_is_refused(good_bytes):
    for length in range(len(good_bytes)):
        with pytest.raises(BlocklistError):
            Blocklist(good_bytes[:length])


def test_a_missing_or_unreadable_file_raises_blocklist_error(tmp_path):
    with pytest.raises(BlocklistError, match="cannot read"):
        Blocklist.open(tmp_path / "missing.bin")
    with pytest.raises(BlocklistError, match="cannot read"):
        Blocklist.open(tmp_path)  # a directory
    with pytest.raises(BlocklistError, match="cannot read"):
        load(tmp_path / "missing.txt")


@given(st.integers(0, 10_000), st.binary(min_size=1, max_size=4))
def test_a_corrupted_file_is_refused_or_still_answers(good_bytes, where, junk):
    where %= len(good_bytes)
    data = good_bytes[:where] + junk + good_bytes[where + len(junk) :]
    try:
        listed = Blocklist(data[: len(good_bytes)])
    except BlocklistError:
        return
    # only the reserved header bytes are not checked: the list is intact
    assert listed.match("www.one.example") == "adult"


# --- Loading -------------------------------------------------------------------------


def test_load_opens_compiled_files_and_compiles_text_ones(tmp_path, monkeypatch, caplog):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    text = write(tmp_path / "hosts", "0.0.0.0 text.example", "junk/line")
    binary = compiled(tmp_path, {"binary.example": "gambling"})
    assert is_compiled(binary)
    assert not is_compiled(text)
    assert not is_compiled(tmp_path / "missing")

    with load(text, category="bypass") as from_text:
        assert from_text.match("www.text.example") == "bypass"
        assert from_text.path == text
    assert list(scratch.iterdir()) == []  # the temporary compiled file is gone
    assert "1 junk lines" in caplog.text
    assert "line 2" in caplog.text

    with load(binary) as from_binary:
        assert from_binary.match("binary.example") == "gambling"
        assert from_binary.path == binary


def test_two_domains_with_the_same_hash_both_stay_blocked(monkeypatch):
    """A 64-bit collision (never seen, 2**-64): simulated with a hash of the length."""

    class LengthHash:
        def __init__(self, data: bytes, digest_size: int) -> None:
            self.data = data

        def digest(self) -> bytes:
            return len(self.data).to_bytes(8, "little")

    monkeypatch.setattr(blocklist, "blake2b", LengthHash)
    listed = Blocklist.from_domains({"aa.example": "dating", "bb.example": "gambling"})
    assert len(listed) == 1  # merged: the first category in CATEGORIES order kept
    assert listed.match("aa.example") == "dating"
    assert listed.match("www.bb.example") == "dating"


def test_an_entry_with_an_unknown_category_is_refused_even_with_a_good_checksum(good_bytes):
    """A hand-made file: the checksum matches, but an entry's category nibble is 15."""
    import zlib

    data = bytearray(good_bytes)
    data[64] |= 0x0F  # the first entry's low byte: its category
    body = bytes(data[64:])
    header = bytearray(good_bytes[:64])
    header[12:16] = zlib.crc32(body).to_bytes(4, "little")
    with pytest.raises(BlocklistError, match="unknown category"):
        Blocklist(bytes(header) + body)


def test_two_domains_with_the_same_bucket_and_fingerprint_are_merged(monkeypatch):
    """Only the top k + 28 bits of the hash are kept: a twin there is merged, as above."""

    class TopBitsHash:
        def __init__(self, data: bytes, digest_size: int) -> None:
            self.data = data

        def digest(self) -> bytes:
            # the same top 60 bits for both domains, different low bits
            return ((0xABCDEF0123456789 & ~0xF) | len(self.data) % 16).to_bytes(8, "little")

    monkeypatch.setattr(blocklist, "blake2b", TopBitsHash)
    listed = Blocklist.from_domains({"a.example": "gambling", "bbbb.example": "dating"})
    assert len(listed) == 1
    # both stay blocked, under one of the two categories (the lower hash's)
    assert listed.match("www.a.example") == listed.match("bbbb.example") == "gambling"


def test_a_group_of_buckets_that_would_overflow_its_16_bit_positions_is_refused(monkeypatch):
    """65,536 domains in one bucket group: never a real hash's doing, but never misread."""
    numbers: dict[bytes, int] = {}

    class OneBucket:
        def __init__(self, data: bytes, digest_size: int) -> None:
            self.number = numbers.setdefault(data, len(numbers))

        def digest(self) -> bytes:
            return (self.number << 21).to_bytes(8, "little")  # bucket 0, distinct prints

    monkeypatch.setattr(blocklist, "blake2b", OneBucket)
    with pytest.raises(BlocklistError, match="overflows"):
        Blocklist.from_domains({f"d{i}.example": "adult" for i in range(1 << 16)})
