"""A minimal Redis client (RESP2 over a socket) for GET/SET/INFO: enough for the cache bench,
without adding a client library to the project's dependencies."""

from __future__ import annotations

import socket

__all__ = ["Redis"]


class Redis:
    """One connection; ``None`` from :meth:`get` means a miss. Raises OSError when down."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=2)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def command(self, *parts: str) -> bytes | int | None:
        """Send one command and read its reply."""
        out = [f"*{len(parts)}\r\n".encode()]
        for part in parts:
            raw = part.encode()
            out.append(b"$%d\r\n%s\r\n" % (len(raw), raw))
        self.sock.sendall(b"".join(out))
        return self._reply()

    def get(self, key: str) -> bytes | None:
        """GET, None on a miss."""
        reply = self.command("GET", key)
        return reply if isinstance(reply, bytes) else None

    def close(self) -> None:
        """Close the connection."""
        self.sock.close()

    def _line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            data = self.sock.recv(65536)
            if not data:
                raise OSError("redis closed the connection")
            self.buffer += data
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def _reply(self) -> bytes | int | None:
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"$":
            size = int(rest)
            if size < 0:
                return None
            while len(self.buffer) < size + 2:
                data = self.sock.recv(65536)
                if not data:
                    raise OSError("redis closed the connection")
                self.buffer += data
            value, self.buffer = self.buffer[:size], self.buffer[size + 2 :]
            return value
        if kind == b":":
            return int(rest)
        if kind == b"-":
            raise OSError(f"redis error: {rest.decode(errors='replace')}")
        return rest
