from kg.lexicon import Lexicon


def ids(lexicon, text):
    return [(text[s:e], entity) for s, e, entity in lexicon.scan(text)]


def test_longest_match_and_generic(lexicon):
    assert ids(lexicon, "SUSE Linux Enterprise Server和Linux厂商") == [
        ("SUSE Linux Enterprise Server", "sles"), ("Linux厂商", "")]


def test_latin_aliases_need_word_boundaries(lexicon):
    assert ids(lexicon, "XenSource and XenServer, not Xen-based") == [
        ("XenSource", "xensource"), ("XenServer", "xenserver"), ("Xen", "xen")]
    assert ids(lexicon, "KVM在") == [("KVM", "kvm")]


def test_traditional_and_case_folded(lexicon):
    assert ids(lexicon, "紅帽與微軟") == [("紅帽", "red-hat"), ("微軟", "microsoft")]
    assert ids(lexicon, "red hat inc. and KVM") == [("red hat inc.", "red-hat"), ("KVM", "kvm")]


def test_release_numbers_do_not_match_inside_longer_versions(lexicon):
    assert ids(lexicon, "RHEL 5.4 and RHEL 5") == [("RHEL", "rhel"), ("RHEL 5", "rhel-5")]


def test_lookup(lexicon):
    assert lexicon.lookup("红帽公司") == "red-hat"
    assert lexicon.lookup("Red Hat") == "red-hat"
    assert lexicon.lookup("nobody") is None


def test_duplicate_ids_are_an_error():
    from kg.lexicon import Entity, LexiconError
    import pytest

    with pytest.raises(LexiconError, match="twice"):
        Lexicon([Entity("a", "Organization", "A"), Entity("a", "Organization", "B")])
