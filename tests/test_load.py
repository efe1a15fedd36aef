import pytest

from kg.load import LoadError, decode, find_documents, load_document, parse_document

FRONT = '---\ntitle: "测试"\ndate: 2011-03-01\ntags: [虚拟化, Xen]\narturl_encode: "68747470733a2f2f:6578616d706c652e636f6d2f61"\n---\n'


def test_front_matter_metadata_and_hex_source():
    doc = parse_document((FRONT + "红帽收购了Qumranet。").encode(), "a.md")
    assert doc.title == "测试"
    assert doc.date == "2011-03-01"
    assert doc.meta["tags"] == "虚拟化, Xen"
    assert doc.meta["source"] == "https://example.com/a"


def test_sentence_offsets_point_into_source():
    text = FRONT + "# 标题\n\n红帽在2008年收购了[Qumranet](http://x.example/q)。\n它随后推出了\nRHEV！\n\nRed Hat Inc. bought it. Then it grew."
    doc = parse_document(text.encode(), "a.md")
    texts = [s.text for s in doc.sentences]
    assert texts == ["标题", "红帽在2008年收购了Qumranet。", "它随后推出了RHEV！", "Red Hat Inc. bought it.", "Then it grew."]
    for s in doc.sentences:
        for i, ch in enumerate(s.text):
            if ch != " ":
                assert doc.source[s.offsets[i]] == ch
        assert doc.source[s.start] == s.text[0] and doc.source[s.end - 1] == s.text[-1]


def test_a_sentence_may_open_with_a_name_of_inner_capital():
    doc = parse_document(b"Oracle bought Sun. xVM Server was dropped, e.g. by vSphere users. vSphere won.", "a.md")
    assert [s.text for s in doc.sentences] == ["Oracle bought Sun.", "xVM Server was dropped, e.g. by vSphere users.",
                                               "vSphere won."]


def test_link_text_kept_and_url_dropped():
    doc = parse_document("See [the KVM site](https://kvm.example/) now.".encode(), "a.md")
    assert doc.sentences[0].text == "See the KVM site now."


def test_language_detection():
    assert parse_document("红帽收购了Qumranet。".encode(), "a.md").lang == "zh-Hans"
    assert parse_document("紅帽併購了Qumranet，這項交易金額為一億美元。".encode(), "a.md").lang == "zh-Hant"
    assert parse_document(b"Red Hat bought Qumranet.", "a.md").lang == "en"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "big5"])
def test_encodings_decode(encoding):
    text = "紅帽公司收購了一家以色列公司，虛擬化技術從此成為其產品的重要部分。" if encoding == "big5" else \
        "红帽公司收购了一家以色列公司，虚拟化技术从此成为其产品的重要组成部分。"
    decoded, used = decode(text.encode(encoding), "a.md")
    assert decoded == text
    assert used == encoding


def test_gb18030_four_byte_characters():
    text = "红帽公司收购了一家公司，𠀀这个字需要四个字节的编码，虚拟化技术发展迅速。"
    decoded, used = decode(text.encode("gb18030"), "a.md")
    assert decoded == text and used == "gb18030"


def test_short_texts_are_not_garbled():
    assert decode("中文".encode("gbk"), "short.txt") == ("中文", "gb18030")
    assert decode("中文".encode("big5"), "short.txt") == ("中文", "big5")


def test_ambiguous_short_text_asks_for_encoding():
    # The GBK bytes of 公司 are also valid Big5 for two common characters (鼠侗).
    with pytest.raises(LoadError, match="--encoding"):
        decode("公司".encode("gbk"), "short.txt")
    assert decode("公司".encode("gbk"), "short.txt", encoding="gbk")[0] == "公司"


def test_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\nbody", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_document(bad)
    assert "bad.md" in str(err.value) and "front matter" in str(err.value)
    (tmp_path / "empty.md").write_bytes(b"")
    with pytest.raises(LoadError, match="empty"):
        load_document(tmp_path / "empty.md")
    (tmp_path / "bin.md").write_bytes(b"\x00\x01\x02abc")
    with pytest.raises(LoadError, match="binary"):
        load_document(tmp_path / "bin.md")
    with pytest.raises(LoadError, match="no such"):
        find_documents([tmp_path / "missing"])
