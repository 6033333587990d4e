#!/usr/bin/python3
"""A real SMTP server on loopback that keeps every message it receives.

    smtp_sink.py --port 0 --out DIR [--auth USER:PASS] [--tls]

Listens on 127.0.0.1 (port 0 picks a free one), prints "listening PORT" on
stdout once it accepts connections, and stores each message as DIR/NNNN.eml
(the bytes of the DATA phase, dot-unstuffed, CRLF kept) and one JSON line
{"from", "to": [...], "file", "helo"} in DIR/index.jsonl, written after the .eml file
so a reader that sees the line can read the message. With --auth, MAIL is
refused until the client authenticates (AUTH PLAIN or LOGIN, allowed without
TLS because this is for loopback tests). With --tls, it makes a throwaway
self-signed certificate for 127.0.0.1 and localhost, DIR/tls-cert.pem (the
file clients trust) with its key DIR/tls-key.pem, and refuses MAIL until the
client has switched to TLS with STARTTLS. Exits with status 0 on SIGTERM or
SIGINT.

Needs Debian's python3-aiosmtpd: run it with /usr/bin/python3.
"""

import argparse
import asyncio
import json
import logging
import os
import signal
import ssl
import subprocess
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    """aiosmtpd handler: writes each message to the output folder."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = "%04d.eml" % self.count
        with open(os.path.join(self.out_dir, name), "wb") as f:
            f.write(envelope.original_content)
        entry = {"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "file": name,
                 "helo": session.host_name}
        with open(os.path.join(self.out_dir, "index.jsonl"), "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")
        return "250 OK"


def make_authenticator(user, password):
    expected = LoginPassword(user.encode(), password.encode())

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = mechanism in ("PLAIN", "LOGIN") and auth_data == expected
        return AuthResult(success=ok, handled=False)

    return authenticate


def make_tls_context(out_dir):
    cert = os.path.join(out_dir, "tls-cert.pem")
    key = os.path.join(out_dir, "tls-key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", cert],
        check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--out", required=True)
    parser.add_argument("--auth", metavar="USER:PASS")
    parser.add_argument("--tls", action="store_true")
    args = parser.parse_args()
    if args.auth is not None and ":" not in args.auth:
        parser.error("--auth takes USER:PASS")
    return args


async def serve(args):
    loop = asyncio.get_running_loop()
    handler = Sink(args.out)
    options = {"hostname": "localhost", "loop": loop}
    if args.auth is not None:
        user, password = args.auth.split(":", 1)
        options.update(auth_required=True, auth_require_tls=False,
                       authenticator=make_authenticator(user, password))
    if args.tls:
        options.update(tls_context=make_tls_context(args.out), require_starttls=True)
    server = await loop.create_server(lambda: SMTP(handler, **options),
                                      host="127.0.0.1", port=args.port)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("listening %d" % server.sockets[0].getsockname()[1], flush=True)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main():
    args = parse_args()
    os.makedirs(args.out, exist_ok=True)
    # Plain-text AUTH and refused TLS handshakes are what tests exercise:
    # keep them off stderr (a broken sink shows as missing messages).
    warnings.simplefilter("ignore")
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
