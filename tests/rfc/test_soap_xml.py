"""The one safe XML parser: well-formed documents parse, hostile and broken ones are refused."""

import pytest

from sapgw.rfc.xml import XmlError, parse_xml


def test_parses_a_document_without_comments():
    root = parse_xml(b"<a>\n  <!-- note --><b>1</b>\n</a>")
    assert [child.tag for child in root] == ["b"]


@pytest.mark.parametrize(("content", "line", "text"), [
    (b"<a>\n<b></a>", 2, "mismatch"),
    (b"", 0, "empty"),
    (b"<a>&x;</a>", 1, "Entity 'x' not defined"),
])
def test_broken_documents_say_where(content, line, text):
    with pytest.raises(XmlError) as error:
        parse_xml(content, "upload.xml")
    assert error.value.line == line
    assert text in str(error.value)
    assert str(error.value).startswith("upload.xml")


@pytest.mark.parametrize("content", [
    # billion laughs
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n<lolz>&lol2;</lolz>',
    # external entity reading a local file
    b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b"<r>&xxe;</r>",
    # external DTD over the network
    b'<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd">\n<r/>',
])
def test_a_doctype_is_refused(content):
    with pytest.raises(XmlError) as error:
        parse_xml(content)
    assert "DOCTYPE is not allowed" in str(error.value)
    assert error.value.line == 2
