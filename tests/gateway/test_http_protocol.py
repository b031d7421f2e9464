"""`sapgw serve`'s uvicorn protocol: an answer's writes leave together, none is held back."""

from __future__ import annotations

import asyncio
from typing import Any

from sapgw.gateway.api.http_protocol import FLUSH_BYTES, CoalescingTransport


class RecordingTransport:
    """What reached the socket, write by write."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 4711)}.get(name, default)


def test_the_writes_of_one_turn_leave_in_one_write_at_its_end():
    async def scenario() -> list[list[bytes]]:
        sent = RecordingTransport()
        transport = CoalescingTransport(sent, asyncio.get_running_loop())  # type: ignore[arg-type]
        transport.write(b"HTTP/1.1 200 OK\r\n\r\n")
        transport.write(b"{}")
        during = list(sent.writes)
        await asyncio.sleep(0)  # the turn ends
        after = list(sent.writes)
        transport.write(b"next")  # a stream's later part: its own turn, its own write
        await asyncio.sleep(0)
        return [during, after, sent.writes]

    during, after, later = asyncio.run(scenario())
    assert during == []
    assert after == [b"HTTP/1.1 200 OK\r\n\r\n{}"]
    assert later == [b"HTTP/1.1 200 OK\r\n\r\n{}", b"next"]


def test_close_and_a_large_answer_do_not_wait_for_the_turn():
    async def scenario() -> tuple[list[bytes], bool, list[bytes]]:
        sent = RecordingTransport()
        transport = CoalescingTransport(sent, asyncio.get_running_loop())  # type: ignore[arg-type]
        transport.write(b"head")
        transport.close()
        closed = (list(sent.writes), sent.closed)
        big = RecordingTransport()
        transport = CoalescingTransport(big, asyncio.get_running_loop())  # type: ignore[arg-type]
        transport.write(b"x" * FLUSH_BYTES)
        return closed[0], closed[1], big.writes

    written, closed, big = asyncio.run(scenario())
    assert (written, closed) == ([b"head"], True)
    assert big == [b"x" * FLUSH_BYTES]


def test_everything_else_is_the_transport_itself():
    async def scenario() -> Any:
        transport = CoalescingTransport(RecordingTransport(),  # type: ignore[arg-type]
                                        asyncio.get_running_loop())
        return transport.get_extra_info("peername")

    assert asyncio.run(scenario()) == ("127.0.0.1", 4711)
