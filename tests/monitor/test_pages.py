"""SMW01 and SMQ1/SMQ2 pages in-process: the missing-trade-promotion story, paging, actions."""

import re
from html import unescape

from starlette.testclient import TestClient

from sapgw.gateway.runtime import Gateway
from tests.monitor.conftest import row_of, send
from tests.scenarios.conftest import fund_posting, fund_usage, trade_promotion

QUEUE = "R3AUFMFU1791"







def links(html: str, label: str) -> list[str]:
    return [unescape(h) for h in re.findall(rf'<a href="([^"]*)">{label}</a>', html)]


def failed_fund_usage(gw: Gateway) -> str:
    fu = send(gw, fund_usage(tpm_id="TPM9"))
    gw.run_until_idle()
    return fu


def test_missing_trade_promotion_repaired_through_the_pages(sapgw: Gateway, web: TestClient):
    fu = failed_fund_usage(sapgw)

    listed = web.get("/smw01", params={"state": "E06"})
    assert listed.status_code == 200 and listed.headers["content-type"].startswith("text/html")
    assert "light-red" in row_of(listed.text, fu)
    assert "Read at 2026-11-22 12:00:00 UTC" in listed.text

    detail = web.get(f"/smw01/{fu}").text
    assert "project TPM9 missing" in row_of(detail, "<td>Error</td>")
    assert any("TPM9" in r for r in re.findall(r'<tr class="error">.*?</tr>', detail, re.S))
    assert f'href="/smq1/{QUEUE}"' in detail
    assert 'action="/smw01/' + fu + '/reprocess"' in detail

    queue = row_of(web.get("/smq1").text, QUEUE)
    assert "SYSFAIL" in queue and "TPM9" in queue and 'class="error"' in queue

    send(sapgw, trade_promotion("TPM9"))
    sapgw.run_until_idle()
    answer = web.post(f"/smw01/{fu}/reprocess")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(f"/smw01/{fu}?msg=")
    sapgw.run_until_idle()

    repaired = web.get(answer.headers["location"]).text
    assert "F04" in row_of(repaired, "<td>State</td>")
    assert "light-green" in row_of(repaired, "<td>State</td>")
    assert f"queue(s) {QUEUE} activated" in repaired
    assert "Actions apply to BDocs in an error state only" in repaired


def test_filters_counts_and_keyset_paging(sapgw: Gateway, web: TestClient):
    ids = {send(sapgw, trade_promotion(f"TPM{n}")) for n in range(1, 4)}

    first = web.get("/smw01", params={"limit": "2"}).text
    shown = set(re.findall(r'<a href="/smw01/([0-9A-F]{32})">', first))
    assert len(shown) == 2 and shown < ids
    assert "I01</a> 3" in first
    assert links(first, "first page") == []
    (next_page,) = links(first, "next page")
    assert "limit=2" in next_page and "after=" in next_page

    second = web.get(next_page).text
    assert set(re.findall(r'<a href="/smw01/([0-9A-F]{32})">', second)) == ids - shown
    assert links(second, "next page") == [] and links(second, "first page")

    by_key = web.get("/smw01", params={"type": "crm_mktpl", "key": "TPM2"}).text
    assert len(re.findall(r'<a href="/smw01/[0-9A-F]{32}">', by_key)) == 1
    assert "I01</a> 1" in by_key
    assert "no BDocs match" in web.get("/smw01", params={"state": "E06"}).text
    assert "no BDocs match" in web.get("/smw01", params={"from": "2026-11-23"}).text
    assert len(re.findall(r'<a href="/smw01/[0-9A-F]{32}">',
                          web.get("/smw01", params={"to": "2026-11-23"}).text)) == 3

    bad = web.get("/smw01", params={"from": "yesterday", "after": "nonsense"})
    assert bad.status_code == 200
    assert "from: &#x27;yesterday&#x27; is not a date" in bad.text
    assert "is not a cursor of this list" in bad.text


def test_refresh_is_opt_in_and_can_be_switched_off(web: TestClient):
    plain = web.get("/smw01", params={"state": "E06"}).text
    assert 'http-equiv="refresh"' not in plain
    (auto,) = links(plain, "auto-refresh every 5 s")
    assert "state=E06" in auto and "refresh=5" in auto

    refreshing = web.get(auto).text
    assert '<meta http-equiv="refresh" content="5">' in refreshing
    assert links(refreshing, "switch off") == ["/smw01?state=E06"]
    assert 'http-equiv="refresh"' not in web.get("/smw01", params={"refresh": "0"}).text
    assert 'content="2"' in web.get("/smw01", params={"refresh": "1"}).text


def test_unknown_objects_answer_a_404_page(web: TestClient):
    for path in ("/smw01/0123456789ABCDEF0123456789ABCDEF", "/smq1/NOSUCHQUEUE"):
        answer = web.get(path)
        assert answer.status_code == 404 and "does not exist" in answer.text
        assert answer.headers["content-type"].startswith("text/html")
    assert web.post("/smw01/0123456789ABCDEF0123456789ABCDEF/discard").status_code == 404
    assert web.post("/smq2/NOSUCHQUEUE/activate").status_code == 404


def test_refused_action_shows_the_reason_with_409(sapgw: Gateway, web: TestClient):
    tp = send(sapgw, trade_promotion())
    sapgw.run_until_idle()

    refused = web.post(f"/smw01/{tp}/discard")
    assert refused.status_code == 409
    assert "cannot be discarded" in refused.text and "Traceback" not in refused.text
    assert "F04" in row_of(refused.text, "<td>State</td>")
    assert "only BDocs in an error state" in web.post(f"/smw01/{tp}/reprocess").text
    assert sapgw.bdoc(tp)["state"] == "F04"


def test_set_processed_ends_a_failed_bdoc(sapgw: Gateway, web: TestClient):
    fu = failed_fund_usage(sapgw)
    answer = web.post(f"/smw01/{fu}/set-processed")
    assert answer.status_code == 303
    assert "F03" in row_of(web.get(answer.headers["location"]).text, "<td>State</td>")
    assert QUEUE not in web.get("/smq1").text, "the emptied queue is gone"


def test_queue_lock_unlock_activate(sapgw: Gateway, web: TestClient):
    failed_fund_usage(sapgw)

    def status() -> str:
        return row_of(web.get(f"/smq1/{QUEUE}").text, "<td>Status</td>")

    for action, expected in (("lock", "STOP"), ("unlock", "SYSFAIL"), ("activate", "READY")):
        answer = web.post(f"/smq1/{QUEUE}/{action}")
        assert answer.status_code == 303
        assert answer.headers["location"].startswith(f"/smq1/{QUEUE}?msg=")
        assert f"<td>{expected}</td>" in status(), action
    assert web.post(f"/smq1/{QUEUE}/explode").status_code == 404


def test_delete_luw_needs_confirmation(sapgw: Gateway, web: TestClient):
    fu = failed_fund_usage(sapgw)
    (luw,) = sapgw.queue(QUEUE)["luws"]
    detail = web.get(f"/smq1/{QUEUE}").text
    assert "<b>CRM_FM_ACCOUNTING_R3_IN</b>" in detail
    assert "&quot;TPM_ID&quot;: &quot;TPM9&quot;" in detail, "parameters as pretty JSON"
    (confirm_link,) = links(detail, "delete…")

    asked = web.get(confirm_link)
    assert asked.status_code == 200 and "overtake" in asked.text
    assert f'action="{confirm_link}?confirm=yes"' in asked.text

    unconfirmed = web.post(confirm_link)
    assert unconfirmed.status_code == 409 and "overtake" in unconfirmed.text
    assert len(sapgw.queue(QUEUE)["luws"]) == 1

    deleted = web.post(confirm_link, params={"confirm": "yes"})
    assert deleted.status_code == 303
    assert sapgw.queue(QUEUE) is None or sapgw.queue(QUEUE)["luws"] == []
    assert f"LUW {luw['tid']} deleted" in web.get(f"/smw01/{fu}").text
    assert web.post(confirm_link, params={"confirm": "yes"}).status_code == 404


def test_inbound_queues_on_smq2(sapgw: Gateway, web: TestClient):
    bdoc_id = send(sapgw, trade_promotion())
    (queue,) = sapgw.queues("in")
    listed = web.get("/smq2").text
    assert "READY" in row_of(listed, queue["name"])
    detail = web.get(f"/smq2/{queue['name']}").text
    assert f'<a href="/smw01/{bdoc_id}">' in detail and "<pre>{" in detail
    assert "no queues" in web.get("/smq1").text


def test_data_is_escaped(sapgw: Gateway, web: TestClient):
    payload = trade_promotion()
    payload["data"]["HEADER"]["DESCRIPTION"] = "<script>alert(1)</script>"
    bdoc_id = send(sapgw, payload)

    detail = web.get(f"/smw01/{bdoc_id}").text
    assert "<script>" not in detail
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail
    listed = web.get("/smw01", params={"key": '"><script>x'}).text
    assert "<script>" not in listed and "&quot;&gt;&lt;script&gt;x" in listed


def test_detail_links_to_what_the_bdoc_produced_in_the_erp(sapgw: Gateway, web: TestClient):
    for payload in (trade_promotion(), fund_usage(), fund_posting("FPO1")):
        sapgw.send(payload["type"], payload["data"])
    sapgw.run_until_idle()
    fpo = sapgw.bdocs_list(bdoc_type="CRM_FM_FPO")["items"][0]["bdoc_id"]
    page = web.get(f"/smw01/{fpo}").text
    assert "In the ERP" in page
    assert "/fb03?bukrs=1000&amp;xblnr=FPO1" in page
    assert "/iaomc?scenario=CRMFM&amp;key=00000000000000001791%2F10" in page


def test_smw01_filters_by_queue_sender_context_and_id(sapgw: Gateway, web: TestClient):
    failed = failed_fund_usage(sapgw)
    other = send(sapgw, trade_promotion("TPM5"))
    sapgw.run_until_idle()
    by_queue = web.get("/smw01", params={"queue": "R3AUFMFU1791"}).text
    assert failed in by_queue and other not in by_queue
    assert other in web.get("/smw01", params={"id": other[:8].lower()}).text
    assert failed not in web.get("/smw01", params={"id": other[:8]}).text
    assert failed in web.get("/smw01", params={"sender": "CRM", "context": "mo1"}).text
    assert failed not in web.get("/smw01", params={"sender": "MOBILE"}).text
    api = web.get("/api/bdocs", params={"queue": "R3AUMKTPLTPM5"}).json()["items"]
    assert [b["bdoc_id"] for b in api] == [other]


def test_every_page_in_the_navigation_answers(web: TestClient):
    """The navigation bar reaches every monitor page, and each one opens without a selection."""
    nav = re.findall(r"<nav>(.*?)</nav>", web.get("/smwp").text, re.S)[0]
    targets = re.findall(r'href="([^"]+)"', nav)
    assert {"/smw01", "/erp/kka3", "/erp/ke24", "/erp/mb51", "/catsdb", "/sm37"} <= set(targets)
    assert {href: web.get(href).status_code for href in targets} == dict.fromkeys(targets, 200)
